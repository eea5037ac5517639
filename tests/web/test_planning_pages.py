"""The instructor's week through the browser's requests: solve, poll, edit, lock, re-plan,
publish, export; every stored plan checked by the evaluator."""

from __future__ import annotations

import io
import time
from collections import Counter
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scheduling import evaluate, load_instance
from workcentre.extensions import db
from workcentre.models import AuditEvent, Centre, Participant, ParticipantSupport, User, WeekPlan
from workcentre.planning import store
from workcentre.planning.edits import step_options

from ..factories import load_demo_week, login

WEEK = "2026-W48"
MONDAY = date(2026, 11, 23)


@pytest.fixture
def planner(app, client, tmp_path):
    """The demo centre, and Marja the instructor signed in."""
    centre_id = load_demo_week(app, tmp_path, "2026-11-22")  # the Sunday before: all open
    assert login(client, "marja@demo.example").status_code == 302
    return f"/planning/{centre_id}/{WEEK}"


def _wait_for_run(client, base: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(base + "/run").get_json()
        if status["state"] not in ("queued", "running"):
            return status
        time.sleep(0.2)
    raise AssertionError("the solve did not end")


def _make_plan(client, base: str, **form) -> dict:
    response = client.post(base + "/solve", data={"time_limit": "10", **form})
    assert response.status_code == 302
    status = _wait_for_run(client, base)
    assert status["state"] == "done", status
    return status


def _seen(app) -> dict[str, int]:
    """The plan version and revision a form read now would carry."""
    with app.app_context():
        seen = store.seen(store.latest_plan(db.session.scalars(select(Centre)).one(), WEEK))
        return {"plan_id": seen.plan_id, "revision": seen.revision}


def _checked_plan(app) -> tuple[WeekPlan, dict]:
    """The newest plan, valid under the contract's evaluator."""
    centre = db.session.scalars(select(Centre)).one()
    plan = store.latest_plan(centre, WEEK)
    data = store.planning_instance(centre, WEEK)
    body = store.plan_json(plan, data)
    result = evaluate(load_instance(data), body)
    assert result.valid, result.violations
    return plan, body


def test_the_whole_week_loop(app, client, planner):
    page = client.get(planner)
    assert page.status_code == 200
    assert b"Tee suunnitelma" in page.data and b"<svg" in page.data

    _make_plan(client, planner)
    page = client.get(planner).get_data(as_text=True)
    assert "Luonnos" in page and "Julkaise versio 1" in page
    with app.app_context():
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        created = db.session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "week_plan", AuditEvent.action == "create")).one()
        assert created.user_id == marja.id and "solver" in created.actor
    with app.app_context():
        plan, body = _checked_plan(app)
        first = plan.assignments[0]
        who, slot, step = first.participant_id, store.slot_key(first), store.step_key(first.step)
        name = db.session.get(Participant, who).first_name
        assert name in page

    # Clear one assignment by hand: stored, and the plan is still valid.
    edit = f"{planner}/cell/{who}/{slot}"
    assert client.get(edit).status_code == 200
    assert client.post(edit, data={"step": "", **_seen(app)}).status_code == 302
    with app.app_context():
        plan, body = _checked_plan(app)
        assert not any(a.participant_id == who and store.slot_key(a) == slot
                       for a in plan.assignments)

    # Give it back, locked: the lock is stored and survives the re-plan below.
    assert client.post(edit, data={"step": step, "locked": "1", **_seen(app)}).status_code == 302
    with app.app_context():
        plan, body = _checked_plan(app)
        held = next(a for a in plan.assignments
                    if a.participant_id == who and store.slot_key(a) == slot)
        assert held.locked and store.step_key(held.step) == step

    # Publish; the company and tablets see version 1.
    assert client.post(planner + "/publish", data=_seen(app)).status_code == 302
    with app.app_context():
        assert store.latest_plan(db.session.scalars(select(Centre)).one(), WEEK).state \
            == "published"

    # Re-plan from Wednesday: a new draft, version 2, the locks and Monday-Tuesday kept.
    _make_plan(client, planner, from_slot="wed-am")
    with app.app_context():
        plan, body = _checked_plan(app)
        assert plan.version == 2 and plan.state == "draft"
        assert any(a.participant_id == who and store.slot_key(a) == slot and a.locked
                   for a in plan.assignments)
    page = client.get(planner).get_data(as_text=True)
    assert "Versiot" in page

    # Export: the workbook says what the plan says.
    response = client.get(planner + "/week.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    with app.app_context():
        plan, body = _checked_plan(app)
        _assert_workbook_matches(workbook, plan)

    # Downloads for support: the instance and the plan JSON agree with the evaluator.
    instance = client.get(planner + "/instance.json").get_json()
    plan_body = client.get(planner + "/plan.json").get_json()
    assert evaluate(load_instance(instance), plan_body).valid
    assert client.get(planner + "/print").status_code == 200


def _assert_workbook_matches(workbook, plan: WeekPlan) -> None:
    assert workbook.sheetnames[0].startswith("ma")
    assert "Tilaukset" in workbook.sheetnames
    names = {}
    for a in plan.assignments:
        person = a.participant
        names[(f"{person.first_name} {person.last_name}".strip(), a.day, a.half)] = \
            f"{a.step.task_type.name} ({a.step.order.reference})"
    days = workbook.sheetnames[:5]
    found = 0
    for sheet_name, offset in zip(days, range(5), strict=True):
        ws = workbook[sheet_name]
        assert ws.freeze_panes == "B2"
        day = plan_day(plan, offset)
        for row in ws.iter_rows(min_row=2, values_only=True):
            for half, value in zip(("am", "pm"), row[1:3], strict=True):
                expected = names.get((row[0], day, half))
                if expected is not None:
                    assert value == expected
                    found += 1
    assert found == len(plan.assignments)


def plan_day(plan: WeekPlan, offset: int) -> date:
    from datetime import timedelta

    return MONDAY + timedelta(days=offset)


def test_an_edit_into_a_full_area_is_proposed_not_saved_and_a_bad_step_refused(
        app, client, planner):
    """A move into an area whose seats are all taken needs someone else to move: the page
    shows the proposal first, and nothing changes before the instructor confirms it."""
    _make_plan(client, planner)
    with app.app_context():
        plan, _ = _checked_plan(app)
        before = sorted(map(tuple, (t.values() for t in store.triples(plan))))
        who, slot, step = _full_area_move(plan)
    response = client.post(f"{planner}/cell/{who}/{slot}", data={"step": step, **_seen(app)})
    assert response.status_code == 302 and "/edit/" in response.headers["Location"]
    assert "Myös muuttuu" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(f"{planner}/cell/{who}/{slot}", data={"step": "NOPE/1", **_seen(app)})
    assert "Valitse tehtävä listasta".encode() in response.data
    with app.app_context():
        plan, _ = _checked_plan(app)
        assert sorted(map(tuple, (t.values() for t in store.triples(plan)))) == before


def _full_area_move(plan: WeekPlan) -> tuple[int, str, str]:
    """Fill an area's seats exactly, and find someone outside it who could work there.

    The mover needs no support, so that the area's instructors could take them: only the
    seats are in the way (the instructors of a well-packed plan may have no capacity left)."""
    centre = plan.centre
    count = Counter((store.slot_key(b), b.step.task_type.area_id) for b in plan.assignments)
    for a in plan.assignments:
        slot, area = store.slot_key(a), a.step.task_type.area
        inside = [b for b in plan.assignments
                  if store.slot_key(b) == slot and b.step.task_type.area_id == area.id]
        if len(inside) < max(n for (_, k), n in count.items() if k == area.id):
            continue  # fewer seats would break the plan in a busier slot
        for person in db.session.scalars(select(Participant).where(
                Participant.centre_id == centre.id)):
            support = db.session.get(ParticipantSupport, person.id)
            if (support is not None and support.support_points) or any(
                    b.participant_id == person.id for b in inside):
                continue
            options = [o for o in step_options(centre, WEEK, person, slot)
                       if o.key == store.step_key(a.step)]
            if options:
                area.seats = len(inside)
                db.session.commit()
                return person.id, slot, options[0].key
    raise AssertionError("the demo week has no such move")


def test_bad_weeks_and_other_centres_are_not_found(app, client, planner):
    assert client.get("/planning/1/2026-W99").status_code == 404
    assert client.get("/planning/1/nonsense").status_code == 404
    assert client.get(f"/planning/999/{WEEK}").status_code == 404
    assert client.post(planner + "/solve", data={"time_limit": "7"}).status_code == 302
    assert client.get(planner + "/run").get_json()["state"] is None


def test_data_the_contract_refuses_gives_a_message_not_a_crash(app, client, planner):
    from workcentre.models import Area

    with app.app_context():
        db.session.scalars(select(Area)).first().seats = -1  # by hand, outside the forms
        db.session.commit()
    page = client.get(planner)
    assert page.status_code == 200
    assert "Viikon tiedoissa on virhe" in page.get_data(as_text=True)
    client.post(planner + "/solve", data={"time_limit": "10"})
    status = _wait_for_run(client, planner)
    assert status["state"] == "failed" and status["message"].startswith("instance:")
    assert "Viikon tiedoissa on virhe" in client.get(planner).get_data(as_text=True)
