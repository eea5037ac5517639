"""Every route, every role: who gets the page and who is refused."""

from __future__ import annotations

import pytest

from tests.factories import (
    login,
    make_centre,
    make_company,
    make_order,
    make_participant,
    make_user,
)
from workcentre.extensions import db
from workcentre.models import PlanEdit, Role, WeekPlan
from workcentre.tablet.services import start_enrolment

ROLES = ["anonymous", "company_a", "company_b", "instructor", "admin", "kiosk"]
STAFF = {"instructor", "admin"}
COMPANIES = {"company_a", "company_b"}
SIGNED_IN_PEOPLE = STAFF | COMPANIES

# endpoint -> (url template, roles that get the page). Every GET route must be listed here.
PAGES = {
    "auth.login": ("/login", {"anonymous"}),
    "auth.password": ("/account/password", SIGNED_IN_PEOPLE),
    "planning.index": ("/planning/", STAFF),
    "planning.week": ("/planning/{centre}/2026-W48", STAFF),
    "planning.run_status": ("/planning/{centre}/2026-W48/run", STAFF),
    "planning.actuals_page": ("/planning/{centre}/2026-W48/actuals", STAFF),
    "planning.cell": ("/planning/{centre}/2026-W48/cell/{participant}/mon-am", STAFF),
    "planning.edit_preview": ("/planning/{centre}/2026-W48/edit/{plan_edit}", STAFF),
    "planning.instance_json": ("/planning/{centre}/2026-W48/instance.json", STAFF),
    "planning.plan_json": ("/planning/{centre}/2026-W48/plan.json", STAFF),
    "planning.week_xlsx": ("/planning/{centre}/2026-W48/week.xlsx", STAFF),
    "planning.print_week": ("/planning/{centre}/2026-W48/print", STAFF),
    "people.index": ("/people/", STAFF),
    "people.detail": ("/people/{participant}", STAFF),
    "people.new": ("/people/new", STAFF),
    "people.import_people": ("/people/import", STAFF),
    "people.import_template": ("/people/import/template.xlsx", STAFF),
    "people.export": ("/people/{participant}/export.zip", STAFF),
    "people.erase_person": ("/people/{participant}/erase", {"admin"}),
    "admin.privacy": ("/admin/privacy", {"admin"}),
    "places.index": ("/centre/{centre}/", STAFF),
    "places.tablets": ("/centre/{centre}/tablets", STAFF),
    "places.closure_days": ("/centre/{centre}/closures", STAFF),
    "places.area": ("/centre/{centre}/areas/new", STAFF),
    "places.task_type": ("/centre/{centre}/task-types/new", STAFF),
    "places.instructor": ("/centre/{centre}/instructors/new", STAFF),
    "people.edit": ("/people/{participant}/edit", STAFF),
    "orders.index": ("/orders/", STAFF),
    "admin.users": ("/admin/users", {"admin"}),
    "admin.audit_log": ("/admin/audit", {"admin"}),
    "admin.user": ("/admin/users/{admin_user}", {"admin"}),
    "admin.tablets": ("/admin/tablets", {"admin"}),
    "company.orders": ("/company/orders", COMPANIES),
    "company.record": ("/company/record", COMPANIES),
    "company.order": ("/company/orders/{order_a}", {"company_a"}),
    "company.new_order": ("/company/orders/new", COMPANIES),
    "company.upload_order": ("/company/orders/upload", COMPANIES),
    "company.order_template_xlsx": ("/company/orders/template.xlsx", COMPANIES),
    "company.estimate": ("/company/estimate?centre={centre}&product=x&quantity=5", COMPANIES),
    "orders.detail": ("/orders/{order_a}", STAFF),
    "orders.delivery_note": ("/orders/{order_a}/delivery-note", STAFF),
    "orders.monthly": ("/orders/monthly.xlsx?company={company_a}&month=2026-11", STAFF),
    "tablet.index": ("/tablet/", {"kiosk"}),
    "tablet.not_enrolled": ("/tablet/not-enrolled", set(ROLES)),
    "tablet.checks": ("/tablet/checks/{centre}", STAFF),
    "setup.index": ("/setup/", {"admin"}),
    "setup.centre": ("/setup/centre/{centre}", {"admin"}),
    "setup.instructor": ("/setup/{centre}/instructors/new", {"admin"}),
    "setup.companies": ("/setup/companies", {"admin"}),
    "setup.products": ("/setup/{centre}/products", STAFF),
    "tablet.help_status": ("/tablet/help/status", {"kiosk"}),
    "floor.floor": ("/floor/{centre}", STAFF),
    "floor.live": ("/floor/{centre}/live", STAFF),
    "register.sheet": ("/register/{centre}", STAFF),
    "reports.centre": ("/reports/{centre}?month=2026-11", STAFF),
    "reports.centre_xlsx": ("/reports/{centre}/report.xlsx?month=2026-11", STAFF),
    "reports.people": ("/reports/{centre}/people?month=2026-11", STAFF),
    "reports.person": ("/reports/{centre}/people/{participant}?month=2026-11", STAFF),
}
# Routes that only redirect or only take POST, checked elsewhere.
NOT_PAGES = {"static", "media.photo", "auth.index", "auth.logout", "auth.language", "tablet.enroll",
             "planning.solve", "planning.stop", "planning.publish", "people.add_absence",
             "people.pace", "setup.standard_time",  # POST only: tests/web/test_learning.py
             "people.delete_absence", "places.instructor_absence",
             "places.delete_instructor_absence", "company.attachment", "orders.attachment",
             "orders.accept", "orders.decline", "orders.change", "orders.delivered",
             "tablet.work", "tablet.pin", "tablet.choose", "tablet.report", "tablet.help_call",
             "tablet.done", "tablet.decide_check", "tablet.reset_pin", "tablet.choose_language",
             "places.revoke_tablet", "places.delete_closure",
             "planning.acknowledge_help", "planning.picture_schedule",
             "planning.edit_confirm", "planning.edit_cancel", "planning.edit_undo",
             "people.confirm_import", "floor.answer", "auth.reset_password",
             "admin.deactivate_user", "admin.reactivate_user", "admin.password_link",
             "admin.revoke_tablet", "admin.revoke_centre_tablets", "register.index",
             "register.mark", "register.start_replan", "people.consent", "people.withdraw",
             "tablet.wishes", "tablet.next_week_page", "tablet.feeling", "people.decide_wish",
             "people.remove_training_goal", "reports.index", "people.remove_feeling_answer"}


