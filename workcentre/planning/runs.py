"""Solving a week in the background. Every run's status lives in the database (`PlanRun`), so any
web process can show it or ask it to stop; the process that started the run does the work.

A run that fails, finds nothing or is stopped stores no plan: the week's previous plan stays as it
was. A run whose time limit ends normally stores its best plan as the week's draft.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select

from scheduling import Instance, InstanceError, Progress, evaluate, load_instance, solve
from scheduling.replan import replan_instance

from .. import audit
from ..extensions import db
from ..models import Centre, PlanRun, User, utcnow
from . import store

log = logging.getLogger(__name__)
ACTIVE = ("queued", "running")
# A run still "running" this long after its time limit ended belongs to a process that died.
STALE_AFTER = timedelta(minutes=2)
MONITOR_SECONDS = 0.5


class RunRefused(Exception):
    """A run cannot start (one is already going, or the slot is not in the week)."""


def _now() -> datetime:
    return utcnow()


def active_run(centre: Centre, week: str) -> PlanRun | None:
    """The week's queued or running solve, after retiring runs whose process has died."""
    runs = db.session.scalars(select(PlanRun).where(
        PlanRun.centre_id == centre.id, PlanRun.week == week, PlanRun.state.in_(ACTIVE)))
    for run in runs:
        began = run.started_at or run.created_at
        if _now() - began > timedelta(seconds=run.time_limit) + STALE_AFTER:
            run.state, run.message = "failed", "lost"
            run.finished_at = _now()
            db.session.commit()
            continue
        return run
    return None


def last_run(centre: Centre, week: str) -> PlanRun | None:
    return db.session.scalars(
        select(PlanRun).where(PlanRun.centre_id == centre.id, PlanRun.week == week)
        .order_by(PlanRun.id.desc()).limit(1)).first()


def create_run(centre: Centre, week: str, user: User | None, *, time_limit: float,
               from_slot: str | None = None) -> PlanRun:
    """Queue a solve of the week (committed). Refused while another solve of the week runs."""
    if active_run(centre, week) is not None:
        raise RunRefused("busy")
    if from_slot is not None and from_slot not in {s["id"] for s in
                                                     store.build_instance(centre, week)["slots"]}:
        raise RunRefused("slot")
    run = PlanRun(centre_id=centre.id, week=week, time_limit=time_limit, from_slot=from_slot,
                  requested_by_id=user.id if user else None)
    db.session.add(run)
    db.session.commit()
    return run


def start_in_background(app: Flask, run_id: int) -> threading.Thread:
    thread = threading.Thread(target=execute_run, args=(app, run_id), daemon=True,
                              name=f"plan-run-{run_id}")
    thread.start()
    return thread


def request_stop(run: PlanRun) -> None:
    run.stop_requested = True
    db.session.commit()


@dataclass
class _Shared:
    """What the solver thread and the monitor thread share."""
    best: Progress | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, progress: Progress) -> None:
        with self.lock:
            self.best = progress


def execute_run(app: Flask, run_id: int) -> None:
    """Do one queued run to the end. Never raises: every failure ends in the run's row."""
    try:
        with app.app_context():
            prepared = _claim_and_prepare(run_id)
        if prepared is None:
            return
        data, instance, time_limit = prepared
        shared = _Shared()
        monitor = threading.Thread(target=_monitor, args=(app, run_id, shared), daemon=True)
        monitor.start()
        try:
            plan = solve(instance, time_limit=time_limit,
                         on_progress=shared.update, stop=shared.stop,
                         workers=app.config.get("SOLVE_WORKERS"),
                         deterministic_time=app.config.get("SOLVE_DETERMINISTIC_TIME"))
        finally:
            shared.finished.set()
            monitor.join()
        with app.app_context():
            _finish(run_id, data, plan, stopped=shared.stop.is_set())
    except Exception:  # noqa: BLE001 - a crash must end in the row, never in a dead thread
        log.exception("plan run %s failed", run_id)
        with app.app_context():
            db.session.rollback()
            _end(db.session.get(PlanRun, run_id), "failed", "error")


def _claim_and_prepare(run_id: int) -> tuple[dict, Instance, float] | None:
    """Mark the run running and load its week: (instance data, instance, time limit)."""
    run = db.session.get(PlanRun, run_id)
    if run is None or run.state != "queued":
        return None
    if run.stop_requested:
        _end(run, "stopped", "")
        return None
    run.state, run.started_at = "running", _now()
    db.session.commit()
    centre = db.session.get(Centre, run.centre_id)
    data = store.planning_instance(centre, run.week)
    if run.from_slot:
        current = store.latest_plan(centre, run.week)
        old = {"assignments": store.triples(current)} if current else {"assignments": []}
        data = replan_instance(data, old, run.from_slot)
    try:
        return data, load_instance(data), run.time_limit
    except InstanceError as error:
        _end(run, "failed", "instance: " + "; ".join(error.messages))
        return None


def _monitor(app: Flask, run_id: int, shared: _Shared) -> None:
    """Write progress to the run's row and pass on a stop asked for by any web process."""
    started = time.monotonic()
    with app.app_context():
        while not shared.finished.wait(MONITOR_SECONDS):
            run = db.session.get(PlanRun, run_id)
            db.session.refresh(run)
            with shared.lock:
                best = shared.best
            if best is not None:
                run.objective, run.bound = best.objective, best.bound
            run.elapsed = round(time.monotonic() - started, 1)
            if run.stop_requested:
                shared.stop.set()
            db.session.commit()


def _finish(run_id: int, data: dict, plan: dict, *, stopped: bool) -> None:
    run = db.session.get(PlanRun, run_id)
    db.session.refresh(run)
    run.solve_status = plan["status"]
    run.elapsed = plan.get("solve_seconds")
    if stopped or run.stop_requested:
        _end(run, "stopped", "")
        return
    if plan["status"] == "INFEASIBLE":
        run.details = plan.get("conflicts", [])
        _end(run, "failed", "infeasible")
        return
    if plan["status"] not in ("OPTIMAL", "FEASIBLE") or not evaluate(load_instance(data),
                                                                      plan).valid:
        _end(run, "failed", "no_plan")
        return
    centre = db.session.get(Centre, run.centre_id)
    user = db.session.get(User, run.requested_by_id) if run.requested_by_id else None
    if user is not None:
        # The plan is the requester's change, written by the solver on their behalf.
        audit.set_actor(audit.Actor(f"user:{user.id} (solver)", user.id))
    saved = store.save_plan(centre, run.week, {**plan, "locked": data.get("locked", [])}, user)
    db.session.flush()
    run.result_plan_id = saved.id
    run.objective, run.bound = plan["objective"], plan["bound"]
    _end(run, "done", "")


def _end(run: PlanRun, state: str, message: str) -> None:
    run.state, run.message, run.finished_at = state, message, _now()
    db.session.commit()
