"""What a participant sees and reports on the tablet: today's work from the published plan.

Only first names, photos and the work itself reach the tablet. The slot's target ("about 120
pieces") is worked out here from the person's pace, which never leaves the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..locks import hold
from ..models import (
    Assignment,
    Centre,
    HelpRequest,
    Kiosk,
    OrderLine,
    OrderStep,
    Participant,
    ParticipantSupport,
    ProgressReport,
    UnitsCheck,
    WeekPlan,
    utcnow,
)
from ..orders.services import add_units, lock_order
from ..weeks import iso_week

CORRECTION_MINUTES = 10
MAX_UNITS_PER_REPORT = 100_000


@dataclass(frozen=True)
class WorkItem:
    assignment: Assignment
    half: str
    product: str
    target: int  # units the person makes in the slot at their pace, rounded for people
    done: int  # units this person has reported for it today

    @property
    def step(self) -> OrderStep:
        return self.assignment.step


def current_half(centre: Centre, now: datetime) -> str:
    return "pm" if now.strftime("%H:%M") >= centre.pm_start else "am"


def todays_work(participant: Participant, today: date) -> list[WorkItem]:
    """The participant's assignments today in the published plan, morning first."""
    plan = db.session.scalars(select(WeekPlan).where(
        WeekPlan.centre_id == participant.centre_id, WeekPlan.week == iso_week(today),
        WeekPlan.state == "published")).first()
    if plan is None:
        return []
    rows = db.session.scalars(select(Assignment).where(
        Assignment.plan_id == plan.id, Assignment.participant_id == participant.id,
        Assignment.day == today).order_by(Assignment.half))
    pace = _pace(participant)
    reported = _reported(participant, today)
    return [WorkItem(a, a.half, product_name(a.step),
                     half_day_target(participant.centre, a.half, pace, a.step.seconds_per_unit),
                     reported.get((a.step_id, a.half), 0)) for a in rows]


