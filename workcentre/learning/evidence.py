"""The half-days the reports can teach from.

A half-day is evidence when the week's published plan gave the person one step for it, the
person reported units on that step in that half-day and on no other, and the register does not
mark them late or absent then: the whole half-day went to that step. Its figures:

- the standard time it shows: the half-day's minutes x the person's pace / 100, in seconds,
  divided by the units (what a person of pace 100 would have needed per unit);
- the pace it shows: the units x the step's seconds per unit, as a share of the half-day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Assignment,
    Centre,
    Order,
    OrderLine,
    OrderStep,
    Participant,
    ParticipantSupport,
    Product,
    ProgressReport,
    WeekPlan,
    name_key,
)
from ..models.register import RegisterMark
from ..orders.services import catalogue_product


@dataclass(frozen=True)
class HalfDay:
    participant_id: int
    step: OrderStep
    day: date
    half: str
    minutes: int
    units: int
    pace: int  # the person's pace now (100 = standard)

    @property
    def standard_seconds(self) -> float:
        return self.minutes * 60 * self.pace / 100 / self.units

    @property
    def pace_shown(self) -> float:
        return 100 * self.units * self.step.seconds_per_unit / (self.minutes * 60)


def half_days(centre: Centre, first: date, last: date) -> list[HalfDay]:
    """Every half-day of evidence in the centre between `first` and `last` (both included)."""
    planned = {(a.participant_id, a.day, a.half): a.step_id for a in db.session.scalars(
        select(Assignment).join(WeekPlan).where(
            WeekPlan.centre_id == centre.id, WeekPlan.state == "published",
            Assignment.day.between(first, last)))}
    reported: dict[tuple[int, date, str], dict[int, int]] = defaultdict(dict)
    for person, step_id, day, half, units in db.session.execute(
            select(ProgressReport.participant_id, ProgressReport.step_id, ProgressReport.day,
                   ProgressReport.half, func.sum(ProgressReport.units))
            .join(OrderStep, OrderStep.id == ProgressReport.step_id).join(Order)
            .where(Order.centre_id == centre.id, ProgressReport.day.between(first, last))
            .group_by(ProgressReport.participant_id, ProgressReport.step_id,
                      ProgressReport.day, ProgressReport.half)):
        reported[(person, day, half)][step_id] = int(units or 0)
    short = {(p, d, h) for p, d, h in db.session.execute(select(
        RegisterMark.participant_id, RegisterMark.day, RegisterMark.half).join(Participant)
        .where(Participant.centre_id == centre.id, RegisterMark.day.between(first, last),
               RegisterMark.status.not_in(("present",))))}
    people = {p.id: p for p in db.session.scalars(select(Participant).where(
        Participant.centre_id == centre.id, Participant.erased_at.is_(None)))}
    pace = {row.participant_id: row.productivity for row in db.session.scalars(
        select(ParticipantSupport).where(ParticipantSupport.participant_id.in_(list(people))))}
    minutes = {"am": centre.am_minutes, "pm": centre.pm_minutes}
    out = []
    for key, steps in sorted(reported.items(), key=lambda item: (item[0][1], item[0][2],
                                                                  item[0][0])):
        person, day, half = key
        step_id = planned.get(key)
        if (person not in people or key in short or step_id is None or list(steps) != [step_id]
                or steps[step_id] <= 0 or not minutes[half]):
            continue
        out.append(HalfDay(person, db.session.get(OrderStep, step_id), day, half,
                           minutes[half], steps[step_id], pace.get(person, 100)))
    return out


def product_of(step: OrderStep) -> Product | None:
    """The catalogue product the step made (the one intake fills in for its line), when the
    product's task type is the step's."""
    line = db.session.get(OrderLine, step.line_id) if step.line_id else None
    order = step.order
    if line is None or order.centre_id is None:
        return None
    product = catalogue_product(order.company_id, order.centre_id, line.product_name)
    return product if product and product.task_type_id == step.task_type_id else None


def job_of(step: OrderStep) -> tuple:
    """What counts as one kind of work for a person's pace: the product and task type."""
    line = db.session.get(OrderLine, step.line_id) if step.line_id else None
    if line is None:
        return ("step", step.id)
    return (step.order.company_id, name_key(line.product_name), step.task_type_id)
