"""The admin's user pages in the browser: the table never runs under its form (1280 and 390 px
wide), and a password link made by the admin lets the user in with a new password."""

from __future__ import annotations

from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import Role, User
from workcentre.tablet.services import complete_enrolment, start_enrolment

from ..factories import PASSWORD, make_centre, make_company, make_user
from .conftest import screenshot

NEW_PASSWORD = "oma-uusi-salasana-1"


def _accounts(app) -> int:
    with app.app_context():
        centre = make_centre("Keskuspaja")
        company = make_company("Pitkänimisen Asiakasyrityksen Tehdas Oy")
        make_user(Role.ADMIN, email="paa@test.example").name = "Paula Pääkäyttäjä"
        teacher = make_user(Role.INSTRUCTOR, centre=centre,
                            email="olli.ohjaaja.pitkalla.osoitteella@keskuspaja.example")
        teacher.name = "Olli Ohjaaja"
        for n in range(6):
            make_user(Role.COMPANY, company=company,
                      email=f"tilaaja{n}@pitkanimisen-asiakasyrityksen-tehdas.example")
        for name in ("Pakkaamo 1", "Kokoonpanon iso tabletti"):
            kiosk = start_enrolment(centre, name)[0]
            db.session.flush()
            complete_enrolment(kiosk)
        db.session.commit()
        return teacher.id


def _sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()


def _boxes_apart(page) -> bool:
    a = page.locator(".table-scroll").first.bounding_box()
    b = page.locator("#new-user").bounding_box()
    return a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]


def test_users_table_and_form_never_overlap(app, live_server, browser):
    _accounts(app)
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fi-FI")
        page = context.new_page()
        _sign_in(page, live_server, "paa@test.example")
        page.goto(f"{live_server}/admin/users")
        assert page.locator("td", has_text="Yrityksen käyttäjä").count() == 6
        assert _boxes_apart(page)
        # Nothing spills out of the page sideways: a wide table scrolls in its own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"admin-users-{width}")
        page.get_by_role("link", name="Olli Ohjaaja").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"admin-user-{width}")
        page.goto(f"{live_server}/admin/tablets")
        assert page.get_by_role("button", name="Poista kaikki 2 tablettia käytöstä").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"admin-tablets-{width}")
        context.close()


def test_password_link_flow(app, live_server, browser):
    teacher_id = _accounts(app)
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    page = admin.new_page()
    _sign_in(page, live_server, "paa@test.example")
    page.goto(f"{live_server}/admin/users")
    page.get_by_role("link", name="Olli Ohjaaja").click()
    page.get_by_role("button", name="Tee salasanalinkki").click()
    link = page.locator("#reset-link").inner_text().strip()
    assert "/password/" in link
    screenshot(page, "admin-user-link")
    admin.close()

    user = browser.new_context(viewport={"width": 390, "height": 800}, locale="fi-FI")
    page = user.new_page()
    page.goto(link)
    page.get_by_label("Uusi salasana", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Uusi salasana uudelleen").fill(NEW_PASSWORD)
    screenshot(page, "admin-reset-form-390")
    page.get_by_role("button", name="Tallenna salasana").click()
    assert "Salasana on vaihdettu" in page.content()
    _sign_in(page, live_server, "olli.ohjaaja.pitkalla.osoitteella@keskuspaja.example",
             NEW_PASSWORD)
    assert page.url.endswith("/planning/")
    page.goto(link)
    assert "Tämä linkki ei enää toimi" in page.content()
    user.close()
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.id == teacher_id))
