"""An instructor makes the week's plan and moves an assignment, in a real browser."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from scheduling import evaluate, load_instance
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import Centre, User
from workcentre.planning import store

from ..factories import PASSWORD, password_hash
from .conftest import screenshot

WEEK = "2026-W48"


def _demo_instructor(app, tmp_path) -> int:
    app.config["CLOCK_TODAY"] = "2026-11-22"  # the Sunday before: the whole week is open
    with app.app_context():
        load_demo(str(tmp_path), today=date(2026, 11, 23))
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        marja.password_hash = password_hash()
        db.session.commit()
        return db.session.scalars(select(Centre)).one().id


def test_make_the_plan_and_move_an_assignment(app, tmp_path, live_server, page):
    centre_id = _demo_instructor(app, tmp_path)
    page.goto(f"{live_server}/login")
    page.get_by_label("Sähköposti").fill("marja@demo.example")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.goto(f"{live_server}/planning/{centre_id}/{WEEK}")
    screenshot(page, "planner-week-empty")

    page.get_by_label("Aikaa enintään").select_option("10")
    page.get_by_role("button", name="Tee suunnitelma").click()
    # The page follows the background solve on its own until the draft is there.
    publish = page.get_by_role("button", name="Julkaise versio 1")
    publish.wait_for(timeout=60_000)
    screenshot(page, "planner-week-planned")

    first = page.locator("table.grid td.cell-task a").first
    task_text = first.inner_text()
    href = first.get_attribute("href")
    row_name = first.locator("xpath=ancestor::tr/th").inner_text()
    first.click()
    page.get_by_label("Ei tehtävää").check()
    page.get_by_role("button", name="Tallenna").click()
    page.get_by_text("Muutos tallennettu luonnokseen.").wait_for()

    # Give the task back, locked: the cell shows the task and the lock.
    row = page.locator("table.grid tr", has=page.get_by_role("rowheader", name=row_name))
    cell = page.locator(f'td a[href="{href}"]')
    assert cell.locator("xpath=..").get_attribute("class").startswith("cell-free")
    cell.click()
    page.get_by_label(re.compile(re.escape(task_text.splitlines()[0]))).first.check()
    page.get_by_label("Lukitse: uusi suunnittelu ei muuta tätä").check()
    page.get_by_role("button", name="Tallenna").click()
    page.get_by_text("Muutos tallennettu luonnokseen.").wait_for()
    assert row.locator(".icon-lock").count() == 1
    screenshot(page, "planner-week-edited")

    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        plan = store.latest_plan(centre, WEEK)
        assert sum(a.locked for a in plan.assignments) == 1
        data = store.planning_instance(centre, WEEK)
        verdict = evaluate(load_instance(data), store.plan_json(plan, data))
        assert verdict.valid, verdict.violations
