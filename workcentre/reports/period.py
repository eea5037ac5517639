"""The period a report covers, and the half-days people worked in it.

A half-day counts as attended when the register marks the person present or late. Its planned
work is the assignment of the week's published plan (the plan the tablets showed) for that
person and half-day; an attended half-day without one had no planned work.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, Centre, OrderStep, Participant, WeekPlan
from ..models.register import RegisterMark
from ..weeks import iso_week

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodRefused(ValueError):
    """A period that cannot be reported (the message is shown as it is)."""


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def label(self) -> str:
        if self.first.day == 1 and self.last == month_end(self.first):
            return f"{self.first.month}/{self.first.year}"
        return f"{self.first:%-d.%-m.%Y}–{self.last:%-d.%-m.%Y}"

    def months(self) -> list[Period]:
        """The calendar months the period touches, each clipped to the period."""
        out, first = [], self.first
        while first <= self.last:
            out.append(Period(first, min(month_end(first), self.last)))
            first = month_end(first) + timedelta(days=1)
        return out

    def weeks(self) -> list[tuple[str, Period]]:
        """The ISO weeks the period touches, each clipped to the period."""
        out, first = [], self.first
        while first <= self.last:
            sunday = first + timedelta(days=6 - first.weekday())
            out.append((iso_week(first), Period(first, min(sunday, self.last))))
            first = sunday + timedelta(days=1)
        return out


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def month_period(text: str) -> Period:
    """"2026-11" as the whole month; PeriodRefused for anything else."""
    found = MONTH.match((text or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise PeriodRefused(_("Kuukausi muodossa VVVV-KK, esimerkiksi 2026-11."))
    first = date(int(found.group(1)), int(found.group(2)), 1)
    return Period(first, month_end(first))


def chosen_period(start: str, end: str, longest_days: int = 400) -> Period:
    """A period chosen on the page (ISO dates, both included); PeriodRefused when it is not."""
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except (AttributeError, ValueError):
        raise PeriodRefused(_("Anna alku- ja loppupäivä muodossa VVVV-KK-PP.")) from None
    if last < first:
        raise PeriodRefused(_("Loppupäivä on ennen alkupäivää."))
    if (last - first).days >= longest_days:
        raise PeriodRefused(_("Jakso voi olla enintään vuoden mittainen."))
    return Period(first, last)


@dataclass(frozen=True)
class WorkedHalfDay:
    participant_id: int
    day: date
    half: str
    step: OrderStep | None  # the published plan's work for it; None: no planned work


def published_plans(centre: Centre, period: Period) -> list[WeekPlan]:
    weeks = [week for week, _ in period.weeks()]
    return list(db.session.scalars(select(WeekPlan).where(
        WeekPlan.centre_id == centre.id, WeekPlan.week.in_(weeks),
        WeekPlan.state == "published")))


def worked_half_days(centre: Centre, period: Period,
                     participant_id: int | None = None) -> list[WorkedHalfDay]:
    """Every half-day of the period the register marks someone of the centre present or late,
    with the published plan's work for it."""
    query = (select(RegisterMark).join(Participant)
             .where(Participant.centre_id == centre.id,
                    RegisterMark.day.between(period.first, period.last),
                    RegisterMark.status.in_(("present", "late"))))
    if participant_id is not None:
        query = query.where(RegisterMark.participant_id == participant_id)
    marks = list(db.session.scalars(query))
    plan_ids = [p.id for p in published_plans(centre, period)]
    planned: dict[tuple[int, date, str], OrderStep] = {}
    if plan_ids and marks:
        rows = db.session.scalars(select(Assignment).where(
            Assignment.plan_id.in_(plan_ids),
            Assignment.day.between(period.first, period.last)))
        planned = {(a.participant_id, a.day, a.half): a.step for a in rows}
    return [WorkedHalfDay(m.participant_id, m.day, m.half,
                          planned.get((m.participant_id, m.day, m.half)))
            for m in sorted(marks, key=lambda m: (m.day, m.half, m.participant_id))]


def half_day_minutes(centre: Centre, half: str) -> int:
    return centre.am_minutes if half == "am" else centre.pm_minutes
