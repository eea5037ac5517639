"""One participant's month, for their service-plan meeting: attendance, work planned and done,
units per task type, the task types done for the first time and the person's own "Miltä
tuntui?" answers.

These are health-related figures: `read_person_month` is the only way in; it writes an audit
event for every read (who looked at whose month).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..models import (
    Assignment,
    Centre,
    OrderStep,
    Participant,
    ProgressReport,
    TaskFeeling,
    TaskType,
    WeekPlan,
)
from ..models.register import RegisterMark
from ..models.voice import FEELINGS
from ..register.month import Attendance, period_attendance
from .period import Period, half_day_minutes, worked_half_days


@dataclass
class PersonMonth:
    participant: Participant
    period: Period
    attendance: Attendance
    with_work: int = 0
    without_work: int = 0
    work_minutes: int = 0
    units: dict[str, int] = field(default_factory=dict)
    first_time: list[str] = field(default_factory=list)
    # The person's own answers per task type: {"Pakkaus": {"good": 2, "ok": 0, "bad": 1}}
    feelings: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def work_hours(self) -> float:
        return round(self.work_minutes / 60, 1)


def read_person_month(centre: Centre, participant: Participant, period: Period) -> PersonMonth:
    """The month, with an audit event of the read (the caller commits). The caller has checked
    that the signed-in user is an instructor or admin of the centre."""
    audit.record(db.session, "view_person_report", "participant", participant.id,
                 participant_id=participant.id)
    return person_month(centre, participant, period)


def person_month(centre: Centre, participant: Participant, period: Period) -> PersonMonth:
    attendance = period_attendance(centre, period.first, period.last, [participant])[0]
    row = PersonMonth(participant, period, attendance)
    worked_kinds: set[str] = set()
    for half_day in worked_half_days(centre, period, participant.id):
        if half_day.step is None:
            row.without_work += 1
            continue
        row.with_work += 1
        row.work_minutes += half_day_minutes(centre, half_day.half)
        worked_kinds.add(half_day.step.task_type.name)
    units: dict[str, int] = defaultdict(int)
    for name, count in db.session.execute(
            select(TaskType.name, func.sum(ProgressReport.units))
            .select_from(ProgressReport).join(OrderStep)
            .join(TaskType, TaskType.id == OrderStep.task_type_id)
            .where(ProgressReport.participant_id == participant.id,
                   ProgressReport.day.between(period.first, period.last))
            .group_by(TaskType.name)):
        units[name] += int(count or 0)
    row.units = {k: v for k, v in sorted(units.items()) if v}
    done_now = worked_kinds | set(row.units)
    row.first_time = sorted(done_now - _done_before(participant, period))
    row.feelings = _feelings(participant, period)
    return row


def _feelings(participant: Participant, period: Period) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for name, feeling, count in db.session.execute(
            select(TaskType.name, TaskFeeling.feeling, func.count())
            .join(TaskType, TaskType.id == TaskFeeling.task_type_id)
            .where(TaskFeeling.participant_id == participant.id,
                   TaskFeeling.day.between(period.first, period.last))
            .group_by(TaskType.name, TaskFeeling.feeling)):
        counts.setdefault(name, dict.fromkeys(FEELINGS, 0))[feeling] = count
    return dict(sorted(counts.items()))


def _done_before(participant: Participant, period: Period) -> set[str]:
    """Task types the person reported units on, or came to planned work on, before the period."""
    reported = set(db.session.scalars(
        select(TaskType.name).join(OrderStep, OrderStep.task_type_id == TaskType.id)
        .join(ProgressReport, ProgressReport.step_id == OrderStep.id)
        .where(ProgressReport.participant_id == participant.id,
               ProgressReport.day < period.first, ProgressReport.units > 0)))
    came = select(RegisterMark.day, RegisterMark.half).where(
        RegisterMark.participant_id == participant.id, RegisterMark.day < period.first,
        RegisterMark.status.in_(("present", "late")))
    attended = {(day, half) for day, half in db.session.execute(came)}
    planned = db.session.execute(
        select(Assignment.day, Assignment.half, TaskType.name).join(WeekPlan)
        .join(OrderStep, OrderStep.id == Assignment.step_id)
        .join(TaskType, TaskType.id == OrderStep.task_type_id)
        .where(Assignment.participant_id == participant.id, WeekPlan.state == "published",
               Assignment.day < period.first)).all()
    return reported | {name for day, half, name in planned if (day, half) in attended}
