"""Two instructors on one week, and solving processes that die: real threads and a real killed
process against the test database (SQLite or PostgreSQL), no mocks."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

import pytest
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import Centre, PlanRun, WeekPlan
from workcentre.planning import runs, store

from ..factories import load_demo_week, login

WEEK = "2026-W48"
CHANGED = "Suunnitelmaa muutettiin sillä välin"


@pytest.fixture
def week(app, tmp_path):
    """The demo centre with a draft plan; Marja and Pekka may sign in."""
    load_demo_week(app, tmp_path, "2026-11-22", "marja@demo.example", "pekka@demo.example")
    with app.app_context():
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=10).id
    runs.execute_run(app, run_id)
    with app.app_context():
        return f"/planning/{_centre().id}/{WEEK}"


def _centre() -> Centre:
    return db.session.scalars(select(Centre)).one()


def _clients(app):
    marja, pekka = app.test_client(), app.test_client()
    assert login(marja, "marja@demo.example").status_code == 302
    assert login(pekka, "pekka@demo.example").status_code == 302
    return marja, pekka


def _seen(app) -> dict[str, str]:
    with app.app_context():
        plan = store.latest_plan(_centre(), WEEK)
        return {"plan_id": str(plan.id), "revision": str(plan.revision)}


def _together(*calls):
    """Run the calls at the same moment in real threads; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _filled_cells(app, count: int) -> list[tuple[int, str]]:
    """Half-days with work, Friday afternoon first."""
    with app.app_context():
        plan = store.latest_plan(_centre(), WEEK)
        rows = sorted(plan.assignments, key=lambda a: (a.day, a.half, a.participant_id),
                      reverse=True)
        return [(a.participant_id, store.slot_key(a)) for a in rows if not a.locked][:count]


def _held(app, cell: tuple[int, str]) -> bool:
    with app.app_context():
        plan = store.latest_plan(_centre(), WEEK)
        return any(a.participant_id == cell[0] and store.slot_key(a) == cell[1]
                   for a in plan.assignments)


def test_two_instructors_editing_at_once_lose_nothing(app, week):
    marja, pekka = _clients(app)
    cells = _filled_cells(app, 20)
    assert len(cells) == 20
    told_saved = conflicts = 0
    for pair in range(10):
        mine, theirs = cells[2 * pair], cells[2 * pair + 1]
        seen = _seen(app)
        responses = _together(
            lambda c=mine, s=seen: marja.post(f"{week}/cell/{c[0]}/{c[1]}",
                                              data={"step": "", **s}),
            lambda c=theirs, s=seen: pekka.post(f"{week}/cell/{c[0]}/{c[1]}",
                                                data={"step": "", **s}))
        for cell, response in zip((mine, theirs), responses, strict=True):
            assert response.status_code in (302, 409), response.status_code
            if response.status_code == 302:
                told_saved += 1
                assert not _held(app, cell), f"pair {pair}: a saved edit vanished"
            else:
                conflicts += 1
                assert CHANGED in response.get_data(as_text=True)
                assert _held(app, cell), "a refused edit was saved after all"
    # Both read the same revision: at most one of each pair can be saved.
    assert told_saved == 10 and conflicts == 10


def test_publish_and_an_edit_at_once(app, week):
    marja, pekka = _clients(app)
    (cell,) = _filled_cells(app, 1)
    seen = _seen(app)
    edit, publish = _together(
        lambda: marja.post(f"{week}/cell/{cell[0]}/{cell[1]}", data={"step": "", **seen}),
        lambda: pekka.post(f"{week}/publish", data=seen))
    assert edit.status_code in (302, 409) and publish.status_code == 302
    with app.app_context():
        versions = store.plan_versions(_centre(), WEEK)
        published = [v for v in versions if v.state == "published"]
        if edit.status_code == 302:
            # The edit came first: what was published is the edited plan, or the publish was
            # refused and the draft holds the edit.
            assert all(not any(a.participant_id == cell[0] and store.slot_key(a) == cell[1]
                               for a in v.assignments) for v in published or versions[:1])
        else:
            assert len(published) == 1


