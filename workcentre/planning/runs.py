"""Solving a week in the background. Every run's status lives in the database (`PlanRun`), so any
web process can show it or ask it to stop. A `workcentre worker` does the work when solves are
queued (`queue.py`), else a thread of the web process that started the run.

A run that fails, finds nothing or is stopped stores no plan: the week's previous plan stays as it
was. A run whose time limit ends normally stores its best plan as the week's draft, unless the
plan was changed while it ran (then it stores nothing: it would overwrite that change).
The solving process writes a heartbeat every half second; a running run whose heartbeat is older
than HEARTBEAT_STALE belongs to a process that died and is marked failed by whoever reads it.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time

from flask import Flask
from sqlalchemy import select, update

from scheduling import (
    Instance,
    InstanceError,
    Progress,
    Triple,
    evaluate,
    keep_after,
    keep_placements,
    load_instance,
    plan_dict,
    replan_instance,
    solve,
)

from .. import audit
from ..clock import now_local
from ..extensions import db
from ..locks import hold
from ..models import Centre, PlanRun, User, WeekPlan, utcnow
from ..weeks import week_slots
from . import store

log = logging.getLogger(__name__)
ACTIVE = ("queued", "running")
# A queued run never taken up this long after its time limit would have ended is given up.
STALE_AFTER = timedelta(minutes=2)
# A running run whose heartbeat is older than this belongs to a process that died.
HEARTBEAT_STALE = timedelta(seconds=5)
MONITOR_SECONDS = 0.5
WEEK_OVER = "over"


class RunRefused(Exception):
    """A run cannot start (one is already going, or the slot is not in the week)."""


def _now() -> datetime:
    return utcnow()


def active_run(centre: Centre, week: str) -> PlanRun | None:
    """The week's queued or running solve, after retiring runs whose process has died."""
    runs = db.session.scalars(select(PlanRun).where(
        PlanRun.centre_id == centre.id, PlanRun.week == week, PlanRun.state.in_(ACTIVE)))
    for run in runs:
        if _dead(run):
            run.state, run.message = "failed", "lost"
            run.finished_at = _now()
            db.session.commit()
            continue
        return run
    return None


def _dead(run: PlanRun) -> bool:
    if run.heartbeat_at is not None:
        return _now() - run.heartbeat_at > HEARTBEAT_STALE
    began = run.started_at or run.created_at
    return _now() - began > timedelta(seconds=run.time_limit) + STALE_AFTER


def last_run(centre: Centre, week: str) -> PlanRun | None:
    return db.session.scalars(
        select(PlanRun).where(PlanRun.centre_id == centre.id, PlanRun.week == week)
        .order_by(PlanRun.id.desc()).limit(1)).first()


def create_run(centre: Centre, week: str, user: User | None, *, time_limit: float,
               from_slot: str | None = None, until_slot: str | None = None) -> PlanRun:
    """Queue a solve of the week (committed). Refused while another solve of the week runs, and
    once the week is over; after a published week has begun it starts at the next half-day.
    With `until_slot`, only the slots up to it are planned again and the later ones stay as the
    newest plan has them (if that cannot hold, the run re-plans to the week's end)."""
    active_run(centre, week)  # retires the runs of processes that died (commits)
    hold(Centre, Centre.id == centre.id)  # two starts at the same moment: one after the other
    if active_run(centre, week) is not None:
        raise RunRefused("busy")
    slots = [s["id"] for s in store.build_instance(centre, week)["slots"]]
    if any(slot is not None and slot not in slots for slot in (from_slot, until_slot)):
        raise RunRefused("slot")
    start = replan_start(centre, week)
    if start == WEEK_OVER:
        raise RunRefused("past")
    if start is not None and (from_slot is None or slots.index(from_slot) < slots.index(start)):
        from_slot = start
    if until_slot is not None and slots.index(until_slot) < slots.index(from_slot or slots[0]):
        raise RunRefused("past")
    run = PlanRun(centre_id=centre.id, week=week, time_limit=time_limit, from_slot=from_slot,
                  until_slot=until_slot, requested_by_id=user.id if user else None)
    db.session.add(run)
    db.session.commit()
    return run


def replan_start(centre: Centre, week: str, now: datetime | None = None) -> str | None:
    """Where any solve must start so that the past of the published plan stays as it is: the
    first half-day that has not begun; None when the whole week is open (nothing published, or
    the week has not begun); WEEK_OVER when every half-day has begun."""
    if store.published_plan(centre, week) is None:
        return None
    first = first_open_slot(centre, week, now)
    if first is None:
        return WEEK_OVER
    return None if first == week_slots(week)[0].key else first


