"""solve(instance) -> the contract's plan JSON, with progress, time limits and stopping."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from . import figures
from .baseline import filled, greedy
from .bounds import TightBound, WeekLP
from .check import Evaluation, evaluate
from .explain import explain, lock_conflicts
from .guided import guided_plans
from .instance import PLAN_FORMAT, TERMS, Instance, Triple
from .model import WeekModel, build, hint_values
from .phases import search
from .placement import place_instructors
from .progress import Progress, progress_of
from .search_state import Outcome, ProgressCallback, Settings, Start, Stopper, Trace
from .strategy import Strategy, strategy_for

__all__ = ["Progress", "baseline_plan", "plan_dict", "solve"]


def plan_dict(instance: Instance, status: str, assignments: list[Triple],
              placements: list[tuple[str, str, str]], *, bound: int | None,
              seconds: float, solver_name: str, terms: dict[str, int] | None = None) -> dict:
    """The contract's plan JSON for these assignments (figures from the assignments)."""
    fig = figures.compute(instance, assignments)
    warnings = list(instance.warnings)
    if terms is not None and terms != fig.terms:
        warnings.append(f"model terms {terms} differ from the contract's {fig.terms}")
    slot_order = instance.slot_index
    assignments = sorted(assignments, key=lambda t: (slot_order[t.slot], t.participant))
    placements = sorted(placements, key=lambda x: (slot_order[x[1]], x[0]))
    unassigned, late = explain(instance, assignments, placements)
    return {
        "format": PLAN_FORMAT,
        "status": status,
        "objective": fig.objective,
        "bound": bound,
        "terms": fig.terms,
        "assignments": [{"participant": t.participant, "slot": t.slot, "step": t.step}
                        for t in assignments],
        "instructors": [{"instructor": i, "slot": s, "area": a} for i, s, a in placements],
        "steps": fig.steps,
        "unassigned": unassigned,
        "late_steps": late,
        "warnings": warnings,
        "solve_seconds": round(seconds, 3),
        "solver": solver_name,
    }


def infeasible_plan(instance: Instance, conflicts: list[dict], seconds: float) -> dict:
    return {"format": PLAN_FORMAT, "status": "INFEASIBLE", "objective": None, "bound": None,
            "terms": None, "assignments": [], "instructors": [], "steps": [],
            "unassigned": [], "conflicts": conflicts, "warnings": list(instance.warnings),
            "solve_seconds": round(seconds, 3), "solver": "cp-sat"}


def baseline_plan(instance: Instance) -> dict:
    """The greedy plan as a contract plan (status FEASIBLE, bound 0)."""
    started = time.monotonic()
    assignments, placements = greedy(instance)
    return plan_dict(instance, "FEASIBLE", assignments, placements, bound=0,
                     seconds=time.monotonic() - started, solver_name="greedy")


def hint_plan(wm: WeekModel, assignments: list[Triple],
              placements: list[tuple[str, str, str]]) -> None:
    """Hint the model with this plan, completely: every decision and every auxiliary variable
    (the search's start needs a complete hint)."""
    chosen, placed = set(assignments), set(placements)
    for triple, var in wm.x.items():
        wm.model.add_hint(var, triple in chosen)
    for key, var in wm.y.items():
        wm.model.add_hint(var, key in placed)
    inst = wm.instance
    upto = figures.cumulative_given(inst, assignments)
    for step_id, chain in wm.given_upto.items():
        for index, var in chain:
            wm.model.add_hint(var, upto[step_id][index])
    last = len(inst.slots) - 1

    def given(step_id: str, index: int) -> int:
        return upto[step_id][index] if inst.slots else 0  # a week of no slots gives nothing

    for step_id, var in wm.overdue_vars.items():
        step = inst.step_by_id[step_id]
        wm.model.add_hint(var, max(0, step.work - given(step_id, inst.due_index(step))))
    for step_id, var in wm.open_vars.items():
        wm.model.add_hint(var, max(0, inst.step_by_id[step_id].work - given(step_id, last)))
    kind_of = {(t.participant, t.slot): inst.step_by_id[t.step].task_type for t in assignments}
    for pid, first, second, var in wm.change_vars:
        a, b = kind_of.get((pid, first)), kind_of.get((pid, second))
        wm.model.add_hint(var, bool(a and b and a != b))
    used = {(inst.area_of(inst.step_by_id[t.step]), t.slot) for t in assignments}
    for key, var in wm.area_used.items():
        wm.model.add_hint(var, key in used)
    for step_id, credit in wm.overshoot_vars.items():
        over = _overshooting(inst, [t for t in assignments if t.step == step_id],
                             given(step_id, last))
        for triple, var in credit.items():
            wm.model.add_hint(var, triple == over)


