"""Instructors add and change participants and their absences; bad input changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import Absence, AuditEvent, Participant, ParticipantSupport, Role
from workcentre.planning.services import build_instance, participant_key

from ..factories import login, make_centre, make_participant, make_task_type, make_user


@pytest.fixture
def setup(app):
    with app.app_context():
        centre, other = make_centre("Koti"), make_centre("Muu")
        pack, sort = make_task_type(centre, "pack"), make_task_type(centre, "sort")
        sort.tags = ["noise"]
        instructor = make_user(Role.INSTRUCTOR, centre=centre)
        stranger = make_participant(other, first_name="Vieras")
        db.session.commit()
        return {"centre": centre.id, "pack": pack.id, "sort": sort.id,
                "email": instructor.email, "stranger": stranger.id}


def _form(setup, **changes) -> dict:
    form = {"first_name": "Iida", "last_name": "Uusi", "centre_id": setup["centre"],
            "attends": ["mon-am", "mon-pm", "wed-am"], "skills": [setup["pack"], setup["sort"]],
            "avoid_tags": ["noise"], "likes": [setup["pack"]], "dislikes": [],
            "needs_routine": "y", "support_points": "3", "productivity": "60", "notes": ""}
    form.update(changes)
    return form


def test_an_instructor_adds_a_participant_who_is_planned_as_entered(app, client, setup):
    login(client, setup["email"])
    assert client.get("/people/new").status_code == 200
    response = client.post("/people/new", data=_form(setup))
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalars(select(Participant).where(
            Participant.first_name == "Iida")).one()
        support = db.session.get(ParticipantSupport, person.id)
        assert (support.support_points, support.productivity) == (3, 60)
        assert person.attends == ["mon-am", "mon-pm", "wed-am"] and person.active
        data = build_instance(person.centre, "2026-W48")
        row = next(p for p in data["participants"] if p["id"] == participant_key(person.id))
        assert row["skills"] == ["pack", "sort"] and row["avoid_tags"] == ["noise"]
        assert row["prefers"] == ["pack"] and row["needs_routine"] is True
        assert row["support_points"] == 3 and row["productivity"] == 60
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.participant_id == person.id)).all()
        assert any(e.entity == "participant_support" for e in events)


def test_edits_are_validated_and_a_bad_form_saves_nothing(app, client, setup):
    login(client, setup["email"])
    client.post("/people/new", data=_form(setup))
    with app.app_context():
        person_id = db.session.scalars(select(Participant.id).where(
            Participant.first_name == "Iida")).one()
    edit = f"/people/{person_id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert 'value="60"' in page
    bad = client.post(edit, data=_form(setup, productivity="500", first_name="Muutettu"))
    assert bad.status_code == 200 and "Anna luku 1–200." in bad.get_data(as_text=True)
    both = client.post(edit, data=_form(setup, dislikes=[setup["pack"]], first_name="Muutettu"))
    assert "sekä mieluisa että epämieluisa" in both.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Participant, person_id).first_name == "Iida"
    good = client.post(edit, data=_form(setup, productivity="80", attends=["fri-pm"], active="y"))
    assert good.status_code == 302
    with app.app_context():
        assert db.session.get(ParticipantSupport, person_id).productivity == 80
        assert db.session.get(Participant, person_id).attends == ["fri-pm"]


def test_absences_cover_weekdays_and_can_be_removed(app, client, setup):
    login(client, setup["email"])
    client.post("/people/new", data=_form(setup))
    with app.app_context():
        person_id = db.session.scalars(select(Participant.id).where(
            Participant.first_name == "Iida")).one()
    url = f"/people/{person_id}/absences"
    # Friday to Tuesday: the weekend is skipped.
    client.post(url, data={"first_day": "2030-01-04", "last_day": "2030-01-08", "half": ""})
    backwards = client.post(url, data={"first_day": "2030-01-08", "last_day": "2030-01-01"},
                            follow_redirects=True)
    assert "Loppupäivä on ennen alkupäivää." in backwards.get_data(as_text=True)
    with app.app_context():
        days = [a.day for a in db.session.scalars(select(Absence).order_by(Absence.day))]
        assert days == [date(2030, 1, 4), date(2030, 1, 7), date(2030, 1, 8)]
        first = db.session.scalars(select(Absence.id).order_by(Absence.day)).first()
    assert client.post(f"{url}/{first}/delete").status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(Absence)).all()) == 2


def test_other_centres_people_are_not_found(app, client, setup):
    login(client, setup["email"])
    stranger = setup["stranger"]
    assert client.get(f"/people/{stranger}/edit").status_code == 404
    assert client.post(f"/people/{stranger}/edit", data=_form(setup)).status_code == 404
    assert client.post(f"/people/{stranger}/absences",
                       data={"first_day": "2030-01-04"}).status_code == 404
    # A participant cannot be moved into a centre the instructor does not work in.
    response = client.post("/people/new", data=_form(setup, centre_id="999"))
    assert response.status_code == 200
    with app.app_context():
        assert not db.session.scalars(select(Participant).where(
            Participant.first_name == "Iida")).first()
