"""Issue 36 in Chromium: an admin downloads a person's data, erases it, and the week page shows
the pseudonym. The person page and the erasure page pass axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import io
import json
import zipfile

from tests.factories import PASSWORD
from tests.privacy_world import SECRETS, TODAY, privacy_world

from .conftest import screenshot
from .test_tablet_a11y import _axe


def test_an_admin_exports_and_erases_a_person_and_the_week_shows_the_pseudonym(
        app, live_server, browser):
    app.config["CLOCK_TODAY"], app.config["CLOCK_TIME"] = TODAY, "13:00"
    with app.app_context():
        world = privacy_world()
    person = world["person"]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fi-FI",
                                  accept_downloads=True, bypass_csp=True)  # lets axe in
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Sähköposti").fill(world["admin"])
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.goto(f"{live_server}/people/{person}")
    page.get_by_role("heading", name="Kuvalupa").wait_for()
    assert _axe(page) == []
    screenshot(page, "privacy-person")

    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa henkilötiedot (.zip)").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as archive:
        data = json.loads(archive.read(f"henkilotiedot-{person}.json"))
        assert data["tables"]["participant"][0]["last_name"] == "Quillfeather"
        assert f"kuvat/{world['photo']}" in archive.namelist()

    page.get_by_role("link", name="Poista henkilötiedot").click()
    page.get_by_role("heading", name="Poistuu").wait_for()
    assert _axe(page) == []
    screenshot(page, "privacy-erase")
    page.get_by_label("Ymmärrän, että tietoja ei voi palauttaa.").check()
    page.get_by_role("button", name="Poista henkilötiedot").click()
    page.get_by_text(f"Hän näkyy nyt nimellä Osallistuja {person}.").wait_for()

    page.goto(f"{live_server}/planning/{world['centre']}/2026-W47")
    page.get_by_text(f"Osallistuja {person}").first.wait_for()
    body = page.content()
    assert not any(secret in body for secret in SECRETS)
    screenshot(page, "privacy-week-pseudonym")
    context.close()
