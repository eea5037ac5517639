"""The independent evaluator: validates a plan against every hard rule and recomputes every term.

Written from the contract (docs/planning-model.md), not from the model: it shares nothing with
`model.py` but the instance loader, so a bug in one is caught by the other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .instance import PLAN_FORMAT, REASONS, TERMS, Instance, Triple


@dataclass
class Evaluation:
    violations: list[str] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)
    objective: int = 0
    steps: list[dict[str, Any]] = field(default_factory=list)
    unassigned: list[tuple[str, str]] = field(default_factory=list)
    # Reported figures that differ from the recomputed ones (empty for an honest plan).
    figure_errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.violations

    @property
    def ok(self) -> bool:
        """A valid plan whose reported figures are right."""
        return self.valid and not self.figure_errors


def _read_assignments(instance: Instance, plan: dict, ev: Evaluation) -> list[Triple]:
    result = []
    for index, row in enumerate(plan.get("assignments") or []):
        try:
            triple = Triple(row["participant"], row["slot"], row["step"])
        except (TypeError, KeyError):
            ev.violations.append(f"assignments[{index}]: needs participant, slot and step")
            continue
        if (triple.participant not in instance.participant_by_id
                or triple.slot not in instance.slot_by_id
                or triple.step not in instance.step_by_id):
            ev.violations.append(f"assignments[{index}]: unknown id in {row}")
            continue
        result.append(triple)
    return result


def _read_placements(instance: Instance, plan: dict, ev: Evaluation) -> list[tuple[str, str, str]]:
    result = []
    for index, row in enumerate(plan.get("instructors") or []):
        try:
            placement = (row["instructor"], row["slot"], row["area"])
        except (TypeError, KeyError):
            ev.violations.append(f"instructors[{index}]: needs instructor, slot and area")
            continue
        if (placement[0] not in instance.instructor_by_id
                or placement[1] not in instance.slot_by_id
                or placement[2] not in instance.area_by_id):
            ev.violations.append(f"instructors[{index}]: unknown id in {row}")
            continue
        result.append(placement)
    return result


def _rule1_one_eligible_step(instance: Instance, plan: list[Triple], ev: Evaluation) -> None:
    seen: set[tuple[str, str]] = set()
    for t in plan:
        if (t.participant, t.slot) in seen:
            ev.violations.append(f"rule 1: {t.participant} has more than one step in {t.slot}")
        seen.add((t.participant, t.slot))
        p = instance.participant_by_id[t.participant]
        if not instance.eligible(p, instance.step_by_id[t.step], instance.slot_by_id[t.slot]):
            ev.violations.append(f"rule 1: {t.participant} is not eligible for {t.step} "
                                 f"in {t.slot}")


def _rule2_3_seats_and_machines(instance: Instance, plan: list[Triple], ev: Evaluation) -> None:
    per_area: dict[tuple[str, str], int] = defaultdict(int)
    per_type: dict[tuple[str, str], int] = defaultdict(int)
    for t in plan:
        kind = instance.step_by_id[t.step].task_type
        per_type[(kind, t.slot)] += 1
        per_area[(instance.task_type_by_id[kind].area, t.slot)] += 1
    for (area, slot), n in sorted(per_area.items()):
        if n > instance.area_by_id[area].seats:
            ev.violations.append(f"rule 2: {n} people in {area} in {slot}, seats "
                                 f"{instance.area_by_id[area].seats}")
    for (kind, slot), n in sorted(per_type.items()):
        limit = instance.task_type_by_id[kind].max_workers
        if limit is not None and n > limit:
            ev.violations.append(f"rule 3: {n} people on {kind} in {slot}, max {limit}")


def _rule4_instructors(instance: Instance, placements: list[tuple[str, str, str]],
                       ev: Evaluation) -> None:
    seen: set[tuple[str, str]] = set()
    for who, slot, area in placements:
        instructor = instance.instructor_by_id[who]
        if (who, slot) in seen:
            ev.violations.append(f"rule 4: {who} is placed twice in {slot}")
        seen.add((who, slot))
        if slot not in instructor.attends:
            ev.violations.append(f"rule 4: {who} does not attend {slot}")
        if instructor.areas and area not in instructor.areas:
            ev.violations.append(f"rule 4: {who} may not supervise {area}")


def _rule5_support(instance: Instance, plan: list[Triple],
                   placements: list[tuple[str, str, str]], ev: Evaluation) -> None:
    need: dict[tuple[str, str], int] = defaultdict(int)
    workers: dict[tuple[str, str], int] = defaultdict(int)
    for t in plan:
        key = (instance.area_of(instance.step_by_id[t.step]), t.slot)
        need[key] += instance.participant_by_id[t.participant].support_points
        workers[key] += 1
    capacity: dict[tuple[str, str], int] = defaultdict(int)
    staffed: dict[tuple[str, str], int] = defaultdict(int)
    for who, slot, area in placements:
        capacity[(area, slot)] += instance.instructor_by_id[who].capacity
        staffed[(area, slot)] += 1
    for key in sorted(workers):
        if not staffed[key]:
            ev.violations.append(f"rule 5: nobody supervises {key[0]} in {key[1]}")
        if need[key] > capacity[key]:
            ev.violations.append(f"rule 5: support {need[key]} > capacity {capacity[key]} "
                                 f"in {key[0]} in {key[1]}")


def _rule6_locks(instance: Instance, plan: list[Triple], ev: Evaluation) -> None:
    chosen = set(plan)
    for lock in instance.locked:
        if lock not in chosen:
            ev.violations.append(f"rule 6: lock {lock.participant}/{lock.slot}/{lock.step} "
                                 f"is not in the plan")


def _given(instance: Instance, plan: list[Triple]) -> dict[tuple[str, int], int]:
    given: dict[tuple[str, int], int] = defaultdict(int)
    for t in plan:
        p = instance.participant_by_id[t.participant]
        slot = instance.slot_by_id[t.slot]
        given[(t.step, instance.slot_index[t.slot])] += instance.cap(p, slot)
    return given


def _rule7_everyone_needed(instance: Instance, plan: list[Triple],
                           given: dict[tuple[str, int], int], ev: Evaluation) -> None:
    for t in plan:
        step = instance.step_by_id[t.step]
        index = instance.slot_index[t.slot]
        cumulative = sum(given[(step.id, i)] for i in range(index + 1))
        mine = instance.cap(instance.participant_by_id[t.participant], instance.slot_by_id[t.slot])
        if cumulative - mine >= step.work:
            ev.violations.append(f"rule 7: {t.step} is complete in {t.slot} without "
                                 f"{t.participant}")


def _work_done(instance: Instance, given: dict[tuple[str, int], int],
               ev: Evaluation) -> tuple[int, int]:
    overdue = open_work = 0
    for step in instance.steps:
        done_by: list[int] = []
        cumulative = 0
        for index in range(len(instance.slots)):
            cumulative += given[(step.id, index)]
            done_by.append(min(step.work, cumulative))
        total = done_by[-1] if done_by else 0
        on_time = done_by[instance.due_index(step)] if done_by else 0
        if step.due_slot is not None:
            overdue += step.priority * (step.work - on_time)
        open_work += step.work - total
        ev.steps.append({"step": step.id, "planned_units": step.units(total),
                         "on_time_units": step.units(on_time)})
    return overdue, open_work


def _changes(instance: Instance, plan: list[Triple]) -> tuple[int, int]:
    kind_of = {(t.participant, t.slot): instance.step_by_id[t.step].task_type for t in plan}
    task_changes = routine_changes = 0
    for p in instance.participants:
        attended = instance.attended_slots(p)
        for first, second in zip(attended, attended[1:], strict=False):
            a, b = kind_of.get((p.id, first.id)), kind_of.get((p.id, second.id))
            if a is not None and b is not None and a != b:
                if p.needs_routine:
                    routine_changes += 1
                else:
                    task_changes += 1
    return task_changes, routine_changes


def _preferences(instance: Instance, plan: list[Triple]) -> tuple[int, int]:
    disliked = not_preferred = 0
    for t in plan:
        p = instance.participant_by_id[t.participant]
        kind = instance.step_by_id[t.step].task_type
        disliked += kind in p.dislikes
        not_preferred += bool(p.prefers) and kind not in p.prefers
    return disliked, not_preferred


def _previous_changes(instance: Instance, plan: list[Triple]) -> int:
    step_of = {(t.participant, t.slot): t.step for t in plan}
    count = 0
    for entry in instance.previous:
        p = instance.participant_by_id[entry.participant]
        if entry.slot in p.attends and step_of.get((entry.participant, entry.slot)) != entry.step:
            count += 1
    return count


def _unassigned(instance: Instance, plan: list[Triple]) -> list[tuple[str, str]]:
    busy = {(t.participant, t.slot) for t in plan}
    return [(p.id, s.id) for s in instance.slots for p in instance.participants
            if s.id in p.attends and (p.id, s.id) not in busy]


def evaluate(instance: Instance, plan: dict[str, Any]) -> Evaluation:
    """Validate `plan` (the contract's plan JSON) and recompute all its figures."""
    ev = Evaluation()
    if plan.get("format") != PLAN_FORMAT:
        ev.violations.append(f'format: expected "{PLAN_FORMAT}"')
    assignments = _read_assignments(instance, plan, ev)
    placements = _read_placements(instance, plan, ev)
    _rule1_one_eligible_step(instance, assignments, ev)
    _rule2_3_seats_and_machines(instance, assignments, ev)
    _rule4_instructors(instance, placements, ev)
    _rule5_support(instance, assignments, placements, ev)
    _rule6_locks(instance, assignments, ev)
    given = _given(instance, assignments)
    _rule7_everyone_needed(instance, assignments, given, ev)

    overdue, open_work = _work_done(instance, given, ev)
    task_changes, routine_changes = _changes(instance, assignments)
    disliked, not_preferred = _preferences(instance, assignments)
    ev.unassigned = _unassigned(instance, assignments)
    ev.terms = {
        "unassigned": len(ev.unassigned), "overdue": overdue, "open": open_work,
        "task_changes": task_changes, "routine_changes": routine_changes,
        "previous_changes": _previous_changes(instance, assignments),
        "disliked": disliked, "not_preferred": not_preferred,
    }
    ev.objective = sum(instance.weights[name] * ev.terms[name] for name in TERMS)
    _compare_figures(plan, ev)
    return ev


def _compare_figures(plan: dict[str, Any], ev: Evaluation) -> None:
    if plan.get("objective") != ev.objective:
        ev.figure_errors.append(f"objective: reported {plan.get('objective')}, is {ev.objective}")
    reported_terms = plan.get("terms") or {}
    for name in TERMS:
        if reported_terms.get(name) != ev.terms[name]:
            ev.figure_errors.append(f"terms.{name}: reported {reported_terms.get(name)}, "
                                    f"is {ev.terms[name]}")
    reported_steps = {row.get("step"): row for row in plan.get("steps") or []
                      if isinstance(row, dict)}
    for row in ev.steps:
        got = reported_steps.get(row["step"])
        if got is None or any(got.get(k) != row[k] for k in ("planned_units", "on_time_units")):
            ev.figure_errors.append(f"steps: {row['step']} reported {got}, is {row}")
    if len(reported_steps) != len(ev.steps):
        ev.figure_errors.append("steps: must list every step of the instance once")
    reported_unassigned = {}
    for row in plan.get("unassigned") or []:
        if isinstance(row, dict):
            reported_unassigned[(row.get("participant"), row.get("slot"))] = row.get("reason")
    if set(reported_unassigned) != set(ev.unassigned):
        ev.figure_errors.append("unassigned: must list exactly the attending pairs with no step")
    bad = [k for k, reason in reported_unassigned.items() if reason not in REASONS]
    if bad:
        ev.figure_errors.append(f"unassigned: unknown reason for {bad[:3]}")
