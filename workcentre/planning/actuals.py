"""Confirming last week's actuals: planned vs reported units per step, corrected in one step.

The confirmed figure becomes the step's truth: `units_done` moves by the difference to what
was counted before (the tablets' reports, or an earlier confirmation), in one UPDATE, so the
next week's instance (quantity = what is left) plans from real numbers. A confirmation is a
compare-and-set on its row: two instructors confirming at once cannot count a change twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import ActualCount, Centre, Order, OrderStep, ProgressReport, User, utcnow
from ..orders.services import roll_up
from ..weeks import iso_week, week_monday
from . import store


@dataclass
class ActualRow:
    step: OrderStep
    key: str
    planned: int
    reported: int
    confirmed: int | None

    @property
    def counted(self) -> int:
        """What the system counts now: the confirmation, else the tablets' reports."""
        return self.reported if self.confirmed is None else self.confirmed


def previous_week(week: str) -> str:
    return iso_week(week_monday(week) - timedelta(days=7))


def actual_rows(centre: Centre, week: str) -> list[ActualRow]:
    """The steps of `week`'s plan (published, else newest) and of its reports, in order."""
    plan = store.published_plan(centre, week) or store.latest_plan(centre, week)
    planned: dict[str, int] = {}
    if plan is not None:
        figures = store.plan_json(plan)
        planned = {s["step"]: s["planned_units"] for s in figures["steps"]
                   if s["planned_units"] > 0}
    reported = _reported(centre, week)
    confirmed = {row.step_id: row.units for row in db.session.scalars(
        select(ActualCount).where(ActualCount.centre_id == centre.id,
                                  ActualCount.week == week))}
    steps = store.steps_by_key(centre.id)
    keys = [k for k in steps if k in planned or steps[k].id in reported
            or steps[k].id in confirmed]
    return [ActualRow(steps[k], k, planned.get(k, 0), reported.get(steps[k].id, 0),
                      confirmed.get(steps[k].id)) for k in sorted(keys)]


def _reported(centre: Centre, week: str) -> dict[int, int]:
    monday = week_monday(week)
    rows = db.session.execute(
        select(ProgressReport.step_id, func.sum(ProgressReport.units))
        .join(OrderStep, OrderStep.id == ProgressReport.step_id).join(Order)
        .where(Order.centre_id == centre.id, ProgressReport.day >= monday,
               ProgressReport.day <= monday + timedelta(days=6))
        .group_by(ProgressReport.step_id))
    return {step_id: int(total or 0) for step_id, total in rows}


def read_figures(form, rows: list[ActualRow]) -> tuple[dict[int, int], list[str]]:
    """The entered units per step id; Finnish errors for anything that is not 0..quantity."""
    figures, errors = {}, []
    for row in rows:
        if f"units-{row.step.id}" not in form:
            continue  # not on the form that was sent: left as it is
        text = (form.get(f"units-{row.step.id}") or "").strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 9
                and int(text) <= row.step.quantity):
            errors.append(_("%(step)s: anna kokonaisluku 0–%(high)d.", step=row.key,
                            high=row.step.quantity))
            continue
        figures[row.step.id] = int(text)
    return figures, errors


class ConfirmConflict(Exception):
    """Someone else confirmed the same figures in the meantime."""


def confirm(centre: Centre, week: str, figures: dict[int, int], user: User | None) -> int:
    """Save the figures as `week`'s final units; the number of steps whose count changed.
    Raises ConfirmConflict (nothing saved) when another confirmation got there first."""
    rows = {row.step.id: row for row in actual_rows(centre, week)}
    changed = 0
    try:
        for step_id, units in figures.items():
            row = rows[step_id]
            _claim(centre, week, row, units, user)
            delta = units - row.counted
            if delta:
                _move_units(row.step, delta)
                changed += 1
        audit.record(db.session, "confirm_actuals", "week", f"{centre.id}/{week}")
        db.session.commit()
    except (ConfirmConflict, IntegrityError) as error:
        db.session.rollback()
        raise ConfirmConflict() from error
    return changed


def _claim(centre: Centre, week: str, row: ActualRow, units: int, user: User | None) -> None:
    """Insert the confirmation, or move it from the figure this request read (compare-and-set)."""
    who = user.id if user is not None else None
    if row.confirmed is None:
        db.session.add(ActualCount(centre_id=centre.id, week=week, step_id=row.step.id,
                                   units=units, confirmed_by_id=who))
        db.session.flush()  # a second insert of the same step and week fails here
        return
    moved = db.session.execute(
        update(ActualCount).where(ActualCount.step_id == row.step.id, ActualCount.week == week,
                                  ActualCount.units == row.confirmed)
        .values(units=units, confirmed_by_id=who, confirmed_at=utcnow()))
    if moved.rowcount != 1:
        raise ConfirmConflict()


def _move_units(step: OrderStep, delta: int) -> None:
    """units_done += delta in the database (never below 0), and done follows."""
    new = OrderStep.units_done + delta
    db.session.execute(
        update(OrderStep).where(OrderStep.id == step.id)
        .values(units_done=case((new < 0, 0), else_=new),
                done=case((new >= OrderStep.quantity, True), else_=False)))
    db.session.refresh(step)
    audit.record(db.session, "correct_units", "order_step", step.id)
    roll_up(step.order)
