"""The floor view: today's half-day for the instructor's phone, help calls first, "Tulen"."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select

from workcentre.extensions import db
from workcentre.floor.services import call_state, open_help_call_count, open_help_calls
from workcentre.models import (
    Absence,
    Assignment,
    AuditEvent,
    HelpRequest,
    Participant,
    Role,
    WeekPlan,
)

from ..factories import login, make_centre, make_company, make_participant, make_user
from ..tablet_world import WORKDAY, tablet_world


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        return tablet_world()


@pytest.fixture
def tablet(app, world):
    client = app.test_client()
    assert client.post(f"/tablet/enroll/{world['token']}").status_code == 302
    assert client.post(f"/tablet/me/{world['aino']}").status_code == 302
    return client


@pytest.fixture
def staff(app, world):
    client = app.test_client()
    assert login(client, world["staff"]).status_code == 302
    return client


def _floor(world) -> str:
    return f"/floor/{world['centre']}"


def _call_id(app) -> int:
    with app.app_context():
        return db.session.scalars(select(HelpRequest.id)).one()


def test_the_floor_shows_who_does_what_and_how_far(app, world, tablet, staff):
    form = {"key": "a" * 32, "step": world["step"], "half": "am", "units": "12"}
    tablet.post("/tablet/report", data=form)
    form = {"key": "b" * 32, "step": world["step"], "half": "pm", "units": "12"}
    tablet.post("/tablet/report", data=form)
    page = staff.get(_floor(world)).get_data(as_text=True)
    assert "Tilanne nyt" in page and "Aino Testinen" in page and "Pakkaat laatikoita" in page
    # The half-day's own count against the tablet's target (180 units at this pace).
    assert ("12 / noin 180 kpl" in page) and ("24 /" not in page)
    assert "Kukaan ei pyydä nyt apua." in page
    for secret in ("50 %", "tuen tarve", "productivity"):
        assert secret not in page


def test_a_help_call_comes_first_in_plain_words(app, world, tablet, staff):
    tablet.post("/tablet/help")
    page = staff.get(_floor(world)).get_data(as_text=True)
    assert "Aino Testinen pyytää apua" in page and "juuri nyt" in page
    assert page.index("pyytää apua") < page.index("Pakkaat laatikoita")
    with app.app_context():
        area = db.session.scalars(select(HelpRequest)).one().area.name
    assert f"– {area}" in page


def test_the_live_part_answers_304_until_something_changes(app, world, tablet, staff):
    url = _floor(world) + "/live"
    first = staff.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    etag = first.headers["ETag"]
    assert "<html" not in first.get_data(as_text=True)  # a fragment, not a page
    same = staff.get(url, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""
    tablet.post("/tablet/help")
    changed = staff.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "pyytää apua" in changed.get_data(as_text=True)
    # Units reported change the view too.
    etag = changed.headers["ETag"]
    tablet.post("/tablet/report", data={"key": "c" * 32, "step": world["step"], "half": "am",
                                        "units": "5"})
    assert staff.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_the_live_part_follows_the_language(app, world, staff):
    url = _floor(world) + "/live"
    finnish = staff.get(url).headers["ETag"]
    staff.post("/language/en")
    english = staff.get(url, headers={"If-None-Match": finnish})
    assert english.status_code == 200 and english.headers["ETag"] != finnish


def test_answering_shows_on_the_tablet_and_is_audited(app, world, tablet, staff):
    assert tablet.get("/tablet/help/status").get_json() == {"state": "none"}
    page = tablet.post("/tablet/help").get_data(as_text=True)
    assert "Pyysit apua." in page and "Apupyyntö on lähetetty." in page
    assert tablet.get("/tablet/help/status").get_json() == {"state": "waiting"}
    call_id = _call_id(app)
    answer = staff.post(f"{_floor(world)}/calls/{call_id}/answer",
                        headers={"Accept": "application/json"})
    assert answer.get_json()["answered"] is True
    assert tablet.get("/tablet/help/status").get_json() == {"state": "coming"}
    assert "Ohjaaja tulee" in tablet.get("/tablet/work").get_data(as_text=True)
    assert "pyytää apua" not in staff.get(_floor(world)).get_data(as_text=True)
    with app.app_context():
        call = db.session.get(HelpRequest, call_id)
        assert call.acknowledged_at is not None and call.acknowledged_by_id is not None
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "help_call_answered")).all()
        assert [(e.entity_id, e.participant_id) for e in events] == [(str(call_id),
                                                                      world["aino"])]


def test_a_call_is_answered_once(app, world, tablet, staff):
    tablet.post("/tablet/help")
    call_id = _call_id(app)
    other = app.test_client()
    with app.app_context():
        from workcentre.models import Centre

        colleague = make_user(Role.INSTRUCTOR, centre=db.session.get(Centre, world["centre"]))
        db.session.commit()
        email = colleague.email
    login(other, email)
    url = f"{_floor(world)}/calls/{call_id}/answer"
    assert staff.post(url, headers={"Accept": "application/json"}).get_json()["answered"]
    second = other.post(url)  # without JavaScript: back to the floor with a message
    assert second.status_code == 302 and second.headers["Location"].endswith(_floor(world))
    assert "Joku on jo menossa." in other.get(_floor(world)).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AuditEvent.id)).where(
            AuditEvent.action == "help_call_answered")) == 1


def test_the_week_page_answer_is_audited_too(app, world, tablet, staff):
    tablet.post("/tablet/help")
    call_id = _call_id(app)
    staff.post(f"/planning/{world['centre']}/help/{call_id}/ack")
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AuditEvent.id)).where(
            AuditEvent.action == "help_call_answered")) == 1


def test_who_may_see_and_answer(app, world, tablet):
    tablet.post("/tablet/help")
    call_id = _call_id(app)
    with app.app_context():
        other_centre = make_centre("Kolmas")
        outsider = make_user(Role.INSTRUCTOR, centre=other_centre)
        admin = make_user(Role.ADMIN)
        company = make_user(Role.COMPANY, company=make_company("Asiakas Oy"))
        db.session.commit()
        emails = {"outsider": outsider.email, "admin": admin.email, "company": company.email}
    urls = [_floor(world), _floor(world) + "/live"]
    answer = f"{_floor(world)}/calls/{call_id}/answer"
    expected = {"outsider": 404, "admin": 200, "company": 403}
    for who, email in emails.items():
        client = app.test_client()
        login(client, email)
        for url in urls:
            assert client.get(url).status_code == expected[who], (who, url)
        if who != "admin":
            assert client.post(answer).status_code == expected[who], who
    assert tablet.get(_floor(world)).status_code == 403
    assert tablet.post(answer).status_code == 403
    anonymous = app.test_client()
    assert "/login" in anonymous.get(_floor(world)).headers["Location"]
    with app.app_context():
        assert db.session.get(HelpRequest, call_id).acknowledged_at is None
    # A call of another centre is not found through this centre's address.
    with app.app_context():
        stranger_call = HelpRequest(participant_id=world["stranger"])
        db.session.add(stranger_call)
        db.session.commit()
        stranger_id = stranger_call.id
    client = app.test_client()
    login(client, world["staff"])
    assert client.post(f"{_floor(world)}/calls/{stranger_id}/answer").status_code == 404


def test_a_tablet_sees_only_its_own_persons_call(app, world, tablet):
    with app.app_context():
        from workcentre.models import Centre

        centre = db.session.get(Centre, world["centre"])
        eino = make_participant(centre, first_name="Eino")
        db.session.add(HelpRequest(participant_id=eino.id))
        db.session.commit()
    assert tablet.get("/tablet/help/status").get_json() == {"state": "none"}  # Aino's: none
    nobody = app.test_client()
    nobody.post(f"/tablet/enroll/{world['tokens'][0]}")  # used: not enrolled
    assert nobody.get("/tablet/help/status").status_code == 302
    staff = app.test_client()
    login(staff, world["staff"])
    assert staff.get("/tablet/help/status").status_code == 403


def test_open_help_calls_of_several_centres(app, world):
    with app.app_context():
        db.session.add_all([HelpRequest(participant_id=world["aino"]),
                            HelpRequest(participant_id=world["stranger"])])
        db.session.commit()
        both = [world["centre"], db.session.get(Participant, world["stranger"]).centre_id]
        assert [c.participant_id for c in open_help_calls(both)] == [world["aino"],
                                                                     world["stranger"]]
        assert open_help_call_count(both) == 2
        assert open_help_call_count([world["centre"]]) == 1
        assert open_help_calls([]) == [] and open_help_call_count([]) == 0
        assert call_state(world["aino"]) == "waiting"


def test_people_away_or_without_a_task_are_shown_apart(app, world, staff):
    with app.app_context():
        from workcentre.models import Centre

        centre = db.session.get(Centre, world["centre"])
        make_participant(centre, first_name="Eino", attends=["wed-am", "wed-pm"])
        away = make_participant(centre, first_name="Olli", attends=["wed-am", "wed-pm"])
        db.session.add(Absence(participant_id=away.id, day=date.fromisoformat(WORKDAY)))
        db.session.commit()
    page = staff.get(_floor(world)).get_data(as_text=True)
    assert "Paikalla ilman tehtävää" in page and "Eino Testinen" in page
    assert "Poissa" in page and "Olli Testinen" in page


def test_an_empty_day_is_calm(app, staff, world):
    with app.app_context():
        db.session.execute(db.delete(Assignment))
        db.session.execute(db.delete(WeekPlan))
        db.session.execute(db.update(Participant).values(active=False))
        db.session.commit()
    page = staff.get(_floor(world)).get_data(as_text=True)
    assert "Tälle viikolle ei ole julkaistua suunnitelmaa." in page
    assert "Tähän puolipäivään ei ole ketään tulossa." in page


def _statements(app, client, url: str, headers: dict | None = None) -> tuple[int, int]:
    """(status, SQL statements) of one request."""
    seen = []
    with app.app_context():
        engine = db.engine

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        status = client.get(url, headers=headers or {}).status_code
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return status, len(seen)


def test_the_live_part_is_a_few_queries_whatever_the_number_of_people(app, world, staff):
    url = _floor(world) + "/live"
    _, few = _statements(app, staff, url)
    with app.app_context():
        from workcentre.models import Centre

        centre = db.session.get(Centre, world["centre"])
        plan = db.session.scalars(select(WeekPlan)).one()
        step_id = db.session.scalars(select(Assignment.step_id)).first()
        for n in range(20):
            person = make_participant(centre, first_name=f"H{n}", attends=["wed-am", "wed-pm"])
            for half in ("am", "pm"):
                db.session.add(Assignment(plan_id=plan.id, participant_id=person.id,
                                          step_id=step_id, day=date.fromisoformat(WORKDAY),
                                          half=half))
        db.session.commit()
    status, many = _statements(app, staff, url)
    assert status == 200 and many <= few + 1, (few, many)
    etag = staff.get(url).headers["ETag"]
    status, unchanged = _statements(app, staff, url, {"If-None-Match": etag})
    assert status == 304 and unchanged <= 5, unchanged


def test_a_closed_day_says_so_but_still_shows_calls(app, world, staff):
    app.config["CLOCK_TODAY"] = "2026-11-28"  # a Saturday
    with app.app_context():
        db.session.add(HelpRequest(participant_id=world["aino"]))
        db.session.commit()
    page = staff.get(_floor(world)).get_data(as_text=True)
    assert "Tänään ei ole työpäivä." in page and "Aino Testinen pyytää apua" in page
    assert "Pakkaat laatikoita" not in page


def test_the_tablet_says_coming_only_for_a_while(app, world):
    from datetime import timedelta

    from workcentre.floor.services import COMING_FOR
    from workcentre.models import utcnow

    with app.app_context():
        answered = utcnow()
        db.session.add(HelpRequest(participant_id=world["aino"], acknowledged_at=answered))
        db.session.commit()
        assert call_state(world["aino"], answered + COMING_FOR) == "coming"
        assert call_state(world["aino"], answered + COMING_FOR + timedelta(seconds=1)) == "none"