def first_open_slot(centre: Centre, week: str, now: datetime | None = None) -> str | None:
    """The week's first half-day that has not begun at the centre (None: the week is over)."""
    now = (now or now_local()).replace(tzinfo=None)
    starts = {"am": centre.am_start, "pm": centre.pm_start}
    return next((slot.key for slot in week_slots(week)
                 if datetime.combine(slot.day, clock_time.fromisoformat(starts[slot.half])) > now),
                None)


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


@dataclass
class _Prepared:
    data: dict  # the week's instance, stored with the plan (its locks are the plan's locks)
    instance: Instance  # what is solved: `data`, or `data` with the slots after the run's kept
    time_limit: float
    based_on: store.Seen | None  # the plan the solve started from: stored only if unchanged
    history: list[dict]  # rows on finished steps before the re-plan's first slot
    kept: _Kept | None = None


@dataclass
class _Kept:
    """The slots a run keeps as they were, and what to solve if keeping them cannot hold."""
    slots: set[str]
    placements: list[dict]  # the instructors there, as the newest plan has them
    wider: Instance  # the whole rest of the week


def execute_run(app: Flask, run_id: int) -> None:
    """Do one queued run to the end. Never raises: every failure ends in the run's row."""
    try:
        with app.app_context():
            prepared = _claim_and_prepare(run_id)
        if prepared is None:
            return
        shared = _Shared()
        monitor = threading.Thread(target=_monitor, args=(app, run_id, shared), daemon=True)
        monitor.start()
        try:
            plan = _solve(app, prepared.instance, prepared.time_limit, shared)
            if prepared.kept is not None and not _found(plan) and not shared.stop.is_set():
                log.info("plan run %s: the later slots cannot stay; re-planning to the end",
                         run_id)
                plan = _solve(app, prepared.kept.wider, prepared.time_limit, shared)
                prepared.instance, prepared.kept = prepared.kept.wider, None
        finally:
            shared.finished.set()
            monitor.join()
        with app.app_context():
            _finish(run_id, prepared, plan, stopped=shared.stop.is_set())
    except Exception:  # noqa: BLE001 - a crash must end in the row, never in a dead thread
        log.exception("plan run %s failed", run_id)
        with app.app_context():
            db.session.rollback()
            _end(db.session.get(PlanRun, run_id), "failed", "error")


def _solve(app: Flask, instance: Instance, time_limit: float, shared: _Shared) -> dict:
    return solve(instance, time_limit=time_limit, on_progress=shared.update, stop=shared.stop,
                 workers=app.config.get("SOLVE_WORKERS"),
                 deterministic_time=app.config.get("SOLVE_DETERMINISTIC_TIME"))


def _found(plan: dict) -> bool:
    return plan["status"] in ("OPTIMAL", "FEASIBLE")


def _claim_and_prepare(run_id: int) -> _Prepared | None:
    """Mark the run running and load its week."""
    run = db.session.get(PlanRun, run_id)
    if run is None or run.state != "queued":
        return None
    if run.stop_requested:
        _end(run, "stopped", "")
        return None
    if not _claim(run_id):
        return None
    db.session.refresh(run)
    centre = db.session.get(Centre, run.centre_id)
    current = store.latest_plan(centre, run.week)
    data = store.planning_instance(centre, run.week)
    history: list[dict] = []
    if run.from_slot:
        # The past as people were told it (the published plan), else as the draft has it.
        base = store.published_plan(centre, run.week) or current
        known, finished = store.split(base, data) if base else ([], [])
        data = replan_instance(data, {"assignments": known}, run.from_slot)
        history = _before(finished, data, run.from_slot)
    try:
        prepared = _Prepared(data, load_instance(data), run.time_limit, store.seen(current),
                             history)
        if run.until_slot and current is not None:
            prepared.instance, prepared.kept = _keep(prepared, current, run.until_slot)
        return prepared
    except InstanceError as error:
        _end(run, "failed", "instance: " + "; ".join(error.messages))
        return None


def _keep(prepared: _Prepared, current: WeekPlan, until_slot: str) -> tuple[Instance, _Kept]:
    """The instance that keeps the newest plan's slots after `until_slot`, and what is kept."""
    rows, _ = store.split(current, prepared.data)
    order = [s["id"] for s in prepared.data["slots"]]
    later = set(order[order.index(until_slot) + 1:])
    narrowed = load_instance(keep_after(prepared.data, rows, until_slot))
    return narrowed, _Kept(later, store.placements(current), prepared.instance)


