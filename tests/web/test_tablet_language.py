"""The tablet speaks the person's language: selkokieli by default, Finnish, Swedish or English
chosen with big picture buttons, remembered for the person (not for the tablet)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import AuditEvent, OrderStep, Participant

from ..factories import login, make_participant
from ..tablet_world import WORKDAY, tablet_world


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        found = tablet_world()
        step = db.session.get(OrderStep, found["step"])
        step.task_type.name = "Pakkaus"
        other = make_participant(db.session.get(Participant, found["aino"]).centre,
                                 first_name="Eero", attends=["wed-am", "wed-pm"])
        found["eero"] = other.id
        db.session.commit()
        return found


@pytest.fixture
def tablet(app, world):
    client = app.test_client()
    assert client.post(f"/tablet/enroll/{world['token']}").status_code == 302
    return client


def _work(tablet, person: int) -> str:
    tablet.get("/tablet/")  # "who am I" first, as on the tablet
    assert tablet.post(f"/tablet/me/{person}").status_code == 302
    return tablet.get("/tablet/work").get_data(as_text=True)


def test_selkokieli_is_the_default_and_the_choice_is_remembered_per_person(app, tablet, world):
    page = _work(tablet, world["aino"])
    assert "Hei Aino!" in page and "Pakkaat laatikoita" in page  # selkokieli: the easy name
    choices = tablet.get("/tablet/language").get_data(as_text=True)
    for name in ("Selkosuomi", "Suomi", "Svenska", "English"):
        assert name in choices
    assert tablet.post("/tablet/language", data={"language": "sv"}).status_code == 302
    assert "Hej Aino!" in tablet.get("/tablet/work").get_data(as_text=True)
    # Someone else on the same tablet starts in selkokieli; Aino comes back to Swedish.
    assert "Hei Eero!" in _work(tablet, world["eero"])
    assert "Hej Aino!" in _work(tablet, world["aino"])
    index = tablet.get("/tablet/").get_data(as_text=True)
    assert 'lang="fi"' in index  # "who am I" is in the tablet's default language again
    with app.app_context():
        assert db.session.get(Participant, world["aino"]).tablet_language == "sv"
        assert db.session.get(Participant, world["eero"]).tablet_language is None
        changed = db.session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "participant", AuditEvent.entity_id == str(world["aino"]))).all()
        assert any("tablet_language" in e.fields for e in changed)


def test_standard_finnish_shows_the_tasks_own_name(app, tablet, world):
    _work(tablet, world["aino"])
    tablet.post("/tablet/language", data={"language": "fi"})
    page = tablet.get("/tablet/work").get_data(as_text=True)
    assert "Hei Aino!" in page and "Pakkaus" in page
    assert 'data-speech-rate="0.9"' in page
    tablet.post("/tablet/language", data={"language": "selko"})
    page = tablet.get("/tablet/work").get_data(as_text=True)
    assert "Pakkaat laatikoita" in page and 'data-speech-rate="0.75"' in page


def test_a_bad_choice_changes_nothing(app, tablet, world):
    _work(tablet, world["aino"])
    tablet.post("/tablet/language", data={"language": "en"})
    response = tablet.post("/tablet/language", data={"language": "xx"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Participant, world["aino"]).tablet_language == "en"
    assert "Hi Aino!" in tablet.get("/tablet/work").get_data(as_text=True)


def test_nobody_chosen_no_language_page(app, tablet, world):
    tablet.get("/tablet/")
    assert tablet.get("/tablet/language").status_code == 302
    assert tablet.post("/tablet/language", data={"language": "sv"}).status_code == 302
    with app.app_context():
        assert db.session.get(Participant, world["aino"]).tablet_language is None


def test_only_a_tablet_has_the_language_page(app, client, world):
    login(client, world["staff"])
    assert client.get("/tablet/language").status_code in (302, 403)
    assert client.post("/tablet/language", data={"language": "sv"}).status_code in (302, 403)
    with app.app_context():
        assert db.session.get(Participant, world["aino"]).tablet_language is None


def test_a_coded_persons_language_shows_only_after_their_code(app, tablet, world):
    with app.app_context():
        aino = db.session.get(Participant, world["aino"])
        aino.picture_pin, aino.tablet_language = ["sun", "fish", "star"], "sv"
        db.session.commit()
    tablet.get("/tablet/")
    tablet.post(f"/tablet/me/{world['aino']}")
    assert "Hei Aino! Paina omat kuvasi." in tablet.get("/tablet/pin").get_data(as_text=True)
    for picture in ("sun", "fish", "star"):
        response = tablet.post("/tablet/pin", data={"picture": picture})
    assert response.headers["Location"].endswith("/tablet/work")
    assert "Hej Aino!" in tablet.get("/tablet/work").get_data(as_text=True)
