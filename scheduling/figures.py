"""Work flow and objective terms of a set of assignments, for plans made without the model.

The greedy baseline and re-plans use this to report their figures. `check.py` computes the same
figures on its own, on purpose: the evaluator must not share code with what it checks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .instance import TERMS, Instance, Triple


@dataclass
class Figures:
    terms: dict[str, int]
    objective: int
    # per step: cumulative minutes given up to and including each slot index
    given_upto: dict[str, list[int]]
    steps: list[dict]


def cumulative_given(instance: Instance, assignments: list[Triple]) -> dict[str, list[int]]:
    per_slot: dict[str, list[int]] = {j.id: [0] * len(instance.slots) for j in instance.steps}
    for t in assignments:
        p = instance.participant_by_id[t.participant]
        minutes = instance.cap(p, instance.slot_by_id[t.slot])
        per_slot[t.step][instance.slot_index[t.slot]] += minutes
    result = {}
    for step_id, minutes in per_slot.items():
        running, upto = 0, []
        for value in minutes:
            running += value
            upto.append(running)
        result[step_id] = upto
    return result


def compute(instance: Instance, assignments: list[Triple]) -> Figures:
    upto = cumulative_given(instance, assignments)
    terms = dict.fromkeys(TERMS, 0)
    steps = []
    for step in instance.steps:
        total = min(step.work, upto[step.id][-1]) if instance.slots else 0
        on_time = min(step.work, upto[step.id][instance.due_index(step)]) if instance.slots else 0
        if step.due_slot is not None:
            terms["overdue"] += step.priority * (step.work - on_time)
        terms["open"] += step.work - total
        steps.append({"step": step.id, "planned_units": step.units(total),
                      "on_time_units": step.units(on_time)})
    kind_of = {(t.participant, t.slot): instance.step_by_id[t.step].task_type
               for t in assignments}
    step_of = {(t.participant, t.slot): t.step for t in assignments}
    for p in instance.participants:
        attended = instance.attended_slots(p)
        terms["unassigned"] += sum((p.id, s.id) not in kind_of for s in attended)
        for first, second in zip(attended, attended[1:], strict=False):
            a, b = kind_of.get((p.id, first.id)), kind_of.get((p.id, second.id))
            if a and b and a != b:
                terms["routine_changes" if p.needs_routine else "task_changes"] += 1
    for entry in instance.previous:
        if (entry.slot in instance.participant_by_id[entry.participant].attends
                and step_of.get((entry.participant, entry.slot)) != entry.step):
            terms["previous_changes"] += 1
    for (pid, _slot), kind in kind_of.items():
        p = instance.participant_by_id[pid]
        terms["disliked"] += kind in p.dislikes
        terms["not_preferred"] += bool(p.prefers) and kind not in p.prefers
    objective = sum(instance.weights[name] * terms[name] for name in TERMS)
    return Figures(terms=terms, objective=objective, given_upto=upto, steps=steps)


def area_load(instance: Instance, assignments: list[Triple]) -> dict[tuple[str, str], list[str]]:
    """(area, slot) -> participants working there."""
    load: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in assignments:
        load[(instance.area_of(instance.step_by_id[t.step]), t.slot)].append(t.participant)
    return load
