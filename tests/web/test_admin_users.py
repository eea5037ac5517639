"""The admin's user pages: find, edit, close and reopen accounts, move instructors, roles in
words, conflicts between two admins, and only admins get in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import app_config
from tests.factories import login, make_centre, make_company, make_user
from workcentre import create_app
from workcentre.auth.models import LoginSession
from workcentre.extensions import db
from workcentre.models import Area, AuditEvent, Instructor, Role, User


@pytest.fixture
def people(app):
    """Two centres, an admin, an instructor in the first centre, a company user."""
    with app.app_context():
        north, south = make_centre("Pohjoinen"), make_centre("Eteläinen")
        db.session.add(Area(centre=north, name="Pakkaamo", seats=4))
        db.session.add(Area(centre=south, name="Kokoonpano", seats=4))
        company = make_company("Tilaaja Oy")
        admin = make_user(Role.ADMIN, email="paa@test.example")
        teacher = make_user(Role.INSTRUCTOR, centre=north, email="ohjaaja@test.example")
        teacher.name = teacher.instructor.name = "Olli Ohjaaja"
        teacher.instructor.areas = list(north.areas)
        buyer = make_user(Role.COMPANY, company=company, email="tilaaja@test.example")
        buyer.name = "Tiina Tilaaja"
        admin.name = "Paula Pääkäyttäjä"
        db.session.commit()
        return {"north": north.id, "south": south.id, "company": company.id,
                "admin": admin.id, "teacher": teacher.id, "buyer": buyer.id}


def _admin(app):
    client = app.test_client()
    assert login(client, "paa@test.example").status_code == 302
    return client


def _form(client, user_id: int) -> dict:
    """The edit form's version, as the browser would send it back."""
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page)
    return {"version": version.group(1)}


