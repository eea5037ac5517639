"""Reasons that agree: a person's reason and an order's bottleneck explain the same plan.

Checked on solved, greedy and randomly changed valid plans with the independent evaluator: a
person shown without work left (or without an eligible task) could not have joined a late step
he is eligible for under rules 1-7, and a late step is not blamed on too few trained people
while one of them sat idle in a slot where he could have worked on it.
"""

from __future__ import annotations

import random

import pytest

from scheduling.analysis import FREE, PlanAnalysis
from scheduling.baseline import greedy
from scheduling.check import evaluate
from scheduling.explain import BOTTLENECKS, late_steps, unassigned_reasons
from scheduling.generate import generate
from scheduling.instance import PLAN_FORMAT, REASONS, Instance, Triple, load_instance
from scheduling.solve import plan_dict, solve
from tests.scheduling.degenerate import degenerate
from tests.scheduling.helpers import micro, tiny_data

Placement = tuple[str, str, str]


def _plan(assignments: list[Triple], placements: list[Placement]) -> dict:
    return {"format": PLAN_FORMAT, "assignments": [vars(t) for t in assignments],
            "instructors": [{"instructor": i, "slot": s, "area": a} for i, s, a in placements]}


def _valid(instance: Instance, assignments: list[Triple], placements: list[Placement]) -> bool:
    return evaluate(instance, _plan(assignments, placements)).valid


def could_join(instance: Instance, assignments: list[Triple], placements: list[Placement],
               triple: Triple) -> bool:
    """The plan with `triple` added is valid, with every instructor attending that slot and
    not placed in it placed in the step's area (more instructors never break a rule)."""
    area = instance.area_of(instance.step_by_id[triple.step])
    placed = {(who, slot) for who, slot, _ in placements}
    free = instance.free_instructors(area, instance.slot_by_id[triple.slot], placed)
    return _valid(instance, assignments + [triple],
                  placements + [(i.id, triple.slot, area) for i in free])


def contradictions(instance: Instance, assignments: list[Triple],
                   placements: list[Placement]) -> list[str]:
    """Where the plan's reasons disagree with each other or with the plan (empty: none)."""
    found = []
    idle_rows = unassigned_reasons(instance, assignments, placements)
    late = {row["step"]: row for row in late_steps(instance, assignments, placements)}
    for row in idle_rows:
        assert row["reason"] in REASONS and row["detail"], row
        p = instance.participant_by_id[row["participant"]]
        slot = instance.slot_by_id[row["slot"]]
        joins = [j.id for j in instance.steps if instance.eligible(p, j, slot)
                 and could_join(instance, assignments, placements, Triple(p.id, slot.id, j.id))]
        if bool(joins) != (row["reason"] == "left_idle"):
            found.append(f"{p.id} in {slot.id}: {row['reason']}, could join {joins}")
        if row["reason"] not in ("no_work_left", "no_eligible_task"):
            continue
        for step_id in late:
            triple = Triple(p.id, slot.id, step_id)
            if instance.eligible(p, instance.step_by_id[step_id], slot) and \
                    could_join(instance, assignments, placements, triple):
                found.append(f"{p.id} in {slot.id}: {row['reason']}, but could join late "
                             f"{step_id}")
    idle = {(row["participant"], row["slot"]) for row in idle_rows}
    for step_id, row in late.items():
        assert row["bottleneck"] in BOTTLENECKS and row["detail"], row
        if row["bottleneck"] != "trained_people":
            continue
        step = instance.step_by_id[step_id]
        for slot in instance.slots[: instance.due_index(step) + 1]:
            for p in instance.participants:
                if (p.id, slot.id) in idle and instance.eligible(p, step, slot):
                    found.append(f"{step_id}: trained_people, but {p.id} was idle in {slot.id}")
    return found


def blockers_disagree(instance: Instance, assignments: list[Triple],
                      placements: list[Placement]) -> list[str]:
    """Idle eligible (person, step, slot) where the analysis and the evaluator disagree on
    whether the plan could take the person."""
    analysis = PlanAnalysis(instance, assignments, placements)
    found = []
    for slot in instance.slots:
        for p in instance.participants:
            if not analysis.idle(p, slot):
                continue
            for step in instance.steps:
                if not instance.eligible(p, step, slot):
                    continue
                free = analysis.blocker(p, step, slot) == FREE
                if free != could_join(instance, assignments, placements,
                                      Triple(p.id, slot.id, step.id)):
                    found.append(f"{p.id} {slot.id} {step.id}: "
                                 f"{analysis.blocker(p, step, slot)!r}")
    return found


def perturbed(instance: Instance, assignments: list[Triple], placements: list[Placement],
              rng: random.Random) -> tuple[list[Triple], list[Placement]]:
    """A valid plan changed at random: some people taken off their steps (not locked ones),
    then some idle pairs given an eligible step where the plan stays valid."""
    locked = set(instance.locked)
    kept = [t for t in assignments if t in locked or rng.random() < 0.7]
    busy = {(t.participant, t.slot) for t in kept}
    idle = [(p, s) for s in instance.slots for p in instance.participants
            if s.id in p.attends and (p.id, s.id) not in busy]
    rng.shuffle(idle)
    for p, slot in idle[:6]:
        options = [j for j in instance.steps if instance.eligible(p, j, slot)]
        if options:
            triple = Triple(p.id, slot.id, rng.choice(options).id)
            if _valid(instance, kept + [triple], placements):
                kept.append(triple)
    assert _valid(instance, kept, placements)
    return kept, placements