def _overshooting(instance: Instance, on_step: list[Triple], given: int) -> Triple | None:
    """The worker whose minutes go past W - 1: the largest one in the step's last slot."""
    if not on_step or given < instance.step_by_id[on_step[0].step].work:
        return None
    last = max(instance.slot_index[t.slot] for t in on_step)
    return max((t for t in on_step if instance.slot_index[t.slot] == last),
               key=lambda t: (instance.cap(instance.participant_by_id[t.participant],
                                           instance.slot_by_id[t.slot]), t.participant))


def best_start(instance: Instance
               ) -> tuple[list[Triple], list[tuple[str, str, str]], Evaluation]:
    """The best of: the greedy plan, the previous plan filled up greedily, and the previous
    plan as it was; a valid one before any the locks leave invalid. With the evaluator's
    figures of it."""
    starts = [greedy(instance)]
    if instance.previous:
        starts.append(greedy(instance, keep_previous=True))
        starts.append(_previous_as_it_was(instance))
    judged = [(start, evaluate(instance, plan_of(*start))) for start in starts]
    (assignments, placements), result = min(judged, key=lambda pair: _judged(pair[1]))
    return assignments, placements, result


@dataclass
class _StartingPlan:
    """The plan the search starts from, and what was learnt while making it."""

    assignments: list[Triple]
    placements: list[tuple[str, str, str]]
    reported: tuple[float, Evaluation] | None  # when it was reported, its figures; None: invalid
    first_at: float | None  # when the first plan of all was reported
    lp_bound: int  # the week LP's bound of the objective (0 when it was not solved)


def _starting_plan(instance: Instance, on_progress: ProgressCallback | None, started: float,
                   lp_seconds: float | None, stop: threading.Event | None) -> _StartingPlan:
    """The best start of `best_start`, reported at once; then the plans rounded from the week's
    LP (`guided.py`), each reported too and taken when it is better. A stop asked for before the
    LP skips it."""
    assignments, placements, figures_ = best_start(instance)
    reported = _report_start(instance, figures_, assignments, on_progress, started)
    start = _StartingPlan(assignments, placements, reported,
                          reported[0] if reported is not None else None, 0)
    if stop is not None and stop.is_set():
        return start
    week_lp = WeekLP(instance)
    if not week_lp.solved(lp_seconds):
        return start
    start.lp_bound = week_lp.solved_least()
    held_seconds = None if lp_seconds is None else lp_seconds / 2
    for guided in guided_plans(instance, week_lp, held_seconds, stop):
        guided_figures = evaluate(instance, plan_of(*guided))
        if _judged(guided_figures) < _judged(figures_):
            (start.assignments, start.placements), figures_ = guided, guided_figures
            start.reported = _report_start(instance, guided_figures, guided[0],
                                           on_progress, started, start.lp_bound)
            if start.first_at is None and start.reported is not None:
                start.first_at = start.reported[0]
    return start


def _judged(result: Evaluation) -> tuple[bool, int]:
    """A start's rank: valid ones first, then by the contract's objective."""
    return not result.valid, result.objective


