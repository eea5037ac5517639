"""Instructors change the plan by hand. An edit that holds on its own is saved at once; one that
needs others to move is re-balanced (`rebalance.py`) and shown before saving; every saved edit
can be undone while the draft is as it left it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from scheduling import PLAN_FORMAT, Triple, evaluate, load_instance, place_instructors, plan_dict

from ..extensions import db
from ..labels import slot_label
from ..models import Centre, OrderStep, Participant, PlanEdit, User, WeekPlan
from . import rebalance, runs, store
from .services import participant_key


@dataclass
class StepOption:
    key: str  # the contract's step id, "O-17/1"
    order: str
    customer: str
    task: str


@dataclass
class EditResult:
    """`ok` with `plan`: saved. `ok` with a proposed `edit`: other cells move too, and the
    instructor confirms first. Not `ok`: `messages` say why, and nothing changed."""

    ok: bool
    messages: list[str]
    plan: WeekPlan | None = None
    edit: PlanEdit | None = None

    @property
    def needs_confirmation(self) -> bool:
        return self.ok and self.edit is not None and self.edit.state == "proposed"


def set_assignment(centre: Centre, week: str, participant_id: int, slot: str,
                   step: str | None, *, locked: bool, user: User | None,
                   seen: store.Seen | None, budget: rebalance.Budget | None = None
                   ) -> EditResult:
    """Give the participant `step` (a contract step id, or None for no task) in `slot`.

    When the plan with just this cell changed passes every rule, it is saved at once
    (instructors re-placed where the new work needs them). Otherwise the edit becomes a lock
    and a short solve re-balances the rest of the week around it: the result is a proposal
    (`PlanEdit`, state "proposed") for the instructor to confirm. Refused only when the lock
    itself cannot hold; nothing is saved then. `seen` is the plan the instructor's form was
    read from: raises store.PlanChanged when the plan changed since.
    """
    current = store.latest_plan(centre, week)
    if current is None or seen is None:
        return EditResult(False, [_("Tee ensin suunnitelma tälle viikolle.")])
    if store.seen(current) != seen:
        raise store.PlanChanged()
    data = store.planning_instance(centre, week)
    rows, _history = store.split(current, data)  # history (finished steps) is never solved
    edit = rebalance.Edit(participant_key(participant_id), slot, step, locked)
    plain, messages = _plain_edit(data, current, rows, edit)
    if plain is not None:
        store.claim(centre, week, seen)
        record = _record(centre, week, current, edit, plain, [], user)
        draft = _save(record, user)
        db.session.commit()
        return EditResult(True, [], draft, record)
    result = rebalance.rebalance(data, rows, edit, runs.first_open_slot(centre, week),
                                 budget or configured_budget())
    if result.plan is None:
        db.session.rollback()
        if result.conflicts:
            messages = conflict_messages(centre, result.conflicts, edit)
        return EditResult(False, messages)
    slots = [s["id"] for s in data["slots"]]
    moved = rebalance.moves(store.triples(current), result.plan["assignments"], edit, slots)
    record = _record(centre, week, current, edit, result.plan, moved, user)
    if not moved:
        draft = _save(record, user)
        db.session.commit()
        return EditResult(True, [], draft, record)
    db.session.commit()
    return EditResult(True, [], None, record)


def _plain_edit(data: dict, current: WeekPlan, rows: list[dict], edit: rebalance.Edit
                ) -> tuple[dict | None, list[str]]:
    """The draft (`rows`, without its history) with just this cell changed (instructors
    re-placed), if every rule holds; otherwise None and the rules it breaks, in words."""
    rows = [t for t in rows if (t["participant"], t["slot"]) != (edit.participant, edit.slot)]
    if edit.step is not None:
        rows.append({"participant": edit.participant, "slot": edit.slot, "step": edit.step})
    locks = rebalance.stored_locks(data, edit)
    instance = load_instance({**data, "locked": locks})
    assignments = [Triple(**t) for t in rows]
    placements = place_instructors(instance, assignments, _placements(current))
    if placements is None:
        return None, [_("Kukaan ohjaaja ei voi ohjata tätä työtilaa tässä vuorossa.")]
    body = {"format": PLAN_FORMAT, "assignments": rows,
            "instructors": [{"instructor": i, "slot": s, "area": a} for i, s, a in placements]}
    verdict = evaluate(instance, body)
    if not verdict.valid:
        return None, [explain_violation(v) for v in verdict.violations]
    plan = plan_dict(instance, "FEASIBLE", assignments, placements, bound=None, seconds=0.0,
                     solver_name="manual")
    return {**plan, "locked": locks}, []


def configured_budget() -> rebalance.Budget:
    """The re-balancing solve's time: `EDIT_TIME_LIMIT` seconds (tests: the repeatable budget)."""
    config = current_app.config
    return rebalance.Budget(seconds=float(config.get("EDIT_TIME_LIMIT", 3.0)),
                            workers=config.get("SOLVE_WORKERS"),
                            deterministic_time=config.get("SOLVE_DETERMINISTIC_TIME"))


# --- proposals, saving and undo -------------------------------------------------------------