def _user(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_roles_are_shown_in_words_in_each_language(app, people):
    client = _admin(app)
    page = client.get("/admin/users").get_data(as_text=True)
    for words in ("Pääkäyttäjä", "Ohjaaja", "Yrityksen käyttäjä"):
        assert f">{words}</td>" in page
    assert ">admin</td>" not in page and ">company</td>" not in page
    client.post("/language/en")
    page = client.get("/admin/users").get_data(as_text=True)
    assert ">Administrator</td>" in page and ">Company user</td>" in page
    client.post("/language/sv")
    page = client.get("/admin/users").get_data(as_text=True)
    assert ">Handledare</td>" in page


def test_users_are_found_by_text_role_centre_and_status(app, people):
    client = _admin(app)

    def names(query: str) -> set[str]:
        page = client.get(f"/admin/users?{query}").get_data(as_text=True)
        return set(re.findall(r'/admin/users/\d+">([^<]+)</a>', page))

    assert names("") == {"Olli Ohjaaja", "Tiina Tilaaja", "Paula Pääkäyttäjä"}
    assert names("q=tiina") == {"Tiina Tilaaja"}
    assert names("q=OHJAAJA%40test") == {"Olli Ohjaaja"}
    assert names("role=company") == {"Tiina Tilaaja"}
    assert names(f"centre={people['north']}") == {"Olli Ohjaaja"}
    assert names(f"centre={people['south']}") == set()
    client.post(f"/admin/users/{people['buyer']}/deactivate")
    assert names("") == {"Olli Ohjaaja", "Paula Pääkäyttäjä"}
    assert names("status=inactive") == {"Tiina Tilaaja"}
    assert names("status=all&role=bogus") == {"Olli Ohjaaja", "Tiina Tilaaja",
                                              "Paula Pääkäyttäjä"}


def test_admin_edits_name_email_role_and_company(app, people):
    client = _admin(app)
    form = _form(client, people["buyer"])
    response = client.post(f"/admin/users/{people['buyer']}", data={
        **form, "name": "Tiina Uusi", "email": " Tiina.Uusi@Test.example ", "role": "company",
        "company_id": people["company"]})
    assert response.status_code == 302
    saved = _user(app, people["buyer"])
    assert (saved.name, saved.email) == ("Tiina Uusi", "tiina.uusi@test.example")
    assert saved.version == int(form["version"]) + 1
    changes = [e for e in _events(app, "update") if e.entity == "user_account"]
    assert changes and {"name", "email"} <= set(changes[-1].fields)


def test_bad_edits_are_refused_in_finnish_and_change_nothing(app, people):
    client = _admin(app)
    form = _form(client, people["buyer"])
    taken = client.post(f"/admin/users/{people['buyer']}", data={
        **form, "name": "X", "email": "ohjaaja@test.example", "role": "company",
        "company_id": people["company"]})
    assert taken.status_code == 400
    assert "Tällä sähköpostilla on jo käyttäjä." in taken.get_data(as_text=True)
    no_company = client.post(f"/admin/users/{people['buyer']}", data={
        **form, "name": "X", "email": "x@test.example", "role": "company", "company_id": 0})
    assert "Yrityksen käyttäjälle valitaan yritys." in no_company.get_data(as_text=True)
    bad_role = client.post(f"/admin/users/{people['buyer']}", data={
        **form, "name": "X", "email": "x@test.example", "role": "kiosk"})
    assert bad_role.status_code == 400
    saved = _user(app, people["buyer"])
    assert (saved.name, saved.email, saved.role) == ("Tiina Tilaaja", "tilaaja@test.example",
                                                     "company")


def test_second_admin_saving_an_old_form_is_told_not_obeyed(app, people):
    first, second = _admin(app), _admin(app)
    form = _form(first, people["teacher"])
    assert _form(second, people["teacher"]) == form
    base = {"email": "ohjaaja@test.example", "role": "instructor",
            "centres": [people["north"]]}
    assert first.post(f"/admin/users/{people['teacher']}",
                      data={**form, **base, "name": "Olli Ensimmäinen"}).status_code == 302
    late = second.post(f"/admin/users/{people['teacher']}",
                       data={**form, **base, "name": "Olli Toinen"})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Toinen pääkäyttäjä muutti tätä käyttäjää" in page
    assert 'value="Olli Ensimmäinen"' in page  # the form now shows what is saved
    assert _user(app, people["teacher"]).name == "Olli Ensimmäinen"


def test_instructor_moves_between_centres(app, people):
    client = _admin(app)
    form = _form(client, people["teacher"])
    response = client.post(f"/admin/users/{people['teacher']}", data={
        **form, "name": "Olli Ohjaaja", "email": "ohjaaja@test.example", "role": "instructor",
        "centres": [people["south"]]})
    assert response.status_code == 302
    with app.app_context():
        instructor = db.session.scalar(select(Instructor).where(
            Instructor.user_id == people["teacher"]))
        assert [c.id for c in instructor.centres] == [people["south"]]
        assert instructor.areas == []  # the old centre's rooms are no longer theirs
    moved = [e for e in _events(app, "update") if e.entity == "instructor"]
    assert any("centres" in e.fields for e in moved)
    teacher = app.test_client()
    login(teacher, "ohjaaja@test.example")
    assert teacher.get(f"/planning/{people['south']}/2026-W50").status_code == 200
    assert teacher.get(f"/planning/{people['north']}/2026-W50").status_code == 404


def test_a_new_instructor_gets_a_planning_record_with_their_centres(app, people):
    client = _admin(app)
    form = _form(client, people["buyer"])
    client.post(f"/admin/users/{people['buyer']}", data={
        **form, "name": "Tiina Tilaaja", "email": "tilaaja@test.example", "role": "instructor",
        "centres": [people["north"], people["south"]]})
    with app.app_context():
        user = db.session.get(User, people["buyer"])
        assert user.role == "instructor" and user.company_id is None
        assert sorted(c.id for c in user.instructor.centres) == sorted(
            [people["north"], people["south"]])


def test_deactivation_signs_the_user_out_everywhere_at_once(app, people):
    teacher = app.test_client()
    login(teacher, "ohjaaja@test.example")
    assert teacher.get("/planning/").status_code == 200
    client = _admin(app)
    response = client.post(f"/admin/users/{people['teacher']}/deactivate")
    assert response.status_code == 302
    assert "kirjattu ulos" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert teacher.get("/planning/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(LoginSession.id).where(
            LoginSession.user_id == people["teacher"], LoginSession.ended_at.is_(None))) is None
    assert "Sähköposti tai salasana on väärin." in login(
        app.test_client(), "ohjaaja@test.example").get_data(as_text=True)
    assert _events(app, "user_deactivated")


