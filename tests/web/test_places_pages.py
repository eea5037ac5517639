"""Instructors set up work areas, task types and instructors; the planning instance follows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from scheduling import load_instance
from workcentre.extensions import db
from workcentre.models import Absence, Area, Centre, Instructor, Role, TaskType
from workcentre.planning.services import area_key, build_instance, instructor_key

from ..factories import login, make_centre, make_user


@pytest.fixture
def setup(app):
    with app.app_context():
        centre, other = make_centre("Koti"), make_centre("Muu")
        user = make_user(Role.INSTRUCTOR, centre=centre)
        foreign = Area(centre=other, name="Vieras tila", seats=3)
        db.session.add(foreign)
        db.session.commit()
        return {"centre": centre.id, "email": user.email, "foreign_area": foreign.id,
                "instructor": user.instructor.id}


def test_areas_task_types_and_instructors_become_the_instance(app, client, setup):
    login(client, setup["email"])
    base = f"/centre/{setup['centre']}"
    assert client.get(base + "/").status_code == 200
    assert client.post(base + "/areas/new", data={"name": "Pakkaamo", "seats": "8"}) \
        .status_code == 302
    with app.app_context():
        area = db.session.scalars(select(Area).where(Area.name == "Pakkaamo")).one()
    form = {"name": "Pakkaus", "code": "pakkaus", "easy_name": "Pakkaat", "area_id": area.id,
            "tags": ["noise"], "max_workers": "3", "pictogram": "box",
            "instructions": "Ota laatikko.\n\n  Laita tuotteet.  \n"}
    assert client.post(base + "/task-types/new", data=form).status_code == 302
    edit = f"{base}/instructors/{setup['instructor']}"
    response = client.post(edit, data={"name": "Oona Ohjaaja", "capacity": "7",
                                       "attends": ["mon-am", "tue-pm"], "areas": [area.id],
                                       "user_id": "0"})
    assert response.status_code == 302
    with app.app_context():
        kind = db.session.scalars(select(TaskType)).one()
        assert [i.text for i in kind.instructions] == ["Ota laatikko.", "Laita tuotteet."]
        data = build_instance(db.session.get(Centre, setup["centre"]), "2026-W48")
    load_instance(data)
    assert data["areas"] == [{"id": area_key(area.id), "name": "Pakkaamo", "seats": 8}]
    assert data["task_types"][0]["max_workers"] == 3 and data["task_types"][0]["tags"] == \
        ["noise"]
    staff = next(i for i in data["instructors"] if i["id"] == instructor_key(setup["instructor"]))
    assert staff == {"id": instructor_key(setup["instructor"]), "attends": ["mon-am", "tue-pm"],
                     "capacity": 7, "areas": [area_key(area.id)]}


def test_bad_input_is_refused_and_saves_nothing(app, client, setup):
    login(client, setup["email"])
    base = f"/centre/{setup['centre']}"
    client.post(base + "/areas/new", data={"name": "Pakkaamo", "seats": "8"})
    twice = client.post(base + "/areas/new", data={"name": "Pakkaamo", "seats": "2"})
    assert "Tällä nimellä on jo työtila." in twice.get_data(as_text=True)
    negative = client.post(base + "/areas/new", data={"name": "Halli", "seats": "-1"})
    assert "Anna luku 0–500." in negative.get_data(as_text=True)
    with app.app_context():
        area = db.session.scalars(select(Area).where(Area.name == "Pakkaamo")).one()
        assert area.seats == 8
    bad_code = client.post(base + "/task-types/new", data={
        "name": "X", "code": "Iso Koodi!", "area_id": area.id, "pictogram": "box"})
    assert "Pienet kirjaimet" in bad_code.get_data(as_text=True)
    foreign = client.post(base + "/task-types/new", data={
        "name": "X", "code": "x", "area_id": setup["foreign_area"], "pictogram": "box"})
    assert foreign.status_code == 200
    with app.app_context():
        assert db.session.scalars(select(TaskType)).first() is None


def test_instructor_absences_and_other_centres(app, client, setup):
    login(client, setup["email"])
    base = f"/centre/{setup['centre']}"
    client.post(f"{base}/instructors/{setup['instructor']}", data={
        "name": "Oona", "capacity": "6", "attends": ["mon-am", "mon-pm"], "user_id": "0"})
    url = f"{base}/instructors/{setup['instructor']}/absences"
    client.post(url, data={"first_day": "2026-11-23", "half": "pm"})
    with app.app_context():
        absence = db.session.scalars(select(Absence)).one()
        assert (absence.day, absence.half, absence.instructor_id) == \
            (date(2026, 11, 23), "pm", setup["instructor"])
        data = build_instance(db.session.get(Centre, setup["centre"]), "2026-W48")
        staff = next(i for i in data["instructors"])
        assert staff["attends"] == ["mon-am"]
        other = db.session.scalars(select(Centre).where(Centre.name == "Muu")).one().id
        outsider = Instructor(name="Muu ohjaaja", centres=[db.session.get(Centre, other)])
        db.session.add(outsider)
        db.session.commit()
        outsider_id = outsider.id
    assert client.get(f"/centre/{other}/").status_code == 404
    assert client.get(f"{base}/instructors/{outsider_id}").status_code == 404
    assert client.get(f"{base}/areas/{setup['foreign_area']}").status_code == 404
