"""The least unassigned of each slot alone: exact for a one-slot week, a bound for a whole week."""

from __future__ import annotations

import pytest

from scheduling.bounds import SlotBudget, least_unassigned_by_slot, one_slot
from scheduling.generate import generate
from scheduling.instance import TERMS, load_instance
from scheduling.solve import solve
from tests.scheduling.helpers import assert_plan_checks, micro
from tests.scheduling.test_solve import brute_force_optimum

BUDGET = SlotBudget(seconds=60.0, deterministic=5.0)
ONLY_UNASSIGNED = {name: int(name == "unassigned") for name in TERMS}


def _slots_and_week_least(seed: int, slots: int) -> tuple[list[int], int]:
    """A micro week's least unassigned per slot alone, and the week's own (brute force)."""
    data = micro(seed, participants=3, slots=slots, steps=2)
    data["weights"] = ONLY_UNASSIGNED
    instance = load_instance(data)
    least, _ = least_unassigned_by_slot(instance, BUDGET)
    return least, brute_force_optimum(instance)


@pytest.mark.parametrize("seed", range(10))
def test_the_slots_bounds_add_up_to_at_most_the_weeks_least_unassigned(seed):
    least, week = _slots_and_week_least(seed, slots=2)
    assert len(least) == 2
    assert sum(least) <= week


@pytest.mark.parametrize("seed", range(6))
def test_a_one_slot_week_is_bounded_exactly(seed):
    least, week = _slots_and_week_least(seed, slots=1)
    assert least == [week]


def test_a_slot_keeps_its_own_locks_and_every_step_released_by_then():
    data = micro(4, participants=3, slots=2, steps=3)
    data["orders"][0]["steps"][0].update(release_slot="s1", due_slot="s0")
    data["orders"][0]["steps"][1].update(release_slot=None, due_slot="s0")
    data["locked"] = [{"participant": "p0", "slot": "s1", "step": "j2"}]
    instance = load_instance(data)
    first, second = one_slot(instance, 0), one_slot(instance, 1)
    assert [s.id for s in first.slots] == ["s0"] and [s.id for s in second.slots] == ["s1"]
    assert "j0" not in {step.id for step in first.steps}
    assert {step.id for step in second.steps} == {"j0", "j1", "j2"}
    assert all(step.due_slot is None and step.release_slot is None for step in second.steps)
    assert first.locked == [] and [lock.step for lock in second.locked] == ["j2"]


def test_on_a_centre_week_the_slots_bound_the_plan_and_its_reported_bound():
    instance = load_instance(generate("centre", 3))
    least, _ = least_unassigned_by_slot(instance, SlotBudget(seconds=30.0, deterministic=3.0))
    plan = solve(instance, workers=1, seed=0, time_limit=120.0, deterministic_time=3.0)
    assert_plan_checks(instance, plan)
    by_slot = {slot.id: 0 for slot in instance.slots}
    for row in plan["unassigned"]:
        by_slot[row["slot"]] += 1
    for slot, value in zip(instance.slots, least, strict=True):
        assert value <= by_slot[slot.id]
    # Support capacity leaves people without work in every slot of this week.
    assert all(value > 0 for value in least)
    assert instance.weights["unassigned"] * sum(least) <= plan["bound"] <= plan["objective"]


def test_slots_solved_side_by_side_share_the_time_and_give_the_same_leasts():
    instance = load_instance(generate("centre", 2))
    alone, _ = least_unassigned_by_slot(instance, SlotBudget(seconds=60.0, deterministic=5.0))
    side_by_side, _ = least_unassigned_by_slot(instance, SlotBudget(seconds=60.0, threads=2))
    assert side_by_side == alone
    # No time at all: every slot is skipped (0 holds as a bound), nothing fails.
    none, used = least_unassigned_by_slot(instance, SlotBudget(seconds=0.0, threads=2))
    assert none == [0] * len(instance.slots) and used == 0.0
