"""Instructors change the plan by hand; the contract's evaluator decides whether a change holds."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scheduling import evaluate, load_instance
from scheduling.instance import PLAN_FORMAT, Triple
from scheduling.placement import place_instructors
from scheduling.solve import plan_dict

from ..extensions import db
from ..models import Centre, Participant, User, WeekPlan
from . import store
from .services import participant_key


@dataclass
class StepOption:
    key: str  # the contract's step id, "O-17/1"
    order: str
    customer: str
    task: str


@dataclass
class EditResult:
    ok: bool
    messages: list[str]
    plan: WeekPlan | None = None


def set_assignment(centre: Centre, week: str, participant_id: int, slot: str,
                   step: str | None, *, locked: bool, user: User | None,
                   seen: store.Seen | None) -> EditResult:
    """Give the participant `step` (a contract step id, or None for no task) in `slot`.

    The edit is kept only when the whole plan still passes every rule; instructors are moved
    between areas where the new work needs them. Nothing is saved otherwise. `seen` is the plan
    the instructor's form was read from: raises store.PlanChanged when the plan changed since.
    """
    if seen is None:
        return EditResult(False, [_("Tee ensin suunnitelma tälle viikolle.")])
    store.claim(centre, week, seen)
    draft = store.editable_draft(centre, week, user)
    data = store.planning_instance(centre, week)
    who = participant_key(participant_id)
    rows, history = store.split(draft, data)  # history: finished steps, kept as they were
    rows = [t for t in rows if (t["participant"], t["slot"]) != (who, slot)]
    history = [h for h in history if (h["participant"], h["slot"]) != (who, slot)]
    locks = {(t["participant"], t["slot"], t["step"]) for t in data.get("locked", [])
             if (t["participant"], t["slot"]) != (who, slot)}
    if step is not None:
        rows.append({"participant": who, "slot": slot, "step": step})
        if locked:
            locks.add((who, slot, step))
    data["locked"] = [{"participant": p, "slot": s, "step": j} for p, s, j in sorted(locks)]
    instance = load_instance(data)
    assignments = [Triple(**t) for t in rows]
    placements = place_instructors(instance, assignments, _placements(draft))
    if placements is None:
        db.session.rollback()
        return EditResult(False, [_("Kukaan ohjaaja ei voi ohjata tätä työtilaa tässä vuorossa.")])
    body = {"format": PLAN_FORMAT, "assignments": rows,
            "instructors": [{"instructor": i, "slot": s, "area": a} for i, s, a in placements]}
    verdict = evaluate(instance, body)
    if not verdict.valid:
        db.session.rollback()
        return EditResult(False, [explain_violation(v) for v in verdict.violations])
    plan = plan_dict(instance, "FEASIBLE", assignments, placements, bound=None, seconds=0.0,
                     solver_name="manual")
    store.save_plan(centre, week, {**plan, "locked": data["locked"]}, user, instance=data,
                    history=history)
    db.session.commit()
    return EditResult(True, [], draft)


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
