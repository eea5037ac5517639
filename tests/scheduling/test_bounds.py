"""Lower bounds of the work terms: never above the least value any valid plan has."""

from __future__ import annotations

import pytest

from scheduling.bounds import TightBound, TightWeekLP, WeekLP, work_term_bounds, work_terms_lp_bound
from scheduling.generate import generate
from scheduling.instance import TERMS, load_instance
from scheduling.solve import solve
from tests.scheduling.helpers import assert_plan_checks, micro
from tests.scheduling.test_solve import brute_force_optimum


def _only(term: str) -> dict[str, int]:
    return {name: int(name == term) for name in TERMS}


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("term", ["overdue", "open"])
def test_a_work_bound_is_at_most_the_least_value_of_its_term(seed, term):
    data = micro(seed, participants=3, slots=2, steps=3)
    data["weights"] = _only(term)
    instance = load_instance(data)
    assert work_term_bounds(instance)[term] <= brute_force_optimum(instance)


def _one_step_week(productivity: list[int], *, minutes: int, seats: int,
                   due_slot: str | None, support_points: int = 0) -> dict:
    """One step of `minutes` of work; people of these productivities trained for it and present
    in both 120-minute slots; `seats` seats."""
    data = micro(3, participants=len(productivity), slots=2, steps=1)
    data["orders"][0]["steps"][0].update(task_type="k1", quantity=minutes, seconds_per_unit=60,
                                         release_slot=None, due_slot=due_slot)
    for person, pace in zip(data["participants"], productivity, strict=True):
        person.update(skills=["k1"], avoid_tags=[], attends=["s0", "s1"], productivity=pace,
                      support_points=support_points)
    data["instructors"][0].update(attends=["s0", "s1"], areas=[], capacity=3)
    data["areas"][0]["seats"] = seats
    for slot in data["slots"]:
        slot["minutes"] = 120
    return data


def _one_seat_week(support_points: int) -> dict:
    """600 minutes of work due by s0, two people trained for it, one seat, 120-minute slots."""
    return _one_step_week([100, 100], minutes=600, seats=1, due_slot="s0",
                          support_points=support_points)


def test_a_step_too_big_for_the_people_trained_for_it_is_bounded_exactly():
    data = _one_seat_week(support_points=0)
    instance = load_instance(data)
    bounds = work_term_bounds(instance)
    # One seat: 120 minutes by the end of s0, 240 by the end of the week.
    priority = data["orders"][0]["priority"]
    assert bounds == {"overdue": priority * (600 - 120), "open": 600 - 240}
    data["weights"] = _only("overdue")
    assert brute_force_optimum(load_instance(data)) == bounds["overdue"]


@pytest.mark.parametrize("seed", range(12))
def test_the_lp_bound_is_at_most_the_least_weighted_work_terms(seed):
    data = micro(seed, participants=3, slots=2, steps=3)
    data["weights"] = {**_only("overdue"), "overdue": 3, "open": 2}
    instance = load_instance(data)
    assert work_terms_lp_bound(instance) <= brute_force_optimum(instance)


def test_the_lp_bound_is_exact_where_one_seat_limits_a_step():
    data = _one_seat_week(support_points=1)
    data["weights"] = {**_only("overdue"), "open": 1}
    instance = load_instance(data)
    priority = data["orders"][0]["priority"]
    # 600 minutes of work, one seat: 120 by the end of s0, 240 by the end of the week. The
    # margin for the LP's tolerances takes a minute or two off.
    expected = priority * (600 - 120) + (600 - 240)
    assert expected - 2 <= work_terms_lp_bound(instance) < expected
    assert brute_force_optimum(instance) == expected


@pytest.mark.parametrize("seed", [1, 2])
def test_the_plan_bound_takes_in_the_work_bounds_and_stays_below_the_plan(seed):
    instance = load_instance(generate("centre", seed))
    work = work_term_bounds(instance)
    assert work["overdue"] + work["open"] > 0, "the centre weeks have work they cannot finish"
    weights = instance.weights
    capacity = sum(weights[name] * value for name, value in work.items())
    lp = work_terms_lp_bound(instance)
    # A person works in one place at a time: the LP knows it, the capacity bound does not.
    assert lp > capacity
    plan = solve(instance, workers=1, seed=0, time_limit=120.0, deterministic_time=2.0)
    assert_plan_checks(instance, plan)
    assert lp <= plan["bound"] <= plan["objective"]
    assert lp <= sum(weights[name] * plan["terms"][name] for name in ("overdue", "open"))
    for name, value in work.items():
        assert value <= plan["terms"][name]


