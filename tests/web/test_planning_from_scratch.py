"""A new centre set up through the pages only, then planned: the newcomer's path."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from scheduling import evaluate, load_instance
from workcentre.extensions import db
from workcentre.models import Area, Centre, Order, OrderStatus, OrderStep, Role, TaskType
from workcentre.planning import store

from ..factories import login, make_centre, make_company, make_user

WEEK = "2026-W48"


def test_people_and_places_from_the_pages_make_a_valid_plan(app, client):
    with app.app_context():
        centre = make_centre("Uusi keskus")
        user = make_user(Role.INSTRUCTOR, centre=centre)
        company = make_company("Asiakas Oy")
        db.session.commit()
        ids = {"centre": centre.id, "instructor": user.instructor.id, "company": company.id}
    login(client, user.email)
    base = f"/centre/{ids['centre']}"
    client.post(base + "/areas/new", data={"name": "Halli", "seats": "4"})
    with app.app_context():
        area = db.session.scalars(select(Area)).one().id
    client.post(base + "/task-types/new", data={"name": "Pakkaus", "code": "pack",
                                                "area_id": area, "pictogram": "box"})
    client.post(f"{base}/instructors/{ids['instructor']}", data={
        "name": "Ohjaaja", "capacity": "6", "attends": ["mon-am", "mon-pm"], "user_id": "0"})
    with app.app_context():
        kind = db.session.scalars(select(TaskType)).one().id
    for name in ("Aino", "Eero", "Helmi"):
        response = client.post("/people/new", data={
            "first_name": name, "centre_id": ids["centre"], "attends": ["mon-am", "mon-pm"],
            "skills": [kind], "support_points": "2", "productivity": "100"})
        assert response.status_code == 302
    with app.app_context():
        # Intake is another page (issue 5); an accepted order is enough here.
        order = Order(company_id=ids["company"], centre_id=ids["centre"], reference="T-1",
                      title="Laatikot", status=OrderStatus.ACCEPTED,
                      steps=[OrderStep(task_type_id=kind, quantity=4000, seconds_per_unit=20)])
        db.session.add(order)
        db.session.commit()
    week = f"/planning/{ids['centre']}/{WEEK}"
    page = client.get(week).get_data(as_text=True)
    assert "Tarkista ennen suunnittelua" not in page, re.findall(r"<li>[^<]*</li>", page)
    client.post(week + "/solve", data={"time_limit": "10"})
    deadline = time.monotonic() + 60
    while client.get(week + "/run").get_json()["state"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    with app.app_context():
        centre = db.session.get(Centre, ids["centre"])
        plan = store.latest_plan(centre, WEEK)
        data = store.planning_instance(centre, WEEK)
        verdict = evaluate(load_instance(data), store.plan_json(plan, data))
        assert verdict.valid and verdict.terms["unassigned"] == 0
        assert len(plan.assignments) == 6  # three people, two half-days each
        assert {p.area_id for p in plan.placements} == {area}
