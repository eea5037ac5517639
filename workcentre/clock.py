"""Today and now at the work centre (Finnish time). Tests and demos may pin the date with the
`CLOCK_TODAY` setting ("2026-11-25"), and the time of day with `CLOCK_TIME` ("09:15"); otherwise
both are real."""

from __future__ import annotations

from datetime import date, datetime, time

from flask import current_app

from .labels import LOCAL_ZONE


def now_local() -> datetime:
    now = datetime.now(LOCAL_ZONE)
    pinned = current_app.config.get("CLOCK_TODAY")
    if pinned:
        day = date.fromisoformat(pinned)
        now = now.replace(year=day.year, month=day.month, day=day.day)
    pinned_time = current_app.config.get("CLOCK_TIME")
    if pinned_time:
        moment = time.fromisoformat(pinned_time)
        now = now.replace(hour=moment.hour, minute=moment.minute, second=0, microsecond=0)
    return now


def today() -> date:
    return now_local().date()
