"""Work left over from earlier weeks: its own band in the demand chart, not Monday's due work;
closed days on the week page."""

from __future__ import annotations

import html
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from scheduling import load_instance
from workcentre.extensions import db
from workcentre.models import (
    SLOT_KEYS,
    ActualCount,
    Assignment,
    AuditEvent,
    Centre,
    OrderStatus,
    OrderStep,
    ProgressReport,
    Role,
    WeekPlan,
)
from workcentre.planning import actuals
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


WEEK_49 = "2026-W49"  # Monday 30.11.2026


def _last_week_with_reports(app, world, reported: int = 100) -> None:
    with app.app_context():
        step = db.session.get(OrderStep, world["late"])
        plan = WeekPlan(centre_id=world["centre"], week=WEEK_49, state="published")
        plan.assignments = [Assignment(participant_id=world["person"], step=step,
                                       day=date(2026, 11, 30) + timedelta(days=n), half=half)
                            for n in range(5) for half in ("am", "pm")]
        db.session.add(plan)
        db.session.add(ProgressReport(idempotency_key="k" * 32, participant_id=world["person"],
                                      step_id=step.id, day=date(2026, 12, 1), half="am",
                                      units=reported))
        step.units_done = reported
        db.session.commit()


def _staff(app, world):
    client = app.test_client()
    assert login(client, world["staff"]).status_code == 302
    return client


def _units_done(app, world) -> int:
    with app.app_context():
        return db.session.get(OrderStep, world["late"]).units_done


def test_confirming_last_weeks_actuals_corrects_the_count_once(app, world):
    _last_week_with_reports(app, world)
    staff = _staff(app, world)
    url = f"/planning/{world['centre']}/{WEEK_50}/actuals"
    page = html.unescape(staff.get(url).get_data(as_text=True))
    assert "Vahvista toteuma" in page and WEEK_49 in page
    assert 'value="100"' in page  # the tablets' figure, ready to confirm
    field = f"units-{world['late']}"
    done = staff.post(url, data={field: "150"})
    assert done.status_code == 302 and _units_done(app, world) == 150
    staff.post(url, data={field: "150"})  # the same form again changes nothing
    assert _units_done(app, world) == 150
    staff.post(url, data={field: "120"})  # a correction moves by the difference only
    assert _units_done(app, world) == 120
    with app.app_context():
        data = build_instance(db.session.get(Centre, world["centre"]), WEEK_50)
        quantity = {s["id"]: s["quantity"] for o in data["orders"] for s in o["steps"]}
        step = db.session.get(OrderStep, world["late"])
        assert quantity[f"{step.order.reference}/1"] == 41292 - 120
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "confirm_actuals")).all()
        assert len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "correct_units")).all()) == 2


def test_a_bad_figure_is_refused_in_finnish_and_changes_nothing(app, world):
    _last_week_with_reports(app, world)
    staff = _staff(app, world)
    url = f"/planning/{world['centre']}/{WEEK_50}/actuals"
    for bad in ("abc", "-5", "99999999", "1.5", ""):
        response = staff.post(url, data={f"units-{world['late']}": bad})
        assert response.status_code == 200
        assert "anna kokonaisluku 0–41292" in html.unescape(response.get_data(as_text=True))
    assert _units_done(app, world) == 100
    with app.app_context():
        assert db.session.scalars(select(ActualCount)).all() == []


def test_two_instructors_confirming_at_once_count_the_change_once(app, world):
    _last_week_with_reports(app, world)
    barrier = threading.Barrier(2, timeout=20)
    original = actuals.actual_rows
    results: list[object] = []

    def rows_then_wait(centre, week):
        rows = original(centre, week)
        barrier.wait()  # both have read the same figures before either writes
        return rows

    def confirm(units: int) -> None:
        with app.app_context():
            centre = db.session.get(Centre, world["centre"])
            try:
                results.append(actuals.confirm(centre, WEEK_49, {world["late"]: units}, None))
            except actuals.ConfirmConflict as error:
                results.append(error)
            finally:
                db.session.remove()

    actuals.actual_rows = rows_then_wait
    try:
        threads = [threading.Thread(target=confirm, args=(u,)) for u in (150, 170)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        actuals.actual_rows = original
    assert sorted(type(r).__name__ for r in results) == ["ConfirmConflict", "int"]
    with app.app_context():
        saved = db.session.scalars(select(ActualCount)).one().units
    assert saved in (150, 170) and _units_done(app, world) == saved