@pytest.fixture
def world(app):
    with app.app_context():
        return _make_world()


def _make_world() -> dict:
    centre = make_centre("Testikeskus")
    company_a, company_b = make_company("A Oy"), make_company("B Oy")
    users = {
        "company_a": make_user(Role.COMPANY, company=company_a),
        "company_b": make_user(Role.COMPANY, company=company_b),
        "instructor": make_user(Role.INSTRUCTOR, centre=centre),
        "admin": make_user(Role.ADMIN),
    }
    kiosk, token = start_enrolment(centre, "Pakkaamo 1")
    db.session.add(WeekPlan(centre_id=centre.id, week="2026-W48"))
    participant = make_participant(centre)
    plan_edit = PlanEdit(centre_id=centre.id, week="2026-W48", participant_id=participant.id,
                         slot="mon-am", base="", before={}, proposal={}, moves=[])
    db.session.add(plan_edit)
    db.session.flush()
    ids = {
        "centre": centre.id,
        "participant": participant.id,
        "plan_edit": plan_edit.id,
        "order_a": make_order(company_a, centre).id,
        "company_a": company_a.id,
        "admin_user": users["admin"].id,
    }
    db.session.commit()
    emails = {role: user.email for role, user in users.items()}
    return {"emails": emails, "ids": ids, "kiosk_token": token}


def client_as(app, world, role: str):
    client = app.test_client()
    if role == "kiosk":
        response = client.post(f"/tablet/enroll/{world['kiosk_token']}")
        assert response.status_code == 302
    elif role != "anonymous":
        assert login(client, world["emails"][role]).status_code == 302
    return client


def test_every_page_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - NOT_PAGES == set(PAGES)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_pages(app, world, role):
    client = client_as(app, world, role)
    for endpoint, (template, allowed) in PAGES.items():
        response = client.get(template.format(**world["ids"]))
        if role in allowed:
            assert response.status_code == 200, (role, endpoint)
        elif role == "anonymous":
            assert response.status_code == 302, (role, endpoint)
            target = response.headers["Location"]
            assert "/login" in target or "/tablet/not-enrolled" in target, (role, endpoint)
        elif endpoint == "auth.login":
            assert response.status_code == 302, (role, endpoint)  # signed in: sent home
        elif endpoint == "company.order" and role == "company_b":
            assert response.status_code == 404, "another company's order must not exist"
        else:
            assert response.status_code == 403, (role, endpoint, response.status_code)


def test_company_never_sees_other_company_orders_in_list(app, world):
    client = client_as(app, world, "company_b")
    page = client.get("/company/orders").get_data(as_text=True)
    assert "Esitteet" not in page


def test_company_pages_show_nothing_about_people(app, world):
    client = client_as(app, world, "company_a")
    for url in ("/company/orders", f"/company/orders/{world['ids']['order_a']}"):
        page = client.get(url).get_data(as_text=True)
        assert "Aino" not in page and "Testinen" not in page


def test_home_sends_each_role_to_its_start_page(app, world):
    expected = {"anonymous": "/login", "company_a": "/company/orders",
                "instructor": "/planning/", "admin": "/admin/users", "kiosk": "/tablet/"}
    for role, target in expected.items():
        response = client_as(app, world, role).get("/")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(target), role


def test_revoked_kiosk_is_refused(app, world):
    client = client_as(app, world, "kiosk")
    assert client.get("/tablet/").status_code == 200
    from workcentre.models import Kiosk
    from workcentre.tablet.services import revoke

    with app.app_context():
        revoke(db.session.scalars(db.select(Kiosk)).one())
        db.session.commit()
    response = client.get("/tablet/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tablet/not-enrolled")


def test_enrolment_link_works_once(app, world):
    client_as(app, world, "kiosk")
    again = app.test_client().post(f"/tablet/enroll/{world['kiosk_token']}")
    assert again.status_code == 404
