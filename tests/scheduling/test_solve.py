"""Solving: the proven optimum, brute force, time limits, stopping, locks, re-planning."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from ortools.sat.python import cp_model

from scheduling import figures
from scheduling.baseline import greedy
from scheduling.bounds import TightWeekLP, WeekLP
from scheduling.check import evaluate
from scheduling.generate import generate
from scheduling.guided import guided_plan
from scheduling.instance import REASONS, load_instance
from scheduling.model import build, hint_all, hint_values
from scheduling.replan import replan_instance
from scheduling.search_state import Outcome
from scheduling.solve import baseline_plan, best_start, fill_up, hint_plan, plan_of, solve
from tests.scheduling.helpers import assert_plan_checks, micro, tiny, tiny_data

DETERMINISTIC = {"workers": 1, "seed": 0, "time_limit": 120.0}


def test_example_week_is_solved_to_its_proven_optimum():
    instance = tiny()
    plan = solve(instance, **DETERMINISTIC)
    assert plan["status"] == "OPTIMAL"
    assert plan["objective"] == plan["bound"] == 200090
    assert plan["terms"]["unassigned"] == 2 and plan["terms"]["task_changes"] == 2
    assert plan["terms"]["previous_changes"] == 1
    assert_plan_checks(instance, plan)


def brute_force_optimum(instance) -> int:
    """The least objective over every valid plan (for weeks of a few people)."""
    pairs = [(p.id, s.id) for s in instance.slots for p in instance.participants
             if s.id in p.attends]
    options = [[None] + [j.id for j in instance.steps
                         if instance.eligible(instance.participant_by_id[p],
                                              j, instance.slot_by_id[s])]
               for p, s in pairs]
    staff = [(i.id, s.id) for s in instance.slots for i in instance.instructors
             if s.id in i.attends]
    areas = [[None] + [a.id for a in instance.areas
                       if instance.instructor_by_id[i].may_supervise(a.id)] for i, _ in staff]
    best = None
    for choice in itertools.product(*options):
        assignments = [{"participant": p, "slot": s, "step": j}
                       for (p, s), j in zip(pairs, choice, strict=True) if j]
        for placing in itertools.product(*areas):
            plan = {"format": "workcentre-plan/1", "assignments": assignments,
                    "instructors": [{"instructor": i, "slot": s, "area": a}
                                    for (i, s), a in zip(staff, placing, strict=True) if a]}
            result = evaluate(instance, plan)
            if result.valid and (best is None or result.objective < best):
                best = result.objective
    return best


@pytest.mark.parametrize("seed", range(10))
def test_tiny_weeks_match_brute_force(seed):
    instance = load_instance(micro(seed))
    plan = solve(instance, **DETERMINISTIC)
    assert plan["status"] == "OPTIMAL"
    assert_plan_checks(instance, plan)
    assert plan["objective"] == brute_force_optimum(instance)


@pytest.mark.parametrize("seed", range(25))
def test_every_plan_is_valid_and_its_figures_are_the_evaluators(seed):
    data = micro(seed, participants=6, slots=4, steps=3, instructors=2) if seed % 5 else \
        generate("pilot", seed)
    instance = load_instance(data)
    plan = solve(instance, workers=1, seed=0, deterministic_time=2.0)
    assert plan["status"] in ("OPTIMAL", "FEASIBLE")
    assert_plan_checks(instance, plan)
    assert plan["model_objective"] == plan["objective"] and plan["warnings"] == []
    assert plan["bound"] <= plan["objective"]
    greedy = baseline_plan(instance)
    assert_plan_checks(instance, greedy)
    assert plan["objective"] <= greedy["objective"]
    for row in plan["unassigned"]:
        assert row["reason"] in REASONS and row["detail"]


def test_same_seed_one_worker_gives_the_same_plan():
    instance = load_instance(generate("pilot", 3))
    first = solve(instance, workers=1, seed=7, deterministic_time=1.0)
    second = solve(instance, workers=1, seed=7, deterministic_time=1.0)
    assert first["assignments"] == second["assignments"]
    assert first["objective"] == second["objective"]


def test_a_limit_returns_the_best_plan_found_with_its_bound():
    instance = load_instance(generate("centre", 1))
    seen = []
    plan = solve(instance, workers=1, seed=0, deterministic_time=0.5, on_progress=seen.append)
    assert plan["status"] == "FEASIBLE"
    assert plan["bound"] < plan["objective"]
    assert_plan_checks(instance, plan)
    assert seen, "progress is reported as plans improve"
    objectives = [p.objective for p in seen]
    assert objectives == sorted(objectives, reverse=True)
    assert seen[-1].objective == plan["objective"]


def test_a_solve_can_be_stopped_from_another_thread():
    instance = load_instance(generate("centre", 2))
    stop = threading.Event()
    plan = solve(instance, workers=1, time_limit=600.0, stop=stop,
                 on_progress=lambda progress: stop.set())
    assert plan["status"] == "FEASIBLE"
    assert plan["solve_seconds"] < 600
    assert_plan_checks(instance, plan)
    # Stopped at the first report, the plan is the starting plan, or a better one.
    assert plan["objective"] <= baseline_plan(instance)["objective"]


def test_the_greedy_plan_is_reported_at_once_then_the_plan_rounded_from_the_week_lp():
    instance = load_instance(generate("centre", 3))
    reports = []
    plan = solve(instance, workers=1, seed=0, time_limit=120.0, deterministic_time=1.0,
                 on_progress=reports.append)
    assert_plan_checks(instance, plan)
    assert reports[0].objective == baseline_plan(instance)["objective"]
    week_lp = WeekLP(instance)
    assert week_lp.solved()
    lp_bound = week_lp.solved_least()
    week_lp.hold_steps("none")
    assert week_lp.solved()
    assignments, placements = guided_plan(instance, week_lp)
    rounded = evaluate(instance, plan_of(assignments, placements))
    # The greedy plan comes before any bound, the rounded one with the LP's; it is far better.
    assert [r.bound for r in reports[:2]] == [None, lp_bound]
    assert reports[1].objective == rounded.objective < reports[0].objective
    assert plan["time_to_first"] == reports[0].elapsed
    tight = TightWeekLP(instance)
    assert tight.solved()
    assert lp_bound <= tight.solved_least() <= plan["bound"] <= plan["objective"] \
        <= rounded.objective
    # Each report has the best bound known by then.
    bounds = [r.bound for r in reports[1:]]
    assert bounds == sorted(bounds) and bounds[-1] <= plan["bound"]


def test_clashing_locks_give_infeasible_with_the_locks_named():
    data = tiny_data()
    # staple takes at most 2 people: three locks on it in tue-am cannot hold.
    data["locked"] = [{"participant": p, "slot": "tue-am", "step": "O-232/2"}
                      for p in ("p01", "p02", "p04")]
    data["locked"].append({"participant": "p03", "slot": "mon-am", "step": "O-232/1"})
    plan = solve(load_instance(data), **DETERMINISTIC)
    assert plan["status"] == "INFEASIBLE"
    assert plan["objective"] is None and plan["assignments"] == []
    named = {(c["participant"], c["slot"]) for c in plan["conflicts"]}
    assert named <= {("p01", "tue-am"), ("p02", "tue-am"), ("p04", "tue-am")}
    assert len(named) >= 2
    assert all(c["reason"] for c in plan["conflicts"])


def test_a_lock_that_is_not_eligible_is_explained():
    data = tiny_data()
    data["locked"] = [{"participant": "p02", "slot": "mon-am", "step": "O-232/1"}]
    plan = solve(load_instance(data), **DETERMINISTIC)
    assert plan["status"] == "INFEASIBLE"
    assert plan["conflicts"] == [{"participant": "p02", "slot": "mon-am", "step": "O-232/1",
                                  "reason": "p02 does not attend mon-am"}]


def test_replanning_keeps_the_past_and_stays_close_to_the_old_plan():
    data = generate("pilot", 5)
    instance = load_instance(data)
    first = solve(instance, workers=1, seed=0, deterministic_time=1.0)
    # Someone falls ill from Wednesday on: the rest of the week is planned again.
    again = replan_instance(data, first, "wed-am")
    ill = again["participants"][0]
    ill["attends"] = [s for s in ill["attends"] if s < "wed" or s.startswith(("mon", "tue"))]
    replanned_instance = load_instance(again)
    plan = solve(replanned_instance, workers=1, seed=0, deterministic_time=1.0)
    assert_plan_checks(replanned_instance, plan)
    past = {"mon-am", "mon-pm", "tue-am", "tue-pm"}
    before = {tuple(a.values()) for a in first["assignments"] if a["slot"] in past}
    after = {tuple(a.values()) for a in plan["assignments"] if a["slot"] in past}
    assert before == after
    # With nothing changed, the re-plan is at least as good as keeping the old plan as it is.
    unchanged = load_instance(replan_instance(data, first, "wed-am"))
    stable = solve(unchanged, workers=1, seed=0, deterministic_time=1.0)
    kept = evaluate(unchanged, first)
    assert kept.valid and kept.terms["previous_changes"] == 0
    assert stable["objective"] <= kept.objective
    assert_plan_checks(unchanged, stable)


def test_a_replan_with_nothing_changed_starts_from_the_old_plan_as_it_was():
    """Filling the old plan up greedily places the instructors anew and here drops one of its
    assignments; the old plan itself, with instructors placed for it, is the start."""
    data = generate("pilot", 5)
    first = solve(load_instance(data), workers=1, seed=0, deterministic_time=1.0)
    unchanged = load_instance(replan_instance(data, first, "wed-am"))
    kept = evaluate(unchanged, first)
    filled = figures.compute(unchanged, greedy(unchanged, keep_previous=True)[0])
    assert filled.terms["unassigned"] > kept.terms["unassigned"]
    _assignments, _placements, start = best_start(unchanged)  # with the evaluator's figures
    assert start.valid, start.violations
    assert start.objective <= kept.objective


def test_late_steps_name_their_bottleneck():
    data = tiny_data()
    data["orders"][0]["steps"][1]["quantity"] = 50000  # far more stapling than anyone can do
    plan = solve(load_instance(data), **DETERMINISTIC)
    late = {row["step"]: row for row in plan["late_steps"]}
    assert late["O-232/2"]["bottleneck"] == "trained_people"
    assert late["O-232/2"]["late"] and late["O-232/2"]["detail"]


@pytest.mark.parametrize("profile, seed", [("pilot", 1), ("centre", 2)])
def test_the_best_plan_gets_those_who_still_fit_seated_and_stays_a_model_solution(profile, seed):
    instance = load_instance(generate(profile, seed))
    assignments, placements = greedy(instance)
    # The plan a search could end with: the greedy plan, one person taken off Friday afternoon.
    last = instance.slots[-1].id
    dropped = next(t for t in reversed(assignments) if t.slot == last)
    fewer = [t for t in assignments if t != dropped]
    before = evaluate(instance, plan_of(fewer, placements))
    wm = build(instance)
    hint_plan(wm, fewer, placements)
    outcome = Outcome(cp_model.FEASIBLE, hint_values(wm.model), before.objective, before.terms,
                      0, None, None)
    reports = []
    fill_up(wm, outcome, time.monotonic(), reports.append)
    chosen, placed = wm.plan_in(outcome.values)
    after = evaluate(instance, plan_of(chosen, placed))
    assert after.valid, after.violations
    assert set(fewer) <= set(chosen)  # nobody moved
    assert after.terms["unassigned"] < before.terms["unassigned"]
    assert (outcome.objective, outcome.terms) == (after.objective, after.terms)
    assert reports[-1].objective == after.objective < before.objective
    # The values are a solution of the model, with the model's terms equal to the contract's.
    hint_all(wm.model, outcome.values)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(wm.model) == cp_model.OPTIMAL
    assert wm.term_values(solver.value) == after.terms


def test_a_plan_where_nobody_else_fits_is_left_as_it_is():
    instance = load_instance(generate("pilot", 2))
    assignments, placements = greedy(instance)  # the greedy fill seats all it can
    wm = build(instance)
    hint_plan(wm, assignments, placements)
    values = hint_values(wm.model)
    judged = evaluate(instance, plan_of(assignments, placements))
    outcome = Outcome(cp_model.FEASIBLE, values, judged.objective, judged.terms, 0, None, None)
    fill_up(wm, outcome, time.monotonic())
    assert outcome.values is values and outcome.best_at is None
