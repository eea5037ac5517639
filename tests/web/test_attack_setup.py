"""Attack pass on the set-up and the admin's user pages: two admins doing the same at once,
a password link used while the account is closed. Real threads through the app, one test
client each, on SQLite and PostgreSQL; nobody gets a 500 and nothing is made twice."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import PASSWORD, login, make_centre, make_company, make_user
from tests.web.test_admin_concurrency import _together
from workcentre.extensions import db
from workcentre.models import Centre, Company, Role, User

ROUNDS = 4


def _two_admins(app):
    with app.app_context():
        emails = [make_user(Role.ADMIN).email for _ in range(2)]
        db.session.commit()
    clients = []
    for email in emails:
        client = app.test_client()
        assert login(client, email).status_code == 302
        clients.append(client)
    return clients


def _both(clients, url: str, data: dict) -> list[int]:
    """The same form sent by both clients at the same moment; their statuses."""
    first, second = clients
    return _together(lambda: first.post(url, data=data).status_code,
                     lambda: second.post(url, data=data).status_code)


def _each(clients, url: str, forms: tuple[dict, dict]) -> list[int]:
    """Each client sends its own form at the same moment; their statuses."""
    (first, second), (one, other) = clients, forms
    return _together(lambda: first.post(url, data=one).status_code,
                     lambda: second.post(url, data=other).status_code)


def _centre_form(name: str) -> dict[str, str]:
    return {"name": name, "address": "", "am_from": "08:30", "am_to": "11:30",
            "pm_from": "12:15", "pm_to": "14:45"}


def test_two_admins_creating_the_same_centre_at_once_make_one(app):
    admins = _two_admins(app)
    for n in range(ROUNDS):
        statuses = _both(admins, "/setup/centre/new", _centre_form(f"Uusi keskus {n}"))
        assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Centre)) == ROUNDS


def test_two_admins_creating_the_same_company_at_once_make_one(app):
    admins = _two_admins(app)
    for n in range(ROUNDS):
        statuses = _both(admins, "/setup/companies", {"company-name": f"Asiakas {n} Oy"})
        assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Company)) == ROUNDS


def test_names_that_differ_only_in_letter_case_made_at_once_are_one(app):
    """"Saimaan Paino" and "SAIMAAN PAINO" are the same company (and the same centre), also
    when two admins type them at the same moment."""
    first, second = _two_admins(app)
    for n in range(ROUNDS):
        forms = ({"company-name": f"Kirjain {n} Oy"}, {"company-name": f"KIRJAIN {n} OY"})
        assert max(_each((first, second), "/setup/companies", forms)) < 500
        forms = (_centre_form(f"Kirjainkeskus {n}"), _centre_form(f"kirjainkeskus {n}"))
        assert max(_each((first, second), "/setup/centre/new", forms)) < 500
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Company)) == ROUNDS
        assert db.session.scalar(select(func.count()).select_from(Centre)) == ROUNDS


def test_two_admins_adding_the_same_user_at_once_make_one(app):
    admins = _two_admins(app)
    with app.app_context():
        company_id = make_company("Sama Oy").id
        centre_id = make_centre("Sama keskus").id
        db.session.commit()
    for n in range(ROUNDS):
        company_user = {"user-company_id": str(company_id), "user-name": "Yrittäjä",
                        "user-email": f"sama{n}@yritys.example", "user-password": PASSWORD}
        instructor = {"name": "Ohjaaja", "email": f"ohjaaja{n}@keskus.example",
                      "password": PASSWORD, "capacity": "6", "attends": ["mon-am"]}
        statuses = _both(admins, "/setup/companies", company_user)
        statuses += _both(admins, f"/setup/{centre_id}/instructors/new", instructor)
        assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2 + 2 * ROUNDS


def test_a_password_link_used_while_the_admin_closes_the_account(app):
    import re

    from tests.web.test_admin_password_links import _path

    admin = _two_admins(app)[0]
    with app.app_context():
        user_id = make_user(Role.INSTRUCTOR, email="linkki@test.example").id
        db.session.commit()
    new = "uusi-salasana-789"
    for _round in range(ROUNDS):
        admin.post(f"/admin/users/{user_id}/reactivate")
        page = admin.post(f"/admin/users/{user_id}/password-link").get_data(as_text=True)
        link = _path(re.search(r'id="reset-link">([^<]+)<', page).group(1))
        statuses = _together(
            lambda link=link: app.test_client().post(
                link, data={"new": new, "again": new}).status_code,
            lambda: admin.post(f"/admin/users/{user_id}/deactivate").status_code)
        assert all(status < 500 for status in statuses), statuses
        with app.app_context():
            assert db.session.get(User, user_id).active is False
    assert login(app.test_client(), "linkki@test.example", new).status_code == 200


def test_two_people_adding_the_same_work_area_at_once_make_one(app):
    from workcentre.models import Area

    admins = _two_admins(app)
    with app.app_context():
        centre_id = make_centre("Tilakeskus").id
        db.session.commit()
    for n in range(ROUNDS):
        statuses = _both(admins, f"/centre/{centre_id}/areas/new",
                         {"name": f"Pakkaamo {n}", "seats": "4"})
        assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Area)) == ROUNDS


def test_two_admins_making_a_password_link_at_once_leave_one_open(app):
    from workcentre.auth.models import PasswordReset

    admins = _two_admins(app)
    with app.app_context():
        user_id = make_user(Role.INSTRUCTOR).id
        db.session.commit()
    for _round in range(ROUNDS):
        statuses = _both(admins, f"/admin/users/{user_id}/password-link", {})
        assert statuses == [200, 200]
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(PasswordReset).where(
                PasswordReset.ended_at.is_(None))) == 1


def test_two_admins_adding_the_same_user_on_the_users_page_at_once_make_one(app):
    admins = _two_admins(app)
    for n in range(ROUNDS):
        statuses = _both(admins, "/admin/users", {
            "name": "Uusi Ohjaaja", "email": f"uusi{n}@keskus.example", "role": "instructor",
            "company_id": "0", "password": PASSWORD})
        assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2 + ROUNDS


def test_two_centres_renamed_to_the_same_name_at_once_keep_one(app):
    first, second = _two_admins(app)
    for n in range(ROUNDS):
        with app.app_context():
            ids = [make_centre(f"Vanha {n} {i}").id for i in range(2)]
            db.session.commit()
        form = _centre_form(f"Sama nimi {n}")
        statuses = _together(
            lambda a=ids[0], f=form: first.post(f"/setup/centre/{a}", data=f).status_code,
            lambda b=ids[1], f=form: second.post(f"/setup/centre/{b}", data=f).status_code)
        assert all(status < 500 for status in statuses), statuses
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Centre).where(
                Centre.name == f"Sama nimi {n}")) == 1


def test_the_same_product_saved_twice_at_once_is_one_product(app):
    from workcentre.models import Product

    from ..factories import make_task_type

    admins = _two_admins(app)
    with app.app_context():
        centre = make_centre("Tuotekeskus")
        kind_id, centre_id = make_task_type(centre, "pack").id, centre.id
        db.session.commit()
    for n in range(ROUNDS):
        statuses = _both(admins, f"/setup/{centre_id}/products", {
            "name": f"Esite {n}", "task_type_id": str(kind_id), "seconds_per_unit": "12",
            "company_id": "0"})
        assert all(status < 500 for status in statuses), statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Product)) == ROUNDS
