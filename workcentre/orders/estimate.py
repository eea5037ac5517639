"""An honest earliest delivery date, at once, without a full solve.

For a task type, each working day offers the standard minutes of the people trained for it who
are expected that day (weekly pattern, absences, pace), each person's time shared evenly among
the task types they can do. Work already accepted for that task type takes the earliest free
minutes, in due-date order; the new order then fills the free minutes from the first working day
after `lead_days`. The day it is full is the estimate. It is an estimate of capacity, not a
plan: seats, instructors and other task types are not weighed, so instructors confirm or change
the date.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from sqlalchemy import select

from ..closures import closed_days
from ..extensions import db
from ..models import (
    HALVES,
    OPEN_STATUSES,
    WEEKDAYS,
    Absence,
    Centre,
    Order,
    OrderStep,
    Participant,
    TaskType,
)
from ..models import ParticipantSupport as Support

HORIZON_DAYS = 120
LEAD_DAYS = 2


def estimate_ready(centre: Centre, task_type: TaskType, minutes_needed: int,
                   today: date | None = None, lead_days: int = LEAD_DAYS) -> date | None:
    """The first day by which `minutes_needed` fit in the free capacity; None beyond the horizon
    (or when nobody is trained for the task type)."""
    today = today or date.today()
    daily = _daily_capacity(centre, task_type, today)
    if not any(daily.values()):
        return None
    free = dict(daily)
    for minutes in _committed(centre, task_type):
        _take(free, minutes)
    start = today + timedelta(days=lead_days)
    left = minutes_needed
    for day in sorted(free):
        if day < start:
            continue
        left -= free[day]
        if left <= 0:
            return day
    return None


def _take(free: dict[date, int], minutes: int) -> None:
    """Work already accepted uses the earliest free minutes."""
    for day in sorted(free):
        if minutes <= 0:
            return
        used = min(free[day], minutes)
        free[day] -= used
        minutes -= used


def _daily_capacity(centre: Centre, task_type: TaskType, today: date) -> dict[date, int]:
    minutes = {"am": centre.am_minutes, "pm": centre.pm_minutes}
    people = [p for p in db.session.scalars(select(Participant).where(
        Participant.centre_id == centre.id, Participant.active.is_(True)))
        if task_type in p.skills and not set(task_type.tags) & set(p.avoid_tags)]
    pace = {row.participant_id: row.productivity for row in db.session.scalars(
        select(Support).where(Support.participant_id.in_([p.id for p in people])))}
    away = {(a.participant_id, a.day, a.half) for a in db.session.scalars(select(Absence).where(
        Absence.participant_id.in_([p.id for p in people]), Absence.day >= today))}
    days = [today + timedelta(days=n) for n in range(HORIZON_DAYS)]
    closed = closed_days(centre.id, days[0], days[-1])
    daily = {day: 0 for day in days if day.weekday() < len(WEEKDAYS) and day not in closed}
    for person in people:
        share = max(1, len(person.skills))
        for day in daily:
            if (person.id, day, None) in away:
                continue
            for half in HALVES:
                key = f"{WEEKDAYS[day.weekday()]}-{half}"
                if key in person.attends and (person.id, day, half) not in away:
                    daily[day] += minutes[half] * pace.get(person.id, 100) // 100 // share
    return daily


def _committed(centre: Centre, task_type: TaskType) -> list[int]:
    """Minutes of accepted, unfinished work on the task type, earliest due first."""
    steps = db.session.scalars(select(OrderStep).join(Order).where(
        Order.centre_id == centre.id, Order.status.in_(OPEN_STATUSES),
        OrderStep.task_type_id == task_type.id, OrderStep.done.is_(False)))
    ordered = sorted(steps, key=lambda s: (s.due_date is None, s.due_date or date.max))
    return [math.ceil(s.units_left * s.seconds_per_unit / 60) for s in ordered]
