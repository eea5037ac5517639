"""Attack pass: the same thing done twice at the same moment, with real threads through the app
(one test client each), on SQLite and on PostgreSQL. Each is done once and nobody gets a 500."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import login, make_centre, make_user
from tests.web.test_tablet_concurrency import _in_threads
from workcentre.extensions import db
from workcentre.models import ClosureDay, Role

from .test_attack_odd_data import open_demo_week

PAIRS = 4


@pytest.fixture
def planner(app, client, tmp_path) -> str:
    return open_demo_week(app, client, tmp_path)


@pytest.fixture
def centre(app):
    with app.app_context():
        centre = make_centre("Rinnakkaiskeskus")
        staff = [make_user(Role.INSTRUCTOR, centre=centre).email for _ in range(2)]
        db.session.commit()
        return {"id": centre.id, "staff": staff}


def _signed_in(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def test_the_same_closure_day_added_twice_at_once_is_saved_once(app, centre):
    clients = [_signed_in(app, email) for email in centre["staff"]]
    url = f"/centre/{centre['id']}/closures"
    statuses: list[int] = []
    for n in range(PAIRS):
        day = date(2027, 3, 15 + n).isoformat()
        _in_threads(2, lambda i, day=day: statuses.append(
            clients[i].post(url, data={"day": day, "reason": f"inventaario {i}"}).status_code))
    assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        days = [row.day for row in db.session.scalars(select(ClosureDay))]
    assert sorted(days) == [date(2027, 3, 15 + n) for n in range(PAIRS)]


def test_a_solve_started_twice_at_once_runs_once(app, client, planner):
    from workcentre.models import PlanRun

    from .test_planning_pages import _wait_for_run

    clients = [client]
    for _ in range(3):
        other = app.test_client()
        assert login(other, "marja@demo.example").status_code == 302
        clients.append(other)
    statuses: list[int] = []
    _in_threads(len(clients), lambda i: statuses.append(
        clients[i].post(planner + "/solve", data={"time_limit": "10"}).status_code))
    assert statuses == [302] * len(clients)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PlanRun)) == 1
    assert _wait_for_run(client, planner)["state"] == "done"


def test_two_instructors_importing_the_same_new_people_at_once_add_them_once(app, centre):
    from openpyxl import Workbook

    from workcentre.models import Participant
    from workcentre.people.importer import header

    from .test_people_import import _confirm, _preview

    with app.test_request_context():
        names = header()
    workbook = Workbook()
    workbook.active.append([names[0], names[1], names[2]])
    for n in range(5):
        workbook.active.append([f"Uusi{n}", "Tuonti", "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    clients = [_signed_in(app, email) for email in centre["staff"]]
    previews = [_preview(c, buffer.getvalue(), centre["id"]) for c in clients]
    assert all("/people/import/confirm" in p.get_data(as_text=True) for p in previews)
    statuses: list[int] = []
    _in_threads(2, lambda i: statuses.append(_confirm(clients[i], previews[i]).status_code))
    assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        people = [p.first_name for p in db.session.scalars(select(Participant))]
    assert sorted(people) == [f"Uusi{n}" for n in range(5)]


def test_an_order_taken_in_and_declined_at_the_same_moment_is_one_or_the_other(app):
    from workcentre.models import Order, OrderEvent, OrderStatus, OrderStep

    from ..factories import make_company, make_task_type
    from .test_company_orders import SOON, _client, _order, _submit_form

    with app.app_context():
        home = make_centre("Vastaanotto")
        company = make_company("A Oy")
        world = {"centre": home.id, "fold": make_task_type(home, "fold").id, "users": {
            "a": make_user(Role.COMPANY, company=company).email,
            "staff": make_user(Role.INSTRUCTOR, centre=home).email,
            "staff2": make_user(Role.INSTRUCTOR, centre=home).email}}
        db.session.commit()
    company = _client(app, world, "a")
    staff = [_client(app, world, "staff"), _client(app, world, "staff2")]
    for _round in range(PAIRS):
        assert _submit_form(company, world).status_code == 302
        with app.app_context():
            order = _order(app)
            order_id, line_id = order.id, order.lines[0].id
        forms = [
            ("accept", {"centre_id": world["centre"], "confirmed_date": SOON,
                        f"line-{line_id}-0-task_type": world["fold"],
                        f"line-{line_id}-0-seconds": "6"}),
            ("decline", {"reason": "Ei kapasiteettia"}),
        ]
        posts = [(f"/orders/{order_id}/{name}", data) for name, data in forms]
        statuses: list[int] = []
        _in_threads(2, lambda i, posts=posts, statuses=statuses: statuses.append(
            staff[i].post(posts[i][0], data=posts[i][1]).status_code))
        assert all(status < 500 for status in statuses), statuses
        with app.app_context():
            order = db.session.get(Order, order_id)
            kinds = [e.kind for e in db.session.scalars(
                select(OrderEvent).where(OrderEvent.order_id == order_id))]
            steps = db.session.scalars(select(OrderStep).where(
                OrderStep.order_id == order_id)).all()
            if order.status == OrderStatus.DECLINED:
                assert steps == [] and "accepted" not in kinds, kinds
            else:
                assert order.status == OrderStatus.ACCEPTED and "declined" not in kinds, kinds


def test_a_correction_and_the_instructors_confirmation_at_once_keep_the_total_exact(app):
    """The tablet corrects a count while an instructor confirms the units it left to check."""
    import secrets

    from workcentre.models import OrderStep, ProgressReport, UnitsCheck

    from ..tablet_world import WORKDAY, tablet_world
    from .test_tablet_concurrency import _enrolled_tablet

    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        world = tablet_world()
    tablet = _enrolled_tablet(app, world["token"], world["aino"])
    staff = _signed_in(app, world["staff"])
    statuses: list[int] = []
    for _round in range(6):
        key = secrets.token_hex(16)
        form = {"key": key, "step": world["step"], "half": "am", "units": "400"}
        answer = tablet.post("/tablet/report", data=form,
                             headers={"Accept": "application/json"}).get_json()
        assert answer["to_check"] > 0
        with app.app_context():
            check_id = db.session.scalars(select(UnitsCheck.id).where(
                UnitsCheck.decided_at.is_(None))).one()
        posts = [(tablet, f"/tablet/done/{key}", {"units": "30"}),
                 (staff, f"/tablet/checks/{world['centre']}/{check_id}",
                  {"decision": "confirm"})]
        _in_threads(2, lambda i, posts=posts: statuses.append(
            posts[i][0].post(posts[i][1], data=posts[i][2]).status_code))
        with app.app_context():
            step = db.session.get(OrderStep, world["step"])
            stored = db.session.scalar(select(func.sum(ProgressReport.units)))
            assert step.units_done == stored
    assert all(status < 500 for status in statuses), statuses


def test_help_pressed_on_four_tablets_at_once_raises_one_alert(app):
    from workcentre.models import HelpRequest

    from ..tablet_world import WORKDAY, tablet_world
    from .test_tablet_concurrency import _enrolled_tablet

    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        world = tablet_world(kiosks=4)
    tablets = [_enrolled_tablet(app, token, world["aino"]) for token in world["tokens"]]
    statuses: list[int] = []
    _in_threads(4, lambda i: statuses.append(tablets[i].post("/tablet/help").status_code))
    assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 1
