"""Every tablet page fits the tablet: the primary actions (count, Valmis, help, back) are inside
the screen without scrolling, in landscape and portrait, on the usual tablet sizes; landscape puts
the picture and steps beside the counting. A screenshot of each page and size for review."""

from __future__ import annotations

from datetime import timedelta

import pytest

from workcentre.extensions import db
from workcentre.models import OrderStep, Participant, PinGuard, TaskInstruction, utcnow

from ..tablet_world import WORKDAY, tablet_world
from .conftest import screenshot
from .test_tablet_a11y import _axe

SIZES = [(1024, 768), (768, 1024), (1280, 800), (800, 1280)]


def _outside(page, selectors: list[str]) -> list[str]:
    """The selectors whose element (each of them) is not wholly inside the viewport."""
    return page.evaluate("""selectors => selectors.filter(s => {
        const all = Array.from(document.querySelectorAll(s));
        if (all.length === 0) return true;
        return all.some(el => { const r = el.getBoundingClientRect();
            return r.width === 0 || r.top < 0 || r.left < 0
                || r.bottom > window.innerHeight || r.right > window.innerWidth; });
    })""", selectors)


def _fits(page, name: str, selectors: list[str]) -> None:
    page.wait_for_load_state("load")
    screenshot_name = f"tablet-fit-{name}-{page.viewport_size['width']}x" \
                      f"{page.viewport_size['height']}"
    screenshot(page, screenshot_name)
    assert _outside(page, selectors) == [], screenshot_name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    assert _axe(page) == [], screenshot_name


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        found = tablet_world()
        # A third, longer step: closer to the real task cards.
        kind = db.session.get(OrderStep, found["step"]).task_type
        kind.instructions.append(TaskInstruction(
            position=2, text="Sulje laatikko ja laita se valmiiden pinoon."))
        db.session.commit()
    return found


def _kiosk(browser, live_server, world, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  locale="fi-FI", has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/tablet/enroll/{world['token']}")
    page.get_by_role("button").first.click()
    page.wait_for_url("**/tablet/")
    return context, page


WORK = [".back-button", "#units", ".count-button", ".done-button", ".help-button",
        ".language-button"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_primary_actions_are_on_the_screen(app, live_server, browser, world, size):
    context, page = _kiosk(browser, live_server, world, size)
    _fits(page, "who-am-i", [".person-tile"])
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/work")
    _fits(page, "work", WORK)
    if size[0] > size[1]:  # landscape: the picture and steps beside the counting
        picture = page.locator(".task-picture").first.bounding_box()
        steps = page.locator(".task-steps").bounding_box()
        count = page.locator(".report-form").bounding_box()
        assert picture["x"] + picture["width"] <= count["x"]
        assert steps["x"] + steps["width"] <= count["x"]
    page.get_by_label("Montako tein?").fill("5")
    page.locator(".done-button").click()
    page.wait_for_url("**/tablet/done/*")
    _fits(page, "done", [".back-button", "#units", ".count-button", ".correct-button"])
    page.locator(".back-button").click()
    page.wait_for_url("**/tablet/work")
    page.locator(".help-button").click()
    page.get_by_text("Pyysit apua.").first.wait_for()
    _fits(page, "help", [".back-button"])
    page.locator(".back-button").click()
    page.locator(".language-button").click()
    page.wait_for_url("**/tablet/language")
    _fits(page, "language", [".back-button", ".language-choice"])
    page.get_by_role("button", name="Svenska").click()
    page.wait_for_url("**/tablet/work")
    page.get_by_text("Hej Aino!").wait_for()
    _fits(page, "work-sv", WORK)
    page.locator(".back-button").click()  # the next person starts in selkokieli
    page.get_by_text("Kuka olet?").wait_for()
    page.get_by_role("button", name="Aino").click()  # Aino again: her Swedish is remembered
    page.get_by_text("Hej Aino!").wait_for()
    context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_picture_code_pages_fit(app, live_server, browser, world, size):
    with app.app_context():
        db.session.get(Participant, world["aino"]).picture_pin = ["sun", "fish", "star"]
        db.session.commit()
    context, page = _kiosk(browser, live_server, world, size)
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/pin")
    _fits(page, "picture-code", [".back-button", ".pin-button"])
    with app.app_context():
        db.session.add(PinGuard(participant_id=world["aino"], kiosk_id=_kiosk_id(world),
                                failures=5, locked_until=utcnow() + timedelta(minutes=3)))
        db.session.commit()
    page.reload()
    page.get_by_text("Pyydä ohjaajaa.").wait_for()
    _fits(page, "picture-code-wait", [".back-button"])
    context.close()


def _kiosk_id(world) -> int:
    from workcentre.models import Kiosk

    return db.session.scalars(db.select(Kiosk.id).where(Kiosk.centre_id == world["centre"],
                                                        Kiosk.enrolled_at.is_not(None))).one()


def test_the_steps_show_where_one_is_and_stop_at_the_last(app, live_server, browser, world):
    context, page = _kiosk(browser, live_server, world, (1024, 768))
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/work")
    position = page.locator(".step-count")
    assert position.inner_text().strip() == "1 / 3"
    assert not page.locator(".prev-step").is_visible()
    page.get_by_role("button", name="Seuraava").click()
    assert position.inner_text().strip() == "2 / 3"
    assert page.get_by_text("Laita tuotteet sisään.").is_visible()
    page.get_by_role("button", name="Seuraava").click()
    assert page.get_by_text("Sulje laatikko").is_visible()
    assert page.get_by_text("Viimeinen vaihe").is_visible()  # the done state, no silent loop
    assert not page.get_by_role("button", name="Seuraava").is_visible()
    _fits(page, "last-step", WORK + [".first-step"])
    page.get_by_role("button", name="Edellinen vaihe").click()
    assert position.inner_text().strip() == "2 / 3"
    assert not page.get_by_text("Viimeinen vaihe").is_visible()
    page.get_by_role("button", name="Seuraava").click()
    page.get_by_role("button", name="Alkuun").click()
    assert position.inner_text().strip() == "1 / 3"
    assert page.get_by_text("Ota laatikko.").is_visible()
    context.close()