def fingerprint(assignments: list[dict], locked: list[dict], instructors: list[dict]) -> str:
    """What a plan says, as a hash: the same plan always gives the same string."""
    locks = {(t["participant"], t["slot"], t["step"]) for t in locked}
    body = {"a": sorted((t["participant"], t["slot"], t["step"],
                         (t["participant"], t["slot"], t["step"]) in locks)
                        for t in assignments),
            "i": sorted((r["instructor"], r["slot"], r["area"]) for r in instructors)}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def snapshot(plan: WeekPlan) -> dict:
    """The plan's rows and figures, enough to put it back as it was."""
    rows = store.triples(plan)
    locked = [store.triple(a) for a in plan.assignments if a.locked]
    return {"assignments": rows, "instructors": store.placements(plan), "locked": locked,
            "status": plan.solve_status, "objective": plan.objective, "bound": plan.bound,
            "terms": plan.terms or {}, "explanations": plan.explanations or {}}


def plan_fingerprint(plan: WeekPlan) -> str:
    body = snapshot(plan)
    return fingerprint(body["assignments"], body["locked"], body["instructors"])


def _record(centre: Centre, week: str, current: WeekPlan, edit: rebalance.Edit, plan: dict,
            moved: list[dict], user: User | None) -> PlanEdit:
    record = PlanEdit(centre_id=centre.id, week=week, participant_id=int(edit.participant[1:]),
                      slot=edit.slot, step=edit.step, locked=edit.locked,
                      base=plan_fingerprint(current), before=snapshot(current), proposal=plan,
                      moves=moved, created_by_id=user.id if user else None)
    db.session.add(record)
    return record


def _save(record: PlanEdit, user: User | None) -> WeekPlan:
    """Store the edit's plan as the draft (the caller has checked the draft is its base), with
    the week's history (rows on finished steps) kept off the edited cell, and the instance it
    was judged against."""
    centre = db.session.get(Centre, record.centre_id)
    draft = store.editable_draft(centre, record.week, user)
    data = store.planning_instance(centre, record.week)
    cell = (participant_key(record.participant_id), record.slot)
    history = [h for h in store.split(draft, data)[1] if (h["participant"], h["slot"]) != cell]
    store.save_plan(centre, record.week, record.proposal, user,
                    instance={**data, "locked": record.proposal.get("locked", [])},
                    history=history)
    db.session.flush()
    record.state, record.plan_id = "saved", draft.id
    record.after = plan_fingerprint(draft)
    return draft


def confirm(record: PlanEdit, user: User | None) -> EditResult:
    """Save a proposal, if the week's plan is still the one it was made from."""
    if not _claim(record, "proposed", "saved"):
        return EditResult(False, [_("Tämä muutos on jo käsitelty.")])
    current = _current_locked(record)
    if current is None or plan_fingerprint(current) != record.base:
        record.state = "cancelled"
        db.session.commit()
        return EditResult(False, [_("Suunnitelma on muuttunut tämän jälkeen. Tee muutos "
                                    "uudelleen.")])
    _bump(current)
    draft = _save(record, user)
    db.session.commit()
    return EditResult(True, [], draft, record)


def cancel(record: PlanEdit) -> None:
    if _claim(record, "proposed", "cancelled"):
        db.session.commit()


def undoable(centre: Centre, week: str) -> PlanEdit | None:
    """The week's last saved hand edit, if the draft is still as that edit left it."""
    record = db.session.scalars(
        select(PlanEdit).where(PlanEdit.centre_id == centre.id, PlanEdit.week == week,
                               PlanEdit.state == "saved")
        .order_by(PlanEdit.id.desc()).limit(1)).first()
    if record is None:
        return None
    current = store.latest_plan(centre, week)
    return record if _left_as_it_was(record, current) else None


def undo(record: PlanEdit, user: User | None) -> EditResult:
    """Put the draft back as it was before the edit, if nobody has changed it since."""
    refused = EditResult(False, [_("Muutosta ei voi enää kumota: suunnitelmaa on muutettu "
                                   "sen jälkeen.")])
    if not _claim(record, "saved", "undone"):
        return refused
    current = _current_locked(record)
    if not _left_as_it_was(record, current):
        db.session.rollback()
        return refused
    _bump(current)
    before = record.before
    locked = {(t["participant"], t["slot"], t["step"]) for t in before["locked"]}
    store.replace_rows(current, before["assignments"], before["instructors"], locked)
    if current.instance is not None:  # the edit's lock goes with it
        current.instance = {**current.instance,
                            "locked": store.known_rows(current.instance, before["locked"])}
    current.solve_status, current.objective = before["status"], before["objective"]
    current.bound, current.terms = before["bound"], before["terms"]
    current.explanations = before["explanations"]
    db.session.commit()
    return EditResult(True, [], current, record)


def _bump(current: WeekPlan) -> None:
    """A confirm or undo is a write like any other: forms read before it are told."""
    store.claim(db.session.get(Centre, current.centre_id), current.week, store.seen(current))


