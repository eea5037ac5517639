"""Plain words for the instructor (issue 29): the run panel tells the best plan so far in people
without work and late orders (never a score), every reason code has a label in every language,
and the cell page explains the person's half-day with what to do."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from scheduling import Progress, evaluate, load_instance, solve
from scheduling.explain import BOTTLENECKS
from scheduling.instance import PLAN_FORMAT, REASONS
from workcentre.extensions import db
from workcentre.models import Centre, Participant, PlanRun, WeekPlan, utcnow
from workcentre.planning import runs, store
from workcentre.planning.plain_words import IDLE
from workcentre.planning.week_view import bottleneck_label, reason_label

from ..factories import load_demo_week, login

WEEK = "2026-W48"


@pytest.fixture
def planner(app, client, tmp_path):
    """The demo centre, and Marja the instructor signed in."""
    centre_id = load_demo_week(app, tmp_path, "2026-11-22")  # the Sunday before: all open
    assert login(client, "marja@demo.example").status_code == 302
    return f"/planning/{centre_id}/{WEEK}"


def _centre() -> Centre:
    return db.session.scalars(select(Centre)).one()


# -- every code has words ---------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fi", "en", "sv"])
def test_every_reason_and_bottleneck_code_has_a_label_in_every_language(app, language):
    with app.test_request_context(), force_locale("fi"):
        finnish = {code: reason_label(code) for code in REASONS}
        finnish_bottlenecks = {code: bottleneck_label(code) for code in BOTTLENECKS}
        finnish_cells = {code: str(IDLE[code]) for code in REASONS if code in IDLE}
    with app.test_request_context(), force_locale(language):
        for code in REASONS:
            assert reason_label(code), f"reason {code} has no label"
            assert code in IDLE and str(IDLE[code]) % {"name": "Aino"}, f"no cell words: {code}"
            if language != "fi":
                assert reason_label(code) != finnish[code], f"{code} untranslated"
                assert str(IDLE[code]) != finnish_cells[code], f"{code} untranslated"
        for code in BOTTLENECKS:
            assert bottleneck_label(code), f"bottleneck {code} has no label"
            if language != "fi":
                assert bottleneck_label(code) != finnish_bottlenecks[code]


# -- the run panel ----------------------------------------------------------------------------

def _reports(app) -> tuple[list[Progress], object]:
    """A real solve of the demo week, with every progress report it made."""
    with app.app_context():
        instance = load_instance(store.planning_instance(_centre(), WEEK))
    reports: list[Progress] = []
    solve(instance, workers=1, seed=0, time_limit=60, deterministic_time=0.5,
          on_progress=reports.append)
    return reports, instance


def _running_run(app, progress: Progress) -> int:
    """A running run whose solving process has written this progress (`runs._beat`)."""
    with app.app_context():
        now = utcnow()
        run = PlanRun(centre_id=_centre().id, week=WEEK, time_limit=30, state="running",
                      started_at=now, heartbeat_at=now)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
        shared = runs._Shared()
        shared.update(progress)
        runs._beat(run_id, shared, 3.0)
    return run_id


def _beat(app, run_id: int) -> None:
    """The solving process's heartbeat, every half second in a real run: without it a slow
    request (a loaded test machine) would find the run dead after 5 s."""
    with app.app_context():
        db.session.get(PlanRun, run_id).heartbeat_at = utcnow()
        db.session.commit()


def _finnish_words(idle_people: int, half_days: int, late_orders: int, minutes: int) -> str:
    if idle_people == 0:
        people = "kaikilla on työtä"
    else:
        people = f"{idle_people} henkilö{'' if idle_people == 1 else 'ä'} ilman työtä"
        if half_days > idle_people:
            people += f" (yhteensä {half_days} puolipäivää)"
    if late_orders == 0:
        late = "kaikki tilaukset ajallaan"
    else:
        late = (f"{late_orders} tilaus{'' if late_orders == 1 else 'ta'} myöhässä "
                f"(työtä puuttuu {minutes} min)")
    return f"Paras suunnitelma tähän asti: {people}, {late}."


def _evaluated_words(instance, progress: Progress) -> str:
    """The words the evaluator's figures of the reported plan give."""
    plan = {"format": PLAN_FORMAT, "instructors": [],
            "assignments": [vars(t) for t in progress.assignments]}
    result = evaluate(instance, plan)
    late = [(instance.step_by_id[s["step"]], s) for s in result.steps
            if instance.step_by_id[s["step"]].due_slot is not None
            and s["on_time_units"] < instance.step_by_id[s["step"]].quantity]
    assert all(step.order for step, _ in late)
    return _finnish_words(len({p for p, _ in result.unassigned}), result.terms["unassigned"],
                          len({step.order for step, _ in late}), progress.late_minutes or 0)


def test_the_run_panel_tells_the_best_plan_so_far_in_words(app, client, planner):
    reports, instance = _reports(app)
    first = reports[0]  # the starting plan: the one a solve reports at once
    run_id = _running_run(app, first)
    status = client.get(planner + "/run").get_json()
    assert status["state"] == "running"
    assert status["summary"] == _evaluated_words(instance, first)
    _beat(app, run_id)
    page = client.get(planner).get_data(as_text=True)
    assert status["summary"] in page
    for score in (first.objective, first.bound):
        if score:
            assert not re.search(rf"\b{score}\b", page.replace(" ", "").replace("\u00a0", ""))
    client.post("/language/en", data={"next": planner})
    _beat(app, run_id)
    english = client.get(planner + "/run").get_json()["summary"]
    assert english.startswith("Best plan so far: ") and "without work" in english \
        or "everyone has work" in english


