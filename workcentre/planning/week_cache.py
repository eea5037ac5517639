"""What makes the week page fast at region size: the session warmed in a few queries, and the
slow figures cached between requests.

`preload` loads, in a constant number of queries, every row the instance and the grid would
otherwise fetch one by one (each person's skills, likes and absences; each assignment's step,
order and task type), so that the number of queries does not grow with the people.

`computed` keeps the contract's checks, the plan's figures and the demand per day, keyed by
the plan version, its revision and a digest of the instance and the plan's rows: any change to
the week (an order, an absence, a report from a tablet, a hand edit, a solve) gives a new key, so
nothing stale is ever shown. The cache is per process (each gunicorn worker has its own).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    Assignment,
    Centre,
    Instructor,
    InstructorPlacement,
    Order,
    OrderStep,
    Participant,
    Preference,
    WeekPlan,
)
from . import store

SIZE = 32  # weeks × versions × languages kept per process
T = TypeVar("T")
_cache: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()


def preload(centre: Centre, week: str, plan: WeekPlan | None) -> list[Any]:
    """Load into the session what the week's instance, figures and grid read. The session
    holds its rows weakly: the caller keeps the returned list while it works."""
    kept: list[Any] = []
    kept += db.session.scalars(select(Participant).where(
        Participant.centre_id == centre.id).options(
        selectinload(Participant.skills),
        selectinload(Participant.preferences).joinedload(Preference.task_type),
        selectinload(Participant.absences))).all()
    kept += db.session.scalars(select(Order).where(Order.centre_id == centre.id).options(
        joinedload(Order.company),
        selectinload(Order.steps).joinedload(OrderStep.task_type))).all()
    kept += db.session.scalars(select(Instructor).options(
        selectinload(Instructor.centres), selectinload(Instructor.areas))).all()
    plans = {p.id for p in (plan, store.latest_plan(centre, week),
                            store.published_plan(centre, week)) if p is not None}
    if plans:
        # The steps are in the session already (the orders above): set from there, no query.
        kept += db.session.scalars(select(WeekPlan).where(WeekPlan.id.in_(plans)).options(
            selectinload(WeekPlan.assignments).selectinload(Assignment.step),
            selectinload(WeekPlan.placements).joinedload(InstructorPlacement.instructor))).all()
    return kept


def computed(data: dict, plan: WeekPlan | None, make: Callable[[], T]) -> T:
    """`make()` once per state of the week and plan (and language), then from the cache."""
    key = (_digest(data, plan), plan.id if plan else None, plan.revision if plan else None,
           str(get_locale()))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = make()  # outside the lock: two first requests may both compute, both are right
    with _lock:
        _cache[key] = value
        while len(_cache) > SIZE:
            _cache.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _cache.clear()


def _digest(data: dict, plan: WeekPlan | None) -> str:
    rows: list[Any] = []
    if plan is not None:
        rows = [plan.solve_status, plan.objective, plan.bound,
                sorted((a.participant_id, a.day.isoformat(), a.half, a.step_id, a.locked)
                       for a in plan.assignments),
                sorted((p.instructor_id, p.area_id, p.day.isoformat(), p.half)
                       for p in plan.placements)]
    text = json.dumps([data, rows], sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
