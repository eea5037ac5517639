"""Solves in a job queue: with a Redis URL the web process only enqueues, `workcentre worker`
processes solve, and the run's row carries status, heartbeat and stop as before. Real Redis on
127.0.0.1:6379, real worker processes, real SIGKILL; the test database (SQLite or PostgreSQL)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import Centre, PlanRun
from workcentre.planning import queue, runs, store

from ..factories import load_demo_week, login

WEEK = "2026-W48"
REDIS = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]
WAITS = "odottaa vuoroaan"


def _redis_up() -> bool:
    try:
        return bool(Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def queue_name():
    """A queue of this test's own, so that parallel test runs never take each other's jobs."""
    name = f"test-solves-{uuid.uuid4().hex[:10]}"
    yield name
    if _redis_up():
        Queue(name, connection=Redis.from_url(REDIS)).delete(delete_jobs=True)


@pytest.fixture
def week(app, tmp_path, queue_name):
    """The demo centre with a first plan (solved in this process); Marja may sign in; solves
    started from the page go to this test's queue."""
    load_demo_week(app, tmp_path, "2026-11-22")
    with app.app_context():
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=10).id
    runs.execute_run(app, run_id)
    app.config.update(SOLVE_REDIS_URL=REDIS, SOLVE_QUEUE=queue_name)
    with app.app_context():
        return f"/planning/{_centre().id}/{WEEK}"


def _centre() -> Centre:
    return db.session.scalars(select(Centre)).one()


def _marja(app):
    client = app.test_client()
    assert login(client, "marja@demo.example").status_code == 302
    return client


def _run(app, run_id: int) -> PlanRun:
    with app.app_context():
        return db.session.get(PlanRun, run_id)


def _newest(app) -> PlanRun:
    with app.app_context():
        return runs.last_run(_centre(), WEEK)


def _wait_for(app, run_id: int, states: tuple[str, ...], seconds: float) -> PlanRun:
    deadline = time.monotonic() + seconds
    while (run := _run(app, run_id)).state not in states:
        assert time.monotonic() < deadline, f"run stayed {run.state}"
        time.sleep(0.1)
    return run


