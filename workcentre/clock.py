"""Today and now at the work centre (Finnish time). Tests and demos may pin the date with the
`CLOCK_TODAY` setting ("2026-11-25"); the time of day stays real."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from .labels import LOCAL_ZONE


def now_local() -> datetime:
    now = datetime.now(LOCAL_ZONE)
    pinned = current_app.config.get("CLOCK_TODAY")
    if pinned:
        day = date.fromisoformat(pinned)
        now = now.replace(year=day.year, month=day.month, day=day.day)
    return now


def today() -> date:
    return now_local().date()
