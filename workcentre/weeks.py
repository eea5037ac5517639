"""ISO weeks and the half-day slots of a work centre's week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .models import HALVES, WEEKDAYS


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def planning_week(today: date) -> str:
    """The week instructors work on: this week on weekdays, next week at the weekend."""
    if today.weekday() >= len(WEEKDAYS):
        today += timedelta(days=7 - today.weekday())
    return iso_week(today)


def week_monday(week: str) -> date:
    """The Monday of an ISO week such as "2026-W48"; ValueError for anything else."""
    year, _, number = week.partition("-W")
    return date.fromisocalendar(int(year), int(number), 1)


@dataclass(frozen=True)
class SlotDay:
    key: str  # "mon-am"
    day: date
    half: str


def week_slots(week: str) -> list[SlotDay]:
    monday = week_monday(week)
    return [
        SlotDay(f"{weekday}-{half}", monday + timedelta(days=offset), half)
        for offset, weekday in enumerate(WEEKDAYS) for half in HALVES
    ]