def _weeks() -> list[tuple[str, dict]]:
    weeks = [(f"micro-{seed}", micro(seed, participants=5, slots=4, steps=3, instructors=2))
             for seed in range(14)]
    weeks += [(f"degenerate-{seed}", degenerate(seed)) for seed in range(10)]
    weeks += [("pilot-1", generate("pilot", 1)), ("tiny-late", _tiny_late())]
    return weeks


def _tiny_late() -> dict:
    data = tiny_data()
    data["orders"][0]["steps"][1]["quantity"] = 50000
    return data


@pytest.mark.parametrize("name, data", _weeks(), ids=[name for name, _ in _weeks()])
def test_reasons_of_people_and_of_late_steps_agree(name, data):
    instance = load_instance(data)
    rng = random.Random(name)
    plans = [greedy(instance)]
    solved = solve(instance, workers=1, seed=0, deterministic_time=0.3)
    if solved["status"] in ("OPTIMAL", "FEASIBLE"):
        plans.append(([Triple(**row) for row in solved["assignments"]],
                      [(r["instructor"], r["slot"], r["area"]) for r in solved["instructors"]]))
    if not _valid(instance, *plans[0]):
        plans = plans[1:]  # the greedy plan breaks clashing locks
    for base in list(plans):
        plans += [perturbed(instance, *base, rng) for _ in range(3)]
    for assignments, placements in plans:
        assert contradictions(instance, assignments, placements) == []
        assert blockers_disagree(instance, assignments, placements) == []
        plan = plan_dict(instance, "FEASIBLE", assignments, placements, bound=0, seconds=0,
                         solver_name="test")
        assert evaluate(instance, plan).ok


def _explained(instance: Instance, assignments: list[Triple],
               placements: list[Placement]) -> tuple[dict, dict]:
    """The plan as the app stores it: (person-slot -> unassigned row, step -> late row)."""
    plan = plan_dict(instance, "FEASIBLE", assignments, placements, bound=0, seconds=0,
                     solver_name="test")
    assert evaluate(instance, plan).ok
    return ({(r["participant"], r["slot"]): r for r in plan["unassigned"]},
            {r["step"]: r for r in plan["late_steps"]})


def test_an_order_made_late_by_a_hand_edit_names_the_person_left_idle():
    """The instructor takes p02 off the stapling on Tuesday morning: the order is late because
    of that edit, not because it competes with other orders, and p02 could go back to it."""
    data = tiny_data()
    data["locked"] = []  # the edit unlocks p02
    instance = load_instance(data)
    solved = solve(instance, workers=1, seed=0, time_limit=60.0)
    assert solved["late_steps"] == []
    assert {"participant": "p02", "slot": "tue-am", "step": "O-232/2"} in solved["assignments"]
    edited = [Triple(**r) for r in solved["assignments"]
              if (r["participant"], r["slot"]) != ("p02", "tue-am")]
    placements = [(r["instructor"], r["slot"], r["area"]) for r in solved["instructors"]]
    idle, late = _explained(instance, edited, placements)
    assert late["O-232/2"]["late"]
    assert late["O-232/2"]["bottleneck"] == "left_idle"
    assert "p02 in tue-am" in late["O-232/2"]["detail"]
    assert idle[("p02", "tue-am")]["reason"] == "left_idle"
    assert "O-232/2" in idle[("p02", "tue-am")]["detail"]


def _one_seat_week() -> dict:
    """One slot, one seat, two people trained for a step far too big for them."""
    slot = {"id": "mon-am", "day": "2026-11-23", "start": "08:30", "minutes": 180}
    person = {"attends": ["mon-am"], "productivity": 100, "skills": ["pack"], "avoid_tags": [],
              "prefers": [], "dislikes": [], "support_points": 1, "needs_routine": False}
    return {"format": "workcentre-week/1", "week": "2026-W48", "slots": [slot],
            "areas": [{"id": "hall", "name": "Halli", "seats": 1}],
            "task_types": [{"id": "pack", "name": "Pakkaus", "area": "hall", "tags": [],
                            "max_workers": None}],
            "orders": [{"id": "O1", "customer": "C", "priority": 2, "steps": [
                {"id": "O1/1", "task_type": "pack", "quantity": 1000, "seconds_per_unit": 60,
                 "release_slot": None, "due_slot": "mon-am"}]}],
            "participants": [{"id": "p1", **person}, {"id": "p2", **person}],
            "instructors": [{"id": "i1", "attends": ["mon-am"], "capacity": 4, "areas": []}]}


def test_a_trained_person_kept_off_a_late_step_by_full_seats_is_not_blamed_on_training():
    """p2 is trained and idle because the one seat is taken: the order says so too."""
    instance = load_instance(_one_seat_week())
    idle, late = _explained(instance, [Triple("p1", "mon-am", "O1/1")],
                            [("i1", "mon-am", "hall")])
    assert idle[("p2", "mon-am")]["reason"] == "seats_full"
    assert late["O1/1"]["bottleneck"] == "seats"
    assert "p2 in mon-am" in late["O1/1"]["detail"]


def test_a_trained_person_who_could_join_a_late_step_is_not_shown_without_work():
    """Both idle: nothing keeps them off the late step, and neither side says otherwise."""
    data = _one_seat_week()
    data["areas"][0]["seats"] = 2
    instance = load_instance(data)
    idle, late = _explained(instance, [Triple("p1", "mon-am", "O1/1")],
                            [("i1", "mon-am", "hall")])
    assert idle[("p2", "mon-am")]["reason"] == "left_idle"
    assert late["O1/1"]["bottleneck"] == "left_idle"
