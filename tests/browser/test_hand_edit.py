"""Issue 29 in a real browser: the instructor adds a person to a late order by hand, sees what
else the re-balanced week moves, saves, sees the grid updated, and undoes it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from scheduling import evaluate, load_instance, solve
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import Centre, OrderStep, Participant, PlanEdit, User
from workcentre.planning import edits, store

from ..factories import PASSWORD, password_hash
from ..web.test_hand_edits import BEFORE_THE_WEEK, WEEK, _rule_7_edits
from .conftest import screenshot


def _planned_week(app, tmp_path) -> tuple[int, tuple[int, str, str], dict]:
    """The demo week solved as a draft, and an edit rule 7 refuses on its own (with words)."""
    app.config["CLOCK_TODAY"] = BEFORE_THE_WEEK
    with app.app_context():
        load_demo(str(tmp_path), today=date(2026, 11, 23))
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        marja.password_hash = password_hash()
        centre = db.session.scalars(select(Centre)).one()
        plan = solve(load_instance(store.planning_instance(centre, WEEK)), workers=1,
                     deterministic_time=0.5)
        store.save_plan(centre, WEEK, plan, None)
        db.session.commit()
        who, slot, step = _rule_7_edits(centre)[0]
        chosen = store.steps_by_key(centre.id)[step]
        words = {"name": db.session.get(Participant, who).first_name,
                 "task": chosen.task_type.name, "order": chosen.order.reference,
                 "before": sorted(map(tuple, (t.values() for t in store.triples(
                     store.latest_plan(centre, WEEK)))))}
        return centre.id, (who, slot, step), words


def test_add_a_person_to_a_late_order_by_hand(app, tmp_path, live_server, page):
    centre_id, (who, slot, step), words = _planned_week(app, tmp_path)
    page.goto(f"{live_server}/login")
    page.get_by_label("Sähköposti").fill("marja@demo.example")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.goto(f"{live_server}/planning/{centre_id}/{WEEK}")

    cell = page.locator(f'table.grid td a[href$="/cell/{who}/{slot}"]')
    cell.click()
    page.locator(f'input[name="step"][value="{step}"]').check()
    page.get_by_role("button", name="Tallenna", exact=True).click()

    # The re-balanced week: what else moves, in plain words, before anything is saved.
    page.get_by_role("heading", name="Myös muuttuu").wait_for(timeout=60_000)
    moves = page.locator("ul.moves li")
    assert moves.count() >= 1
    assert f"{words['task']} · {words['order']}" in page.locator("main").inner_text()
    first_move = moves.first.inner_text()
    assert "→" in first_move
    screenshot(page, "hand-edit-preview")
    with app.app_context():
        proposed = edits.described_moves(
            db.session.scalars(select(PlanEdit)).one())
    assert first_move == f"{proposed[0].name} {proposed[0].slot}: {proposed[0].before} → " \
                         f"{proposed[0].after}"

    page.get_by_role("button", name="Tallenna muutokset").click()
    page.get_by_text("Muutos tallennettu luonnokseen.").wait_for()
    cell = page.locator(f'table.grid td a[href$="/cell/{who}/{slot}"]')
    assert words["task"] in cell.inner_text() and words["order"] in cell.inner_text()
    undo = page.get_by_role("button", name="Kumoa muutos")
    assert undo.is_visible()
    screenshot(page, "hand-edit-saved")
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        plan = store.latest_plan(centre, WEEK)
        data = store.planning_instance(centre, WEEK)
        assert evaluate(load_instance(data), store.plan_json(plan, data)).valid
        held = {(a.participant_id, store.slot_key(a)): a.step for a in plan.assignments}
        assert isinstance(held[(who, slot)], OrderStep)
        assert store.step_key(held[(who, slot)]) == step

    undo.click()
    page.get_by_text("Muutos kumottu.").wait_for()
    assert page.get_by_role("button", name="Kumoa muutos").count() == 0
    with app.app_context():
        plan = store.latest_plan(db.session.get(Centre, centre_id), WEEK)
        assert sorted(map(tuple, (t.values() for t in store.triples(plan)))) == words["before"]
