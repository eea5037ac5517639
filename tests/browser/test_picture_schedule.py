"""The paper picture schedules, printed by Chromium: one A4 page per person, with the person's
photo, and a picture on every half-day (work, "vapaa" or "kotona"), never a blank."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from PIL import Image

from workcentre.extensions import db
from workcentre.models import Assignment, Role, WeekPlan
from workcentre.photos import encode_photo, save_photo
from workcentre.weeks import iso_week

from ..factories import (
    PASSWORD,
    make_centre,
    make_company,
    make_order,
    make_participant,
    make_user,
)
from .conftest import ARTIFACTS, screenshot

MONDAY = date(2026, 11, 23)
PEOPLE = 16


def _photo(n: int) -> str:
    picture = io.BytesIO()
    Image.new("RGB", (300, 300), (20 + n * 10, 120, 200 - n * 10)).save(picture, "JPEG")
    return save_photo(encode_photo(picture.getvalue()))


def _week_of_sixteen() -> tuple[int, str]:
    """16 people, each working some half-days, at home on others, one with nothing planned."""
    centre = make_centre("Kuvakeskus")
    order = make_order(make_company(), centre, quantity=5000)
    step = order.steps[0]
    step.task_type.easy_name, step.task_type.pictogram = "Pakkaat laatikoita", "box"
    plan = WeekPlan(centre_id=centre.id, week=iso_week(MONDAY), state="published")
    db.session.add(plan)
    for n in range(PEOPLE):
        person = make_participant(centre, first_name=f"Henkilö{n:02d}",
                                  attends=["mon-am", "mon-pm", "tue-am", "wed-am", "thu-pm"])
        person.photo_path = _photo(n)
        # Printed picture schedules show a photo only with consent for print (docs/privacy.md).
        person.photo_consent_on, person.photo_consent_use = MONDAY, "tablet,print"
        if n:  # the first has nothing planned at all: every attended half-day is free
            plan.assignments += [Assignment(participant_id=person.id, step=step,
                                            day=MONDAY + timedelta(days=d), half=h)
                                 for d, h in ((0, "am"), (0, "pm"), (2, "am"))]
    staff = make_user(Role.INSTRUCTOR, centre=centre)
    db.session.commit()
    return centre.id, staff.email


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_every_persons_week_is_one_page(app, live_server, page):
    app.config["CLOCK_TODAY"] = MONDAY.isoformat()
    with app.app_context():
        centre_id, email = _week_of_sixteen()
    page.goto(f"{live_server}/login")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.goto(f"{live_server}/planning/{centre_id}/{iso_week(MONDAY)}/pictures")
    page.wait_for_load_state("networkidle")
    screenshot(page, "picture-schedules")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "picture-schedules.pdf").write_bytes(pdf)
    assert _pages(pdf) == PEOPLE
    sheets = page.locator(".picture-page")
    assert sheets.count() == PEOPLE
    for n in range(PEOPLE):  # the person's photo, and loaded
        assert page.locator(".picture-page").nth(n).locator(".picture-photo").evaluate(
            "img => img.complete && img.naturalWidth > 0")
    # No blank half-day: every cell has a picture, and the words say what it is.
    empty = page.evaluate("""() => Array.from(document.querySelectorAll('.picture-table tbody td'))
        .filter(td => !td.querySelector('img') || !td.textContent.trim()).length""")
    assert empty == 0
    first = sheets.nth(0)
    # At the centre with nothing planned: the instructor tells.
    assert first.get_by_text("Ohjaaja kertoo", exact=True).count() == 5
    second = sheets.nth(1)
    assert second.get_by_text("Kotona", exact=True).count() == 5  # not coming: home