def _left_as_it_was(record: PlanEdit, current: WeekPlan | None) -> bool:
    """The week's newest plan is the draft this edit saved, unchanged since."""
    return current is not None and current.id == record.plan_id and current.state == "draft" \
        and plan_fingerprint(current) == record.after


def _claim(record: PlanEdit, expected: str, state: str) -> bool:
    """Move the edit from `expected` to `state` in one UPDATE: of two confirms (or undos) of
    one edit at the same time, exactly one goes on. The caller commits or rolls back."""
    claimed = db.session.execute(
        update(PlanEdit).where(PlanEdit.id == record.id, PlanEdit.state == expected)
        .values(state=state).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        return False
    db.session.refresh(record)
    return True


def _current_locked(record: PlanEdit) -> WeekPlan | None:
    """The week's newest plan, its row locked until commit where the database can (PostgreSQL),
    so that an edit and an undo of one week do not both pass the check."""
    return db.session.scalars(
        select(WeekPlan).where(WeekPlan.centre_id == record.centre_id,
                               WeekPlan.week == record.week)
        .order_by(WeekPlan.version.desc()).limit(1).with_for_update()).first()


# --- words for the instructor ---------------------------------------------------------------

@dataclass
class Move:
    name: str
    slot: str
    before: str  # "Pakkaus · T-2026-001", or "ei työtä"
    after: str


def described_moves(record: PlanEdit) -> list[Move]:
    """The other cells the edit changes, with first names and tasks."""
    names, steps = _names(record.centre_id), store.steps_by_key(record.centre_id)
    return [Move(names.get(m["participant"], m["participant"]), slot_label(m["slot"]),
                 _step_words(steps, m["before"]), _step_words(steps, m["after"]))
            for m in record.moves]


def step_words(centre_id: int, step: str | None) -> str:
    return _step_words(store.steps_by_key(centre_id), step)


def _step_words(steps: dict[str, OrderStep], key: str | None) -> str:
    if key is None:
        return _("ei työtä")
    step = steps.get(key)
    return f"{step.task_type.name} · {step.order.reference}" if step else key


def _names(centre_id: int) -> dict[str, str]:
    return {participant_key(p.id): p.first_name for p in db.session.scalars(
        select(Participant).where(Participant.centre_id == centre_id))}


def conflict_messages(centre: Centre, conflicts: list[dict], edit: rebalance.Edit) -> list[str]:
    """Why the edit cannot hold, naming the person, half-day and task it clashes with."""
    names, steps = _names(centre.id), store.steps_by_key(centre.id)
    messages = []
    for c in conflicts:
        if (c["participant"], c["slot"]) == (edit.participant, edit.slot):
            if not c["reason"].startswith("these locks"):  # the lock fails on its own
                messages.append(str(RULE_MESSAGES["rule 1"]))
            continue
        messages.append(_("Muutos ei sovi yhteen lukitun tehtävän kanssa: %(name)s, %(slot)s, "
                          "%(step)s.", name=names.get(c["participant"], c["participant"]),
                          slot=slot_label(c["slot"]), step=_step_words(steps, c["step"])))
    if not messages:
        messages.append(_("Tätä muutosta ei voi tehdä: työtilan paikat, koneet tai ohjaajat "
                          "eivät riitä tähän vuoroon, vaikka muita siirrettäisiin."))
    return messages


def step_options(centre: Centre, week: str, person: Participant, slot: str) -> list[StepOption]:
    """The steps the person may do in the slot: trained, nothing avoided, released, present."""
    instance = load_instance(store.build_instance(centre, week))
    who = instance.participant_by_id.get(participant_key(person.id))
    where = instance.slot_by_id.get(slot)
    if who is None or where is None:
        return []
    return [StepOption(step.id, step.order, step.customer,
                       instance.task_type_by_id[step.task_type].name)
            for step in instance.steps if instance.eligible(who, step, where)]


def _placements(plan: WeekPlan) -> list[tuple[str, str, str]]:
    return [(r["instructor"], r["slot"], r["area"]) for r in store.placements(plan)]


RULE_MESSAGES = {
    "rule 1": _l("Henkilö ei voi tehdä tätä tehtävää tässä vuorossa (ei koulutusta, vältettävä "
                 "piirre, poissa tai työ ei ole vielä alkanut)."),
    "rule 2": _l("Työtilassa ei ole enää vapaita paikkoja tässä vuorossa."),
    "rule 3": _l("Tehtävällä on jo enimmäismäärä tekijöitä tässä vuorossa."),
    "rule 4": _l("Ohjaajien sijoitus ei toimi tässä vuorossa."),
    "rule 5": _l("Ohjaajien kapasiteetti ei riitä tuen tarpeeseen tässä vuorossa."),
    "rule 6": _l("Muutos rikkoisi lukitun tehtävän."),
    "rule 7": _l("Työvaihe valmistuu tässä vuorossa ilman tätä henkilöä: hänelle ei jäisi "
                 "tekemistä."),
}


def explain_violation(violation: str) -> str:
    """The evaluator's rule message as a sentence an instructor can act on."""
    rule = violation.split(":", 1)[0]
    return str(RULE_MESSAGES[rule]) if rule in RULE_MESSAGES else violation
