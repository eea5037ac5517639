"""The learned figures on the catalogue and person pages: readable, accessible, decided by a
click (screenshots in tests/artifacts/)."""

from __future__ import annotations

from tests.factories import PASSWORD
from tests.learning_world import TODAY, learning_world

from .conftest import screenshot
from .test_tablet_a11y import _axe


def test_standard_time_and_pace_suggestions_are_accessible_and_decided(app, live_server,
                                                                        browser):
    app.config["CLOCK_TODAY"] = TODAY
    with app.app_context():
        world = learning_world()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fi-FI",
                                  bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Sähköposti").fill(world["staff"])
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.goto(f"{live_server}/setup/{world['centre']}/products")
    page.get_by_role("heading", name="Raporttien mukaan vakioaika on muuttunut").wait_for()
    assert _axe(page) == []
    screenshot(page, "learning-products")
    page.get_by_role("button", name="Hyväksy: Lahjapakkaus").click()
    page.get_by_text("Vakioaika päivitetty: Lahjapakkaus 45 s/kpl.").wait_for()
    page.goto(f"{live_server}/people/{world['cecilia']}")
    page.get_by_text("työtahti on noin 75 %").wait_for()
    assert _axe(page) == []
    screenshot(page, "learning-pace")
    context.close()
