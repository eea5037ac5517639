"""The CP-SAT model, rule by rule and term by term: a plan fixed into the model is feasible
exactly when the evaluator calls it valid, and the model's terms are the evaluator's."""

from __future__ import annotations

import copy

import pytest
from ortools.sat.python import cp_model

from scheduling.baseline import greedy
from scheduling.check import evaluate
from scheduling.generate import generate
from scheduling.instance import TERMS, Triple, load_instance
from scheduling.model import build
from scheduling.solve import hint_plan, plan_dict
from tests.scheduling.helpers import micro, tiny, tiny_plan
from tests.scheduling.test_check import add, drop


def fixed_solve(instance, plan: dict):
    """Solve the model with every decision fixed to `plan`; (status, terms or None)."""
    wm = build(instance)
    chosen = {Triple(a["participant"], a["slot"], a["step"]) for a in plan["assignments"]}
    placed = {(x["instructor"], x["slot"], x["area"]) for x in plan["instructors"]}
    if not chosen <= set(wm.x) or not placed <= set(wm.y):
        return cp_model.INFEASIBLE, None  # no variable: the model cannot express it
    for triple, var in wm.x.items():
        wm.model.add(var == int(triple in chosen))
    for key, var in wm.y.items():
        wm.model.add(var == int(key in placed))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(wm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, None
    return status, {name: round(solver.value(wm.terms[name])) for name in TERMS}


def test_valid_example_plan_is_feasible_with_the_evaluators_terms():
    status, terms = fixed_solve(tiny(), tiny_plan())
    assert status == cp_model.OPTIMAL
    assert terms == evaluate(tiny(), tiny_plan()).terms


MUTATIONS = {
    "rule 1 twice in a slot": lambda p: add(p, "p01", "tue-am", "O-232/1"),
    "rule 1 not attending": lambda p: add(p, "p02", "mon-am", "O-232/1"),
    "rule 1 before release": lambda p: (drop(p, "p03", "mon-pm"),
                                        add(p, "p03", "mon-pm", "O-232/2")),
    "rule 2 seats": lambda p: add(p, "p03", "mon-am", "O-232/1"),
    "rule 3 max workers": lambda p: (drop(p, "p04", "tue-am"), add(p, "p04", "tue-am", "O-232/2")),
    "rule 4 two areas": lambda p: p["instructors"].append(
        {"instructor": "i01", "slot": "mon-am", "area": "kokoonpano"}),
    "rule 5 no instructor": lambda p: p.update(
        instructors=[x for x in p["instructors"] if x["slot"] != "mon-am"]),
    "rule 6 lock missing": lambda p: drop(p, "p02", "tue-am"),
    "rule 7 parked": lambda p: add(p, "p03", "tue-pm", "O-232/1"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_broken_rule_is_infeasible_in_the_model(name):
    plan = copy.deepcopy(tiny_plan())
    MUTATIONS[name](plan)
    assert not evaluate(tiny(), plan).valid
    status, _ = fixed_solve(tiny(), plan)
    assert status == cp_model.INFEASIBLE, name


def test_support_capacity_is_infeasible_in_the_model():
    data = copy.deepcopy(tiny().source)
    data["instructors"][0]["capacity"] = 1
    instance = load_instance(data)
    assert not evaluate(instance, tiny_plan()).valid
    assert fixed_solve(instance, tiny_plan())[0] == cp_model.INFEASIBLE


@pytest.mark.parametrize("seed", range(40))
def test_model_terms_equal_the_evaluator_on_many_plans(seed):
    """Greedy plans of generated and random weeks, with previous plans and odd weights."""
    data = generate("pilot", seed) if seed % 4 == 0 else micro(seed, participants=4, slots=3)
    data["weights"] = {"open": seed % 3, "task_changes": 7, "not_preferred": seed % 2}
    instance = load_instance(data)
    assignments, placements = greedy(instance)
    plan = plan_dict(instance, "FEASIBLE", assignments, placements, bound=0, seconds=0,
                     solver_name="greedy")
    result = evaluate(instance, plan)
    assert result.ok, (result.violations, result.figure_errors)
    status, terms = fixed_solve(instance, plan)
    assert status == cp_model.OPTIMAL
    assert terms == result.terms


@pytest.mark.parametrize("seed", range(12))
def test_the_hint_of_a_valid_plan_names_every_variable_and_holds_in_the_model(seed):
    """The solver starts from a complete hint: every variable, the cuts' literals too."""
    data = generate("pilot", seed) if seed % 3 == 0 else micro(seed, participants=5, slots=3)
    instance = load_instance(data)
    assignments, placements = greedy(instance)
    wm = build(instance)
    hint_plan(wm, assignments, placements)
    hint = wm.model.proto.solution_hint
    assert sorted(hint.vars) == list(range(len(wm.model.proto.variables)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.solve(wm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_the_overshoot_cut_is_on_small_weeks_only():
    pilot = build(load_instance(generate("pilot", 1)))
    assert pilot.overshoot_vars, "pilot-size weeks get the cut"
    assert not build(load_instance(generate("centre", 1))).overshoot_vars
