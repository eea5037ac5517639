"""Who may report on a tablet: picture-code tries counted on the server, and a signed pass.

A wrong picture code is counted per person and tablet in the database, so going back to
"who am I" or clearing the browser starts nothing again. After five wrong codes the code waits a
minute, then twice as long after each further wrong one, at most a quarter of an hour, or until
an instructor opens it. When a person is chosen the tablet gets a pass signed with the app's
secret key naming the tablet, the person and the day; a report queued offline carries it, so it
is booked to that person even if the tablet has moved on to someone else when it is sent.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..locks import hold
from ..models import Participant, PinGuard, utcnow

MAX_TRIES = 5
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=15)
# A queued report may reach the server after a night without Wi-Fi; it is booked on its own day.
PASS_DAYS = 3

__all__ = ["PinGuard", "check_code", "issue_pass", "locked_until", "read_pass", "reset_code"]


def _row(participant_id: int, kiosk_id: int):
    return (PinGuard.participant_id == participant_id, PinGuard.kiosk_id == kiosk_id)


def locked_until(participant_id: int, kiosk_id: int, now: datetime | None = None
                 ) -> datetime | None:
    """When the person's code opens again on this tablet, or None when it is open."""
    now = now or utcnow()
    until = db.session.scalar(select(PinGuard.locked_until).where(*_row(participant_id,
                                                                        kiosk_id)))
    return until if until is not None and until > now else None


def _held(participant_id: int, kiosk_id: int) -> PinGuard:
    """The person's row on this tablet, created if missing and held until commit."""
    make = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(make(PinGuard).values(participant_id=participant_id, kiosk_id=kiosk_id,
                                             failures=0).on_conflict_do_nothing())
    hold(PinGuard, *_row(participant_id, kiosk_id))
    return db.session.scalars(select(PinGuard).where(*_row(participant_id, kiosk_id))
                              .execution_options(populate_existing=True)).one()


def _wait(failures: int) -> timedelta:
    return min(LONGEST_WAIT, FIRST_WAIT * 2 ** (failures - MAX_TRIES))


def check_code(person: Participant, kiosk_id: int, entered: list[str],
               now: datetime | None = None) -> tuple[bool, datetime | None]:
    """(right, locked until): a whole code entered; a locked code is not even compared."""
    now = now or utcnow()
    guard = _held(person.id, kiosk_id)
    if guard.locked_until is not None and guard.locked_until > now:
        return False, guard.locked_until
    where = _row(person.id, kiosk_id)
    if secrets.compare_digest("|".join(entered), "|".join(person.picture_pin or [])):
        db.session.execute(update(PinGuard).where(*where).values(failures=0, locked_until=None))
        return True, None
    failures = guard.failures + 1  # the row is held: nobody else counts in between
    db.session.execute(update(PinGuard).where(*where).values(failures=PinGuard.failures + 1))
    until = now + _wait(failures) if failures >= MAX_TRIES else None
    if until is not None:
        db.session.execute(update(PinGuard).where(*where).values(locked_until=until))
    return False, until


def reset_code(participant_id: int) -> int:
    """An instructor opens the person's code on every tablet; the number of rows removed."""
    result = db.session.execute(delete(PinGuard).where(PinGuard.participant_id == participant_id))
    return result.rowcount


def locked_people(centre_id: int, now: datetime | None = None) -> list[PinGuard]:
    """Codes that wait now, or that have had wrong tries since they last opened."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(PinGuard).join(Participant).where(Participant.centre_id == centre_id,
                                                 PinGuard.locked_until > now)
        .order_by(PinGuard.locked_until)))


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="tablet-person")


def issue_pass(kiosk_id: int, participant_id: int, day: date) -> str:
    return _signer().dumps([kiosk_id, participant_id, day.isoformat()])


def read_pass(token: str, kiosk_id: int, participant_id: int) -> date | None:
    """The day of a pass this tablet got for this person, or None (forged, old, someone else's)."""
    try:
        kiosk, person, day = _signer().loads(token, max_age=PASS_DAYS * 24 * 3600)
        if kiosk == kiosk_id and person == participant_id:
            return date.fromisoformat(day)
    except (BadSignature, TypeError, ValueError):
        pass
    return None
