"""Background solves: the run's status in the database, the plan stored as a draft, versions."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from scheduling import evaluate, load_instance
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import Centre, PlanRun, WeekPlan
from workcentre.orders.services import planned_completion
from workcentre.planning import runs, store

WEEK = "2026-W48"
MONDAY = date(2026, 11, 23)


@pytest.fixture
def demo(app, tmp_path):
    app.config["CLOCK_TODAY"] = "2026-11-22"  # the Sunday before: the whole week is open
    with app.app_context():
        load_demo(str(tmp_path), today=MONDAY)
    return app


def _centre() -> Centre:
    return db.session.scalars(select(Centre)).one()


def _solve(app, **options) -> PlanRun:
    with app.app_context():
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=20, **options).id
    runs.execute_run(app, run_id)
    with app.app_context():
        return db.session.get(PlanRun, run_id)


def _assert_valid(plan: WeekPlan) -> dict:
    data = store.planning_instance(plan.centre, plan.week)
    body = store.plan_json(plan, data)
    result = evaluate(load_instance(data), body)
    assert result.valid, result.violations
    return body


def test_a_run_stores_a_valid_draft_with_its_figures(demo):
    run = _solve(demo)
    assert run.state == "done" and run.solve_status in ("OPTIMAL", "FEASIBLE")
    with demo.app_context():
        plan = db.session.get(WeekPlan, run.result_plan_id)
        assert plan.state == "draft" and plan.version == 1 and plan.assignments
        body = _assert_valid(plan)
        assert body["objective"] == plan.objective == run.objective
        assert plan.explanations["unassigned"] is not None


def test_solving_again_replaces_the_draft_and_publishing_opens_a_new_version(demo):
    first = _solve(demo)
    second = _solve(demo)
    assert first.result_plan_id == second.result_plan_id
    with demo.app_context():
        plan = db.session.get(WeekPlan, second.result_plan_id)
        store.publish(plan, None)
        db.session.commit()
    third = _solve(demo)
    with demo.app_context():
        versions = store.plan_versions(_centre(), WEEK)
        assert [(v.version, v.state) for v in versions] == [(2, "draft"), (1, "published")]
        assert third.result_plan_id == versions[0].id
        store.publish(versions[0], None)
        db.session.commit()
        states = [(v.version, v.state) for v in store.plan_versions(_centre(), WEEK)]
        assert states == [(2, "published"), (1, "superseded")]
        # Orders with work in the published plan are planned, as the companies see them.
        planned = {a.step.order.status for a in versions[0].assignments}
        assert planned == {"planned"}
        # ... and each gets a planned completion day inside the week.
        days = {planned_completion(a.step.order, today=MONDAY) for a in versions[0].assignments}
        assert days - {None} and all(MONDAY <= d <= MONDAY + timedelta(days=4)
                                     for d in days - {None})


def test_locks_survive_a_new_solve(demo):
    run = _solve(demo)
    with demo.app_context():
        plan = db.session.get(WeekPlan, run.result_plan_id)
        chosen = plan.assignments[0]
        chosen.locked = True
        kept = (chosen.participant_id, chosen.step_id, chosen.day, chosen.half)
        db.session.commit()
    again = _solve(demo)
    with demo.app_context():
        plan = db.session.get(WeekPlan, again.result_plan_id)
        rows = {(a.participant_id, a.step_id, a.day, a.half): a.locked for a in plan.assignments}
        assert rows.get(kept) is True
        _assert_valid(plan)


def test_replanning_from_a_slot_keeps_the_past_as_it_was(demo):
    run = _solve(demo)
    with demo.app_context():
        plan = db.session.get(WeekPlan, run.result_plan_id)
        store.publish(plan, None)
        db.session.commit()
        past = sorted((a.participant_id, a.step_id, a.half) for a in plan.assignments
                      if a.day == MONDAY)
    replanned = _solve(demo, from_slot="tue-am")
    assert replanned.state == "done"
    with demo.app_context():
        plan = db.session.get(WeekPlan, replanned.result_plan_id)
        assert plan.version == 2
        now = sorted((a.participant_id, a.step_id, a.half) for a in plan.assignments
                      if a.day == MONDAY)
        assert now == past


def test_a_stopped_run_leaves_the_plan_untouched(demo):
    first = _solve(demo)
    with demo.app_context():
        before = store.triples(db.session.get(WeekPlan, first.result_plan_id))
        run = runs.create_run(_centre(), WEEK, None, time_limit=20)
        runs.request_stop(run)
        run_id = run.id
    runs.execute_run(demo, run_id)
    with demo.app_context():
        run = db.session.get(PlanRun, run_id)
        assert run.state == "stopped" and run.result_plan_id is None
        assert store.triples(db.session.get(WeekPlan, first.result_plan_id)) == before


def test_a_crashing_solve_ends_as_failed_and_keeps_the_plan(demo, monkeypatch):
    first = _solve(demo)

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(runs, "solve", broken)
    crashed = _solve(demo)
    assert crashed.state == "failed" and crashed.message == "error"
    with demo.app_context():
        assert len(store.plan_versions(_centre(), WEEK)) == 1
        assert db.session.get(WeekPlan, first.result_plan_id).assignments


def test_one_run_at_a_time_and_dead_runs_are_retired(demo):
    with demo.app_context():
        run = runs.create_run(_centre(), WEEK, None, time_limit=5)
        with pytest.raises(runs.RunRefused):
            runs.create_run(_centre(), WEEK, None, time_limit=5)
        run.state, run.started_at = "running", datetime.utcnow() - timedelta(minutes=10)
        db.session.commit()
        assert runs.active_run(_centre(), WEEK) is None
        assert db.session.get(PlanRun, run.id).state == "failed"
        with pytest.raises(runs.RunRefused):
            runs.create_run(_centre(), WEEK, None, time_limit=5, from_slot="sat-am")


def test_a_background_run_reports_through_the_database(demo):
    with demo.app_context():
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=20).id
    thread = runs.start_in_background(demo, run_id)
    deadline = time.monotonic() + 60
    state = "queued"
    while state in runs.ACTIVE and time.monotonic() < deadline:
        time.sleep(0.2)
        with demo.app_context():
            state = db.session.get(PlanRun, run_id).state
    thread.join(timeout=5)
    assert state == "done"


def test_another_web_process_sees_the_run_and_can_stop_it(demo, database_url, tmp_path):
    """Two apps on one database stand for two web processes: the status lives in the database."""
    from tests.conftest import app_config
    from workcentre import create_app

    solver_app = create_app({**app_config(database_url), "SOLVE_DETERMINISTIC_TIME": None})
    other_app = create_app(app_config(database_url))
    with solver_app.app_context():
        first_id = runs.create_run(_centre(), WEEK, None, time_limit=5).id
    runs.execute_run(solver_app, first_id)  # a plan to keep
    with solver_app.app_context():
        before = store.triples(store.latest_plan(_centre(), WEEK))
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=60).id
    thread = runs.start_in_background(solver_app, run_id)
    deadline = time.monotonic() + 30
    with other_app.app_context():
        while db.session.get(PlanRun, run_id).state != "running":
            assert time.monotonic() < deadline
            time.sleep(0.1)
            db.session.expire_all()
        runs.request_stop(db.session.get(PlanRun, run_id))
    thread.join(timeout=30)
    assert not thread.is_alive(), "the stop reached the solving process"
    with other_app.app_context():
        run = db.session.get(PlanRun, run_id)
        assert run.state == "stopped" and run.elapsed is not None and run.elapsed < 30
        assert store.triples(store.latest_plan(_centre(), WEEK)) == before
    for app in (solver_app, other_app):
        with app.app_context():
            db.engine.dispose()
