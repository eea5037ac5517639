"""The staff header with its counts, and the language chosen before sign-in, in Chromium."""

from __future__ import annotations

from workcentre.extensions import db
from workcentre.models import HelpRequest, OrderStatus, Role

from ..factories import PASSWORD, make_centre, make_company, make_order, make_participant, make_user
from .conftest import screenshot


def _waiting_work(app) -> dict:
    with app.app_context():
        centre = make_centre("Pakkaamo")
        company = make_company("Saimaan Paino Oy")
        for _ in range(3):
            make_order(company).centre_id = centre.id
        person = make_participant(centre)
        db.session.add(HelpRequest(participant_id=person.id))
        staff = make_user(Role.INSTRUCTOR, centre=centre, email="marja@test.example")
        db.session.commit()
        assert all(o.status == OrderStatus.RECEIVED for o in company.orders)
        return {"centre": centre.id, "email": staff.email}


def _sign_in(page, base: str, email: str, *, button: str = "Kirjaudu") -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url("**/planning/")


def test_the_header_counts_lead_to_the_intake_and_the_help_calls(app, live_server, page):
    world = _waiting_work(app)
    _sign_in(page, live_server, world["email"])
    page.goto(f"{live_server}/people/")
    orders = page.get_by_role("link", name="Tilaukset 3 uutta")
    help_link = page.get_by_role("link", name="Apua pyydetty 1")
    assert orders.is_visible() and help_link.is_visible()
    screenshot(page, "header-counts")
    page.set_viewport_size({"width": 800, "height": 1100})  # a tablet upright
    screenshot(page, "header-counts-tablet")
    box = help_link.bounding_box()
    assert box["height"] >= 24  # a target big enough to tap
    help_link.click()
    page.wait_for_url(f"**/floor/{world['centre']}")  # the floor view lists the calls first
    assert page.locator("#calls-title").is_visible()
    page.get_by_role("link", name="Tilaukset 3 uutta").click()
    page.wait_for_url("**/orders/")


def test_the_language_chosen_on_the_sign_in_page_stays(app, live_server, page):
    world = _waiting_work(app)
    page.goto(f"{live_server}/login")
    page.get_by_role("button", name="Svenska").click()
    _sign_in(page, live_server, world["email"], button="Logga in")
    page.goto(f"{live_server}/people/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("link", name="Beställningar 3 nya").is_visible()
    screenshot(page, "header-counts-sv")
