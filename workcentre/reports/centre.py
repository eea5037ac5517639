"""The centre's figures for a period: attendance, meaningful work, orders, work made,
instructor hours and help calls. Plain functions over the database; docs/reports.md says how
each figure is counted."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..labels import LOCAL_ZONE
from ..models import (
    Area,
    Centre,
    Company,
    HelpRequest,
    InstructorPlacement,
    Order,
    OrderEvent,
    OrderStep,
    Participant,
    ProgressReport,
    TaskType,
)
from ..models.register import RegisterMark
from ..register.month import Attendance, period_attendance
from .period import Period, half_day_minutes, published_plans, worked_half_days


def percent(part: int, whole: int) -> float | None:
    """Part of whole in per cent with one decimal; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's local days as naive UTC moments (stored times are UTC)."""
    def utc(day: date) -> datetime:
        local = datetime.combine(day, time(), tzinfo=LOCAL_ZONE)
        return local.astimezone(UTC).replace(tzinfo=None)
    return utc(period.first), utc(period.last + timedelta(days=1))


def local_day(moment: datetime) -> date:
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).date()


@dataclass
class AttendanceFigures:
    expected: int = 0
    present: int = 0
    absent: int = 0
    announced: int = 0
    unmarked: int = 0
    people_expected: int = 0
    people_came: int = 0

    @property
    def rate(self) -> float | None:
        return percent(self.present, self.expected)


@dataclass
class OrderRow:
    reference: str
    company: str
    due: date | None
    delivered: date
    delay_days: int | None  # None: no date was agreed

    @property
    def on_time(self) -> bool | None:
        return None if self.delay_days is None else self.delay_days == 0


@dataclass
class OrderFigures:
    received: int
    delivered: list[OrderRow]

    @property
    def with_due(self) -> list[OrderRow]:
        return [r for r in self.delivered if r.delay_days is not None]

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.with_due if r.on_time)

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.on_time, len(self.with_due))

    @property
    def mean_delay(self) -> float | None:
        """Days late on average over the deliveries with an agreed date (on time counts 0)."""
        rows = self.with_due
        return round(sum(r.delay_days for r in rows) / len(rows), 1) if rows else None

    @property
    def max_delay(self) -> int | None:
        return max((r.delay_days for r in self.with_due), default=None)


@dataclass
class WorkRow:
    company: str
    task_type: str
    units: int = 0
    standard_minutes: int = 0  # units x the step's standard seconds
    work_minutes: int = 0  # attended half-days planned on it

    @property
    def standard_hours(self) -> float:
        return round(self.standard_minutes / 60, 1)

    @property
    def work_hours(self) -> float:
        return round(self.work_minutes / 60, 1)


@dataclass
class HelpRow:
    area: str
    calls: int = 0
    answered: int = 0
    minutes: list[float] = field(default_factory=list)

    @property
    def median_minutes(self) -> float | None:
        return round(statistics.median(self.minutes), 1) if self.minutes else None

    @property
    def max_minutes(self) -> float | None:
        return round(max(self.minutes), 1) if self.minutes else None


@dataclass
class CentreReport:
    centre: Centre
    period: Period
    attendance: AttendanceFigures
    attended: int  # half-days someone was marked present or late
    attended_with_work: int
    orders: OrderFigures
    work: list[WorkRow]
    instructor_hours: dict[str, float]
    help: list[HelpRow]
    help_total: HelpRow
    weeks: list[tuple[str, AttendanceFigures]]

    @property
    def work_share(self) -> float | None:
        return percent(self.attended_with_work, self.attended)

    @property
    def units_by_company(self) -> dict[str, int]:
        return _sum_by(self.work, "company", "units")

    @property
    def units_by_task_type(self) -> dict[str, int]:
        return _sum_by(self.work, "task_type", "units")

    @property
    def hours_by_company(self) -> dict[str, float]:
        return {k: round(v / 60, 1) for k, v in _sum_by(self.work, "company",
                                                        "work_minutes").items()}


def _sum_by(rows: list[WorkRow], key: str, value: str) -> dict:
    out: dict = defaultdict(int)
    for row in rows:
        out[getattr(row, key)] += getattr(row, value)
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def centre_report(centre: Centre, period: Period) -> CentreReport:
    worked = worked_half_days(centre, period)
    calls = help_rows(centre, period)
    return CentreReport(
        centre=centre, period=period, attendance=attendance(centre, period),
        attended=len(worked), attended_with_work=sum(1 for w in worked if w.step is not None),
        orders=order_figures(centre, period), work=work_rows(centre, period, worked),
        instructor_hours=instructor_hours(centre, period),
        help=calls, help_total=_total(calls),
        weeks=[(week, attendance(centre, part)) for week, part in period.weeks()])


def people_of(centre: Centre, period: Period) -> list[Participant]:
    """The centre's active participants and anyone the register marked in the period."""
    marked = select(RegisterMark.participant_id).where(
        RegisterMark.day.between(period.first, period.last))
    return list(db.session.scalars(select(Participant).where(
        Participant.centre_id == centre.id,
        Participant.active.is_(True) | Participant.id.in_(marked))
        .order_by(Participant.first_name, Participant.last_name, Participant.id)))


