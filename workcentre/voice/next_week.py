""""Ensi viikolla": the person's next week from the PUBLISHED plan, in pictures; nothing while
next week is not published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..closures import closed_days
from ..extensions import db
from ..models import Absence, Assignment, Participant, WeekPlan
from ..weeks import SlotDay, iso_week, week_slots


@dataclass(frozen=True)
class HalfDay:
    slot: SlotDay
    kind: str  # "task" | "closed" (holiday, closure day) | "free" (comes, nothing planned) | "home"
    item: Assignment | None = None  # for the tablet's `_task_picture.html`
    reason: str = ""


@dataclass(frozen=True)
class Day:
    day: date
    halves: list[HalfDay]


def next_week(person: Participant, today: date) -> tuple[str, list[Day] | None]:
    """(the week, its days), the days None when the week has no published plan."""
    week = iso_week(today + timedelta(days=7))
    plan = db.session.scalars(select(WeekPlan).where(
        WeekPlan.centre_id == person.centre_id, WeekPlan.week == week,
        WeekPlan.state == "published")).first()
    if plan is None:
        return week, None
    slots = week_slots(week)
    given = {(a.day, a.half): a for a in db.session.scalars(select(Assignment).where(
        Assignment.plan_id == plan.id, Assignment.participant_id == person.id))}
    closed = closed_days(person.centre_id, slots[0].day, slots[-1].day)
    away = {(a.day, a.half) for a in db.session.scalars(select(Absence).where(
        Absence.participant_id == person.id, Absence.day >= slots[0].day,
        Absence.day <= slots[-1].day))}
    halves = [_half(slot, given, closed, away, person.attends) for slot in slots]
    return week, [Day(halves[n].slot.day, halves[n:n + 2]) for n in range(0, len(halves), 2)]


def _half(slot: SlotDay, given: dict, closed: dict[date, str], away: set,
          attends: list[str]) -> HalfDay:
    if slot.day in closed:
        return HalfDay(slot, "closed", reason=closed[slot.day])
    if (slot.day, slot.half) in given:
        return HalfDay(slot, "task", given[slot.day, slot.half])
    if slot.key in attends and not {(slot.day, None), (slot.day, slot.half)} & away:
        return HalfDay(slot, "free")
    return HalfDay(slot, "home")
