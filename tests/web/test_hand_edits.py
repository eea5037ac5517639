"""Issue 29, the instructor's hand: an edit that rule 7 refuses on its own is re-balanced, shown,
saved and undone; only a lock that cannot hold is refused, and then the clash is named.

Every plan the edits produce is checked with the contract's evaluator."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

from scheduling import evaluate, load_instance, solve
from scheduling.instance import PLAN_FORMAT, Triple
from scheduling.placement import place_instructors
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.labels import slot_label
from workcentre.models import Centre, Participant, PlanEdit, User, WeekPlan
from workcentre.planning import edits, store
from workcentre.planning.services import participant_key

from ..factories import login, password_hash

WEEK = "2026-W48"


def _form(centre, step: str) -> dict:
    """The cell form as the page sends it, read from the plan as it is now."""
    seen = store.seen(store.latest_plan(centre, WEEK))
    return {"step": step, "plan_id": seen.plan_id, "revision": seen.revision}


def _edit(centre, *cell, locked=False, user=None):
    """A hand edit from a form read just now."""
    return edits.set_assignment(centre, WEEK, *cell, locked=locked, user=user,
                                seen=store.seen(store.latest_plan(centre, WEEK)))

BEFORE_THE_WEEK = "2026-11-22"  # Sunday: nothing of the week has begun
WEDNESDAY = "2026-11-25"  # Monday and Tuesday are over


@pytest.fixture
def centre(app, tmp_path):
    """The demo centre with a solved draft of the week (repeatable: one worker, fixed budget)."""
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
        yield centre
        db.session.remove()


def _rows(plan: WeekPlan) -> list[tuple[str, str, str]]:
    return sorted((t["participant"], t["slot"], t["step"]) for t in store.triples(plan))


def _checked(centre: Centre) -> WeekPlan:
    """The week's newest plan, valid under the contract's evaluator."""
    plan = store.latest_plan(centre, WEEK)
    data = store.planning_instance(centre, WEEK)
    verdict = evaluate(load_instance(data), store.plan_json(plan, data))
    assert verdict.valid, verdict.violations
    return plan


def _rule_7_edits(centre: Centre, slots: set[str] | None = None,
                  wanted: int = 2) -> list[tuple[int, str, str]]:
    """Edits (person, slot, step) that rule 7 alone refuses: the person is eligible and the
    instructors can be placed, but someone on the step would be left without work. The first
    `wanted` of them, in the order of the instance."""
    plan = store.latest_plan(centre, WEEK)
    data = store.planning_instance(centre, WEEK)
    instance = load_instance(data)
    rows = store.triples(plan)
    held = {(t["participant"], t["slot"]): t["step"] for t in rows}
    old = [(r["instructor"], r["slot"], r["area"]) for r in store.placements(plan)]
    found = []
    for person in instance.participants:
        for slot in instance.slots:
            if slots is not None and slot.id not in slots:
                continue
            for step in instance.steps:
                if held.get((person.id, slot.id)) == step.id or \
                        not instance.eligible(person, step, slot):
                    continue
                edited = [t for t in rows if (t["participant"], t["slot"]) != (person.id, slot.id)]
                edited.append({"participant": person.id, "slot": slot.id, "step": step.id})
                placed = place_instructors(instance, [Triple(**t) for t in edited], old)
                if placed is None:
                    continue
                verdict = evaluate(instance, {
                    "format": PLAN_FORMAT, "assignments": edited,
                    "instructors": [{"instructor": i, "slot": s, "area": a}
                                    for i, s, a in placed]})
                if [v.split(":")[0] for v in verdict.violations] == ["rule 7"] * \
                        len(verdict.violations) and verdict.violations:
                    found.append((int(person.id[1:]), slot.id, step.id))
                    if len(found) == wanted:
                        return found
    return found


def test_an_edit_rule_7_refuses_on_its_own_is_re_balanced_shown_saved_and_undone(centre):
    candidates = _rule_7_edits(centre, wanted=6)
    assert len(candidates) == 6, "the demo week is one where rule 7 bites"
    who, slot, step = candidates[0]
    draft = store.latest_plan(centre, WEEK)
    before, placements = _rows(draft), store.placements(draft)

    result = _edit(centre, who, slot, step, locked=False, user=None)

    assert result.ok, result.messages  # main: "Työvaihe valmistuu tässä vuorossa ilman ..."
    assert result.needs_confirmation
    assert _rows(store.latest_plan(centre, WEEK)) == before  # nothing saved before confirming
    proposal = result.edit.proposal
    assert evaluate(load_instance(store.planning_instance(centre, WEEK)), proposal).valid
    # What else moves, in plain words: first names, half-days, task and order.
    moves = edits.described_moves(result.edit)
    assert moves and len(moves) == len(result.edit.moves)
    first_names = {p.first_name for p in db.session.scalars(select(Participant))}
    for move, raw in zip(moves, result.edit.moves, strict=True):
        assert move.name in first_names and move.slot == slot_label(raw["slot"])
        assert move.before != move.after
        assert "·" in move.before or move.before == "ei työtä"

    saved = edits.confirm(result.edit, None)

    assert saved.ok, saved.messages
    plan = _checked(centre)
    after = {(p, s): j for p, s, j in _rows(plan)}
    assert after[(participant_key(who), slot)] == step
    moved = {(m["participant"], m["slot"]): m["after"] for m in result.edit.moves}
    for p, s, j in before:
        if (p, s) != (participant_key(who), slot):
            assert after.get((p, s)) == moved.get((p, s), j)  # only the moves shown moved
    assert edits.undoable(centre, WEEK).id == result.edit.id

    undone = edits.undo(result.edit, None)

    assert undone.ok, undone.messages
    plan = _checked(centre)
    assert _rows(plan) == before
    assert sorted(map(str, store.placements(plan))) == sorted(map(str, placements))
    assert edits.undoable(centre, WEEK) is None
    assert not edits.undo(result.edit, None).ok  # once


def test_undo_is_refused_once_someone_changed_the_draft(centre):
    who, slot, step = _rule_7_edits(centre)[0]
    result = _edit(centre, who, slot, step, locked=False, user=None)
    assert edits.confirm(result.edit, None).ok
    other = next(a for a in store.latest_plan(centre, WEEK).assignments
                 if (a.participant_id, store.slot_key(a)) != (who, slot))
    removed = (other.participant_id, store.slot_key(other))
    assert _edit(centre, *removed, None, locked=False, user=None).ok
    changed = _rows(store.latest_plan(centre, WEEK))

    assert edits.undoable(centre, WEEK).id != result.edit.id  # the newer edit is the one
    refused = edits.undo(result.edit, None)

    assert not refused.ok and "kumota" in refused.messages[0]
    assert _rows(_checked(centre)) == changed


def test_a_proposal_made_on_an_older_plan_is_not_saved(centre):
    first, second = _rule_7_edits(centre)[:2]
    proposed = _edit(centre, *first, locked=False, user=None)
    assert proposed.needs_confirmation
    other = _edit(centre, *second, locked=False, user=None)
    assert edits.confirm(other.edit, None).ok
    kept = _rows(store.latest_plan(centre, WEEK))

    stale = edits.confirm(proposed.edit, None)

    assert not stale.ok and "muuttunut" in stale.messages[0]
    assert _rows(_checked(centre)) == kept


def test_a_true_clash_is_refused_naming_the_person_half_day_and_task(centre):
    who, slot, step = _rule_7_edits(centre)[0]
    draft = store.latest_plan(centre, WEEK)
    for a in draft.assignments:  # everyone else's week is locked: nobody can make room
        a.locked = True
    db.session.commit()
    before = _rows(draft)

    result = _edit(centre, who, slot, step, locked=False, user=None)

    assert not result.ok
    clashes = [m for m in result.messages if "lukitun tehtävän" in m]
    assert clashes, result.messages
    named = [a for a in draft.assignments
             if any(a.participant.first_name in m and slot_label(store.slot_key(a)) in m
                    and a.step.order.reference in m and a.step.task_type.name in m
                    for m in clashes)]
    assert named and all(store.step_key(a.step) == step for a in named)
    assert _rows(_checked(centre)) == before
    assert db.session.scalars(select(PlanEdit)).all() == []


def test_an_edit_the_person_cannot_do_is_refused(centre):
    draft = store.latest_plan(centre, WEEK)
    instance = load_instance(store.planning_instance(centre, WEEK))
    person, where, step = next(
        (p, s, j) for p in instance.participants for s in instance.slots
        for j in instance.steps if s.id in p.attends and not instance.eligible(p, j, s))
    before = _rows(draft)

    result = _edit(centre, int(person.id[1:]), where.id, step.id,
                                  locked=False, user=None)

    assert not result.ok and "ei voi tehdä tätä tehtävää" in result.messages[0]
    assert _rows(_checked(centre)) == before


def test_removing_someone_from_a_step_stays_possible(centre):
    draft = store.latest_plan(centre, WEEK)
    taken = [(a.participant_id, store.slot_key(a)) for a in draft.assignments][:5]
    for who, slot in taken:
        result = _edit(centre, who, slot, None, locked=False, user=None)
        if result.needs_confirmation:
            assert edits.confirm(result.edit, None).ok
        assert result.ok, result.messages
    left = {(p, s) for p, s, _ in _rows(_checked(centre))}
    assert not left & {(participant_key(who), slot) for who, slot in taken}


def test_begun_half_days_stay_as_they_happened(app, centre):
    app.config["CLOCK_TODAY"] = WEDNESDAY
    late = _rule_7_edits(centre, {"thu-am", "thu-pm", "fri-am", "fri-pm"})
    assert late
    before = _rows(store.latest_plan(centre, WEEK))
    past = {"mon-am", "mon-pm", "tue-am", "tue-pm"}
    for who, slot, step in late[:3]:
        result = _edit(centre, who, slot, step, locked=False, user=None)
        if not result.ok:
            continue
        assert {m["slot"] for m in result.edit.moves}.isdisjoint(past), result.edit.moves
        proposal = {(a["participant"], a["slot"], a["step"])
                    for a in result.edit.proposal["assignments"]}
        assert {r for r in before if r[1] in past} <= proposal
        edits.cancel(result.edit)
        return
    raise AssertionError("no late edit could be re-balanced")


def test_the_instructor_previews_confirms_and_undoes_through_the_pages(app, centre, client):
    who, slot, step = _rule_7_edits(centre)[0]
    before = _rows(store.latest_plan(centre, WEEK))
    assert login(client, "marja@demo.example").status_code == 302
    base = f"/planning/{centre.id}/{WEEK}"

    response = client.post(f"{base}/cell/{who}/{slot}", data=_form(centre, step))

    assert response.status_code == 302 and "/edit/" in response.headers["Location"]
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    record = db.session.scalars(select(PlanEdit)).one()
    assert "Myös muuttuu" in preview
    for move in edits.described_moves(record):
        assert f"{move.name} {move.slot}: {move.before} → {move.after}" in preview
    confirmed = client.post(f"{base}/edit/{record.id}/confirm")
    assert confirmed.status_code == 302
    db.session.expire_all()
    week_page = client.get(base).get_data(as_text=True)
    assert "Muutos tallennettu luonnokseen." in week_page and "Kumoa muutos" in week_page
    assert _rows(_checked(centre)) != before

    assert client.post(f"{base}/edit/{record.id}/undo").status_code == 302
    db.session.expire_all()
    assert _rows(_checked(centre)) == before
    assert "Muutos kumottu." in client.get(base).get_data(as_text=True)


def test_cancel_saves_nothing(app, centre, client):
    who, slot, step = _rule_7_edits(centre)[0]
    before = _rows(store.latest_plan(centre, WEEK))
    assert login(client, "marja@demo.example").status_code == 302
    base = f"/planning/{centre.id}/{WEEK}"
    client.post(f"{base}/cell/{who}/{slot}", data=_form(centre, step))
    record = db.session.scalars(select(PlanEdit)).one()

    assert client.post(f"{base}/edit/{record.id}/cancel").status_code == 302
    assert client.post(f"{base}/edit/{record.id}/confirm").status_code == 302
    db.session.expire_all()
    assert _rows(_checked(centre)) == before
    assert "jo käsitelty" in client.get(f"{base}/edit/{record.id}").get_data(as_text=True)
    assert client.get(f"{base}/edit/999999").status_code == 404


def test_only_staff_of_the_centre_may_confirm_or_undo(app, centre, client):
    from workcentre.models import Role

    from ..factories import make_company, make_user

    who, slot, step = _rule_7_edits(centre)[0]
    proposed = _edit(centre, who, slot, step, locked=False, user=None)
    company = make_user(Role.COMPANY, company=make_company())
    db.session.commit()
    base = f"/planning/{centre.id}/{WEEK}/edit/{proposed.edit.id}"
    assert login(client, company.email).status_code == 302
    for action in ("", "/confirm", "/cancel", "/undo"):
        response = client.post(base + action) if action else client.get(base)
        assert response.status_code == 403, action
    db.session.expire_all()
    assert db.session.get(PlanEdit, proposed.edit.id).state == "proposed"


def _at_once(app, action, count: int = 2) -> list:
    """Run `action(record_id)` in `count` threads at the same moment, each with its own app
    context and database connection, as two instructors' requests would."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int, record_id: int) -> None:
        with app.app_context():
            record = db.session.get(PlanEdit, record_id)
            barrier.wait()
            try:
                results[index] = action(record)
            except Exception as error:  # noqa: BLE001 - the test reports it
                results[index] = error
            finally:
                db.session.remove()

    return run, results


def _race(app, record_id: int, action) -> list:
    run, results = _at_once(app, action)
    threads = [threading.Thread(target=run, args=(i, record_id)) for i in range(len(results))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_confirms_and_two_undos_at_once_do_it_once(app, centre):
    who, slot, step = _rule_7_edits(centre)[0]
    before = _rows(store.latest_plan(centre, WEEK))
    proposed = _edit(centre, who, slot, step, locked=False, user=None)
    record_id = proposed.edit.id
    db.session.commit()  # the threads use their own connections; this one holds nothing

    confirmed = _race(app, record_id, lambda record: edits.confirm(record, None))

    assert sorted(r.ok for r in confirmed) == [False, True], confirmed
    assert "jo käsitelty" in next(r for r in confirmed if not r.ok).messages[0]
    db.session.expire_all()
    assert db.session.get(PlanEdit, record_id).state == "saved"
    saved = _checked(centre)
    assert (participant_key(who), slot, step) in _rows(saved)

    undone = _race(app, record_id, lambda record: edits.undo(record, None))

    assert sorted(r.ok for r in undone) == [False, True], undone
    db.session.expire_all()
    assert db.session.get(PlanEdit, record_id).state == "undone"
    assert _rows(_checked(centre)) == before