def _week_lp_bound(instance, kind: type[WeekLP] = WeekLP) -> int:
    week_lp = kind(instance)
    assert week_lp.solved()
    return week_lp.solved_least()


@pytest.mark.parametrize("seed", range(16))
def test_the_week_lp_bounds_are_at_most_the_least_objective(seed):
    data = micro(seed, participants=3, slots=2, steps=3)
    if seed % 2:
        data["locked"] = [{"participant": "p1", "slot": "s1", "step": "j1"}]
    instance = load_instance(data)
    least = brute_force_optimum(instance)
    if least is not None:  # None: the lock makes the week infeasible
        assert _week_lp_bound(instance) <= _week_lp_bound(instance, TightWeekLP) <= least


def _fast_and_slow_week() -> dict:
    """200 minutes of work, two slots of 120 minutes, one person at 180 minutes a slot and
    three at 60, room for all."""
    return _one_step_week([150, 50, 50, 50], minutes=200, seats=4, due_slot=None)


def test_the_tight_week_lp_lets_one_worker_past_the_work_where_the_week_lp_lets_several():
    instance = load_instance(_fast_and_slow_week())
    weight = instance.weights["unassigned"]
    # Rule 7 lets at most four of the eight half-days work: e.g. three slow people on Monday
    # (180 minutes) and the fast one on Tuesday. The week's LP lets the step take 199 + 180
    # minutes, all six slow half-days (360) among them; the tight one 199 plus one worker's.
    least = brute_force_optimum(instance)
    assert 4 * weight <= least < 5 * weight
    week, tight = _week_lp_bound(instance), _week_lp_bound(instance, TightWeekLP)
    assert week < 2 * weight
    assert 3.5 * weight < tight <= least


def _running_out_week() -> dict:
    """200 minutes of work, two people of 120 minutes a slot, two slots, room for both."""
    return _one_step_week([100, 100], minutes=200, seats=2, due_slot=None)


def test_the_week_lp_knows_that_work_runs_out_across_slots():
    instance = load_instance(_running_out_week())
    weight = instance.weights["unassigned"]
    # Each slot alone can keep both at work (240 - 120 < 200), but the week cannot: rule 7 lets
    # the step take at most 199 + 120 minutes, so at most two of the four half-days work.
    least = brute_force_optimum(instance)
    assert least == 2 * weight
    assert weight < _week_lp_bound(instance) <= least


@pytest.mark.parametrize("past_work, most", [("none", 199), ("smallest", 199 + 119),
                                             ("quarter", 199 + 30)])
def test_held_the_steps_get_no_more_minutes_past_their_work_than_the_hold_lets(past_work, most):
    instance = load_instance(_running_out_week())
    week_lp = WeekLP(instance)
    week_lp.hold_steps(past_work)
    assert week_lp.solved()
    given = sum(var.solution_value() for _, var in week_lp.flow["j0"])
    assert given == pytest.approx(most)
    shares = sum(var.solution_value() for var in week_lp.share.values())
    assert shares == pytest.approx(most / 120)


def test_the_tight_bound_beside_the_search_gives_the_lps_bound_to_who_asks():
    instance = load_instance(generate("centre", 1))
    expected = _week_lp_bound(instance, TightWeekLP)
    assert expected > _week_lp_bound(instance)
    now = TightBound(instance, None)  # solved at once, as where a deterministic time limits
    heard: list[int] = []
    now.subscribe(heard.append)
    assert heard == [expected] and now.finish() == expected
    beside = TightBound(instance, 60.0)
    beside.subscribe(heard.append)
    assert beside.thread is not None
    beside.thread.join()
    assert beside.finish() == expected and heard == [expected, expected]


def test_the_tight_bound_beside_the_search_stops_when_asked():
    instance = load_instance(generate("region", 3))
    beside = TightBound(instance, 60.0)
    heard: list[int] = []
    beside.subscribe(heard.append)
    value = beside.finish()  # GLOP needs seconds here: it is interrupted, or never starts
    assert beside.thread is not None and not beside.thread.is_alive()
    assert value == 0 and heard == []
    assert beside.task_types() is None  # and no guide for the windows either


def test_the_tight_bounds_task_types_are_each_persons_larger_share_where_they_work():
    instance = load_instance(generate("pilot", 1))
    week_lp = TightWeekLP(instance)
    assert week_lp.solved()
    types = week_lp.task_types()
    assert TightBound(instance, None).task_types() == types
    for (person, slot, kind), var in week_lp.share.items():
        share = var.solution_value()
        assert (types.get((person, slot)) == kind) == (share > 0.5)
    # Nearly whole: most of the half-days the LP has at work have one task type.
    working = sum(var.solution_value() for var in week_lp.share.values())
    assert len(types) >= 0.8 * working