def test_reactivation_lets_the_user_in_again(app, people):
    client = _admin(app)
    client.post(f"/admin/users/{people['teacher']}/deactivate")
    response = client.post(f"/admin/users/{people['teacher']}/reactivate")
    assert response.status_code == 302
    assert _user(app, people["teacher"]).active
    assert login(app.test_client(), "ohjaaja@test.example").status_code == 302
    assert _events(app, "user_reactivated")


def test_the_last_active_admin_stays(app, people):
    client = _admin(app)
    response = client.post(f"/admin/users/{people['admin']}/deactivate", follow_redirects=True)
    assert "Omaa tunnusta ei voi poistaa käytöstä." in response.get_data(as_text=True)
    form = _form(client, people["admin"])
    demote = client.post(f"/admin/users/{people['admin']}", data={
        **form, "name": "Paula", "email": "paa@test.example", "role": "instructor"})
    assert demote.status_code == 400
    assert "ainoa käytössä oleva pääkäyttäjä" in demote.get_data(as_text=True)
    saved = _user(app, people["admin"])
    assert (saved.role, saved.active, saved.name) == ("admin", True, "Paula Pääkäyttäjä")


def test_an_admin_may_step_down_when_another_remains(app, people):
    with app.app_context():
        make_user(Role.ADMIN, email="toinen@test.example")
        db.session.commit()
    client = _admin(app)
    form = _form(client, people["admin"])
    response = client.post(f"/admin/users/{people['admin']}", data={
        **form, "name": "Paula", "email": "paa@test.example", "role": "instructor",
        "centres": [people["north"]]})
    assert response.status_code == 302
    assert _user(app, people["admin"]).role == "instructor"
    other = app.test_client()
    login(other, "toinen@test.example")
    assert other.get("/admin/users").status_code == 200


def test_two_admins_cannot_close_each_other(app, people):
    with app.app_context():
        second_id = make_user(Role.ADMIN, email="toinen@test.example").id
        db.session.commit()
    first = _admin(app)
    second = app.test_client()
    login(second, "toinen@test.example")
    assert first.post(f"/admin/users/{second_id}/deactivate").status_code == 302
    # The second admin was signed out at once and cannot close the first.
    assert second.post(f"/admin/users/{people['admin']}/deactivate").status_code == 302
    assert _user(app, people["admin"]).active


@pytest.mark.parametrize("who", ["instructor", "company", "kiosk"])
def test_only_admins_get_the_user_and_tablet_pages(app, people, who):
    from workcentre.tablet.services import start_enrolment

    client = app.test_client()
    if who == "kiosk":
        with app.app_context():
            from workcentre.models import Centre

            token = start_enrolment(db.session.get(Centre, people["north"]), "Tabletti")[1]
            db.session.commit()
        assert client.post(f"/tablet/enroll/{token}").status_code == 302
    else:
        email = "ohjaaja@test.example" if who == "instructor" else "tilaaja@test.example"
        login(client, email)
    user = people["teacher"]
    for url in (f"/admin/users/{user}", "/admin/tablets"):
        assert client.get(url).status_code == 403, url
    for url in (f"/admin/users/{user}", f"/admin/users/{user}/deactivate",
                f"/admin/users/{user}/reactivate", f"/admin/users/{user}/password-link",
                f"/admin/tablets/centre/{people['north']}/revoke"):
        assert client.post(url, data={"name": "X"}).status_code == 403, url
    assert _user(app, user).active and _user(app, user).name == "Olli Ohjaaja"


def test_admin_forms_need_the_csrf_token(database_url, people):
    app = create_app({**app_config(database_url), "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": "paa@test.example", "password": "oikea-salasana-123",
                                "csrf_token": token})
    assert client.post(f"/admin/users/{people['teacher']}/deactivate").status_code == 400
    assert client.post(f"/admin/users/{people['teacher']}/password-link").status_code == 400
    with app.app_context():
        assert db.session.get(User, people["teacher"]).active