def test_a_solve_does_not_overwrite_an_edit_made_while_it_ran(app, week):
    marja, _ = _clients(app)
    (cell,) = _filled_cells(app, 1)
    with app.app_context():
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=10).id
    prepared = threading.Event()
    original = runs._claim_and_prepare

    def slow_prepare(rid):
        result = original(rid)
        prepared.set()
        time.sleep(1.0)  # the instructor edits while the solver works
        return result

    runs._claim_and_prepare = slow_prepare
    try:
        thread = threading.Thread(target=runs.execute_run, args=(app, run_id))
        thread.start()
        assert prepared.wait(30)
        response = marja.post(f"{week}/cell/{cell[0]}/{cell[1]}", data={"step": "", **_seen(app)})
        assert response.status_code == 302
        thread.join(timeout=60)
    finally:
        runs._claim_and_prepare = original
    with app.app_context():
        run = db.session.get(PlanRun, run_id)
        assert run.state == "failed" and run.message == "changed"
    assert not _held(app, cell), "the solve overwrote the edit"


def _solve_in_child(database_url: str, run_id: int) -> None:
    from tests.conftest import app_config
    from workcentre import create_app

    app = create_app({**app_config(database_url), "SOLVE_DETERMINISTIC_TIME": None})
    runs.execute_run(app, run_id)


def test_a_killed_solving_process_is_noticed_at_once(app, week, database_url):
    with app.app_context():
        before = store.triples(store.latest_plan(_centre(), WEEK))
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=120).id
        db.engine.dispose()  # the child must not share the parent's connections
    child = multiprocessing.get_context("fork").Process(
        target=_solve_in_child, args=(database_url, run_id))
    child.start()
    try:
        deadline = time.monotonic() + 30
        with app.app_context():
            while db.session.get(PlanRun, run_id).state != "running":
                assert time.monotonic() < deadline
                time.sleep(0.1)
                db.session.expire_all()
            time.sleep(1.5)  # heartbeats while it runs: still active
            assert runs.active_run(_centre(), WEEK) is not None
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.join()
    killed = time.monotonic()
    with app.app_context():
        while runs.active_run(_centre(), WEEK) is not None:
            assert time.monotonic() - killed < 10, "a dead run still blocks the week"
            time.sleep(0.2)
            db.session.expire_all()
        noticed = time.monotonic() - killed
        run = db.session.get(PlanRun, run_id)
        assert run.state == "failed" and run.message == "lost"
        assert store.triples(store.latest_plan(_centre(), WEEK)) == before
        # The instructor can start again at once.
        again = runs.create_run(_centre(), WEEK, None, time_limit=10).id
    assert noticed < 8
    runs.execute_run(app, again)
    with app.app_context():
        assert db.session.get(PlanRun, again).state == "done"
        assert isinstance(store.latest_plan(_centre(), WEEK), WeekPlan)


def test_the_running_solve_is_shown_in_plain_words_without_reloading_the_page(app, week):
    marja, _ = _clients(app)
    with app.app_context():
        run = runs.create_run(_centre(), WEEK, None, time_limit=30)
        run.state, run.started_at = "running", run.created_at
        run.heartbeat_at, run.objective, run.bound, run.elapsed = run.created_at, 2103130, 5, 3.0
        db.session.commit()
    page = marja.get(week).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert "js/run-panel.js" in page and 'data-status-url="' in page
    assert "2 103 130" not in page and "2103130" not in page
    assert "Toimiva suunnitelma on löytynyt" in page and "3 / 30 s" in page
    status = marja.get(week + "/run").get_json()
    assert status["state"] == "running" and "Toimiva suunnitelma" in status["summary"]
    assert status["time_limit"] == 30
