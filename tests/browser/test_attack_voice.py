"""Attack on the participant's voice at small tablet sizes: a centre with 40 task types (long
easy names) must keep the wish page usable at 1024x768, 768x1024 and 800x600, next week with a
closure day and days away must fit, and every voice page passes axe-core; every picture button
has words a screen reader and the read-aloud button say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workcentre.extensions import db
from workcentre.models import Absence, Assignment, ClosureDay, OrderStep, WeekPlan

from ..factories import make_task_type
from ..tablet_world import WORKDAY, tablet_world
from .test_participant_voice import BIG
from .test_tablet_a11y import _small_targets
from .test_tablet_fits import _fits, _kiosk

SIZES = [(1024, 768), (768, 1024), (800, 600)]
KINDS = 40


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        found = tablet_world()
        centre = db.session.get(OrderStep, found["step"]).order.centre
        pictures = ["label", "sort", "clean", "box"]
        for n in range(KINDS - 1):
            kind = make_task_type(centre, f"kind{n:02d}")
            kind.name = f"Työlaji {n:02d}"
            kind.easy_name = f"Kokoat pitkänimisiä tuotteita numero {n:02d} huolellisesti"
            kind.pictogram = pictures[n % len(pictures)] if n % 5 else ""
        monday = date.fromisoformat(WORKDAY) + timedelta(days=5)
        plan = WeekPlan(centre_id=centre.id, week="2026-W49", state="published")
        plan.assignments = [Assignment(participant_id=found["aino"], step_id=found["step"],
                                       day=monday, half=half) for half in ("am", "pm")]
        kind = db.session.get(OrderStep, found["step"]).task_type
        kind.easy_name = "Pakkaat juhlakalenterilaatikoita"  # one long Finnish word
        db.session.add(plan)
        db.session.add(ClosureDay(centre_id=centre.id, day=monday + timedelta(days=4),
                                  reason="Virkistyspäivä"))
        db.session.add(Absence(participant_id=found["aino"], day=monday + timedelta(days=1)))
        db.session.add(Absence(participant_id=found["aino"], day=monday + timedelta(days=2),
                               half="pm"))
        db.session.commit()
    return found


def _unnamed_buttons(page) -> list[str]:
    """Buttons a screen reader would announce without words."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('button'))
        .filter(b => !(b.getAttribute('aria-label') || b.innerText).trim())
        .map(b => b.outerHTML.slice(0, 80))""")


def _overflowing(page, selector: str) -> list[str]:
    """Elements whose text runs past their own box (cut off, or over the card's border)."""
    return page.evaluate("""s => Array.from(document.querySelectorAll(s))
        .filter(el => !el.closest(".visually-hidden") && el.scrollWidth > el.clientWidth + 1)
        .map(el => el.outerHTML.slice(0, 60))""", selector)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_forty_task_types_and_next_week_stay_usable(app, live_server, browser, world, size):
    context, page = _kiosk(browser, live_server, world, size)
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/work")
    page.get_by_label("Montako tein?").fill("5")
    page.locator(".done-button").click()
    page.wait_for_url("**/tablet/done/*")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    _fits(page, "attack-voice-faces", [".feeling-choice"])
    assert _unnamed_buttons(page) == []
    page.goto(f"{live_server}/tablet/wishes")
    _fits(page, "attack-voice-wishes-top", [".back-button", ".tablet-title .speak"])
    buttons = page.locator(".wish-choice")
    assert buttons.count() == KINDS
    assert _small_targets(page) == [] and _unnamed_buttons(page) == []
    smallest = page.evaluate("""() => Math.min(...Array.from(
        document.querySelectorAll('.wish-choice')).map(el => {
            const r = el.getBoundingClientRect(); return Math.min(r.width, r.height); }))""")
    assert smallest >= BIG
    said = page.locator(".tablet-title .speak").get_attribute("data-say")
    for n in range(KINDS - 1):
        assert f"numero {n:02d}" in said
    last = buttons.nth(KINDS - 1)
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1]
    last.click()
    page.wait_for_url("**/tablet/wishes")
    assert buttons.nth(KINDS - 1).get_attribute("aria-pressed") == "true"
    page.goto(f"{live_server}/tablet/next-week")
    _fits(page, "attack-voice-next-week", [".back-button", ".tablet-title .speak"])
    assert page.locator(".week-day").count() == 5
    assert _overflowing(page, ".week-day *") == []
    say = page.locator(".tablet-title .speak").get_attribute("data-say")
    assert say.count("kotona") == 3 and say.count("vapaa") == 2
    context.close()
