"""Work left over from earlier weeks: its own band in the demand chart, not Monday's due work;
closed days on the week page."""

from __future__ import annotations

import html
from datetime import date

import pytest

from scheduling import load_instance
from workcentre.extensions import db
from workcentre.models import SLOT_KEYS, Assignment, Centre, OrderStatus, OrderStep, Role, WeekPlan
from workcentre.planning.services import build_instance
from workcentre.planning.week_view import carried_over, chart, demand

from ..factories import login, make_centre, make_company, make_order, make_participant, make_user

WEEK_50 = "2026-W50"  # Monday 7.12.2026
MONDAY_50 = date(2026, 12, 7)


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = "2026-12-06"
    with app.app_context():
        centre = make_centre("Keskus")
        company = make_company("A Oy")
        late = make_order(company, centre, quantity=41292)  # 41292 × 10 s = 114,7 h
        late.status = OrderStatus.ACCEPTED
        late.steps[0].due_date = date(2026, 12, 4)  # Friday of the week before
        fresh = make_order(company, centre, quantity=360)  # 1 h due on Wednesday
        fresh.status = OrderStatus.ACCEPTED
        fresh.steps[0].due_date = date(2026, 12, 9)
        person = make_participant(centre, attends=list(SLOT_KEYS), productivity=100)
        person.skills = [late.steps[0].task_type, fresh.steps[0].task_type]
        staff = make_user(Role.INSTRUCTOR, centre=centre)
        db.session.commit()
        return {"centre": centre.id, "late": late.steps[0].id, "fresh": fresh.steps[0].id,
                "staff": staff.email, "person": person.id}


def _rows(app, world, week: str, monday: date):
    with app.test_request_context():
        centre = db.session.get(Centre, world["centre"])
        from workcentre.planning import store

        steps = store.steps_by_key(centre.id)
        instance = load_instance(build_instance(centre, week))
        rows = demand(instance, {}, carried_over(steps, monday))
        return rows, chart(rows)


def test_left_over_work_is_its_own_band_not_mondays_due_work(app, world):
    rows, drawn = _rows(app, world, WEEK_50, MONDAY_50)
    assert [r.label for r in rows] == ["Edelliseltä viikolta", "ma", "ti", "ke", "to", "pe"]
    assert rows[0].carried and rows[0].need == 6882  # minutes
    assert rows[1].need == 0, "Monday has nothing of its own due"
    assert rows[3].need == 60
    assert rows[1].need_so_far == 6882, "the leftover still counts towards what is due"
    assert drawn["labels"][0]["carried"] == "Edelliseltä viikolta: 114,7 h"
    assert [b["kind"] for b in drawn["bars"]][:1] == ["carry"]


def test_the_week_page_shows_the_leftover_band(app, world):
    client = app.test_client()
    assert login(client, world["staff"]).status_code == 302
    page = html.unescape(client.get(f"/planning/{world['centre']}/{WEEK_50}")
                         .get_data(as_text=True))
    assert "Edelliseltä viikolta: 114,7 h" in page


def test_the_week_page_names_the_closed_days(app, world):
    with app.app_context():
        step = db.session.get(OrderStep, world["fresh"])
        plan = WeekPlan(centre_id=world["centre"], week="2026-W52", state="draft")
        plan.assignments = [Assignment(participant_id=world["person"], step=step,
                                       day=date(2026, 12, 21), half="am")]
        db.session.add(plan)
        db.session.commit()
    client = app.test_client()
    assert login(client, world["staff"]).status_code == 302
    page = html.unescape(client.get(f"/planning/{world['centre']}/2026-W52")
                         .get_data(as_text=True))
    grid = page[page.index('id="grid-title"'):]
    assert grid.count("Jouluaatto") >= 1 and grid.count("Joulupäivä") >= 1
    assert grid.count('class="cell-closed') == 4  # one person, two days, two halves
    chart_part = page[page.index('id="demand-title"'):page.index('id="grid-title"')]
    assert "Jouluaatto" in chart_part and "Joulupäivä" in chart_part


def test_no_plan_needs_absences_on_a_holiday(app, world):
    with app.app_context():
        data = build_instance(db.session.get(Centre, world["centre"]), "2026-W52")
    person = data["participants"][0]
    assert not any(k.startswith(("thu", "fri")) for k in person["attends"])
