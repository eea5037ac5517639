"""The floor now: today's half-day of a centre, open help calls first, and answering them.

Everything here is read in a handful of queries, whatever the number of people, because the
instructors' phones ask for it every second or two. `floor_stamp` is cheaper still (one query):
it changes whenever anything shown on the floor view changes, so an unchanged floor is answered
with 304 without building the view.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from ..audit import record
from ..closures import is_working_day
from ..extensions import db
from ..models import (
    WEEKDAYS,
    Absence,
    Area,
    Assignment,
    Centre,
    HelpRequest,
    Instructor,
    InstructorPlacement,
    OrderStep,
    Participant,
    ParticipantSupport,
    ProgressReport,
    User,
    WeekPlan,
    utcnow,
)
from ..tablet.work import half_day_target, product_name
from ..weeks import iso_week

# How long a tablet keeps showing "Ohjaaja tulee" after a call was answered.
COMING_FOR = timedelta(minutes=5)


# --- Help calls -------------------------------------------------------------------------------

def open_help_calls(centre_ids: Iterable[int]) -> list[HelpRequest]:
    """Unanswered "Tarvitsen apua" calls of these centres, oldest first (person and area loaded).

    For the open-calls count in the staff pages' header, `len()` of this or
    `open_help_call_count` (one COUNT query) serves."""
    ids = list(centre_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(HelpRequest).join(Participant)
        .where(Participant.centre_id.in_(ids), HelpRequest.acknowledged_at.is_(None))
        .options(selectinload(HelpRequest.participant), selectinload(HelpRequest.area))
        .order_by(HelpRequest.created_at, HelpRequest.id)))


def open_help_call_count(centre_ids: Iterable[int]) -> int:
    ids = list(centre_ids)
    if not ids:
        return 0
    return db.session.scalar(
        select(func.count(HelpRequest.id)).join(Participant)
        .where(Participant.centre_id.in_(ids), HelpRequest.acknowledged_at.is_(None)))


def answer_call(call: HelpRequest, user: User) -> bool:
    """"Tulen": the call is answered once. False when someone answered it first (two instructors
    tapping at the same moment: the conditional update lets one through)."""
    answered = db.session.execute(
        update(HelpRequest).where(HelpRequest.id == call.id, HelpRequest.acknowledged_at.is_(None))
        .values(acknowledged_at=utcnow(), acknowledged_by_id=user.id)
        .execution_options(synchronize_session=False))
    if answered.rowcount != 1:
        return False
    record(db.session, "help_call_answered", "help_request", call.id,
           participant_id=call.participant_id)
    return True


def call_state(participant_id: int, now: datetime | None = None) -> str:
    """What the person's tablet shows: "waiting" (a call is open), "coming" (answered a moment
    ago: the instructor is on the way) or "none"."""
    now = now or utcnow()
    latest = db.session.execute(
        select(HelpRequest.acknowledged_at).where(HelpRequest.participant_id == participant_id)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()).limit(1)).first()
    if latest is None:
        return "none"
    if latest.acknowledged_at is None:
        return "waiting"
    return "coming" if now - latest.acknowledged_at <= COMING_FOR else "none"


# --- The floor view ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    id: int
    participant_id: int
    name: str
    area: str | None
    minutes_ago: int


@dataclass(frozen=True)
class PersonNow:
    id: int
    name: str
    task: str | None = None
    product: str | None = None
    done: int = 0
    target: int = 0
    calling: bool = False

    @property
    def percent(self) -> int:
        """How far towards the half-day's target, 0-100 (the bar stops at full)."""
        return min(100, self.done * 100 // self.target) if self.target else 0


@dataclass
class AreaNow:
    name: str
    instructors: list[str] = field(default_factory=list)
    people: list[PersonNow] = field(default_factory=list)


@dataclass(frozen=True)
class Floor:
    centre: Centre
    day: date
    half: str
    calls: list[Call]
    areas: list[AreaNow]  # where the published plan puts people now, by area name
    without_task: list[PersonNow]  # expected now, but the plan gives them nothing
    away: list[str]  # names of people who would come now but are away
    published: bool  # is there a published plan for the week at all
    working_day: bool = True  # False on weekends, public holidays and closure days


def _published_plan_id(centre_id: int, day: date) -> int | None:
    return db.session.scalar(select(WeekPlan.id).where(
        WeekPlan.centre_id == centre_id, WeekPlan.week == iso_week(day),
        WeekPlan.state == "published").order_by(WeekPlan.version.desc()).limit(1))


def _calls(centre_id: int, now: datetime) -> list[Call]:
    return [Call(c.id, c.participant_id, c.participant.display_name,
                 c.area.name if c.area else None,
                 max(0, int((now - c.created_at).total_seconds() // 60)))
            for c in open_help_calls([centre_id])]


def _away(centre_id: int, day: date, half: str) -> set[int]:
    return set(db.session.scalars(select(Absence.participant_id).join(Participant).where(
        Participant.centre_id == centre_id, Absence.day == day,
        or_(Absence.half.is_(None), Absence.half == half))))


def _reported(centre_id: int, day: date, half: str) -> dict[tuple[int, int], int]:
    rows = db.session.execute(
        select(ProgressReport.participant_id, ProgressReport.step_id,
               func.sum(ProgressReport.units)).join(Participant)
        .where(Participant.centre_id == centre_id, ProgressReport.day == day,
               ProgressReport.half == half)
        .group_by(ProgressReport.participant_id, ProgressReport.step_id))
    return {(person, step): int(units or 0) for person, step, units in rows}


def _paces(ids: list[int]) -> dict[int, int]:
    """The pace behind each target; used for the target only, never shown."""
    if not ids:
        return {}
    return dict(db.session.execute(select(ParticipantSupport.participant_id,
                                          ParticipantSupport.productivity)
                                   .where(ParticipantSupport.participant_id.in_(ids))).all())


def floor_now(centre: Centre, day: date, half: str, now: datetime | None = None) -> Floor:
    """Who is where in the centre this half-day, what each is doing and how far."""
    now = now or utcnow()
    calls = _calls(centre.id, now)
    if not is_working_day(centre.id, day):
        return Floor(centre, day, half, calls, [], [], [], published=True, working_day=False)
    calling = {c.participant_id for c in calls}
    plan_id = _published_plan_id(centre.id, day)
    assignments = [] if plan_id is None else list(db.session.scalars(
        select(Assignment).where(Assignment.plan_id == plan_id, Assignment.day == day,
                                 Assignment.half == half)
        .options(selectinload(Assignment.participant),
                 selectinload(Assignment.step).selectinload(OrderStep.task_type))))
    away = _away(centre.id, day, half)
    reported = _reported(centre.id, day, half)
    paces = _paces([a.participant_id for a in assignments])
    areas: dict[int, AreaNow] = {}
    area_names = dict(db.session.execute(select(Area.id, Area.name)
                                         .where(Area.centre_id == centre.id)).all())
    placed: set[int] = set()
    for a in sorted(assignments, key=lambda a: a.participant.display_name):
        if a.participant_id in away:
            continue
        placed.add(a.participant_id)
        kind = a.step.task_type
        name = a.participant.display_name
        person = PersonNow(a.participant_id, name, kind.easy_name or kind.name,
                           product_name(a.step), reported.get((a.participant_id, a.step_id), 0),
                           half_day_target(centre, half, paces.get(a.participant_id, 100),
                                           a.step.seconds_per_unit),
                           a.participant_id in calling)
        areas.setdefault(kind.area_id, AreaNow(area_names.get(kind.area_id, ""))) \
            .people.append(person)
    if plan_id is not None:
        for instructor_name, area_id in db.session.execute(
                select(Instructor.name, InstructorPlacement.area_id).join(Instructor)
                .where(InstructorPlacement.plan_id == plan_id, InstructorPlacement.day == day,
                       InstructorPlacement.half == half).order_by(Instructor.name)):
            areas.setdefault(area_id, AreaNow(area_names.get(area_id, ""))) \
                .instructors.append(instructor_name)
    expected = _expected(centre.id, day, half)
    return Floor(
        centre=centre, day=day, half=half, calls=calls,
        areas=sorted(areas.values(), key=lambda area: area.name),
        without_task=[PersonNow(p.id, p.display_name, calling=p.id in calling)
                      for p in expected if p.id not in placed and p.id not in away],
        away=[p.display_name for p in expected if p.id in away],
        published=plan_id is not None)


def _expected(centre_id: int, day: date, half: str) -> list[Participant]:
    """Active people whose weekly pattern brings them in this half-day."""
    if day.weekday() >= len(WEEKDAYS):
        return []
    slot = f"{WEEKDAYS[day.weekday()]}-{half}"
    people = db.session.scalars(select(Participant).where(
        Participant.centre_id == centre_id, Participant.active.is_(True))
        .order_by(Participant.first_name, Participant.last_name))
    return [p for p in people if slot in p.attends]


def floor_stamp(centre_id: int, day: date, half: str, now: datetime | None = None) -> str:
    """A short fingerprint of everything the floor view shows; the same stamp, the same view.

    The minute is part of it, since the calls say "3 min sitten"."""
    now = now or utcnow()
    in_centre = select(Participant.id).where(Participant.centre_id == centre_id) \
        .scalar_subquery()
    todays = (ProgressReport.participant_id.in_(in_centre), ProgressReport.day == day)
    row = db.session.execute(select(
        select(func.max(HelpRequest.id)).where(HelpRequest.participant_id.in_(in_centre))
        .scalar_subquery(),
        select(func.count(HelpRequest.id)).where(HelpRequest.participant_id.in_(in_centre),
                                                 HelpRequest.acknowledged_at.is_(None))
        .scalar_subquery(),
        select(func.count(ProgressReport.id)).where(*todays).scalar_subquery(),
        select(func.sum(ProgressReport.units)).where(*todays).scalar_subquery(),
        select(func.max(WeekPlan.id)).where(WeekPlan.centre_id == centre_id,
                                            WeekPlan.state == "published").scalar_subquery(),
        select(func.max(WeekPlan.revision)).where(WeekPlan.centre_id == centre_id,
                                                  WeekPlan.state == "published")
        .scalar_subquery(),
        select(func.count(Absence.id)).where(Absence.participant_id.in_(in_centre),
                                             Absence.day == day).scalar_subquery(),
        select(func.count(Participant.id)).where(Participant.centre_id == centre_id,
                                                 Participant.active.is_(True))
        .scalar_subquery(),
    )).one()
    text = "|".join(str(v) for v in (*row, day, half, now.strftime("%Y%m%d%H%M")))
    return hashlib.sha256(text.encode()).hexdigest()[:24]