def _previous_as_it_was(instance: Instance
                        ) -> tuple[list[Triple], list[tuple[str, str, str]]]:
    """The locks and the previous plan's eligible assignments unchanged, with instructors placed
    to supervise them where that can be done.

    Why: the greedy fill places instructors its own way, and a previous assignment they cannot
    support is dropped; so a re-plan with nothing changed could start, and after a short search
    end, worse than keeping the old plan (pilot seed 5: one half-day more unassigned)."""
    chosen = {(lock.participant, lock.slot): lock.step for lock in instance.locked}
    for entry in instance.previous:
        if instance.eligible(instance.participant_by_id[entry.participant],
                             instance.step_by_id[entry.step], instance.slot_by_id[entry.slot]):
            chosen.setdefault((entry.participant, entry.slot), entry.step)
    assignments = [Triple(p, slot, step) for (p, slot), step in chosen.items()]
    return assignments, place_instructors(instance, assignments) or []


def plan_of(assignments: list[Triple], placements: list[tuple[str, str, str]]) -> dict:
    """A plan of just its assignments and placements, for the evaluator."""
    return {"format": PLAN_FORMAT, "assignments": [vars(t) for t in assignments],
            "instructors": [{"instructor": i, "slot": s, "area": a} for i, s, a in placements]}


def _report_start(instance: Instance, result: Evaluation, assignments: list[Triple],
                  on_progress: ProgressCallback | None, started: float,
                  bound: int | None = None) -> tuple[float, Evaluation] | None:
    """The starting plan is a valid plan already: report it at once, before the model is built.

    `result` is the evaluator's figures of its `assignments`; `bound`, one of the objective if
    known yet. Returns when it was reported and those figures; None when the locks leave it
    invalid."""
    if not result.valid:
        return None
    elapsed = time.monotonic() - started
    if on_progress is not None:
        on_progress(progress_of(instance, assignments, result.objective, bound, elapsed))
    return elapsed, result


def _start(wm: WeekModel, reported: tuple[float, Evaluation] | None) -> Start | None:
    """The valid starting plan as the search's first best plan (None if the locks break it)."""
    values = hint_values(wm.model)
    if reported is None or values is None:
        return None
    return Start(reported[1].objective, reported[1].terms, values)


def fill_up(wm: WeekModel, outcome: Outcome, started: float,
            on_progress: ProgressCallback | None = None) -> None:
    """Seat in the best plan everyone still without work where a step fits (`filled`), when
    that makes the plan better by the contract's objective.

    Why: a window re-plans part of the week, and the plan it leaves can have room elsewhere
    that no window has looked at since: a region week after 30 s had two people who could
    simply be added (model notes, item 32)."""
    if outcome.values is None or outcome.objective is None:
        return
    instance = wm.instance
    assignments, placements = wm.plan_in(outcome.values)
    more = filled(instance, assignments, placements)
    if len(more[0]) == len(assignments):
        return
    judged = evaluate(instance, plan_of(*more))
    if not judged.valid or judged.objective >= outcome.objective:
        return
    hint_plan(wm, *more)
    values = hint_values(wm.model)
    if values is not None:
        outcome.values, outcome.terms, outcome.objective = values, judged.terms, judged.objective
        outcome.best_at = time.monotonic() - started
        if on_progress is not None:
            on_progress(progress_of(instance, more[0], judged.objective, outcome.bound,
                                    outcome.best_at))


def _nothing_to_decide(instance: Instance, started: float,
                       on_progress: ProgressCallback | None) -> dict:
    """Nobody may do anything this week (nobody in, no skills, no orders, no slots): the empty
    plan is the only plan, so it is the optimum, returned without a search."""
    elapsed = time.monotonic() - started
    plan = plan_dict(instance, "OPTIMAL", [], [], bound=0, seconds=elapsed,
                     solver_name="none (nothing to decide)")
    plan["bound"] = plan["objective"]
    plan["time_to_first"] = plan["time_to_best"] = elapsed
    if on_progress is not None:
        on_progress(progress_of(instance, [], plan["objective"], plan["bound"], elapsed))
    return plan


