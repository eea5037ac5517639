"""Lower bounds of the work terms (`overdue`, `open`) from the week's capacity, without a solver.

Why: on the region week CP-SAT bounds `unassigned` well but the work terms hardly at all, and
they are a few per cent of the objective. Each term's least value over every valid plan is a
lower bound of that term alone, so the weighted sum of such bounds is a bound of the objective.

The capacity is relaxed: in a slot, a set of steps gets at most the minutes of its best
`k` eligible people, `k` the seats of their area (and the task types' max workers); support,
instructors and locks are left out, which can only make the bound lower, never wrong.
"""

from __future__ import annotations

from collections import defaultdict

from .instance import Instance, Step


def _people_limit(instance: Instance, steps: list[Step], area: str) -> int:
    """How many people the steps can have at once: seats, and the task types' max workers."""
    limit = instance.area_by_id[area].seats
    kinds = {instance.task_type_by_id[step.task_type] for step in steps}
    if all(kind.max_workers is not None for kind in kinds):
        limit = min(limit, sum(kind.max_workers for kind in kinds))
    return limit


class _Capacity:
    """The most minutes a set of steps of one area can be given up to a slot."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.eligible: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for triple in instance.eligible_triples:
            self.eligible[triple.slot][triple.participant].add(triple.step)

    def most_minutes(self, steps: list[Step], area: str, last_slot: int) -> int:
        inst = self.instance
        ids = {step.id for step in steps}
        limit = _people_limit(inst, steps, area)
        total = 0
        for slot in inst.slots[:last_slot + 1]:
            caps = sorted((inst.cap(inst.participant_by_id[person], slot)
                           for person, eligible in self.eligible[slot.id].items()
                           if eligible & ids), reverse=True)
            total += sum(caps[:limit])
        return total

    def shortfall(self, steps: list[Step], area: str, last_slot: int) -> int:
        return max(0, sum(step.work for step in steps) - self.most_minutes(steps, area, last_slot))


def _overdue_of_area(capacity: _Capacity, area: str, steps: list[Step]) -> int:
    """The larger of: each step alone, summed; or the steps due by some slot, together."""
    inst = capacity.instance
    due = [step for step in steps if step.due_slot is not None]
    one_by_one = sum(step.priority * capacity.shortfall([step], area, inst.due_index(step))
                     for step in due)
    together = 0
    for last in sorted({inst.due_index(step) for step in due}):
        group = [step for step in due if inst.due_index(step) <= last]
        # Each group member weighs at least the least priority among them.
        together = max(together, min(step.priority for step in group)
                       * capacity.shortfall(group, area, last))
    return max(one_by_one, together)


def _open_of_area(capacity: _Capacity, area: str, steps: list[Step]) -> int:
    last = len(capacity.instance.slots) - 1
    one_by_one = sum(capacity.shortfall([step], area, last) for step in steps)
    return max(one_by_one, capacity.shortfall(steps, area, last))


def work_term_bounds(instance: Instance) -> dict[str, int]:
    """Lower bounds of `overdue` and `open` that hold for every valid plan of the week."""
    capacity = _Capacity(instance)
    by_area: dict[str, list[Step]] = defaultdict(list)
    for step in instance.steps:
        by_area[instance.area_of(step)].append(step)
    # The areas' steps are disjoint and each term is a sum over steps, so the bounds add up.
    return {
        "overdue": sum(_overdue_of_area(capacity, area, steps) for area, steps in by_area.items()),
        "open": sum(_open_of_area(capacity, area, steps) for area, steps in by_area.items()),
    }

