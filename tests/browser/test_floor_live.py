"""Live pages in Chromium: a help call reaches the instructor's phone without a reload, "Tulen"
reaches the tablet, and the week page's run panel follows a solve while the page stays still."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import HelpRequest, PlanRun, utcnow

from ..factories import PASSWORD
from ..tablet_world import WORKDAY, tablet_world
from .conftest import screenshot
from .test_tablet_a11y import _axe

WITHIN = 2000  # ms: what "updates by itself within 2 s" means here
PHONE = {"width": 390, "height": 844}
# Counts the beeps: every WebAudio tone the page makes goes through createOscillator.
COUNT_BEEPS = """
window.__beeps = 0;
const Ctx = window.AudioContext;
if (Ctx) {
  const make = Ctx.prototype.createOscillator;
  Ctx.prototype.createOscillator = function () { window.__beeps += 1; return make.call(this); };
}
"""


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def floor_and_tablet(app, live_server, browser):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        world = tablet_world()
    phone = browser.new_context(viewport=PHONE, locale="fi-FI", has_touch=True, is_mobile=True,
                                bypass_csp=True)  # lets axe in
    phone.add_init_script(COUNT_BEEPS)
    floor = phone.new_page()
    errors: list[str] = []
    floor.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(floor, live_server, world["staff"])
    floor.goto(f"{live_server}/floor/{world['centre']}")
    floor.evaluate("window.__still = true")  # gone if the page reloads
    kiosk = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fi-FI",
                                has_touch=True)
    tablet = kiosk.new_page()
    tablet.goto(f"{live_server}/tablet/enroll/{world['token']}")
    tablet.get_by_role("button").first.click()
    tablet.get_by_role("button", name="Aino").click()
    tablet.wait_for_url("**/tablet/work")
    tablet.on("pageerror", lambda error: errors.append(str(error)))
    yield floor, tablet, world
    assert errors == []  # no script error on either screen
    phone.close()
    kiosk.close()


def test_a_help_call_reaches_the_floor_and_the_answer_reaches_the_tablet(app, floor_and_tablet):
    floor, tablet, world = floor_and_tablet
    floor.get_by_text("Kukaan ei pyydä nyt apua.").wait_for()
    floor.get_by_label("Äänimerkki uudesta avunpyynnöstä").check()  # a tap: sound allowed
    assert floor.evaluate("localStorage.getItem('workcentre.floor.sound')") == "on"
    beeps = floor.evaluate("window.__beeps")

    tablet.get_by_role("button", name="Tarvitsen apua").click()
    tablet.get_by_text("Apupyyntö on lähetetty. Odota hetki.").wait_for()
    call = floor.locator(".floor-call").get_by_text("Aino Testinen pyytää apua")
    call.wait_for(timeout=WITHIN)
    assert floor.evaluate("window.__still") is True  # no reload: the live part was swapped in
    assert floor.evaluate("window.__beeps") > beeps
    assert "Aino Testinen" in floor.locator("#floor-news").inner_text()
    screenshot(floor, "floor-help-call-phone")
    assert _axe(floor) == []
    answer = floor.get_by_role("button", name="Tulen")
    box = answer.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    assert floor.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    answer.click()
    tablet.get_by_text("Ohjaaja tulee", exact=True).wait_for(timeout=WITHIN)
    floor.get_by_text("Kukaan ei pyydä nyt apua.").wait_for(timeout=WITHIN)
    assert floor.evaluate("window.__still") is True
    screenshot(tablet, "floor-tablet-instructor-coming")
    with app.app_context():
        assert db.session.scalars(select(HelpRequest)).one().acknowledged_by_id is not None

    # The choice is remembered on the phone.
    floor.reload()
    assert floor.get_by_label("Äänimerkki uudesta avunpyynnöstä").is_checked()


def test_the_floor_view_is_accessible_with_nobody_calling(app, floor_and_tablet):
    floor, _tablet, _world = floor_and_tablet
    floor.get_by_text("Pakkaat laatikoita").wait_for()
    screenshot(floor, "floor-quiet-phone")
    assert _axe(floor) == []


def _demo_week(app, tmp_path) -> tuple[int, str]:
    from workcentre.demo import load_demo
    from workcentre.models import Centre, User

    from ..factories import password_hash

    app.config["CLOCK_TODAY"] = "2026-11-22"
    with app.app_context():
        load_demo(str(tmp_path), today=date(2026, 11, 23))
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        marja.password_hash = password_hash()
        db.session.commit()
        return db.session.scalars(select(Centre)).one().id, marja.email


def test_the_run_panel_follows_a_solve_without_reloading_the_page(app, tmp_path, live_server,
                                                                  page):
    """The solve's progress is written to its row as a solving process would; the page shows it
    in the run panel alone, and loads again only when the run has ended."""
    centre_id, email = _demo_week(app, tmp_path)
    week = "2026-W48"
    with app.app_context():
        run = PlanRun(centre_id=centre_id, week=week, state="running", time_limit=30,
                      started_at=utcnow(), heartbeat_at=utcnow(), elapsed=1.0)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    _sign_in(page, live_server, email)
    page.goto(f"{live_server}/planning/{centre_id}/{week}")
    panel = page.locator("#run-panel")
    assert "1 / 30 s" in panel.inner_text()
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.evaluate("window.__still = true")

    with app.app_context():
        run = db.session.get(PlanRun, run_id)
        run.elapsed, run.objective, run.heartbeat_at = 7.0, 1234, utcnow()
        run.details = {"idle_people": 2, "unassigned": 2, "late_orders": 0, "late_minutes": 0}
        db.session.commit()
    page.get_by_text("7 / 30 s").wait_for(timeout=5000)
    page.get_by_text("Paras suunnitelma tähän asti: 2 henkilöä ilman työtä").wait_for()
    assert page.evaluate("window.__still") is True
    screenshot(page, "planner-run-panel-live")

    with app.app_context():
        run = db.session.get(PlanRun, run_id)
        run.state, run.finished_at = "stopped", utcnow()
        db.session.commit()
    page.get_by_text("Suunnittelu pysäytettiin.").wait_for(timeout=5000)
    assert page.locator("#run-panel").count() == 0
