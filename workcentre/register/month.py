"""The register as the month's attendance record: per participant, the half-days expected and
what the register says of them. The reporting pages read `month_attendance`."""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select

from ..closures import closed_days
from ..extensions import db
from ..models import HALVES, WEEKDAYS, Absence, Centre, Participant
from ..models.register import RegisterMark


@dataclass
class Attendance:
    """One participant's month. `present` counts everyone who came (late arrivals too);
    `absent` counts the register's absences by reason ("sairas", "muu"); `announced` the
    half-days away by an absence told beforehand; `unmarked` the rest of `expected`."""

    participant_id: int
    name: str
    expected: int = 0
    present: int = 0
    late: int = 0
    absent: Counter = field(default_factory=Counter)
    announced: int = 0
    unmarked: int = 0


def month_attendance(centre: Centre, year: int, month: int,
                     until: date | None = None) -> list[Attendance]:
    """The month's record of the centre's participants, from the 1st to the month's end (or
    `until`, e.g. today); someone who left (or was erased) during the month up to that day.
    Expected half-days follow the weekly pattern on the days the
    centre works (no holidays, closure days or weekends)."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    if until is not None:
        last = min(last, until)
    people = list(db.session.scalars(select(Participant).where(
        Participant.centre_id == centre.id,
        or_(Participant.active.is_(True), Participant.left_on >= first))
        .order_by(Participant.first_name, Participant.last_name)))
    return period_attendance(centre, first, last, people)


def period_attendance(centre: Centre, first: date, last: date,
                      people: list[Participant]) -> list[Attendance]:
    """The record of `people` from `first` to `last` (both included), as month_attendance."""
    if last < first:
        return [Attendance(p.id, p.display_name) for p in people]
    closed = closed_days(centre.id, first, last)
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    days = [d for d in days if d.weekday() < len(WEEKDAYS) and d not in closed]
    ids = [p.id for p in people]
    marks = {(m.participant_id, m.day, m.half): m for m in db.session.scalars(
        select(RegisterMark).where(RegisterMark.participant_id.in_(ids),
                                   RegisterMark.day.between(first, last)))}
    told = {(a.participant_id, a.day, a.half) for a in db.session.scalars(
        select(Absence).where(Absence.participant_id.in_(ids), Absence.day.between(first, last)))
        if not _made_by_register(a, marks)}
    return [_count(p, days, marks, told) for p in people]


def _made_by_register(absence: Absence, marks: dict) -> bool:
    mark = marks.get((absence.participant_id, absence.day, absence.half))
    return mark is not None and mark.absence_id == absence.id


def _count(person: Participant, days: list[date], marks: dict, told: set) -> Attendance:
    row = Attendance(person.id, person.display_name)
    for day in days:
        if not person.active and person.left_on is not None and day > person.left_on:
            break  # left (or erased): expected no more
        for half in HALVES:
            if f"{WEEKDAYS[day.weekday()]}-{half}" not in person.attends:
                continue
            row.expected += 1
            mark = marks.get((person.id, day, half))
            if mark is not None:
                if mark.status == "absent":
                    row.absent[mark.reason_code] += 1
                else:
                    row.present += 1
                    row.late += mark.status == "late"
            elif (person.id, day, None) in told or (person.id, day, half) in told:
                row.announced += 1
            else:
                row.unmarked += 1
    return row