def _worker(database_url: str, queue_name: str, tmp_path: Path, *extra: str,
            deterministic: bool = True) -> subprocess.Popen:
    """`workcentre worker` as its own process, on the test database and this test's queue."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url,
           "REDIS_URL": REDIS, "SECRET_KEY": "test-only-secret",
           "WORKCENTRE_CLOCK_TODAY": "2026-11-22", "WORKCENTRE_SOLVE_WORKERS": "1"}
    if deterministic:
        env["WORKCENTRE_SOLVE_DETERMINISTIC_TIME"] = "0.5"
    log = (tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-c", "from workcentre.cli import main; main()", "worker",
         "--queue", queue_name, *extra], env=env, cwd=ROOT, stdout=log, stderr=log)


def test_without_a_queue_the_solve_runs_in_the_web_process(app, week):
    app.config["SOLVE_REDIS_URL"] = None
    marja = _marja(app)
    assert marja.post(week + "/solve", data={"time_limit": 10}).status_code == 302
    run = _wait_for(app, _newest(app).id, ("done", "failed", "stopped"), 60)
    assert run.state == "done"


@needs_redis
def test_with_a_queue_the_web_process_only_enqueues_and_the_page_says_it_waits(
        app, week, queue_name):
    marja = _marja(app)
    with app.app_context():
        before = store.triples(store.latest_plan(_centre(), WEEK))
    assert marja.post(week + "/solve", data={"time_limit": 10}).status_code == 302
    run_id = _newest(app).id
    time.sleep(1.5)  # a thread of the web process would have claimed it by now
    assert _run(app, run_id).state == "queued"
    assert Queue(queue_name, connection=Redis.from_url(REDIS)).count == 1
    assert WAITS in marja.get(week).get_data(as_text=True)
    status = marja.get(week + "/run").get_json()
    assert status["state"] == "queued" and WAITS in status["summary"]
    with app.app_context():
        assert store.triples(store.latest_plan(_centre(), WEEK)) == before
        # Nobody takes it up: long after its time it is given up, and the week is free again.
        run = db.session.get(PlanRun, run_id)
        run.created_at -= timedelta(seconds=run.time_limit) + runs.STALE_AFTER
        db.session.commit()
        assert "pääkäyttäjää" in queue.waiting_words(run)
        assert runs.active_run(_centre(), WEEK) is None
    assert _run(app, run_id).state == "failed"
    # A worker that comes later finds nothing to do for the given-up run.
    assert queue.work(app, burst=True)
    assert _run(app, run_id).state == "failed"
    with app.app_context():
        assert store.triples(store.latest_plan(_centre(), WEEK)) == before


@needs_redis
def test_a_worker_process_does_the_queued_solve(app, week, queue_name, database_url,
                                                tmp_path):
    marja = _marja(app)
    with app.app_context():
        first = store.latest_plan(_centre(), WEEK).id
    assert marja.post(week + "/solve", data={"time_limit": 10}).status_code == 302
    run_id = _newest(app).id
    began = time.monotonic()
    worker = _worker(database_url, queue_name, tmp_path, "--burst")
    assert worker.wait(timeout=120) == 0
    took = time.monotonic() - began
    run = _run(app, run_id)
    assert run.state == "done" and run.result_plan_id == first and run.heartbeat_at
    print(f"\nqueued solve done by a new --burst worker {took:.1f} s after it started "
          f"(the solve itself {run.elapsed:.1f} s)")


@needs_redis
def test_a_killed_worker_fails_the_run_within_seconds_and_keeps_the_plan(
        app, week, queue_name, database_url, tmp_path):
    marja = _marja(app)
    with app.app_context():
        before = store.triples(store.latest_plan(_centre(), WEEK))
    assert marja.post(week + "/solve", data={"time_limit": 120}).status_code == 302
    run_id = _newest(app).id
    worker = _worker(database_url, queue_name, tmp_path, deterministic=False)
    began = time.monotonic()
    try:
        _wait_for(app, run_id, ("running",), 60)
        print(f"\na new worker took the queued run up after {time.monotonic() - began:.1f} s")
        time.sleep(1.5)  # it heartbeats while it solves: still active
        with app.app_context():
            assert runs.active_run(_centre(), WEEK) is not None
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    killed = time.monotonic()
    with app.app_context():
        while runs.active_run(_centre(), WEEK) is not None:
            assert time.monotonic() - killed < 8, "a dead worker's run still blocks the week"
            time.sleep(0.2)
            db.session.expire_all()
    noticed = time.monotonic() - killed
    run = _run(app, run_id)
    assert run.state == "failed" and run.message == "lost"
    assert noticed < 6.5
    with app.app_context():
        assert store.triples(store.latest_plan(_centre(), WEEK)) == before
    print(f"\nkill -9 of the worker -> run failed after {noticed:.1f} s")
    # A new solve can start at once and is done by a new worker.
    assert marja.post(week + "/solve", data={"time_limit": 10}).status_code == 302
    again = _newest(app).id
    assert again != run_id
    assert _worker(database_url, queue_name, tmp_path, "--burst").wait(timeout=120) == 0
    assert _run(app, again).state == "done"


def test_redis_down_when_enqueuing_solves_in_the_web_process_with_a_log_line(
        app, week, caplog, monkeypatch):
    # The migrations' logging setup (alembic's fileConfig) switches existing loggers off.
    monkeypatch.setattr(queue.log, "disabled", False)
    app.config["SOLVE_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    marja = _marja(app)
    with caplog.at_level(logging.WARNING, logger="workcentre.planning.queue"):
        response = marja.post(week + "/solve", data={"time_limit": 10})
    assert response.status_code == 302
    assert any("unreachable" in r.getMessage() for r in caplog.records)
    run = _wait_for(app, _newest(app).id, ("done", "failed", "stopped"), 60)
    assert run.state == "done"


def test_the_worker_command_needs_a_queue(app, runner, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_a_run_given_up_while_a_worker_takes_it_stays_given_up(app, week):
    """A queued run waits for a worker; the moment it is given up as too old may be the moment
    a worker takes it. The worker must then leave it: started anyway, it would solve a week
    whose instructor has been told it failed, maybe next to their new solve."""
    with app.app_context():
        run = runs.create_run(_centre(), WEEK, None, time_limit=10)
        run.created_at -= timedelta(seconds=run.time_limit) + runs.STALE_AFTER
        db.session.commit()
        run_id = run.id
    real_now, gave_up, asked = runs._now, [], threading.Event()

    def reader_gives_up() -> None:
        with app.app_context():
            gave_up.append(runs.active_run(_centre(), WEEK) is None)

    def now_with_a_reader_in_between():
        if not asked.is_set():  # the worker has read the run as queued: a page is read now
            asked.set()
            reader = threading.Thread(target=reader_gives_up)
            reader.start()
            reader.join()
        return real_now()

    runs._now = now_with_a_reader_in_between
    try:
        runs.execute_run(app, run_id)
    finally:
        runs._now = real_now
    assert gave_up == [True]
    run = _run(app, run_id)
    assert run.state == "failed" and run.result_plan_id is None
    with app.app_context():
        assert runs.active_run(_centre(), WEEK) is None
