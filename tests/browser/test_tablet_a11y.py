"""The kiosk flow in Chromium: pick a person, read, count, done, help; WCAG 2.2 AA by axe-core,
every control at least 48 x 48 px, a screenshot of each page for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import HelpRequest, ProgressReport

from ..tablet_world import WORKDAY, tablet_world
from .conftest import screenshot

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SMALLEST = 48


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG)
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _small_targets(page) -> list[str]:
    return page.evaluate("""min => Array.from(document.querySelectorAll(
        'a, button, input, select, textarea, [role=button]'))
        .filter(el => el.offsetParent !== null && el.type !== 'hidden')
        .filter(el => { const r = el.getBoundingClientRect();
                        return r.width < min || r.height < min; })
        .map(el => el.outerHTML.slice(0, 80))""", SMALLEST)


def _check(page, name: str) -> None:
    screenshot(page, f"tablet-{name}")
    assert _axe(page) == [], name
    assert _small_targets(page) == [], name


@pytest.fixture
def kiosk(app, live_server, browser):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        world = tablet_world()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fi-FI",
                                  has_touch=True, bypass_csp=True)  # lets axe in
    page = context.new_page()
    page.goto(f"{live_server}/tablet/enroll/{world['token']}")
    page.get_by_role("button").first.click()
    yield page, world
    context.close()


def test_the_kiosk_flow_is_accessible(app, kiosk):
    page, world = kiosk
    page.wait_for_url("**/tablet/")
    # The grid needs today's people: the pinned day is a Wednesday, and Aino comes every day.
    page.get_by_role("button", name="Aino").wait_for()
    _check(page, "who-am-i")
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/work")
    page.get_by_text("Ota laatikko.").wait_for()
    assert not page.get_by_text("Laita tuotteet sisään.").is_visible()  # one step at a time
    page.get_by_role("button", name="Seuraava").click()
    assert page.get_by_text("Laita tuotteet sisään.").is_visible()
    _check(page, "my-work")
    page.get_by_role("button", name="Kymmenen lisää").click()
    page.get_by_role("button", name="Yksi lisää").click()
    page.get_by_role("button", name="Yksi lisää").click()
    assert page.get_by_label("Montako tein?").input_value() == "12"
    page.get_by_role("button", name="Valmis").click()
    page.wait_for_url("**/tablet/done/*")
    page.get_by_text("Kirjattu: 12 kpl").wait_for()
    _check(page, "done")
    page.get_by_role("link", name="Takaisin työhön").click()
    page.get_by_role("button", name="Tarvitsen apua").click()
    page.get_by_text("Pyysit apua.").first.wait_for()
    _check(page, "help")
    with app.app_context():
        assert db.session.scalar(select(func.sum(ProgressReport.units))) == 12
        assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 1


def test_a_report_made_offline_is_sent_once_when_the_network_returns(app, kiosk):
    page, world = kiosk
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/work")
    page.get_by_label("Montako tein?").fill("7")
    page.context.set_offline(True)
    page.get_by_role("button", name="Valmis").click()
    page.get_by_text("Tallessa. Lähetän sen, kun yhteys palaa.").wait_for()
    assert page.evaluate("JSON.parse(localStorage.getItem('workcentre.reports')).length") == 1
    page.context.set_offline(False)
    page.wait_for_url("**/tablet/", timeout=10_000)  # back to "who am I"; the queue is sent
    page.wait_for_function("JSON.parse(localStorage.getItem('workcentre.reports') || '[]')"
                           ".length === 0", timeout=20_000)
    with app.app_context():
        assert db.session.scalar(select(func.sum(ProgressReport.units))) == 7
        assert db.session.scalar(select(func.count()).select_from(ProgressReport)) == 1


def test_the_picture_code_and_the_other_tablet_pages_in_portrait(app, live_server, browser):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        world = tablet_world()
        from workcentre.models import Participant

        db.session.get(Participant, world["aino"]).picture_pin = ["sun", "fish", "star"]
        db.session.commit()
    context = browser.new_context(viewport={"width": 800, "height": 1280}, locale="fi-FI",
                                  has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/tablet/not-enrolled")
    _check(page, "not-enrolled")
    page.goto(f"{live_server}/tablet/enroll/{world['token']}")
    _check(page, "enroll")
    page.get_by_role("button").first.click()
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/pin")
    _check(page, "picture-code")
    for picture in ("aurinko", "kala", "tähti"):
        page.get_by_role("button", name=picture).click()
    page.wait_for_url("**/tablet/work")
    _check(page, "my-work-portrait")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