def attendance(centre: Centre, period: Period) -> AttendanceFigures:
    rows: list[Attendance] = period_attendance(centre, period.first, period.last,
                                               people_of(centre, period))
    out = AttendanceFigures()
    for row in rows:
        out.expected += row.expected
        out.present += row.present
        out.absent += sum(row.absent.values())
        out.announced += row.announced
        out.unmarked += row.unmarked
        out.people_expected += row.expected > 0
        out.people_came += row.present > 0
    return out


def order_figures(centre: Centre, period: Period) -> OrderFigures:
    start, stop = utc_bounds(period)
    received = db.session.scalar(select(func.count()).select_from(Order).where(
        Order.centre_id == centre.id, Order.created_at >= start, Order.created_at < stop))
    delivered = [row for row, _order in delivered_orders(period, Order.centre_id == centre.id)]
    return OrderFigures(received or 0, delivered)


def delivered_orders(period: Period, *where) -> list[tuple[OrderRow, Order]]:
    """Orders delivered in the period (their last "delivered" event), with the days late."""
    start, stop = utc_bounds(period)
    rows = db.session.execute(
        select(Order, func.max(OrderEvent.at)).join(OrderEvent)
        .where(*where, OrderEvent.kind == "delivered", OrderEvent.at >= start,
               OrderEvent.at < stop)
        .group_by(Order.id).order_by(Order.reference)).all()
    out = []
    for order, at in rows:
        day, due = local_day(at), order.confirmed_date or order.wished_date
        delay = None if due is None else max(0, (day - due).days)
        out.append((OrderRow(order.reference, order.company.name, due, day, delay), order))
    return out


def work_rows(centre: Centre, period: Period, worked=None) -> list[WorkRow]:
    """Units reported on the tablets in the period and the attended half-days planned on the
    work, by company and task type."""
    rows: dict[tuple[str, str], WorkRow] = {}

    def row(company: str, task_type: str) -> WorkRow:
        return rows.setdefault((company, task_type), WorkRow(company, task_type))

    made = db.session.execute(
        select(Company.name, TaskType.name, func.sum(ProgressReport.units),
               func.sum(ProgressReport.units * OrderStep.seconds_per_unit))
        .select_from(ProgressReport).join(OrderStep).join(Order).join(Company)
        .join(TaskType, TaskType.id == OrderStep.task_type_id)
        .where(Order.centre_id == centre.id,
               ProgressReport.day.between(period.first, period.last))
        .group_by(Company.name, TaskType.name)).all()
    for company, task_type, units, seconds in made:
        item = row(company, task_type)
        item.units += int(units or 0)
        item.standard_minutes += round(int(seconds or 0) / 60)
    for half_day in worked if worked is not None else worked_half_days(centre, period):
        if half_day.step is not None:
            step = half_day.step
            item = row(step.order.company.name, step.task_type.name)
            item.work_minutes += half_day_minutes(centre, half_day.half)
    return sorted((r for r in rows.values() if r.units or r.work_minutes),
                  key=lambda r: (r.company, r.task_type))


def instructor_hours(centre: Centre, period: Period) -> dict[str, float]:
    """Hours instructors were placed in each area by the published plans."""
    plan_ids = [p.id for p in published_plans(centre, period)]
    minutes: dict[str, int] = {area.name: 0 for area in centre.areas}
    if plan_ids:
        for name, half, count in db.session.execute(
                select(Area.name, InstructorPlacement.half, func.count())
                .join(Area, Area.id == InstructorPlacement.area_id)
                .where(InstructorPlacement.plan_id.in_(plan_ids),
                       InstructorPlacement.day.between(period.first, period.last))
                .group_by(Area.name, InstructorPlacement.half)):
            minutes[name] = minutes.get(name, 0) + count * half_day_minutes(centre, half)
    return {name: round(value / 60, 1) for name, value in sorted(minutes.items())}


def help_rows(centre: Centre, period: Period) -> list[HelpRow]:
    """Help calls raised in the period, by area, with the minutes until someone answered."""
    start, stop = utc_bounds(period)
    rows: dict[str, HelpRow] = {}
    calls = db.session.execute(
        select(HelpRequest, Area.name).join(Participant)
        .outerjoin(Area, Area.id == HelpRequest.area_id)
        .where(Participant.centre_id == centre.id, HelpRequest.created_at >= start,
               HelpRequest.created_at < stop)).all()
    for call, area in calls:
        item = rows.setdefault(area or "", HelpRow(area or ""))
        item.calls += 1
        if call.acknowledged_at is not None:
            item.answered += 1
            item.minutes.append((call.acknowledged_at - call.created_at).total_seconds() / 60)
    return [rows[k] for k in sorted(rows)]


def _total(rows: list[HelpRow]) -> HelpRow:
    total = HelpRow("")
    for row in rows:
        total.calls += row.calls
        total.answered += row.answered
        total.minutes += row.minutes
    return total