@pytest.mark.parametrize("figures, finnish, english, swedish", [
    ((1, 1, 1, 40), "1 henkilö ilman työtä, 1 tilaus myöhässä (työtä puuttuu 40 min)",
     "1 person without work, 1 order late (40 min of work missing)",
     "1 person utan arbete, 1 order försenad (40 min arbete saknas)"),
    ((3, 5, 2, 95), "3 henkilöä ilman työtä (yhteensä 5 puolipäivää), 2 tilausta myöhässä",
     "3 people without work (5 half-days in all), 2 orders late",
     "3 personer utan arbete (sammanlagt 5 halvdagar), 2 order försenade"),
    ((0, 0, 0, 0), "kaikilla on työtä, kaikki tilaukset ajallaan",
     "everyone has work, all orders on time", "alla har arbete, alla order i tid"),
])
def test_the_words_have_plurals_in_three_languages(app, client, planner, figures, finnish,
                                                   english, swedish):
    idle, half_days, late, minutes = figures
    progress = Progress(1234567, 1000, 2.0, unassigned=half_days, idle_people=idle,
                        late_steps=late, late_orders=late, late_minutes=minutes)
    run_id = _running_run(app, progress)
    for language, words in (("fi", finnish), ("en", english), ("sv", swedish)):
        client.post(f"/language/{language}", data={"next": planner})
        _beat(app, run_id)
        summary = client.get(planner + "/run").get_json()["summary"]
        assert words in summary
        assert "1234567" not in summary and "1 234 567" not in summary
        assert words in client.get(planner).get_data(as_text=True)


def test_a_stopped_run_with_progress_figures_shows_the_week(app, client, planner):
    """The figures a run left behind are not mistaken for the clashing locks of a failed run."""
    run_id = _running_run(app, Progress(10, 5, 1.0, unassigned=2, idle_people=1, late_steps=0,
                                        late_orders=0, late_minutes=0))
    with app.app_context():
        run = db.session.get(PlanRun, run_id)
        run.state, run.finished_at = "stopped", utcnow()
        db.session.commit()
    response = client.get(planner)
    assert response.status_code == 200
    assert "Suunnittelu pysäytettiin" in response.get_data(as_text=True)


# -- the cell page ----------------------------------------------------------------------------

def _solved(app) -> WeekPlan:
    with app.app_context():
        run_id = runs.create_run(_centre(), WEEK, None, time_limit=20).id
    runs.execute_run(app, run_id)
    with app.app_context():
        run = db.session.get(PlanRun, run_id)
        assert run.state == "done", run.message
        return run.result_plan_id


def _cell(client, base: str, participant_id: int, slot: str) -> str:
    response = client.get(f"{base}/cell/{participant_id}/{slot}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_cell_page_says_what_the_person_does_and_whether_the_order_is_late(
        app, client, planner):
    plan_id = _solved(app)
    with app.app_context():
        plan = db.session.get(WeekPlan, plan_id)
        late = {s["step"]: s for s in plan.explanations["late_steps"]}
        a = plan.assignments[0]
        key = f"{a.step.order.reference}/{a.step.position + 1}"
        person, slot = a.participant_id, store.slot_key(a)
        first_name, task = a.participant.first_name, a.step.task_type.name
        order, company = a.step.order.reference, a.step.order.company.name
        info = late.get(key)
    page = _cell(client, planner, person, slot)
    assert (f"{first_name} tekee tässä vuorossa tehtävää {task}: tilaus {order} "
            f"({company}).") in page.replace("&amp;", "&")
    if info is None:
        assert "Työvaihe valmistuu suunnitelmassa ajallaan." in page
    else:
        assert "Työvaihe on myöhässä" in page or "jää tällä viikolla kesken" in page


def test_the_cell_page_explains_an_idle_half_day_with_what_to_do(app, client, planner):
    plan_id = _solved(app)
    with app.app_context():
        plan = db.session.get(WeekPlan, plan_id)
        a = plan.assignments[0]
        person_id, slot, name = a.participant_id, store.slot_key(a), a.participant.first_name
        seen = {"plan_id": plan.id, "revision": plan.revision}
    # The instructor takes the person's task away by hand: the plan now leaves them idle.
    response = client.post(f"{planner}/cell/{person_id}/{slot}", data={"step": "", **seen})
    assert response.status_code == 302
    with app.app_context():
        plan = db.session.get(WeekPlan, plan_id)
        reason = next(u["reason"] for u in plan.explanations["unassigned"]
                      if u["participant"] == f"p{person_id}" and u["slot"] == slot)
        person = db.session.get(Participant, person_id)
    page = _cell(client, planner, person.id, slot)
    expected = {
        "left_idle": f"{name} jäi suunnitelmassa ilman työtä, vaikka hänelle olisi työtä. "
                     "Valitse hänelle tehtävä alta tai suunnittele viikko uudelleen.",
        "no_work_left": f"{name} jäi ilman työtä: hänen osaamansa työ on tässä vuorossa valmis "
                        "tai suunniteltu muille.",
    }
    assert reason in expected, reason
    assert expected[reason] in page
