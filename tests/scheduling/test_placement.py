"""Instructor placements after a hand edit: rules 4 and 5 hold, few instructors move."""

from __future__ import annotations

from scheduling.check import evaluate
from scheduling.instance import Triple, load_instance
from scheduling.placement import place_instructors
from scheduling.solve import plan_of, solve

from .helpers import micro, tiny, tiny_plan


def _valid(instance, assignments, placements) -> bool:
    return evaluate(instance, plan_of(assignments, placements)).valid


def test_the_example_plan_keeps_its_placements():
    instance = tiny()
    plan = tiny_plan()
    assignments = [Triple(**a) for a in plan["assignments"]]
    kept = [(r["instructor"], r["slot"], r["area"]) for r in plan["instructors"]]
    placed = place_instructors(instance, assignments, kept)
    assert placed is not None and set(kept) <= set(placed)
    assert _valid(instance, assignments, placed)


def test_placements_follow_the_work_on_random_weeks():
    checked = 0
    for seed in range(30):
        instance = load_instance(micro(seed, participants=4, slots=3, steps=3, instructors=2))
        plan = solve(instance, workers=1, deterministic_time=0.2)
        assignments = [Triple(**a) for a in plan["assignments"]]
        placed = place_instructors(instance, assignments)
        assert placed is not None
        assert _valid(instance, assignments, placed)
        checked += bool(assignments)
    assert checked > 10


def test_no_placement_when_support_exceeds_every_instructor():
    data = micro(3, participants=2, slots=1, steps=1, instructors=1)
    for person in data["participants"]:
        person["support_points"] = 50
    instance = load_instance(data)
    person = instance.participants[0]
    step = next(s for s in instance.steps if s.task_type in person.skills)
    slot = instance.slots[0].id
    assert place_instructors(instance, [Triple(person.id, slot, step.id)]) is None
