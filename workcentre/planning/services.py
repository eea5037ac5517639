"""The only bridge to the optimiser: the database's week as the contract's instance JSON."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scheduling import DEFAULT_WEIGHTS, INSTANCE_FORMAT

from ..closures import closed_days
from ..extensions import db
from ..models import (
    OPEN_STATUSES,
    Absence,
    Centre,
    Instructor,
    Order,
    OrderStep,
    Participant,
    ParticipantSupport,
    ProgressReport,
)
from ..weeks import SlotDay, week_slots


def area_key(area_id: int) -> str:
    return f"area-{area_id}"


def participant_key(participant_id: int) -> str:
    return f"p{participant_id}"


def instructor_key(instructor_id: int) -> str:
    return f"i{instructor_id}"


def step_key(step: OrderStep) -> str:
    return f"{step.order.reference}/{step.position + 1}"


def _present(pattern: list[str], absences: list[Absence], slots: list[SlotDay]) -> list[str]:
    """The week's slots of a weekly pattern, less the absences (whole days or half-days)."""
    away = {(a.day, a.half) for a in absences}
    return [s.key for s in slots if s.key in pattern
            and (s.day, None) not in away and (s.day, s.half) not in away]


def _release_slot(day: date | None, slots: list[SlotDay]) -> str | None:
    if day is None or day <= slots[0].day:
        return None
    return next((s.key for s in slots if s.day >= day), slots[-1].key)


def _due_slot(day: date | None, slots: list[SlotDay], last_day: date) -> str | None:
    """The last open slot on or before the due date (so a date on a holiday is due by the last
    working slot before it); already late orders are due in the first slot."""
    if day is None or day > last_day:
        return None
    on_time = [s.key for s in slots if s.day <= day]
    return on_time[-1] if on_time else slots[0].key


def open_slots(centre: Centre, week: str) -> list[SlotDay]:
    """The week's slots less the days the centre is closed (holidays, its own closure days)."""
    slots = week_slots(week)
    closed = closed_days(centre.id, slots[0].day, slots[-1].day)
    return [s for s in slots if s.day not in closed]


def build_instance(centre: Centre, week: str) -> dict:
    """The centre's week in the contract's format (`workcentre-week/1`); closed days have no
    slots, so they give no capacity and get no work."""
    slots = open_slots(centre, week)
    minutes = {"am": centre.am_minutes, "pm": centre.pm_minutes}
    starts = {"am": centre.am_start, "pm": centre.pm_start}
    return {
        "format": INSTANCE_FORMAT,
        "week": week,
        "slots": [{"id": s.key, "day": s.day.isoformat(), "start": starts[s.half],
                   "minutes": minutes[s.half]} for s in slots],
        "areas": [{"id": area_key(a.id), "name": a.name, "seats": a.seats}
                  for a in centre.areas],
        "task_types": [{"id": k.code, "name": k.name, "area": area_key(k.area_id),
                        "tags": sorted(k.tags), "max_workers": k.max_workers}
                       for k in centre.task_types],
        "orders": _orders(centre, slots, week_slots(week)[-1].day),
        "participants": _participants(centre, slots),
        "instructors": _instructors(centre, slots),
        "weights": {**DEFAULT_WEIGHTS, **(centre.weights or {})},
    }


def _orders(centre: Centre, slots: list[SlotDay], last_day: date) -> list[dict]:
    if not slots:
        return []  # the centre is closed all week
    orders = db.session.scalars(
        select(Order).where(Order.centre_id == centre.id, Order.status.in_(OPEN_STATUSES))
        .order_by(Order.reference))
    reported = _reported_in_week(centre, slots)
    result = []
    for order in orders:
        steps = [
            {"id": step_key(step), "task_type": step.task_type.code,
             "quantity": _week_quantity(step, reported.get(step.id, 0)),
             "seconds_per_unit": step.seconds_per_unit,
             "release_slot": _release_slot(step.release_date, slots),
             "due_slot": _due_slot(step.due_date, slots, last_day)}
            for step in order.steps
            if _week_quantity(step, reported.get(step.id, 0)) > 0
            and (step.release_date is None or step.release_date <= slots[-1].day)
        ]
        if steps:
            result.append({"id": order.reference, "customer": order.company.name,
                           "priority": order.priority, "steps": steps})
    return result


def _week_quantity(step: OrderStep, reported_this_week: int) -> int:
    """What was left at the start of the week: the plan's past slots keep their work mid-week."""
    if step.done and reported_this_week == 0:
        return 0
    return min(step.quantity, step.units_left + reported_this_week)


def _reported_in_week(centre: Centre, slots: list[SlotDay]) -> dict[int, int]:
    rows = db.session.execute(
        select(ProgressReport.step_id, func.sum(ProgressReport.units))
        .join(OrderStep).join(Order)
        .where(Order.centre_id == centre.id, ProgressReport.day >= slots[0].day,
               ProgressReport.day <= slots[-1].day)
        .group_by(ProgressReport.step_id))
    return {step_id: int(total or 0) for step_id, total in rows}


def _participants(centre: Centre, slots: list[SlotDay]) -> list[dict]:
    people = db.session.scalars(
        select(Participant).where(Participant.centre_id == centre.id,
                                  Participant.active.is_(True)).order_by(Participant.id))
    support = {row.participant_id: row for row in db.session.scalars(
        select(ParticipantSupport).join(Participant)
        .where(Participant.centre_id == centre.id))}
    result = []
    for p in people:
        row = support.get(p.id)
        result.append({
            "id": participant_key(p.id),
            "attends": _present(p.attends, p.absences, slots),
            "productivity": row.productivity if row else 100,
            "skills": sorted(k.code for k in p.skills if k.centre_id == centre.id),
            "avoid_tags": sorted(p.avoid_tags),
            "prefers": sorted(x.task_type.code for x in p.preferences
                              if x.likes and x.task_type.centre_id == centre.id),
            "dislikes": sorted(x.task_type.code for x in p.preferences
                               if not x.likes and x.task_type.centre_id == centre.id),
            "support_points": row.support_points if row else 0,
            "needs_routine": p.needs_routine,
        })
    return result


def _instructors(centre: Centre, slots: list[SlotDay]) -> list[dict]:
    staff = db.session.scalars(
        select(Instructor).where(Instructor.active, Instructor.centres.any(Centre.id == centre.id))
        .options(selectinload(Instructor.areas)).order_by(Instructor.id)).all()
    away: dict[int, list[Absence]] = defaultdict(list)
    days = [s.day for s in slots]
    for absence in db.session.scalars(select(Absence).where(
            Absence.instructor_id.in_([i.id for i in staff]), Absence.day.in_(days))):
        away[absence.instructor_id].append(absence)
    result = []
    for instructor in staff:
        here = [area_key(a.id) for a in instructor.areas if a.centre_id == centre.id]
        if instructor.areas and not here:
            continue  # allowed only in other centres' areas
        result.append({
            "id": instructor_key(instructor.id),
            "attends": _present(instructor.attends, away[instructor.id], slots),
            "capacity": instructor.capacity,
            "areas": sorted(here),
        })
    return result
