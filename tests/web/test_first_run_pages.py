"""The first run in the browser's pages: with no centre yet, nobody meets a dead end or a form
that silently refuses to save."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from workcentre import create_app
from workcentre.extensions import db
from workcentre.models import Area, Centre, Company, Instructor, Participant, Product, Role

from ..conftest import app_config
from ..factories import (
    PASSWORD,
    login,
    make_centre,
    make_company,
    make_participant,
    make_task_type,
    make_user,
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _signed_in(app, client, role: Role) -> None:
    with app.app_context():
        email = make_user(role).email
        db.session.commit()
    login(client, email)


def _new_person() -> dict:
    # What the browser sends from the form when there is no centre to choose: an empty hidden
    # centre_id.
    return {"first_name": "Aino", "last_name": "Aalto", "centre_id": "", "attends": ["mon-am"],
            "support_points": "0", "productivity": "100", "pin_1": "", "pin_2": "", "pin_3": ""}


def test_a_new_participant_with_no_centre_yet_is_refused_aloud(app, client):
    _signed_in(app, client, Role.ADMIN)
    response = client.post("/people/new", data=_new_person())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Perusta ensin työkeskus" in page
    assert 'value="Aino"' in page and 'value="Aalto"' in page  # what was typed stays
    assert 'href="/setup/"' in page
    with app.app_context():
        assert _count(Participant) == 0


def test_an_admin_with_no_centre_is_led_to_create_one(app, client):
    _signed_in(app, client, Role.ADMIN)
    response = client.get("/planning/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Uusi työkeskus" in page and "Perusta työkeskus" in page
    assert 'value="08:30"' in page and 'value="14:45"' in page


def test_a_centre_from_the_form_then_the_checklist(app, client):
    _signed_in(app, client, Role.ADMIN)
    response = client.post("/setup/centre/new", data={
        "name": " Kivikon  työkeskus ", "address": "Kivikontie 1, Helsinki",
        "am_from": "8:00", "am_to": "11:00", "pm_from": "12:00", "pm_to": "15:30"},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Käyttöönotto" in page and "Kivikon työkeskus" in page
    assert "Seuraava vaihe" in page and "Lisää työtila" in page
    with app.app_context():
        centre = db.session.scalars(select(Centre)).one()
        assert (centre.name, centre.address) == ("Kivikon työkeskus", "Kivikontie 1, Helsinki")
        assert (centre.am_start, centre.am_minutes, centre.pm_start, centre.pm_minutes) == \
            ("08:00", 180, "12:00", 210)
    missing = client.get("/planning/").get_data(as_text=True)
    for text in ("Ennen kuin viikon voi suunnitella", "Työtiloja ei ole vielä.",
                 "Ohjaajia ei ole vielä.", "Asiakkaita ei ole vielä.", "Tilauksia ei ole vielä."):
        assert text in missing


@pytest.mark.parametrize(("changes", "message"), [
    ({"am_to": "7:00"}, "loppuu ennen"),
    ({"pm_from": "10:00"}, "Iltapäivä alkaa"),
    ({"am_from": "klo 8"}, "klo 8"),
    ({"name": "Olemassa"}, "Tällä nimellä on jo työkeskus"),
])
def test_a_bad_centre_form_says_what_is_wrong_and_saves_nothing(app, client, changes, message):
    _signed_in(app, client, Role.ADMIN)
    with app.app_context():
        make_centre("Olemassa")
        db.session.commit()
    data = {"name": "Uusi", "address": "", "am_from": "08:30", "am_to": "11:30",
            "pm_from": "12:15", "pm_to": "14:45", **changes}
    response = client.post("/setup/centre/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    with app.app_context():
        assert _count(Centre) == 1


def test_an_instructor_with_a_sign_in_plans_the_centre(app, client):
    _signed_in(app, client, Role.ADMIN)
    with app.app_context():
        centre = make_centre("Kivikko")
        area = Area(centre=centre, name="Halli", seats=4)
        db.session.add(area)
        db.session.commit()
        centre_id, area_id = centre.id, area.id
    response = client.post(f"/setup/{centre_id}/instructors/new", data={
        "name": "Olli Ohjaaja", "email": "Olli@Kivikko.example", "password": "pitka-salasana-1",
        "capacity": "8", "attends": ["mon-am", "tue-am"], "areas": [str(area_id)]})
    assert response.status_code == 302
    again = client.post(f"/setup/{centre_id}/instructors/new", data={
        "name": "Toinen", "email": "olli@kivikko.example", "password": "pitka-salasana-1",
        "capacity": "8", "attends": ["mon-am"]})
    assert "Tällä sähköpostilla on jo käyttäjä" in again.get_data(as_text=True)
    with app.app_context():
        instructor = db.session.scalars(select(Instructor)).one()
        assert instructor.user.email == "olli@kivikko.example"
        assert (instructor.capacity, instructor.attends) == (8, ["mon-am", "tue-am"])
        assert [a.name for a in instructor.areas] == ["Halli"]
    olli = app.test_client()
    login(olli, "olli@kivikko.example", "pitka-salasana-1")
    assert "Kivikko" in olli.get("/planning/").get_data(as_text=True)
    assert olli.get("/setup/").status_code == 403


def test_companies_and_their_users_from_the_page(app, client):
    _signed_in(app, client, Role.ADMIN)
    client.post("/setup/companies", data={"company-name": "Kartonki Oy"})
    duplicate = client.post("/setup/companies", data={"company-name": "kartonki oy"})
    assert "Tällä nimellä on jo yritys" in duplicate.get_data(as_text=True)
    with app.app_context():
        company_id = db.session.scalars(select(Company)).one().id
    short = client.post("/setup/companies", data={
        "user-company_id": company_id, "user-name": "Tiina", "user-email": "t@k.example",
        "user-password": "lyhyt"})
    assert "Vähintään 10 merkkiä" in short.get_data(as_text=True)
    response = client.post("/setup/companies", data={
        "user-company_id": company_id, "user-name": "Tiina", "user-email": "t@k.example",
        "user-password": "pitka-salasana-1"}, follow_redirects=True)
    assert "Tiina (t@k.example)" in response.get_data(as_text=True)
    tiina = app.test_client()
    login(tiina, "t@k.example", "pitka-salasana-1")
    assert tiina.get("/company/orders").status_code == 200
    assert tiina.get("/setup/companies").status_code == 403


def test_an_instructor_with_no_centre_gets_a_way_forward(app, client):
    with app.app_context():
        admin = make_user(Role.ADMIN, email="paa@kivikko.example")
        admin.name = "Pää Käyttäjä"
        db.session.commit()
    _signed_in(app, client, Role.INSTRUCTOR)
    page = client.get("/planning/").get_data(as_text=True)
    assert "Et ole vielä minkään työkeskuksen ohjaaja" in page
    assert "Pää Käyttäjä" in page and "mailto:paa@kivikko.example" in page


def test_the_week_page_names_what_is_missing(app, client):
    with app.app_context():
        centre = make_centre("Kivikko")
        make_task_type(centre)
        make_participant(centre)
        user = make_user(Role.INSTRUCTOR, centre=centre)
        db.session.commit()
        centre_id, email = centre.id, user.email
    login(client, email)
    page = client.get(f"/planning/{centre_id}/2026-W50").get_data(as_text=True)
    assert "Kukaan ei osaa vielä yhtään tehtävää." in page
    assert "Tilauksia ei ole vielä." in page
    assert "Ohjaajia ei ole vielä" not in page


def test_catalogue_products_reach_the_company_form(app, client):
    with app.app_context():
        centre = make_centre("Kivikko")
        kind = make_task_type(centre)
        other_kind = make_task_type(make_centre("Toinen"), code="other")
        company = make_company("Kartonki Oy")
        staff = make_user(Role.INSTRUCTOR, centre=centre)
        buyer = make_user(Role.COMPANY, company=company)
        db.session.commit()
        ids = (centre.id, kind.id, other_kind.id, company.id)
        emails = (staff.email, buyer.email)
    centre_id, kind_id, other_id, _ = ids
    login(client, emails[0])
    url = f"/setup/{centre_id}/products"
    form = {"name": "Lahjarasia", "task_type_id": kind_id, "seconds_per_unit": "40",
            "company_id": "0"}
    assert client.post(url, data=form).status_code == 302
    assert client.post(url, data={**form, "name": "lahjarasia", "seconds_per_unit": "35"}) \
        .status_code == 302  # the same product: its standard time changes
    refused = client.post(url, data={**form, "name": "Muu", "task_type_id": other_id})
    assert refused.status_code == 200
    bad = client.post(url, data={**form, "name": "Muu", "seconds_per_unit": "0"})
    assert "Anna luku 1–36000." in bad.get_data(as_text=True)
    with app.app_context():
        product = db.session.scalars(select(Product)).one()
        assert (product.name, product.seconds_per_unit, product.company_id) == \
            ("Lahjarasia", 35, None)
    buyer_client = app.test_client()
    login(buyer_client, emails[1])
    assert '<option value="Lahjarasia">' in \
        buyer_client.get("/company/orders/new").get_data(as_text=True)


def test_the_people_workbook_with_no_centre_yet_says_why(app, client):
    _signed_in(app, client, Role.INSTRUCTOR)
    response = client.get("/people/import", follow_redirects=True)
    assert response.status_code == 200
    assert "Perusta ensin työkeskus" in response.get_data(as_text=True)


def test_the_set_up_forms_need_their_csrf_token(app, database_url):  # app: empty tables
    guarded = create_app({**app_config(database_url), "WTF_CSRF_ENABLED": True})
    with guarded.app_context():
        make_user(Role.ADMIN, email="paa@kivikko.example")
        db.session.commit()
    client = guarded.test_client()

    def token(url: str, name: str = "csrf_token") -> str:
        page = client.get(url).get_data(as_text=True)
        return re.search(rf'name="{name}"[^>]*value="([^"]+)"', page).group(1)

    client.post("/login", data={"email": "paa@kivikko.example", "password": PASSWORD,
                                "csrf_token": token("/login")})
    centre = {"name": "Kivikko", "am_from": "08:30", "am_to": "11:30", "pm_from": "12:15",
              "pm_to": "14:45"}
    assert client.post("/setup/centre/new", data=centre).status_code == 400
    signed = {**centre, "csrf_token": token("/setup/centre/new")}
    assert client.post("/setup/centre/new", data=signed).status_code == 302
    company = {"company-name": "Kartonki Oy"}
    assert client.post("/setup/companies", data=company).status_code == 400
    company["company-csrf_token"] = token("/setup/companies", "company-csrf_token")
    assert client.post("/setup/companies", data=company).status_code == 302
    with guarded.app_context():
        assert (_count(Centre), _count(Company)) == (1, 1)
        db.engine.dispose()