def half_day_target(centre: Centre, half: str, pace: int, seconds_per_unit: int) -> int:
    """About how many units a person makes in the half-day at their pace (rounded)."""
    minutes = centre.am_minutes if half == "am" else centre.pm_minutes
    return _round(minutes * pace // 100 * 60 // seconds_per_unit)


def _pace(participant: Participant) -> int:
    """The pace behind the target; never sent to the tablet."""
    row = db.session.get(ParticipantSupport, participant.id)
    return row.productivity if row else 100


def product_name(step: OrderStep) -> str:
    line = db.session.get(OrderLine, step.line_id) if step.line_id else None
    return line.product_name if line else step.order.title


def _round(units: int) -> int:
    """Targets are "about": 7, 40, 120, 1 500 rather than 1 487."""
    for limit, step in ((20, 1), (100, 5), (1000, 10), (10_000, 100)):
        if units < limit:
            return max(1, units // step * step) if units else 0
    return units // 1000 * 1000


def _reported(participant: Participant, today: date) -> dict[tuple[int, str], int]:
    rows = db.session.scalars(select(ProgressReport).where(
        ProgressReport.participant_id == participant.id, ProgressReport.day == today))
    totals: dict[tuple[int, str], int] = {}
    for r in rows:
        totals[r.step_id, r.half] = totals.get((r.step_id, r.half), 0) + r.units
    return totals


def planned_slots(participant: Participant, day: date) -> set[tuple[int, str]]:
    """(step, half) the published plan gives the person that day: all a tablet may report."""
    return {(item.step.id, item.half) for item in todays_work(participant, day)}


def tolerance(quantity: int) -> int:
    """How far past the ordered quantity a tablet may count alone (a miscount, a spare)."""
    return max(20, quantity // 10)


def _believable(participant: Participant, step: OrderStep, half: str) -> int:
    """At most twice what the person makes in the half-day at their pace (at least 20)."""
    centre = participant.centre
    minutes = centre.am_minutes if half == "am" else centre.pm_minutes
    return max(20, 2 * (minutes * _pace(participant) // 100 * 60 // step.seconds_per_unit))


def _bookable(step: OrderStep, participant_id: int, day: date, half: str, wanted: int,
              believable: int, own: ProgressReport | None = None) -> int:
    """How many of `wanted` a report (`own`, when it is a correction) may book alone. The order is
    held (`lock_order`), so the step and the person's other reports stay as read until commit."""
    others = select(func.coalesce(func.sum(ProgressReport.units), 0)).where(
        ProgressReport.participant_id == participant_id, ProgressReport.step_id == step.id,
        ProgressReport.day == day, ProgressReport.half == half)
    if own is not None:
        others = others.where(ProgressReport.id != own.id)
    own_units = own.units if own is not None else 0
    room = step.quantity + tolerance(step.quantity) - (step.units_done - own_units)
    return max(0, min(wanted, room, believable - db.session.scalar(others)))


def _fresh_step(step_id: int) -> OrderStep:
    return db.session.scalars(select(OrderStep).where(OrderStep.id == step_id)
                              .execution_options(populate_existing=True)).one()


@dataclass(frozen=True)
class ReportResult:
    report: ProgressReport
    duplicate: bool
    to_check: int = 0  # units an instructor confirms or not


def report_units(kiosk: Kiosk, participant: Participant, step: OrderStep, day: date, half: str,
                 units: int, key: str) -> ReportResult:
    """Save a count once: the same key again (a double tap, a resend) changes nothing.

    What the step can still take (plus a tolerance) and what the person can believably make in
    the half-day is booked; the rest waits for an instructor (`UnitsCheck`)."""
    existing = _by_key(key)
    if existing is not None:
        return ReportResult(existing, True, waiting_units(existing))
    believable = _believable(participant, step, half)  # read before holding the order
    status = lock_order(step.order_id)  # reports of one order one at a time, until commit
    booked = _bookable(_fresh_step(step.id), participant.id, day, half, units, believable)
    report = ProgressReport(idempotency_key=key, participant_id=participant.id,
                            step_id=step.id, kiosk_id=kiosk.id, day=day, half=half, units=booked)
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # the same key from another request at the same moment
        db.session.rollback()
        existing = _by_key(key)
        return ReportResult(existing, True, waiting_units(existing))
    if booked:
        add_units(step, booked, held=status)
    if units > booked:
        db.session.add(UnitsCheck(report_id=report.id, step_id=step.id,
                                  participant_id=participant.id, units=units - booked))
    return ReportResult(report, False, units - booked)


def _by_key(key: str) -> ProgressReport | None:
    return db.session.scalars(select(ProgressReport).where(ProgressReport.idempotency_key == key)
                              .execution_options(populate_existing=True)).first()


def waiting_units(report: ProgressReport) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(UnitsCheck.units), 0)).where(
        UnitsCheck.report_id == report.id, UnitsCheck.decided_at.is_(None)))


def correct_report(report: ProgressReport, units: int, now: datetime | None = None) -> bool:
    """Change a count within a few minutes of making it; False when it is too late.

    The new count replaces the old one: units waiting for an instructor are withdrawn, and the
    new count is booked as a new report would be."""
    now = now or utcnow()
    if now - report.created_at > timedelta(minutes=CORRECTION_MINUTES):
        return False
    step = db.session.get(OrderStep, report.step_id)
    participant = db.session.get(Participant, report.participant_id)
    believable = _believable(participant, step, report.half)  # read before holding the order
    lock_order(step.order_id)
    db.session.refresh(report)
    db.session.execute(update(UnitsCheck).where(UnitsCheck.report_id == report.id,
                                                UnitsCheck.decided_at.is_(None))
                       .values(decided_at=now, confirmed=False))
    booked = _bookable(_fresh_step(step.id), participant.id, report.day, report.half, units,
                       believable, own=report)
    change = booked - report.units
    db.session.execute(update(ProgressReport).where(ProgressReport.id == report.id)
                       .values(units=ProgressReport.units + change, corrected_at=now))
    add_units(step, change)
    if units > booked:
        db.session.add(UnitsCheck(report_id=report.id, step_id=step.id,
                                  participant_id=participant.id, units=units - booked))
    db.session.refresh(report)
    return True


def ask_for_help(kiosk: Kiosk, participant: Participant, area_id: int | None) -> HelpRequest:
    """One open call per person: pressing again, or on another tablet at the same moment, does
    not make a second alarm (the person's row is held while deciding)."""
    hold(Participant, Participant.id == participant.id)
    open_call = db.session.scalars(select(HelpRequest).where(
        HelpRequest.participant_id == participant.id,
        HelpRequest.acknowledged_at.is_(None))).first()
    if open_call is not None:
        return open_call
    call = HelpRequest(participant_id=participant.id, area_id=area_id, kiosk_id=kiosk.id)
    db.session.add(call)
    return call
