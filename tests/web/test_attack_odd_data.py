"""Attack pass: odd but normal data through the instructor's pages. No page answers 500, and
every plan made is valid for the evaluator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from scheduling import evaluate, load_instance
from workcentre.extensions import db
from workcentre.models import Assignment, Centre, ClosureDay, Participant, TaskType, WeekPlan
from workcentre.planning import store

from ..factories import login, password_hash
from .test_planning_pages import MONDAY, WEEK, _make_plan, _seen


def open_demo_week(app, client, tmp_path) -> str:
    """The demo centre with Marja the instructor signed in; the week page's address."""
    from workcentre.demo import load_demo
    from workcentre.models import User

    app.config["CLOCK_TODAY"] = "2026-11-22"  # the Sunday before: the whole week is open
    with app.app_context():
        load_demo(str(tmp_path), today=MONDAY)
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        marja.password_hash = password_hash()
        db.session.commit()
        centre_id = db.session.scalars(select(Centre)).one().id
    assert login(client, "marja@demo.example").status_code == 302
    return f"/planning/{centre_id}/{WEEK}"


@pytest.fixture
def planner(app, client, tmp_path) -> str:
    return open_demo_week(app, client, tmp_path)


DOWNLOADS = ("", "/run", "/week.xlsx", "/print", "/pictures", "/plan.json", "/instance.json",
             "/actuals")


def _no_server_errors(client, base: str) -> None:
    for tail in DOWNLOADS:
        response = client.get(base + tail)
        assert response.status_code < 500, (tail, response.status_code)


def _valid(client, base: str) -> None:
    instance = client.get(base + "/instance.json").get_json()
    plan = client.get(base + "/plan.json").get_json()
    assert evaluate(load_instance(instance), plan).valid


def test_a_week_closed_all_through_opens_and_plans_nothing(app, client, planner):
    christmas = planner.replace(WEEK, "2026-W52")
    with app.app_context():
        centre = db.session.scalars(select(Centre)).one()
        for n in range(3):
            db.session.add(ClosureDay(centre_id=centre.id, day=date(2026, 12, 21) + timedelta(n),
                                      reason="joululoma"))
        db.session.commit()
    _no_server_errors(client, christmas)
    response = client.post(christmas + "/solve", data={"time_limit": "5"})
    assert response.status_code < 500
    _no_server_errors(client, christmas)


def test_a_person_taken_out_of_a_planned_week(app, client, planner):
    _make_plan(client, planner)
    with app.app_context():
        plan = store.latest_plan(db.session.scalars(select(Centre)).one(), WEEK)
        first = plan.assignments[0]
        gone, slot = first.participant_id, store.slot_key(first)
        db.session.get(Participant, gone).active = False
        db.session.commit()
    _no_server_errors(client, planner)
    cell = f"{planner}/cell/{gone}/{slot}"
    assert client.get(cell).status_code < 500
    assert client.post(cell, data={"step": "", **_seen(app)}).status_code < 500
    assert client.post(planner + "/publish", data=_seen(app)).status_code < 500
    _make_plan(client, planner, from_slot="wed-am")
    _no_server_errors(client, planner)
    _valid(client, planner)


HOSTILE = "<script>alert(1)</script> مرحبا 🙂 " + "Å" * 40


def test_hostile_names_are_shown_as_text_everywhere(app, client, planner):
    with app.app_context():
        person = db.session.scalars(select(Participant).order_by(Participant.id)).first()
        person.first_name = HOSTILE[:80]
        kind = db.session.scalars(select(TaskType).order_by(TaskType.id)).first()
        kind.name = '=HYPERLINK("http://evil.example","x")'
        db.session.commit()
        person_id = person.id
    _make_plan(client, planner)
    page = client.get(planner).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    _no_server_errors(client, planner)
    assert client.get(f"/people/{person_id}").status_code == 200
    assert "<script>alert(1)" not in client.get(f"/people/{person_id}").get_data(as_text=True)
    _valid(client, planner)
    with app.app_context():
        assert db.session.scalars(select(WeekPlan)).first() is not None
        assert db.session.scalars(select(Assignment)).first() is not None


def test_a_new_product_nobody_is_trained_for_and_a_week_nobody_attends(app, client, planner):
    from workcentre.models import Area, Company, Order, OrderLine, OrderStatus, OrderStep

    with app.app_context():
        centre = db.session.scalars(select(Centre)).one()
        area = db.session.scalars(select(Area).where(Area.centre_id == centre.id)).first()
        novel = TaskType(centre=centre, area=area, code="novel", name="Uusi tuote")
        company = db.session.scalars(select(Company)).first()
        order = Order(company=company, centre=centre, reference="T-NOVEL", title="Uutuus",
                      status=OrderStatus.ACCEPTED,
                      lines=[OrderLine(product_name="Uutuus", quantity=50)],
                      steps=[OrderStep(task_type=novel, quantity=50, seconds_per_unit=30,
                                       due_date=date(2026, 11, 27))])
        db.session.add(order)
        db.session.commit()
    _make_plan(client, planner)
    _no_server_errors(client, planner)
    _valid(client, planner)
    with app.app_context():
        for person in db.session.scalars(select(Participant)):
            person.attends = []
        db.session.commit()
    _make_plan(client, planner)
    _no_server_errors(client, planner)
    _valid(client, planner)
