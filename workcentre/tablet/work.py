"""What a participant sees and reports on the tablet: today's work from the published plan.

Only first names, photos and the work itself reach the tablet. The slot's target ("about 120
pieces") is worked out here from the person's pace, which never leaves the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
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
    WeekPlan,
    utcnow,
)
from ..orders.services import add_units
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
    centre = participant.centre
    minutes = {"am": centre.am_minutes, "pm": centre.pm_minutes}
    reported = _reported(participant, today)
    items = []
    for a in rows:
        units = minutes[a.half] * pace // 100 * 60 // a.step.seconds_per_unit
        items.append(WorkItem(a, a.half, _product(a.step), _round(units),
                              reported.get((a.step_id, a.half), 0)))
    return items


def _pace(participant: Participant) -> int:
    """The pace behind the target; never sent to the tablet."""
    row = db.session.get(ParticipantSupport, participant.id)
    return row.productivity if row else 100


def _product(step: OrderStep) -> str:
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


@dataclass(frozen=True)
class ReportResult:
    report: ProgressReport
    duplicate: bool


def report_units(kiosk: Kiosk, participant: Participant, step: OrderStep, day: date, half: str,
                 units: int, key: str) -> ReportResult:
    """Save a count once: the same key again (a double tap, a resend) changes nothing."""
    existing = db.session.scalars(
        select(ProgressReport).where(ProgressReport.idempotency_key == key)).first()
    if existing is not None:
        return ReportResult(existing, True)
    report = ProgressReport(idempotency_key=key, participant_id=participant.id,
                            step_id=step.id, kiosk_id=kiosk.id, day=day, half=half, units=units)
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # the same key from another request at the same moment
        db.session.rollback()
        return ReportResult(db.session.scalars(select(ProgressReport).where(
            ProgressReport.idempotency_key == key)).one(), True)
    add_units(step, units)
    return ReportResult(report, False)


def correct_report(report: ProgressReport, units: int, now: datetime | None = None) -> bool:
    """Change a count within a few minutes of making it; False when it is too late."""
    now = now or utcnow()
    if now - report.created_at > timedelta(minutes=CORRECTION_MINUTES):
        return False
    add_units(db.session.get(OrderStep, report.step_id), units - report.units)
    report.units = units
    report.corrected_at = now
    return True


def ask_for_help(kiosk: Kiosk, participant: Participant, area_id: int | None) -> HelpRequest:
    """One open call per person: pressing again does not make a second alarm."""
    open_call = db.session.scalars(select(HelpRequest).where(
        HelpRequest.participant_id == participant.id,
        HelpRequest.acknowledged_at.is_(None))).first()
    if open_call is not None:
        return open_call
    call = HelpRequest(participant_id=participant.id, area_id=area_id, kiosk_id=kiosk.id)
    db.session.add(call)
    return call


def open_help_calls(centre_id: int) -> list[HelpRequest]:
    return list(db.session.scalars(select(HelpRequest).join(Participant).where(
        Participant.centre_id == centre_id, HelpRequest.acknowledged_at.is_(None))
        .order_by(HelpRequest.created_at)))
