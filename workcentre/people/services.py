"""Participants' data; health-related fields only through `read_support`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from .. import audit
from ..clock import today
from ..closures import public_holiday
from ..extensions import db
from ..models import (
    SLOT_KEYS,
    WEEKDAYS,
    Absence,
    Participant,
    ParticipantSupport,
    Preference,
    Role,
    TaskType,
)


class NotAllowed(Exception):
    """The caller's role may not read this data."""


@dataclass(frozen=True)
class SupportView:
    support_points: int
    productivity: int
    notes: str


STAFF_ROLES = (Role.INSTRUCTOR, Role.ADMIN)


def read_support(participant: Participant, viewer_role: str) -> SupportView:
    """Support points, productivity and notes of one participant; the view is audit-logged."""
    if viewer_role not in STAFF_ROLES:
        raise NotAllowed(viewer_role)
    row = db.session.get(ParticipantSupport, participant.id)
    audit.record(db.session, "view_support", "participant", participant.id,
                 participant_id=participant.id)
    db.session.commit()
    if row is None:
        return SupportView(support_points=0, productivity=100, notes="")
    return SupportView(row.support_points, row.productivity, row.notes)


def set_support(participant: Participant, *, support_points: int, productivity: int,
                notes: str = "") -> None:
    """Create or change a participant's support data (the flush writes the audit event)."""
    row = db.session.get(ParticipantSupport, participant.id)
    if row is None:
        row = ParticipantSupport(participant_id=participant.id)
        db.session.add(row)
    row.support_points = support_points
    row.productivity = productivity
    row.notes = notes


def participants_of(centre_ids: list[int]) -> list[Participant]:
    query = (select(Participant)
             .where(Participant.centre_id.in_(centre_ids), Participant.active.is_(True))
             .order_by(Participant.first_name, Participant.last_name))
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class ParticipantData:
    """What the participant form gives, already validated."""
    first_name: str
    last_name: str
    centre_id: int
    attends: list[str]
    skill_ids: list[int]
    avoid_tags: list[str]
    liked_ids: list[int]
    disliked_ids: list[int]
    needs_routine: bool
    support_points: int
    productivity: int
    notes: str
    active: bool = True
    picture_pin: tuple[str, ...] | None = None  # None: leave as it is
    symbol: str | None = None  # None: leave as it is


def save_participant(participant: Participant | None, data: ParticipantData) -> Participant:
    """Create or change a participant and their support data. The caller commits."""
    if participant is None:
        participant = Participant(centre_id=data.centre_id, first_name=data.first_name)
        db.session.add(participant)
    kinds = {k.id: k for k in db.session.scalars(
        select(TaskType).where(TaskType.centre_id == data.centre_id))}
    participant.centre_id = data.centre_id
    participant.first_name = data.first_name.strip()
    participant.last_name = data.last_name.strip()
    participant.attends = [k for k in SLOT_KEYS if k in set(data.attends)]
    participant.skills = [kinds[i] for i in data.skill_ids if i in kinds]
    participant.avoid_tags = sorted(set(data.avoid_tags))
    participant.needs_routine = data.needs_routine
    _set_active(participant, data.active)
    if data.symbol is not None:
        participant.symbol = data.symbol
    if data.picture_pin is not None:
        participant.picture_pin = list(data.picture_pin)
    participant.preferences = (
        [Preference(task_type=kinds[i], likes=True) for i in data.liked_ids if i in kinds]
        + [Preference(task_type=kinds[i], likes=False) for i in data.disliked_ids if i in kinds])
    db.session.flush()
    set_support(participant, support_points=data.support_points,
                productivity=data.productivity, notes=data.notes)
    return participant


def _set_active(participant: Participant, active: bool) -> None:
    """Taking part or not; the day a person is made inactive is kept (retention counts from
    it)."""
    if active:
        participant.left_on = None
    elif participant.active is not False or participant.left_on is None:
        participant.left_on = today()
    participant.active = active


def add_absences(*, participant_id: int | None = None, instructor_id: int | None = None,
                 first: date, last: date | None, half: str | None, reason: str) -> int:
    """One absence row per weekday from `first` to `last`; days already marked and public
    holidays (nobody works then, so nobody needs to be away) are skipped."""
    days = [first + timedelta(days=n) for n in range(((last or first) - first).days + 1)]
    existing = {(a.day, a.half) for a in db.session.scalars(select(Absence).where(
        Absence.participant_id == participant_id, Absence.instructor_id == instructor_id))}
    added = 0
    for day in days:
        if day.weekday() >= len(WEEKDAYS) or public_holiday(day) or (day, half) in existing \
                or (day, None) in existing:
            continue
        db.session.add(Absence(participant_id=participant_id, instructor_id=instructor_id,
                               day=day, half=half, reason=reason.strip()))
        added += 1
    return added


def upcoming_absences(*, participant_id: int | None = None,
                      instructor_id: int | None = None, since: date) -> list[Absence]:
    return list(db.session.scalars(select(Absence).where(
        Absence.participant_id == participant_id, Absence.instructor_id == instructor_id,
        Absence.day >= since).order_by(Absence.day, Absence.half)))
