"""The re-plan an absence offers: when someone marked away today has work on the week's plan in
a half-day of today that has not begun, a short solve re-plans the rest of today. It is the
planner's own run (`planning.runs`) from the first such half-day to today's last, with a short
time limit; the later days stay as they are (unless that cannot hold: then to the week's end)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask, current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, Centre, Participant, User
from ..models.register import RegisterMark
from ..planning import queue, runs, store
from ..weeks import iso_week, week_slots

DEFAULT_SECONDS = 5.0


@dataclass
class Offer:
    """People marked away today whose work a re-plan would move, and where it would start."""

    week: str
    from_slot: str
    names: list[str]


def work_left(centre: Centre, participant_id: int, day: date, half: str) -> list[Assignment]:
    """The person's rows on the week's newest plan (draft or published) on `day`, from `half` on."""
    plan = store.latest_plan(centre, iso_week(day))
    if plan is None:
        return []
    halves = ("am", "pm") if half == "am" else ("pm",)
    return [a for a in plan.assignments
            if a.participant_id == participant_id and a.day == day and a.half in halves]


def offer(centre: Centre, day: date, now: datetime) -> Offer | None:
    """The re-plan to offer on today's register, or None: nobody marked away today has work in
    a half-day of today that has not begun (only those a re-plan can still change)."""
    if day != now.date():
        return None
    week = iso_week(day)
    first = runs.first_open_slot(centre, week, now)
    if first is None or not any(s.key == first and s.day == day for s in week_slots(week)):
        return None
    half = first.rsplit("-", 1)[1]
    names = {m.participant.first_name for m in _marked_away(centre, day)
             if work_left(centre, m.participant_id, day, half)}
    return Offer(week, first, sorted(names)) if names else None


def _marked_away(centre: Centre, day: date) -> list[RegisterMark]:
    return list(db.session.scalars(select(RegisterMark).join(Participant).where(
        Participant.centre_id == centre.id, RegisterMark.day == day,
        RegisterMark.status == "absent")))


def start(centre: Centre, offer: Offer, user: User | None, app: Flask | None = None):
    """Queue the short re-plan of the rest of the offer's day and start it. Raises
    runs.RunRefused when a solve of the week is already going or the day is over."""
    app = app or current_app._get_current_object()
    seconds = float(app.config.get("REGISTER_REPLAN_SECONDS", DEFAULT_SECONDS))
    day = offer.from_slot.rsplit("-", 1)[0]
    run = runs.create_run(centre, offer.week, user, time_limit=seconds,
                          from_slot=offer.from_slot, until_slot=f"{day}-pm")
    queue.start(app, run)
    return run
