"""Who is expected this half-day, and one mark per person: present, absent (with a reason) or
late. An absent mark makes the person's `Absence` for the half-day, so the planner and every
page agree; marking the person present again removes it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock_time

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import audit
from ..closures import closed_reason
from ..extensions import db
from ..models import WEEKDAYS, Absence, Centre, Participant, User, utcnow
from ..models.register import REASONS, STATUSES, RegisterMark

REASON_TEXT_MAX = 200


class MarkRefused(ValueError):
    """The mark cannot be saved; the message says why, in the user's language."""


@dataclass
class Row:
    participant: Participant
    mark: RegisterMark | None = None


@dataclass
class Sheet:
    """The register of one half-day."""

    day: date
    half: str
    closed: str | None = None  # why nobody is expected (holiday, closure day, weekend)
    rows: list[Row] = field(default_factory=list)
    announced: list[Participant] = field(default_factory=list)  # away, told beforehand

    def count(self, *statuses: str | None) -> int:
        return sum(1 for r in self.rows if (r.mark.status if r.mark else None) in statuses)

    @property
    def present(self) -> int:
        return self.count("present", "late")

    @property
    def absent(self) -> int:
        return self.count("absent")

    @property
    def unmarked(self) -> int:
        return self.count(None)


def slot_key(day: date, half: str) -> str:
    return f"{WEEKDAYS[day.weekday()]}-{half}"


def current_half(centre: Centre, now: datetime) -> str:
    """The half-day the register opens on: the morning until the afternoon starts."""
    return "am" if now.time() < clock_time.fromisoformat(centre.pm_start) else "pm"


def closed_words(centre: Centre, day: date) -> str | None:
    if day.weekday() >= len(WEEKDAYS):
        return _("Viikonloppu: ketään ei odoteta.")
    return closed_reason(centre.id, day)


def sheet(centre: Centre, day: date, half: str) -> Sheet:
    """Everyone whose weekly pattern has this half-day, less those away by an absence told
    beforehand (listed apart); nobody on a closed day."""
    result = Sheet(day, half, closed_words(centre, day))
    if result.closed:
        return result
    key = slot_key(day, half)
    people = [p for p in db.session.scalars(
        select(Participant).where(Participant.centre_id == centre.id,
                                  Participant.active.is_(True))
        .order_by(Participant.first_name, Participant.last_name)) if key in p.attends]
    ids = [p.id for p in people]
    marks = {m.participant_id: m for m in db.session.scalars(select(RegisterMark).where(
        RegisterMark.participant_id.in_(ids), RegisterMark.day == day,
        RegisterMark.half == half))}
    away = {a.participant_id for a in db.session.scalars(select(Absence).where(
        Absence.participant_id.in_(ids), Absence.day == day,
        (Absence.half.is_(None)) | (Absence.half == half)))}
    for person in people:
        if person.id in marks or person.id not in away:
            result.rows.append(Row(person, marks.get(person.id)))
        else:
            result.announced.append(person)
    return result


def expected(centre: Centre, participant: Participant, day: date, half: str) -> bool:
    """The person is on this half-day's register (as a row, marked or not)."""
    return any(r.participant.id == participant.id for r in sheet(centre, day, half).rows)


@dataclass(frozen=True)
class MarkInput:
    status: str
    reason_code: str = ""
    reason_text: str = ""
    arrived_at: str | None = None


def checked(data: MarkInput, now: datetime) -> MarkInput:
    """The mark as it will be saved, or MarkRefused with a message to show."""
    if data.status not in STATUSES:
        raise MarkRefused(_("Valitse paikalla, poissa tai myöhässä."))
    text = data.reason_text.strip()
    if len(text) > REASON_TEXT_MAX:
        raise MarkRefused(_("Syy on liian pitkä (enintään %(n)s merkkiä).", n=REASON_TEXT_MAX))
    if data.status != "absent":
        arrived = None
        if data.status == "late":
            arrived = _arrival(data.arrived_at, now)
        return MarkInput(data.status, "", "", arrived)
    code = data.reason_code or "muu"
    if code not in REASONS:
        raise MarkRefused(_("Valitse poissaolon syy."))
    return MarkInput("absent", code, text, None)


def _arrival(value: str | None, now: datetime) -> str:
    """The arrival time as "09:15": typed as 9.15 or 09:15, by default now."""
    if not value or not value.strip():
        return now.strftime("%H:%M")
    found = re.fullmatch(r"(\d{1,2})[.:](\d{2})", value.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise MarkRefused(_("Kirjoita saapumisaika muodossa 9.15 tai 09:15."))
    return f"{int(found[1]):02d}:{found[2]}"


def mark(participant: Participant, day: date, half: str, data: MarkInput,
         user: User | None) -> RegisterMark:
    """Save the participant's mark for the half-day (one row however many taps or instructors
    at once) and keep their absence in step. The caller commits; `data` is `checked`."""
    _ensure_row(participant.id, day, half)
    row = db.session.scalars(
        select(RegisterMark).where(RegisterMark.participant_id == participant.id,
                                   RegisterMark.day == day, RegisterMark.half == half)
        .with_for_update().execution_options(populate_existing=True)).one()
    row.status, row.reason_code, row.reason_text = data.status, data.reason_code, data.reason_text
    row.arrived_at = data.arrived_at
    row.recorded_by_id = user.id if user else None
    row.recorded_at = utcnow()
    _sync_absence(row)
    db.session.flush()
    audit.record(db.session, f"register_{data.status}", "register_mark", row.id,
                 participant_id=participant.id)
    return row


def _ensure_row(participant_id: int, day: date, half: str) -> None:
    """Insert the half-day's row unless it exists: a second tap or a second instructor at the
    same moment finds the row instead of failing on the unique key."""
    insert = postgres_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(RegisterMark).values(
        participant_id=participant_id, day=day, half=half, status="present", reason_code="",
        reason_text="", recorded_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["participant_id", "day", "half"]))


def absence_reason(row: RegisterMark) -> str:
    words = {"sairas": "sairas", "muu": "muu syy"}[row.reason_code]
    return f"{words}: {row.reason_text}" if row.reason_text else words


def _sync_absence(row: RegisterMark) -> None:
    if row.status != "absent":
        if row.absence is not None:
            db.session.delete(row.absence)
            row.absence = None
        return
    if row.absence is not None:
        row.absence.reason = absence_reason(row)
        return
    told = db.session.scalars(select(Absence).where(
        Absence.participant_id == row.participant_id, Absence.day == row.day,
        (Absence.half.is_(None)) | (Absence.half == row.half))).first()
    if told is None:  # else already away by an absence told beforehand: nothing to add
        row.absence = Absence(participant_id=row.participant_id, day=row.day, half=row.half,
                              reason=absence_reason(row))


def halves_to_mark(centre: Centre, participant: Participant, day: date, half: str,
                   whole_day: bool) -> list[str]:
    """The half-days an absence covers: this one, and the afternoon too when the person is away
    for the rest of the day and expected then."""
    halves = [half]
    if whole_day and half == "am" and expected(centre, participant, day, "pm"):
        halves.append("pm")
    return halves
