"""Every week the loader accepts gets a valid plan: empty, degenerate and new-product weeks.

A product nobody is trained for yet is exactly what a work centre plans in the week it arrives;
so are weeks where nobody comes in, nobody has a skill, or the areas have no seats. The weeks
come from `degenerate.py`; each goes through the real `solve()` treated as a pilot-, centre- and
region-size week (the search differs by size), and through the search layer's parts directly.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from scheduling import figures
from scheduling.baseline import greedy
from scheduling.bounds import (
    SlotBudget,
    TightBound,
    TightWeekLP,
    WeekLP,
    least_unassigned_by_slot,
    work_term_bounds,
    work_terms_lp_bound,
)
from scheduling.check import evaluate
from scheduling.explain import BOTTLENECKS
from scheduling.generate import generate
from scheduling.guided import guided_plans
from scheduling.instance import REASONS, Triple, load_instance
from scheduling.model import build, hint_values
from scheduling.phases import BoundSearch
from scheduling.search_state import Settings, Stopper, Tracker
from scheduling.solve import hint_plan, solve
from scheduling.strategy import STRATEGIES
from scheduling.windows import WindowSearch
from tests.scheduling.degenerate import SWITCHES, degenerate
from tests.scheduling.helpers import assert_plan_checks

SIZES = sorted(STRATEGIES)  # every week is searched as each size class would be


def new_product_week() -> dict:
    """Pilot seed 2 with a new order of a kind nobody is trained for yet."""
    data = generate("pilot", 2)
    data["task_types"].append({"id": "uusi", "name": "Uusi tuote", "area": data["areas"][0]["id"],
                               "tags": [], "max_workers": None})
    data["orders"].append({"id": "NEW", "customer": "Uusi asiakas Oy", "priority": 3, "steps": [
        {"id": "NEW/1", "task_type": "uusi", "quantity": 500, "seconds_per_unit": 30,
         "release_slot": None, "due_slot": data["slots"][-1]["id"]}]})
    return data


def assert_explained(instance, plan: dict) -> None:
    """A valid plan with the contract's figures, every idle pair and late step explained."""
    assert plan["status"] in ("OPTIMAL", "FEASIBLE"), plan.get("conflicts")
    assert_plan_checks(instance, plan)
    if "model_objective" in plan:
        assert plan["model_objective"] == plan["objective"]
    assert plan["bound"] is not None and plan["bound"] <= plan["objective"]
    for row in plan["unassigned"]:
        assert row["reason"] in REASONS and row["detail"], row
    upto = figures.cumulative_given(instance, [_triple(a) for a in plan["assignments"]])
    short = {step.id for step in instance.steps
             if not instance.slots or upto[step.id][-1] < step.work
             or upto[step.id][instance.due_index(step)] < step.work}
    assert {row["step"] for row in plan["late_steps"]} == short
    for row in plan["late_steps"]:
        assert row["bottleneck"] in BOTTLENECKS and row["detail"], row


def _triple(row: dict) -> Triple:
    return Triple(row["participant"], row["slot"], row["step"])


def assert_planned(instance, plan: dict) -> None:
    """INFEASIBLE only for clashing locks, with the clashes named; otherwise explained."""
    if plan["status"] == "INFEASIBLE":
        assert instance.locked and plan["conflicts"]
        return
    assert_explained(instance, plan)


@pytest.mark.parametrize("size", SIZES)
def test_a_product_nobody_is_trained_for_yet_gets_a_plan(size):
    instance = load_instance(new_product_week())
    plan = solve(instance, workers=1, seed=0, deterministic_time=1.0,
                 strategy=STRATEGIES[size])
    assert_explained(instance, plan)
    late = {row["step"]: row for row in plan["late_steps"]}
    assert late["NEW/1"]["bottleneck"] == "trained_people"


@pytest.mark.parametrize("switch", SWITCHES)
@pytest.mark.parametrize("size", SIZES)
def test_each_kind_of_empty_week_alone_gets_a_plan(switch, size):
    for seed in range(3):
        instance = load_instance(degenerate(seed, (switch,)))
        assert_planned(instance, solve(instance, workers=1, seed=0, deterministic_time=0.3,
                                       strategy=STRATEGIES[size]))


