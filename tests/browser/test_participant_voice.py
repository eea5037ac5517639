"""The participant's own voice in Chromium at the usual tablet sizes: the faces after Valmis, the
wish pictures and next week fit the screen with big touch targets and pass axe-core (WCAG 2.2 AA,
no serious or critical violations); an instructor then sees the answer on the person's page.
Screenshots of every page and size in tests/artifacts/."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import Assignment, OrderStep, TaskFeeling, TaskWish, WeekPlan

from ..factories import PASSWORD, make_task_type
from ..tablet_world import WORKDAY, tablet_world
from .conftest import screenshot
from .test_tablet_a11y import _axe, _small_targets
from .test_tablet_fits import _fits, _kiosk

SIZES = [(1024, 768), (768, 1024)]
BIG = 96  # the faces and the wish pictures: twice the smallest target the tablet allows


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        found = tablet_world()
        centre = db.session.get(OrderStep, found["step"]).order.centre
        for code, name, easy, picture in (("labels", "Tarroitus", "Liimaat tarroja", "label"),
                                          ("sorting", "Lajittelu", "Lajittelet osia", "sort"),
                                          ("cleaning", "Siivous", "Siivoat", "clean")):
            kind = make_task_type(centre, code)
            kind.name, kind.easy_name, kind.pictogram = name, easy, picture
        db.session.commit()
    return found


def _smallest(page, selector: str) -> float:
    return page.evaluate("""s => Math.min(...Array.from(document.querySelectorAll(s)).map(el => {
        const r = el.getBoundingClientRect(); return Math.min(r.width, r.height); }))""", selector)


def _publish_next_week(world) -> None:
    monday = date.fromisoformat(WORKDAY) + timedelta(days=5)
    plan = WeekPlan(centre_id=world["centre"], week="2026-W49", state="published")
    plan.assignments = [Assignment(participant_id=world["aino"], step_id=world["step"],
                                   day=monday + timedelta(days=n), half=half)
                        for n in range(5) for half in ("am", "pm") if (n + len(half)) % 3]
    db.session.add(plan)
    db.session.commit()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_voice_pages_fit_the_tablet(app, live_server, browser, world, size):
    context, page = _kiosk(browser, live_server, world, size)
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/work")
    assert page.get_by_role("link", name="Haluaisin kokeilla").is_visible()
    page.get_by_label("Montako tein?").fill("5")
    page.locator(".done-button").click()
    page.wait_for_url("**/tablet/done/*")
    # "Miltä tuntui?": three big faces on the screen with the counting's correction.
    faces = [".feeling-choice", ".feeling-title .speak", ".back-button", ".correct-button"]
    _fits(page, "voice-faces", faces)
    assert page.locator(".feeling-choice").count() == 3
    assert _smallest(page, ".feeling-choice") >= BIG
    assert _small_targets(page) == []
    page.get_by_role("button", name="Huonolta").click()
    page.get_by_text("Kiitos! Vastaus on tallessa.").wait_for()
    assert page.get_by_role("button", name="Huonolta").get_attribute("aria-pressed") == "true"
    _fits(page, "voice-faces-answered", faces)
    # "Haluaisin kokeilla": the centre's task types as pictures, pressed when wished.
    page.goto(f"{live_server}/tablet/wishes")
    _fits(page, "voice-wishes", [".wish-choice", ".back-button", ".tablet-title .speak"])
    assert page.locator(".wish-choice").count() == 4
    assert _smallest(page, ".wish-choice") >= BIG
    assert _small_targets(page) == []
    page.get_by_role("button", name="Liimaat tarroja").click()
    page.wait_for_url("**/tablet/wishes")
    wished = page.get_by_role("button", name="Liimaat tarroja")
    assert wished.get_attribute("aria-pressed") == "true"
    _fits(page, "voice-wishes-chosen", [".wish-choice", ".back-button"])
    # "Ensi viikolla": not ready yet, then the published week in pictures.
    page.goto(f"{live_server}/tablet/next-week")
    page.get_by_text("Ensi viikon suunnitelma ei ole vielä valmis.").wait_for()
    _fits(page, "voice-next-week-waiting", [".back-button"])
    with app.app_context():
        _publish_next_week(world)
    page.reload()
    _fits(page, "voice-next-week", [".back-button", ".week-day", ".week-half"])
    assert page.locator(".week-day").count() == 5
    context.close()
    with app.app_context():
        assert db.session.scalars(select(TaskFeeling.feeling)).all() == ["bad"]
        assert len(db.session.scalars(select(TaskWish)).all()) == 1


def test_an_instructor_sees_the_answer_and_the_wish_on_the_persons_page(app, live_server,
                                                                        browser, world):
    context, page = _kiosk(browser, live_server, world, (1024, 768))
    page.get_by_role("button", name="Aino").click()
    page.get_by_label("Montako tein?").fill("3")
    page.locator(".done-button").click()
    page.get_by_role("button", name="Hyvältä").click()
    page.get_by_text("Kiitos! Vastaus on tallessa.").wait_for()
    page.goto(f"{live_server}/tablet/wishes")
    page.get_by_role("button", name="Lajittelet osia").click()
    page.wait_for_url("**/tablet/wishes")
    context.close()
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI",
                                bypass_csp=True)
    desk = staff.new_page()
    desk.goto(f"{live_server}/login")
    desk.get_by_label("Sähköposti").fill(world["staff"])
    desk.get_by_label("Salasana").fill(PASSWORD)
    desk.get_by_role("button", name="Kirjaudu", exact=True).click()
    desk.wait_for_url("**/")
    desk.goto(f"{live_server}/people/{world['aino']}")
    voice = desk.locator("#voice")
    voice.get_by_text("Hyvältä").wait_for()
    assert "Lajittelu" in voice.inner_text()
    voice.get_by_role("button", name="Lisää mieluisiin").click()
    desk.get_by_text("Toive lisätty mieluisiin töihin.").wait_for()
    assert "Lisätty mieluisiin" in desk.locator("#voice").inner_text()
    screenshot(desk, "voice-person-page")
    assert _axe(desk) == []
    staff.close()