def _claim(run_id: int) -> bool:
    """Mark a queued run running, in one UPDATE: a run given up meanwhile (a reader found it
    waited too long) or taken by another process matches no row and is left alone."""
    now = _now()
    claimed = db.session.execute(
        update(PlanRun).where(PlanRun.id == run_id, PlanRun.state == "queued")
        .values(state="running", started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return claimed == 1


def _before(rows: list[dict], data: dict, slot: str) -> list[dict]:
    order = [s["id"] for s in data["slots"]]
    return [r for r in rows if order.index(r["slot"]) < order.index(slot)]


def _monitor(app: Flask, run_id: int, shared: _Shared) -> None:
    """Write the heartbeat and progress to the run's row, and pass on a stop asked for by any
    web process (or a run declared dead meanwhile)."""
    started = time.monotonic()
    with app.app_context():
        while not shared.finished.wait(MONITOR_SECONDS):
            try:
                _beat(run_id, shared, time.monotonic() - started)
            except Exception:  # noqa: BLE001 - a missed beat must not end the solve
                log.exception("plan run %s: heartbeat not written", run_id)
                db.session.rollback()


def _beat(run_id: int, shared: _Shared, elapsed: float) -> None:
    run = db.session.get(PlanRun, run_id)
    db.session.refresh(run)
    with shared.lock:
        best = shared.best
    if best is not None:
        run.objective, run.bound = best.objective, best.bound
        run.details = progress_figures(best)
    run.elapsed = round(elapsed, 1)
    run.heartbeat_at = _now()
    if run.stop_requested or run.state != "running":
        shared.stop.set()
    db.session.commit()


def progress_figures(best: Progress) -> dict | None:
    """The best plan's figures so far, for the run panel's words (None without them)."""
    if best.unassigned is None:
        return None
    return {"idle_people": best.idle_people, "unassigned": best.unassigned,
            "late_orders": best.late_orders, "late_steps": best.late_steps,
            "late_minutes": best.late_minutes}


def _finish(run_id: int, prepared: _Prepared, plan: dict, *, stopped: bool) -> None:
    run = db.session.get(PlanRun, run_id)
    db.session.refresh(run)
    if run.state != "running":
        return  # declared dead meanwhile: somebody may already have started again
    run.solve_status = plan["status"]
    run.elapsed = plan.get("solve_seconds")
    if stopped or run.stop_requested:
        _end(run, "stopped", "")
        return
    if plan["status"] == "INFEASIBLE":
        run.details = plan.get("conflicts", [])
        _end(run, "failed", "infeasible")
        return
    if not _found(plan) or not evaluate(prepared.instance, plan).valid:
        _end(run, "failed", "no_plan")
        return
    if prepared.kept is None:
        run.until_slot = None  # re-planned to the week's end
    else:
        plan = _as_week_plan(prepared, plan)
    centre = db.session.get(Centre, run.centre_id)
    try:
        store.claim(centre, run.week, prepared.based_on)
    except store.PlanChanged:
        run = db.session.get(PlanRun, run_id)
        run.solve_status = plan["status"]
        _end(run, "failed", "changed")
        return
    user = db.session.get(User, run.requested_by_id) if run.requested_by_id else None
    if user is not None:
        # The plan is the requester's change, written by the solver on their behalf.
        audit.set_actor(audit.Actor(f"user:{user.id} (solver)", user.id))
    saved = store.save_plan(centre, run.week, {**plan, "locked": prepared.data.get("locked", [])},
                            user, instance=prepared.data, history=prepared.history)
    db.session.flush()
    run.result_plan_id = saved.id
    run.objective, run.bound = plan["objective"], plan["bound"]
    _end(run, "done", "")


def _as_week_plan(prepared: _Prepared, plan: dict) -> dict:
    """A plan solved with slots kept, as a plan of the whole week: the instructors of the kept
    slots where the newest plan had them (when still valid: an instructor away since stays
    where the solve put them), and the figures judged by the week's instance. The solve's
    proof was for the narrowed week only, so it is not kept."""
    week = prepared.kept.wider  # the week's instance, loaded once in _keep
    kept = keep_placements(plan, prepared.kept.placements, prepared.kept.slots)
    if not evaluate(week, kept).valid:
        kept = plan
    return plan_dict(week, "FEASIBLE", [Triple(**a) for a in kept["assignments"]],
                     [(p["instructor"], p["slot"], p["area"]) for p in kept["instructors"]],
                     bound=None, seconds=plan["solve_seconds"], solver_name=plan["solver"])


def _end(run: PlanRun, state: str, message: str) -> None:
    run.state, run.message, run.finished_at = state, message, _now()
    db.session.commit()
