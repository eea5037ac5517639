"""Tablet kiosks: enrolment by a one-time link, revocation, and who is expected today."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from sqlalchemy import select, update

from ..audit import record
from ..extensions import db
from ..models import WEEKDAYS, Absence, Centre, Kiosk, Participant, utcnow

ENROL_LINK_HOURS = 48


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_enrolment(centre: Centre, name: str,
                    created_by_id: int | None = None) -> tuple[Kiosk, str]:
    """A new kiosk and its one-time enrolment token (shown once, stored only as a hash)."""
    token = secrets.token_urlsafe(32)
    kiosk = Kiosk(centre_id=centre.id, name=name, enrol_token_hash=_digest(token),
                  enrol_expires_at=utcnow() + timedelta(hours=ENROL_LINK_HOURS),
                  created_by_id=created_by_id)
    db.session.add(kiosk)
    return kiosk, token


def pending_enrolment(token: str) -> Kiosk | None:
    kiosk = db.session.scalar(select(Kiosk).where(Kiosk.enrol_token_hash == _digest(token)))
    if kiosk is None or kiosk.revoked_at is not None or kiosk.enrolled_at is not None:
        return None
    if kiosk.enrol_expires_at is not None and kiosk.enrol_expires_at < utcnow():
        return None
    return kiosk


def complete_enrolment(kiosk: Kiosk) -> bool:
    """Use the link: True for the one request that does; the same link opened on several
    tablets at once enrols only one (the update counts only while nobody has used it)."""
    used = db.session.execute(
        update(Kiosk).where(Kiosk.id == kiosk.id, Kiosk.enrolled_at.is_(None),
                            Kiosk.revoked_at.is_(None))
        .values(enrolled_at=utcnow(), enrol_token_hash=None)
        .execution_options(synchronize_session=False))
    db.session.refresh(kiosk)
    if used.rowcount != 1:
        return False
    record(db.session, "kiosk_enrolled", "kiosk", kiosk.id)
    return True


def revoke(kiosk: Kiosk) -> None:
    kiosk.revoked_at = utcnow()


def expected_today(centre_id: int, today: date) -> list[Participant]:
    """Participants whose weekly pattern brings them in today and who are not away all day."""
    if today.weekday() >= len(WEEKDAYS):
        return []
    weekday = WEEKDAYS[today.weekday()]
    people = db.session.scalars(
        select(Participant).where(Participant.centre_id == centre_id, Participant.active.is_(True),
                                  Participant.erased_at.is_(None))
        .order_by(Participant.first_name)
    )
    away = set(db.session.scalars(
        select(Absence.participant_id).where(Absence.day == today, Absence.half.is_(None))
    ))
    return [p for p in people
            if p.id not in away and any(key.startswith(weekday) for key in p.attends)]