@pytest.mark.parametrize("seed", range(40))
def test_random_degenerate_weeks_get_a_plan(seed):
    """Each switch on at random (seeded), so that they combine."""
    instance = load_instance(degenerate(seed))
    for size in SIZES:
        assert_planned(instance, solve(instance, workers=1, seed=0, deterministic_time=0.3,
                                       strategy=STRATEGIES[size]))


def _greedy_tracker(instance, wm, deterministic_time: float = 0.3):
    wm.model.minimize(sum(instance.weights[n] * wm.terms[n] for n in wm.terms))
    settings = Settings(workers=1, seed=0, time_limit=60.0, deterministic_time=deterministic_time,
                        started=time.monotonic(), weights=instance.weights,
                        strategy=STRATEGIES["centre"])
    assignments, placements = greedy(instance)
    hint_plan(wm, assignments, placements)
    tracker = Tracker(settings, None, None)
    values = hint_values(wm.model)
    if values is not None:
        tracker.seen(figures.compute(instance, assignments).terms, 0, values)
    return settings, tracker


@pytest.mark.parametrize("seed", range(12))
def test_every_part_of_the_search_takes_a_degenerate_week(seed):
    """The search layer's parts, called on their own: bounds, LPs, rounding, slot leasts, a
    bound search, and windows of every kind (time, area, people, guided, fewest first)."""
    weeks = [degenerate(seed), degenerate(seed, ("untrained_step",)),
             degenerate(seed, ("no_slots",)), degenerate(seed, ("nobody_in", "no_orders"))]
    for data in weeks:
        instance = load_instance(data)
        work_term_bounds(instance)
        work_terms_lp_bound(instance)
        for lp in (WeekLP(instance), TightWeekLP(instance)):
            if lp.solved(None):
                lp.solved_least()
                lp.task_types()
                list(guided_plans(instance, lp))
        least, _ = least_unassigned_by_slot(instance, SlotBudget(seconds=10.0, deterministic=0.2))
        assert len(least) == len(instance.slots)
        tight = TightBound(instance, None)
        tight.finish()
        wm = build(instance)
        settings, tracker = _greedy_tracker(instance, wm)
        with Stopper(None) as stopper:
            for size, options in (("centre", {}), ("pilot", {"fewest_first": False}),
                                  ("region", {"guide": tight.task_types}),
                                  ("centre", {"slot_least": least, "least": lambda: 0})):
                WindowSearch(wm, replace(settings, strategy=STRATEGIES[size]), stopper, tracker,
                             **options).run(1.0)
            BoundSearch(wm, settings, stopper, None, on_bound=lambda bound: None).finish()
        if tracker.values is not None:
            assignments, placements = wm.plan_in(tracker.values)
            plan = {"format": "workcentre-plan/1", "assignments": [vars(t) for t in assignments],
                    "instructors": [{"instructor": i, "slot": s, "area": a}
                                    for i, s, a in placements]}
            assert evaluate(instance, plan).valid


def test_a_week_with_nothing_to_decide_returns_at_once():
    """Nobody may do anything: the empty plan is the only one, proven at once."""
    for switches in (("nobody_in",), ("no_skills",), ("no_orders",), ("no_slots",),
                     ("no_participants",)):
        instance = load_instance(degenerate(1, switches))
        started = time.monotonic()
        plan = solve(instance, time_limit=60.0)
        assert time.monotonic() - started < 1.0, switches
        assert plan["status"] == "OPTIMAL" and plan["bound"] == plan["objective"]
        assert plan["assignments"] == [] and plan["instructors"] == []
        assert_explained(instance, plan)


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduling", *args], capture_output=True,
                          text=True, check=False)


@pytest.mark.parametrize("week", ["new_product", "nobody_in", "no_skills", "no_slots"])
def test_the_command_line_plans_a_degenerate_week(tmp_path, week):
    data = new_product_week() if week == "new_product" else degenerate(2, (week,))
    path, out = tmp_path / "week.json", tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    result = _run_cli("solve", str(path), "--time-limit", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    plan = json.loads(out.read_text())
    assert_explained(load_instance(data), plan)
    checked = _run_cli("check", str(path), str(out))
    assert checked.returncode == 0, checked.stdout
