"""The past of a week stays as it was: finished orders remain in the plan as history, and a solve
after the week has begun never rewrites what people were told for the half-days gone by."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from scheduling import evaluate, load_instance
from workcentre.extensions import db
from workcentre.models import Centre, Order, PlanRun, WeekPlan
from workcentre.orders.services import add_units
from workcentre.planning import runs, store

from ..factories import load_demo_week, login

WEEK = "2026-W48"


@pytest.fixture
def planner(app, client, tmp_path):
    """The demo centre with a published plan, before the week begins; Marja signed in."""
    load_demo_week(app, tmp_path, "2026-11-22")  # the Sunday before: no half-day has begun
    with app.app_context():
        run_id = runs.create_run(db.session.scalars(select(Centre)).one(), WEEK, None,
                                 time_limit=10).id
    runs.execute_run(app, run_id)
    with app.app_context():
        plan = store.latest_plan(db.session.scalars(select(Centre)).one(), WEEK)
        store.publish(plan, None)
        db.session.commit()
        centre_id = plan.centre_id
    assert login(client, "marja@demo.example").status_code == 302
    return f"/planning/{centre_id}/{WEEK}"


def _centre() -> Centre:
    return db.session.scalars(select(Centre)).one()


def _rows(plan: WeekPlan) -> set[tuple[int, date, str, int]]:
    return {(a.participant_id, a.day, a.half, a.step_id) for a in plan.assignments}


def _finish_an_order_of_the_plan(app) -> tuple[int, set]:
    """Report every unit of the first planned order done: the order becomes ready."""
    with app.app_context():
        plan = store.latest_plan(_centre(), WEEK)
        order = plan.assignments[0].step.order
        for step in order.steps:
            add_units(step, step.units_left)
        db.session.commit()
        assert db.session.get(Order, order.id).status == "ready"
        history = {r for r in _rows(plan) if r[3] in {s.id for s in order.steps}}
        return order.id, history


def _valid(plan: WeekPlan) -> None:
    data = store.planning_instance(plan.centre, plan.week)
    verdict = evaluate(load_instance(data), store.plan_json(plan, data))
    assert verdict.valid, verdict.violations


def _free_cell(plan: WeekPlan, finished: set[int]) -> tuple[int, str]:
    """Someone's half-day that is not on the finished order."""
    a = next(a for a in plan.assignments if a.step.order_id not in finished)
    return a.participant_id, store.slot_key(a)


def test_a_finished_order_stays_as_history_and_the_week_stays_editable(app, client, planner):
    order_id, history = _finish_an_order_of_the_plan(app)
    with app.app_context():
        who, slot = _free_cell(store.latest_plan(_centre(), WEEK), {order_id})
    page = client.get(planner)
    assert page.status_code == 200
    edit = client.post(f"{planner}/cell/{who}/{slot}", data={"step": "", **_seen(app)})
    assert edit.status_code == 302, edit.get_data(as_text=True)[:2000]
    with app.app_context():
        draft = store.latest_plan(_centre(), WEEK)
        assert draft.version == 2 and history <= _rows(draft)
        assert not any(a.participant_id == who and store.slot_key(a) == slot
                       for a in draft.assignments)
        _valid(draft)


def test_replanning_after_an_order_finished_keeps_it_as_history(app, client, planner):
    order_id, history = _finish_an_order_of_the_plan(app)
    with app.app_context():
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=10, from_slot="wed-am").id
    runs.execute_run(app, run_id)
    with app.app_context():
        run = db.session.get(PlanRun, run_id)
        assert run.state == "done", (run.state, run.message)
        draft = db.session.get(WeekPlan, run.result_plan_id)
        past = {r for r in history if r[1] < date(2026, 11, 25)}
        assert past <= _rows(draft)
        # Nobody is planned on the finished order from Wednesday on.
        assert not any(r[3] in {s for *_, s in history} for r in _rows(draft)
                       if r[1] >= date(2026, 11, 25))
        _valid(draft)


def test_a_whole_week_solve_on_thursday_keeps_the_published_past(app, client, planner):
    app.config["CLOCK_TODAY"] = "2026-11-26"  # Thursday
    with app.app_context():
        published = _rows(store.published_plan(_centre(), WEEK))
    response = client.post(planner + "/solve", data={"time_limit": "10", "from_slot": ""})
    assert response.status_code == 302
    page = client.get(planner).get_data(as_text=True)
    assert "Viikko on jo alkanut" in page
    with app.app_context():
        run = runs.last_run(_centre(), WEEK)
        assert run.from_slot in ("thu-am", "thu-pm", "fri-am")
    _wait(app)
    with app.app_context():
        run = runs.last_run(_centre(), WEEK)
        assert run.state == "done", (run.state, run.message)
        draft = db.session.get(WeekPlan, run.result_plan_id)
        before_thursday = date(2026, 11, 26)
        assert {r for r in _rows(draft) if r[1] < before_thursday} == \
            {r for r in published if r[1] < before_thursday}


def test_a_solve_after_the_week_is_over_is_refused_with_the_plan_kept(app, client, planner):
    app.config["CLOCK_TODAY"] = "2026-11-28"  # Saturday
    response = client.post(planner + "/solve", data={"time_limit": "10", "from_slot": ""},
                           follow_redirects=True)
    assert "Viikko on jo ohi" in response.get_data(as_text=True)
    with app.app_context():
        assert runs.last_run(_centre(), WEEK).from_slot is None  # only the first solve


def _seen(app) -> dict[str, str]:
    with app.app_context():
        plan = store.latest_plan(_centre(), WEEK)
        return {"plan_id": str(plan.id), "revision": str(plan.revision)}


def _wait(app) -> None:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with app.app_context():
            if runs.last_run(_centre(), WEEK).state not in runs.ACTIVE:
                return
        time.sleep(0.2)
    raise AssertionError("the solve did not end")
