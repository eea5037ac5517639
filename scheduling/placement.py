"""Instructor placements for fixed assignments: used after a hand edit of the plan.

When an instructor moves a participant by hand, the areas that need supervision change. This
finds placements that satisfy rules 4 and 5 for the edited assignments and moves as few
instructors as possible from where they were.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .instance import Instance, Triple

Placement = tuple[str, str, str]  # (instructor, slot, area)


def place_instructors(instance: Instance, assignments: list[Triple],
                      keep: list[Placement] = (), seconds: float = 5.0) -> list[Placement] | None:
    """Placements that supervise every area in use, closest to `keep`; None when none exist.

    Slot by slot, with the LP's cuts of linearization 2: no rule ties one slot's placements to
    another's, and so a slot of a region-size week (40 instructors, 12 areas) is proven in
    about 0.01 s, where the whole week on the default settings ran out of 5 s unproven."""
    need: dict[tuple[str, str], int] = defaultdict(int)
    people = instance.participant_by_id
    for t in assignments:
        area = instance.area_of(instance.step_by_id[t.step])
        need[area, t.slot] += people[t.participant].support_points
    kept = set(keep)
    placements: list[Placement] = []
    for slot in instance.slots:
        placed = _place_in_slot(instance, slot.id, need, kept, seconds / len(instance.slots))
        if placed is None:
            return None
        placements += placed
    order = instance.slot_index
    return sorted(placements, key=lambda k: (order[k[1]], k[0]))


def _place_in_slot(instance: Instance, slot: str, need: dict[tuple[str, str], int],
                   kept: set[Placement], seconds: float) -> list[Placement] | None:
    model = cp_model.CpModel()
    y: dict[Placement, cp_model.IntVar] = {}
    for i in instance.instructors:
        if slot not in i.attends:
            continue
        here = []
        for area in instance.areas:
            if i.may_supervise(area.id):
                var = model.new_bool_var(f"y_{i.id}_{slot}_{area.id}")
                y[i.id, slot, area.id] = var
                here.append(var)
        model.add_at_most_one(here)
    for area in instance.areas:
        points = need.get((area.id, slot))
        if points is None:
            continue
        staff = [(i, y[i.id, slot, area.id]) for i in instance.instructors
                 if (i.id, slot, area.id) in y]
        model.add(sum(var for _, var in staff) >= 1)
        model.add(sum(i.capacity * var for i, var in staff) >= points)
    # Keep people where they were; among equals, place no one where nobody works.
    model.minimize(sum((0 if key in kept else 2) * var for key, var in y.items())
                   + sum(1 - var for key, var in y.items() if key in kept))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.linearization_level = 2
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [key for key, var in y.items() if solver.boolean_value(var)]