def solve(instance: Instance, time_limit: float = 30.0,
          on_progress: ProgressCallback | None = None, *, workers: int | None = None,
          seed: int = 0, deterministic_time: float | None = None,
          stop: threading.Event | None = None, log: bool = False,
          strategy: Strategy | None = None, trace: Trace | None = None) -> dict[str, Any]:
    """Plan the week. Always returns a plan dict; never raises for an unlucky week.

    `time_limit` bounds wall time; tests pass `workers=1` and `deterministic_time` instead, for
    repeatable results. `stop` (a threading.Event) ends the search early with the best plan.
    `strategy` is how to search (strategy.py); by default that of the week's size class.
    `trace(event, details)` is told what the search does (docs/search.md), for tests.
    """
    started = time.monotonic()
    conflicts = lock_conflicts(instance, time_limit=min(10.0, time_limit)) \
        if instance.locked else []
    if conflicts:
        return infeasible_plan(instance, conflicts, time.monotonic() - started)
    if not instance.eligible_triples:
        return _nothing_to_decide(instance, started, on_progress)
    if strategy is None:
        strategy = strategy_for(len(instance.eligible_triples))  # one per assignment variable
    lp_seconds = None if deterministic_time is not None else strategy.lp_share * time_limit
    starting = _starting_plan(instance, on_progress, started, lp_seconds, stop)
    hint_assignments, hint_placements, reported = \
        starting.assignments, starting.placements, starting.reported
    tight = None if stop is not None and stop.is_set() else TightBound(
        instance, None if lp_seconds is None else time_limit - (time.monotonic() - started))
    wm = build(instance, overshoot_cut=strategy.overshoot_cut)
    hint_plan(wm, hint_assignments, hint_placements)
    start = _start(wm, reported)
    settings = Settings(workers=workers or max(1, min(os.cpu_count() or 1, 8)), seed=seed,
                        time_limit=time_limit, deterministic_time=deterministic_time,
                        started=started, weights=instance.weights, strategy=strategy, log=log,
                        trace=trace)
    with Stopper(stop) as stopper:
        outcome = search(wm, settings, stopper, on_progress, start, known_bound=starting.lp_bound,
                         later_bound=tight.subscribe if tight is not None else None,
                         guide=tight.task_types if tight is not None else None)
    if not stopper.requested():
        fill_up(wm, outcome, started, on_progress)
    if tight is not None:
        outcome.bound = max(outcome.bound, tight.finish())
        if outcome.objective is not None and outcome.bound >= outcome.objective:
            outcome.status = cp_model.OPTIMAL  # the LP proves the plan the best there is
    elapsed = time.monotonic() - started
    if outcome.status == cp_model.INFEASIBLE:
        conflicts = lock_conflicts(instance) or [
            {"participant": "", "slot": "", "step": "", "reason": "the locks cannot all hold"}]
        return infeasible_plan(instance, conflicts, elapsed)
    if outcome.values is not None:
        assignments, placements = wm.plan_in(outcome.values)
        terms = outcome.terms
        name = "OPTIMAL" if outcome.status == cp_model.OPTIMAL else "FEASIBLE"
        # best_at is None when the solver found nothing better than the starting plan.
        solver_name = "cp-sat" if outcome.best_at is not None or start is None else \
            "cp-sat (the starting plan was the best found)"
        plan = plan_dict(instance, name, assignments, placements, bound=outcome.bound,
                         seconds=elapsed, solver_name=solver_name, terms=terms)
        # The plan reports the contract's figures of its assignments; the model's objective of
        # the same solution is kept beside them so that any drift would be visible.
        plan["model_objective"] = sum(instance.weights[n] * terms[n] for n in TERMS)
        plan["time_to_first"] = starting.first_at if starting.first_at is not None else \
            outcome.first_at
        plan["time_to_first_cpsat"] = outcome.first_at
        # Nothing better than the start: the best plan is the start, found when reported.
        plan["time_to_best"] = outcome.best_at if outcome.best_at is not None else \
            reported[0] if reported is not None else plan["time_to_first"]
        return plan
    # No plan from the search (its start needs a complete hint): the starting plan, when valid.
    if reported is not None:
        return plan_dict(instance, "FEASIBLE", hint_assignments, hint_placements,
                         bound=outcome.bound, seconds=elapsed,
                         solver_name="greedy (the solver found nothing better in time)")
    return plan_dict(instance, "UNKNOWN", [], [], bound=None, seconds=elapsed,
                     solver_name="cp-sat")
