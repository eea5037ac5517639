"""The LP-guided starting plan: valid, locks kept, and more people at work than the greedy plan
where the greedy plan uses up work early."""

from __future__ import annotations

import pytest

from scheduling.baseline import GreedyState, greedy
from scheduling.bounds import WeekLP
from scheduling.check import evaluate
from scheduling.generate import generate
from scheduling.guided import PAST_WORK, guided_plan, guided_plans
from scheduling.instance import load_instance
from scheduling.solve import plan_of, solve
from tests.scheduling.helpers import micro


def _guided(instance):
    week_lp = WeekLP(instance)
    week_lp.hold_steps("none")
    assert week_lp.solved()
    return guided_plan(instance, week_lp)


def _evaluated(instance, plan):
    return evaluate(instance, plan_of(*plan))


@pytest.mark.parametrize("seed", range(12))
def test_the_guided_plan_is_valid_and_keeps_the_locks(seed):
    data = micro(seed, participants=4, slots=3, steps=3, instructors=2)
    # A lock the instructors can support: the last assignment of the greedy plan.
    by_hand, _ = greedy(load_instance(data))
    if by_hand:
        data["locked"] = [vars(by_hand[-1])]
    instance = load_instance(data)
    plan = _guided(instance)
    assert _evaluated(instance, plan).violations == []
    kept = {(t.participant, t.slot, t.step) for t in plan[0]}
    assert all((k.participant, k.slot, k.step) in kept for k in instance.locked)


@pytest.mark.parametrize("profile, seed", [("pilot", 1), ("pilot", 3), ("centre", 1),
                                           ("centre", 2), ("centre", 3)])
def test_the_guided_plan_keeps_more_people_at_work_than_the_greedy_plan(profile, seed):
    instance = load_instance(generate(profile, seed))
    guided = _evaluated(instance, _guided(instance))
    by_hand = _evaluated(instance, greedy(instance))
    assert guided.valid and by_hand.valid
    assert guided.terms["unassigned"] < by_hand.terms["unassigned"]
    assert guided.objective < by_hand.objective


@pytest.mark.parametrize("profile, seed", [("centre", 1), ("centre", 3)])
def test_no_one_is_left_without_work_where_the_greedy_checks_would_seat_them(profile, seed):
    instance = load_instance(generate(profile, seed))
    assignments, placements = _guided(instance)
    # The rounded plan as the greedy plan's state, with every check of `try_add` in it.
    state = GreedyState.of_plan(instance, assignments, placements)
    idle = [(p, slot) for slot in instance.slots for p in instance.participants
            if slot.id in p.attends and (p.id, slot.id) not in state.step_of]
    assert idle  # these weeks have more people than work
    for p, slot in idle:
        assert not any(state.try_add(p, step, slot) for step in instance.steps), (p.id, slot.id)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replanning_from_wednesday_the_guided_plan_keeps_the_past_and_plans_around_it(seed):
    data = generate("centre", seed)
    by_hand, _ = greedy(load_instance(data))
    # Monday and Tuesday happened as the greedy plan had them. Its steps overshoot their work
    # (rule 7 allows the last worker past it), which the held LP must keep feasible.
    past = {slot["id"] for slot in data["slots"][:4]}
    data["locked"] = [vars(t) for t in by_hand if t.slot in past]
    instance = load_instance(data)
    plan = _guided(instance)
    guided, greedy_fill = _evaluated(instance, plan), _evaluated(instance, greedy(instance))
    assert guided.violations == []
    kept = {(t.participant, t.slot, t.step) for t in plan[0]}
    assert all((k.participant, k.slot, k.step) in kept for k in instance.locked)
    assert guided.terms["unassigned"] < greedy_fill.terms["unassigned"]


@pytest.mark.parametrize("profile, seed", [("pilot", 2), ("centre", 1), ("centre", 3)])
def test_every_hold_rounds_to_a_valid_plan(profile, seed):
    instance = load_instance(generate(profile, seed))
    week_lp = WeekLP(instance)
    assert week_lp.solved()
    plans = list(guided_plans(instance, week_lp))
    assert len(plans) == len(PAST_WORK)
    assert all(_evaluated(instance, plan).violations == [] for plan in plans)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_replanning_a_solved_plan_both_starts_support_the_locked_past(seed):
    data = generate("centre", seed)
    solved = solve(load_instance(data), workers=1, seed=0, time_limit=60.0,
                   deterministic_time=1.0)
    past = {slot["id"] for slot in data["slots"][:4]}
    data["locked"] = [a for a in solved["assignments"] if a["slot"] in past]
    instance = load_instance(data)
    # The instructors must be placed for the past all at once: placed lock by lock, the
    # greedy way, they could not support it.
    starts = [greedy(instance), _guided(instance)]
    for plan in starts:
        assert _evaluated(instance, plan).violations == []
        kept = {(t.participant, t.slot, t.step) for t in plan[0]}
        assert all((k.participant, k.slot, k.step) in kept for k in instance.locked)
