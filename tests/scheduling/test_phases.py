"""The search in phases: fewest unassigned first, windows, the whole objective, a bound beside."""

from __future__ import annotations

import threading
import time
import types
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from scheduling import figures, phases, windows
from scheduling.baseline import greedy
from scheduling.bounds import SlotBudget, least_unassigned_by_slot
from scheduling.check import evaluate
from scheduling.generate import generate
from scheduling.instance import TERMS, Triple, load_instance
from scheduling.model import build, hint_values
from scheduling.phases import BoundSearch, relay_windows
from scheduling.search_state import Settings, Stopper, Tracker
from scheduling.solve import baseline_plan, hint_plan, plan_of, solve
from scheduling.strategy import STRATEGIES
from scheduling.windows import Window, WindowSearch, week_windows
from tests.scheduling.helpers import assert_plan_checks, micro
from tests.scheduling.test_solve import brute_force_optimum

# Work someone dislikes, or a change of task, costs more than leaving them without work.
CHEAP_UNASSIGNED = {"unassigned": 30, "overdue": 1, "open": 1, "task_changes": 40,
                    "routine_changes": 70, "previous_changes": 11, "disliked": 500,
                    "not_preferred": 45}


@pytest.mark.parametrize("seed", range(8))
def test_when_work_costs_more_than_it_gives_the_plan_is_still_the_optimum(seed):
    """The first phase only bounds `unassigned`: the weighted objective decides in the end."""
    data = micro(seed)
    data["weights"] = CHEAP_UNASSIGNED
    instance = load_instance(data)
    plan = solve(instance, workers=1, seed=0, time_limit=120.0)
    assert plan["status"] == "OPTIMAL"
    assert_plan_checks(instance, plan)
    assert plan["objective"] == plan["bound"] == brute_force_optimum(instance)


@pytest.mark.parametrize("seed", [1, 6])
def test_more_people_without_work_when_that_is_the_better_plan(seed):
    data = micro(seed)
    fewest = solve(load_instance(data), workers=1, seed=0, time_limit=120.0)
    data["weights"] = CHEAP_UNASSIGNED
    cheap = solve(load_instance(data), workers=1, seed=0, time_limit=120.0)
    assert cheap["status"] == fewest["status"] == "OPTIMAL"
    assert cheap["terms"]["unassigned"] > fewest["terms"]["unassigned"]


def _greedy_start(deterministic_time: float, profile: str = "centre", seed: int = 1):
    """A generated week (the centre week of seed 1 unless told) with the whole objective, and a
    tracker holding the greedy plan as the model's values (via the hint)."""
    instance = load_instance(generate(profile, seed))
    wm = build(instance)
    wm.model.minimize(sum(instance.weights[n] * wm.terms[n] for n in wm.terms))
    settings = Settings(workers=1, seed=0, time_limit=120.0,
                        deterministic_time=deterministic_time, started=time.monotonic(),
                        weights=instance.weights, strategy=STRATEGIES[profile])
    assignments, placements = greedy(instance)
    hint_plan(wm, assignments, placements)
    tracker = Tracker(settings, None, None)
    hint = wm.model.proto.solution_hint
    values = dict(zip(hint.vars, hint.values, strict=True))
    assert len(values) == len(wm.model.proto.variables), "the hint names every variable"
    tracker.seen(figures.compute(instance, assignments).terms, 0,
                 [values[i] for i in sorted(values)])
    assert tracker.objective == baseline_plan(instance)["objective"]
    return instance, wm, settings, tracker


@pytest.mark.parametrize("fewest_first", [False, True])
def test_windows_replan_a_few_slots_at_a_time_into_a_better_valid_plan(fewest_first):
    instance, wm, settings, tracker = _greedy_start(deterministic_time=2.0)
    greedy_objective = tracker.objective
    greedy_unassigned = tracker.terms["unassigned"]
    with Stopper(None) as stopper:
        WindowSearch(wm, settings, stopper, tracker, fewest_first=fewest_first).run(1.0)
    assert tracker.objective < greedy_objective
    assert tracker.terms["unassigned"] < greedy_unassigned
    _assert_tracker_plan_checks(instance, wm, tracker)


def test_windows_for_the_fewest_unassigned_keep_a_plan_only_when_the_whole_objective_improves():
    """With weights where work costs more than it gives, fewer unassigned is no gain."""
    instance = load_instance(generate("centre", 1))
    instance.weights.update(CHEAP_UNASSIGNED)
    plan = solve(instance, workers=1, seed=0, time_limit=120.0, deterministic_time=2.0)
    assert_plan_checks(instance, plan)
    assert plan["objective"] <= baseline_plan(instance)["objective"]
    assert plan["bound"] <= plan["objective"]


def _assert_tracker_plan_checks(instance, wm, tracker):
    assignments, placements = wm.plan_in(tracker.values)
    result = evaluate(instance, plan_of(assignments, placements))
    assert result.valid, result.violations
    assert result.objective == tracker.objective
    assert result.terms == tracker.terms


def test_an_area_window_replans_only_that_area_over_the_whole_week():
    # 15 deterministic seconds: half a second for each window of the week's passes.
    instance, wm, settings, tracker = _greedy_start(deterministic_time=15.0)
    area_of = {step.id: instance.area_of(step) for step in instance.steps}
    improved_areas = []
    with Stopper(None) as stopper:
        search = WindowSearch(wm, settings, stopper, tracker)
        for area in instance.areas:
            before_values, before_objective = tracker.values, tracker.objective
            search.improve_window(wm.model, Window(area=area.id), 60.0, settings.deterministic_time)
            if tracker.objective < before_objective:
                improved_areas.append(area.id)
            for triple, var in wm.x.items():
                if area_of[triple.step] != area.id:
                    assert tracker.values[var.index] == before_values[var.index], triple
            for (who, slot, where), var in wm.y.items():
                if where != area.id:
                    assert tracker.values[var.index] == before_values[var.index], (who, slot)
    assert improved_areas, "some area's week is planned better than the greedy plan"
    _assert_tracker_plan_checks(instance, wm, tracker)


def test_a_people_window_replans_only_those_two_peoples_weeks():
    """Two people's assignments in every slot and where the instructors stand are re-planned;
    everyone else's week stays as it was, and some pair's week gets better than by hand."""
    instance, wm, settings, tracker = _greedy_start(deterministic_time=10.0, profile="pilot")
    improved = []
    with Stopper(None) as stopper:
        search = WindowSearch(wm, settings, stopper, tracker)  # pilot: with people windows
        for window in list(windows.pair_windows(wm))[:12]:
            before_values, before_objective = tracker.values, tracker.objective
            search.improve_window(wm.model, window, 60.0, 0.5)
            if tracker.objective < before_objective:
                improved.append(window.people)
            for triple, var in wm.x.items():
                if triple.participant not in window.people:
                    assert tracker.values[var.index] == before_values[var.index], triple
    assert improved, "some two people's weeks are planned better than the greedy plan"
    _assert_tracker_plan_checks(instance, wm, tracker)


def test_people_windows_pair_those_who_share_a_task_type_and_only_when_asked_for():
    instance = load_instance(generate("pilot", 1))
    wm = build(instance)
    kinds = {p.id: {instance.step_by_id[t.step].task_type for t in wm.x if t.participant == p.id}
             for p in instance.participants}
    pairs = [w.people for w in week_windows(wm, 1, people=True) if w.people is not None]
    assert pairs and all(len(pair) == 2 for pair in pairs)
    expected = {frozenset((a, b)) for a in kinds for b in kinds
                if a < b and kinds[a] & kinds[b]}
    assert set(pairs) == expected and len(pairs) == len(expected)
    assert not [w for w in week_windows(wm, 1) if w.people is not None]
    # Windows for the fewest unassigned (with each slot's excess) have none either.
    excess = [1] * len(instance.slots)
    assert not [w for w in week_windows(wm, 1, excess, people=True) if w.people is not None]


def test_a_window_model_used_window_after_window_fixes_what_a_fresh_clone_would():
    """Every decision outside the window fixed to the plan's value, those inside and every
    other variable as in the week's model, and the hint the plan: after any earlier window
    and whatever the plan was then."""
    instance = load_instance(generate("centre", 2))
    wm = build(instance)
    greedy_plan = hint_values(_hinted(wm, *greedy(instance)))
    empty_plan = hint_values(_hinted(build(instance), [], []))
    decisions = windows.decisions_of(wm)
    decision_at = {decision.index: decision for decision in decisions}
    reused = windows.WindowModel(wm.model, decisions)
    base = wm.model.proto.variables
    sequence = [(greedy_plan, Window(slots=range(0, 1))), (empty_plan, Window(slots=range(3, 5))),
                (empty_plan, Window(area=instance.areas[0].id)),
                (greedy_plan, Window(people=frozenset(p.id for p in instance.participants[:2]))),
                (greedy_plan, Window(slots=range(0, 1))), (greedy_plan, Window(slots=range(9, 10)))]
    for values, window in sequence:
        freed = [position for position, decision in enumerate(decisions)
                 if window.frees(decision)]
        model = reused.for_window(values, freed)
        for index, variable in enumerate(model.proto.variables):
            where = decision_at.get(index)
            expected = list(base[index].domain) if where is None or window.frees(where) \
                else [values[index], values[index]]
            assert list(variable.domain) == expected, (index, window)
        assert hint_values(model) == values
        assert len(model.proto.constraints) == len(wm.model.proto.constraints)


def _hinted(wm, assignments, placements):
    hint_plan(wm, assignments, placements)
    return wm.model


def test_two_workers_search_with_a_bound_beside_it_and_stop_together():
    instance = load_instance(generate("centre", 2))
    stop = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if len(seen) >= 3:
            stop.set()

    plan = solve(instance, workers=2, time_limit=600.0, stop=stop, on_progress=progress)
    assert plan["status"] == "FEASIBLE" and plan["solve_seconds"] < 120
    assert_plan_checks(instance, plan)
    assert 0 <= plan["bound"] <= plan["objective"] < baseline_plan(instance)["objective"]


def test_two_workers_within_a_time_limit_give_a_valid_plan_and_its_bound():
    instance = load_instance(generate("centre", 3))
    plan = solve(instance, workers=2, time_limit=4.0)
    assert plan["status"] == "FEASIBLE"
    assert_plan_checks(instance, plan)
    assert plan["model_objective"] == plan["objective"]
    assert 0 <= plan["bound"] <= plan["objective"]
    assert plan["solve_seconds"] < 30  # the limit is kept, give or take the model's build


def _first_phase_attempts(stood_still_share: float, first_share: float = 0.1):
    """Solve pilot seed 1 with a first phase too short to prove its least.

    -> [(seed, hint) of each first-phase attempt]."""
    attempts = []

    def trace(event, details):
        if event == "first_phase_attempt":
            attempts.append((details["seed"], hint_values(details["model"])))

    strategy = replace(STRATEGIES["pilot"], first_phase_share=first_share,
                       stood_still_share=stood_still_share)
    instance = load_instance(generate("pilot", 1))
    plan = solve(instance, workers=1, seed=7, time_limit=120.0, deterministic_time=4.0,
                 strategy=strategy, trace=trace)
    assert_plan_checks(instance, plan)
    assert plan["bound"] <= plan["objective"] < baseline_plan(instance)["objective"]
    return attempts


def test_a_first_phase_still_improving_hands_its_best_plan_to_a_second_attempt():
    """Pilot-size weeks: a second attempt with a new seed, hinted with the first one's plan."""
    attempts = _first_phase_attempts(stood_still_share=0.0)
    assert [seed for seed, _ in attempts] == [7, 8]
    first_hint, second_hint = (hint for _, hint in attempts)
    assert second_hint != first_hint  # the first attempt's best plan, not the starting plan


def test_a_first_phase_that_stood_still_starts_a_second_attempt_afresh():
    """An attempt stuck above its least: the next, with a new seed, starts from the start."""
    attempts = _first_phase_attempts(stood_still_share=1.0)
    assert [seed for seed, _ in attempts] == [7, 8]
    first_hint, second_hint = (hint for _, hint in attempts)
    assert second_hint == first_hint



class _SolverSpy:
    """Stands in for a running CpSolver: records whether it was asked to stop."""

    def __init__(self):
        self.best_bound_callback = None
        self.stop_asked = False

    def stop_search(self):
        self.stop_asked = True


def _stopped_within(watch, seconds: float) -> bool:
    until = time.monotonic() + seconds
    while time.monotonic() < until and not watch.stopped:
        time.sleep(0.02)
    return watch.stopped


def test_a_first_phase_attempt_whose_plan_and_bound_stand_still_is_stopped():
    solver, reporter = _SolverSpy(), types.SimpleNamespace(found_wall=None)
    with phases.StandStill(solver, reporter, seconds=0.3) as watch:
        assert not _stopped_within(watch, 0.5)  # no plan yet: nothing to stand still on
        reporter.found_wall = time.monotonic()
        assert _stopped_within(watch, 3.0)
    assert solver.stop_asked


def test_a_first_phase_attempt_whose_bound_still_rises_is_not_stopped():
    """A proof under way: the bound moves though no better plan comes. Once the bound stands
    still too, the attempt stops after as long again as it took to get there."""
    solver, reporter = _SolverSpy(), types.SimpleNamespace(found_wall=None)
    with phases.StandStill(solver, reporter, seconds=0.5) as watch:
        reporter.found_wall = watch.started
        until = time.monotonic() + 1.0
        while time.monotonic() < until:
            solver.best_bound_callback(1.0)
            time.sleep(0.05)
        assert not watch.stopped
        assert not _stopped_within(watch, 0.4)  # the bound moved a second after the start
        assert _stopped_within(watch, 3.0)
    assert solver.stop_asked

def _unassigned_by_slot(instance, wm, values) -> list[int]:
    counts = [len([p for p in instance.participants if slot.id in p.attends])
              for slot in instance.slots]
    for triple, var in wm.x.items():
        counts[instance.slot_index[triple.slot]] -= values[var.index]
    return counts


def test_windows_for_the_fewest_unassigned_skip_slots_already_at_their_least():
    instance, wm, settings, tracker = _greedy_start(deterministic_time=2.0)
    least, _ = least_unassigned_by_slot(instance, SlotBudget(seconds=60.0, deterministic=5.0))
    with Stopper(None) as stopper:
        search = WindowSearch(wm, settings, stopper, tracker, slot_least=least)
    fewest = search.objectives[0]
    excess = search.slot_excess(fewest)
    plan_unassigned = _unassigned_by_slot(instance, wm, tracker.values)
    assert excess == [mine - lower for mine, lower in zip(plan_unassigned, least, strict=True)]
    assert all(value >= 0 for value in excess), "a slot's least bounds the plan's unassigned"
    # Made up: slots 0 and 3 at their least, slot 5 furthest from it.
    excess = [0, 1, 2, 0, 1, 7, 1, 1, 1, 1]
    time_windows = [list(w.slots) for w in week_windows(wm, 1, excess) if w.slots is not None]
    assert time_windows[0] == [5] and [0] not in time_windows and [3] not in time_windows
    assert len(time_windows) == 8
    assert [list(w.slots) for w in week_windows(wm, 2, excess) if w.slots is not None][0] == [4, 5]
    areas = [w.area for w in week_windows(wm, 1, excess) if w.area is not None]
    assert areas == [area.id for area in instance.areas], "area windows move work between days"
    assert search.slot_excess(wm.model) is None, "the whole objective's windows cover every slot"


@pytest.mark.parametrize("max_width", [3, 5])
def test_time_windows_widen_up_to_their_most_slots_while_narrower_ones_find_nothing(max_width):
    instance = load_instance(micro(4, participants=4, slots=7, steps=3))
    wm = build(instance)
    wm.model.minimize(sum(instance.weights[n] * wm.terms[n] for n in wm.terms))
    hint_plan(wm, *greedy(instance))
    settings = Settings(workers=1, seed=0, time_limit=120.0, deterministic_time=20.0,
                        started=time.monotonic(), weights=instance.weights,
                        strategy=replace(STRATEGIES["centre"], passes=2, max_width=max_width))
    tracker = Tracker(settings, None, None)
    greedy_terms = figures.compute(instance, greedy(instance)[0]).terms
    tracker.seen(greedy_terms, 0, hint_values(wm.model))
    widths = []

    def trace(event, details):
        if event == "window" and details["window"].slots is not None:
            widths.append(len(details["window"].slots))

    settings.trace = trace
    with Stopper(None) as stopper:
        WindowSearch(wm, settings, stopper, tracker, fewest_first=False).run(1.0)
    assert max(widths) == max_width and sorted(set(widths)) == list(range(1, max_width + 1))
    _assert_tracker_plan_checks(instance, wm, tracker)


def test_a_window_is_not_solved_again_for_the_plan_it_already_failed_on():
    instance, wm, settings, tracker = _greedy_start(deterministic_time=6.0)
    # The fewest unassigned keep all their time here, to see them widen their windows.
    settings.strategy = replace(settings.strategy, fewest_stall_share=1.0)
    least, _ = least_unassigned_by_slot(instance, SlotBudget(seconds=60.0, deterministic=5.0))
    solved = []

    def trace(event, details):
        if event == "window":
            base = details["base"]
            # The plan it starts from: for the fewest unassigned, the passes' own plan.
            solved.append((id(base), details["window"],
                           tuple(details["search"].values_for(base))))

    settings.trace = trace
    with Stopper(None) as stopper:
        WindowSearch(wm, settings, stopper, tracker, slot_least=least).run(1.0)
    assert len(solved) == len(set(solved))
    # It got past the one-slot windows: a pass that only trims the small terms does not hold
    # the fewest-unassigned passes there.
    assert any(window.slots is not None and len(window.slots) > 1 for _, window, _ in solved)
    assert tracker.terms["unassigned"] < baseline_plan(instance)["terms"]["unassigned"]
    _assert_tracker_plan_checks(instance, wm, tracker)


def test_once_the_bound_search_is_done_its_core_replans_windows_too():
    instance, wm, settings, tracker = _greedy_start(deterministic_time=1.0)
    greedy_objective = tracker.objective
    with Stopper(None) as stopper:
        bounds = []
        beside = BoundSearch(wm, settings, stopper, None, on_bound=bounds.append)
        relay_windows(beside, wm, settings, stopper, tracker, None, lambda: beside.bound)
        assert beside.stalled(settings.strategy.stall_seconds) and not beside.thread.is_alive()
        # A bound below the greedy plan's unassigned, proven before the relay took its core.
        assert 0 < beside.finish() < baseline_plan(instance)["terms"]["unassigned"]
        # Reported as it rose (for the progress reports), up to the bound at the end.
        assert bounds and bounds == sorted(bounds) and bounds[-1] == beside.finish()
    assert tracker.objective < greedy_objective
    _assert_tracker_plan_checks(instance, wm, tracker)


def _window_log(tracker: Tracker, settings: Settings) -> list[tuple]:
    """Trace the windows searched with `settings`: per window solved, (objective, unassigned
    before, deterministic seconds used before)."""
    log = []

    def trace(event, details):
        if event == "window":
            log.append((details["base"], tracker.terms["unassigned"], settings.deterministic_used))

    settings.trace = trace
    return log


@pytest.mark.parametrize("at_least", [False, True])
def test_windows_stop_aiming_at_fewer_unassigned_once_the_plan_has_the_proven_least(at_least):
    """Then only the small terms can improve, and the windows of the whole objective do that."""
    instance, wm, settings, tracker = _greedy_start(deterministic_time=2.0)
    greedy_unassigned = tracker.terms["unassigned"]
    # Made up: a least as high as the greedy plan's unassigned, or nothing proven yet.
    proven = greedy_unassigned if at_least else 0
    with Stopper(None) as stopper:
        log = _window_log(tracker, settings)
        WindowSearch(wm, settings, stopper, tracker, least=lambda: proven).run(1.0)
    fewest = [base for base, _, _ in log if base is not wm.model]
    assert log, "the windows ran"
    if at_least:
        assert not fewest
    else:
        assert fewest and log[0][0] is not wm.model, "the fewest unassigned come first"
        assert tracker.terms["unassigned"] < greedy_unassigned
    _assert_tracker_plan_checks(instance, wm, tracker)


def test_windows_aim_at_the_whole_objective_once_fewer_unassigned_stop_coming():
    """Nothing proven, but no window found one unassigned fewer for a fifth of the time: the
    rest goes to the small terms (centre seed 1: `overdue`)."""
    instance, wm, settings, tracker = _greedy_start(deterministic_time=2.0)
    greedy_unassigned = tracker.terms["unassigned"]
    with Stopper(None) as stopper:
        log = _window_log(tracker, settings)
        WindowSearch(wm, settings, stopper, tracker, least=lambda: 0).run(1.0)
    whole = [i for i, (base, _, _) in enumerate(log) if base is wm.model]
    assert whole and whole[0] > 0, "the fewest unassigned first, then the whole objective"
    first = whole[0]
    assert all(base is not wm.model for base, _, _ in log[:first])
    assert all(base is wm.model for base, _, _ in log[first:]), "no way back"
    # When the windows last found one fewer, and when they gave up on fewer.
    pairs = zip(log[:first], log[1:first + 1], strict=True)
    improved_at = max(after[2] for before, after in pairs if after[1] < before[1])
    assert log[first][1] < greedy_unassigned
    assert log[first][2] - improved_at >= settings.strategy.fewest_stall_share * 2.0
    _assert_tracker_plan_checks(instance, wm, tracker)


def _two_slot_week() -> dict:
    """p (either task) can work only on Monday morning, q (task A only) only in the afternoon;
    step A has work for one of them."""
    slots = [{"id": s, "day": "2026-11-23", "start": "08:30", "minutes": 180}
             for s in ("mon-am", "mon-pm")]
    return {
        "format": "workcentre-week/1", "week": "2026-W48", "slots": slots,
        "areas": [{"id": "a1", "name": "A1", "seats": 4}, {"id": "a2", "name": "A2", "seats": 4}],
        "task_types": [{"id": "kA", "name": "A", "area": "a1", "tags": [], "max_workers": None},
                       {"id": "kB", "name": "B", "area": "a2", "tags": [], "max_workers": None}],
        "orders": [{"id": "O1", "customer": "C", "priority": 1, "steps": [
            {"id": "A", "task_type": "kA", "quantity": 180, "seconds_per_unit": 60,
             "release_slot": None, "due_slot": None},
            {"id": "B", "task_type": "kB", "quantity": 1000, "seconds_per_unit": 60,
             "release_slot": None, "due_slot": None}]}],
        "participants": [
            {"id": "p", "attends": ["mon-am"], "productivity": 100, "skills": ["kA", "kB"],
             "avoid_tags": [], "prefers": [], "dislikes": [], "support_points": 0,
             "needs_routine": False},
            {"id": "q", "attends": ["mon-pm"], "productivity": 100, "skills": ["kA"],
             "avoid_tags": [], "prefers": [], "dislikes": [], "support_points": 0,
             "needs_routine": False}],
        "instructors": [{"id": "i", "attends": ["mon-am", "mon-pm"], "capacity": 6,
                         "areas": []}],
    }


def test_a_window_that_keeps_its_count_frees_a_finished_steps_minutes_for_another_slot():
    """p on step A in the morning finishes it, so q has no work in the afternoon. Moving p to B
    keeps the count and the whole objective as they were, yet gives q work later."""
    instance = load_instance(_two_slot_week())
    wm = build(instance)
    wm.model.minimize(sum(instance.weights[n] * wm.terms[n] for n in wm.terms))
    settings = Settings(workers=1, seed=0, time_limit=60.0, deterministic_time=10.0,
                        started=time.monotonic(), weights=instance.weights,
                        strategy=STRATEGIES["pilot"])
    stuck = [Triple("p", "mon-am", "A")]
    hint_plan(wm, stuck, [("i", "mon-am", "a1")])
    tracker = Tracker(settings, None, None)
    tracker.seen(figures.compute(instance, stuck).terms, 0, hint_values(wm.model))
    assert tracker.terms["unassigned"] == 1
    stuck_objective = tracker.objective
    with Stopper(None) as stopper:
        search = WindowSearch(wm, settings, stopper, tracker)
        fewest = search.objectives[0]
        afternoon = Window(slots=range(1, 2))
        search.improve_window(fewest, afternoon, 10.0, 1.0)
        assert tracker.objective == stuck_objective, "the afternoon alone cannot seat q"
        search.improve_window(fewest, Window(slots=range(0, 1)), 10.0, 1.0)
        assert tracker.objective == stuck_objective, "the move alone is no better a plan"
        search.improve_window(fewest, afternoon, 10.0, 1.0)
    assert tracker.terms["unassigned"] == 0
    assert tracker.objective < stuck_objective
    _assert_tracker_plan_checks(instance, wm, tracker)


def _least_unassigned_in(wm, values, window: Window) -> int:
    """The week's fewest unassigned with every decision outside `window` as in `values`,
    solved on its own (not by the window search)."""
    model = wm.model.clone()
    for decision in windows.decisions_of(wm):
        if not window.frees(decision):
            var = model.get_bool_var_from_proto_index(decision.index)
            model.add(var == values[decision.index])
    model.minimize(wm.terms["unassigned"])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 30.0
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_a_window_for_the_fewest_unassigned_finds_its_least_then_keeps_it_for_the_tie_break():
    """The window's plan has as few unassigned as the window can have, and no more minutes of
    nearly finished steps than the plan it started from; its cap on them is lifted after."""
    instance, wm, settings, tracker = _greedy_start(deterministic_time=30.0)
    with Stopper(None) as stopper:
        search = WindowSearch(wm, settings, stopper, tracker)
        fewest = search.objectives[0]
        by_hand = tracker.terms["unassigned"]
        for first in (0, 4):
            window = Window(slots=range(first, first + 1))
            start = search.values_for(fewest)
            least = _least_unassigned_in(wm, start, window)
            assert search.improve_window(fewest, window, 60.0, 5.0), "a one-slot window is settled"
            plan = search.values_for(fewest)
            assert search.current_unassigned == least
            aim = search.window_aim(start, window)
            assert windows.value_of(aim, plan) <= windows.value_of(aim, start)
    assert search.current_unassigned < by_hand
    window_model = search.models[id(fewest)]
    assert list(window_model.cap.proto.linear.domain)[-1] + window_model.cap_offset \
        == windows.NO_CAP
    _assert_tracker_plan_checks(instance, wm, tracker)


def test_a_window_models_cap_on_the_unassigned_holds_and_lifts():
    instance, wm, settings, tracker = _greedy_start(deterministic_time=10.0)
    fewest = wm.model.clone()
    fewest.minimize(wm.terms["unassigned"])
    window_model = windows.WindowModel(fewest, windows.decisions_of(wm), wm.terms["unassigned"])
    window = Window(slots=range(0, 1))
    freed = [i for i, d in enumerate(window_model.decisions) if window.frees(d)]
    least = _least_unassigned_in(wm, tracker.values, window)

    def solve_window() -> int:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = 30.0
        return solver.solve(window_model.for_window(tracker.values, freed))

    window_model.cap_unassigned(least - 1)
    assert solve_window() == cp_model.INFEASIBLE
    window_model.cap_unassigned(least)
    assert solve_window() == cp_model.OPTIMAL
    window_model.cap_unassigned(None)
    assert solve_window() == cp_model.OPTIMAL


def _first_phase_and_windows(on_windows=None):
    """A trace recording the first phase's statuses and the threads the windows run on (and
    calling `on_windows` as they start) -> (trace, statuses, threads)."""
    statuses, threads = [], []

    def trace(event, details):
        if event == "first_phase":
            statuses.append(details["status"])
        elif event == "windows":
            threads.append(threading.current_thread())
            if on_windows is not None:
                on_windows()

    return trace, statuses, threads


def test_a_large_week_is_replanned_by_windows_even_when_its_fewest_unassigned_are_proven():
    """CP-SAT alone does worse on the whole objective of a large week than windows do, whether
    the first phase proved its least or not (region seed 3: 98.2 M against 96.7 M)."""
    data = generate("centre", 1)
    # Room, support and work for everyone: the first phase proves its least at once.
    for area in data["areas"]:
        area["seats"] = 60
    for instructor in data["instructors"]:
        instructor["capacity"], instructor["areas"] = 200, []
    for order in data["orders"]:
        for step in order["steps"]:
            step["quantity"] *= 20
    instance = load_instance(data)
    trace, statuses, threads = _first_phase_and_windows()
    plan = solve(instance, workers=1, seed=0, time_limit=120.0, deterministic_time=3.0,
                 trace=trace)
    assert statuses == [cp_model.OPTIMAL], "the first phase proved its least"
    assert threads, "the windows re-planned the week after it"
    assert_plan_checks(instance, plan)
    assert plan["objective"] < baseline_plan(instance)["objective"]


def test_windows_beside_the_whole_objective_of_a_pilot_week_stop_with_it_on_request():
    """On two cores, a pilot-size week whose fewest unassigned are proven is re-planned by
    windows on one core while the whole objective runs on the other (item 21); a stop asked
    for ends both, with the best plan either found."""
    stop = threading.Event()

    def stop_soon():
        threading.Timer(1.5, stop.set).start()  # once the windows are under way

    trace, statuses, threads = _first_phase_and_windows(on_windows=stop_soon)
    instance = load_instance(generate("pilot", 2))
    plan = solve(instance, workers=2, time_limit=600.0, stop=stop, trace=trace)
    assert statuses == [cp_model.OPTIMAL], "the first phase proved its least"
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert not threads[0].is_alive(), "the windows stopped with the whole objective"
    assert plan["solve_seconds"] < 120
    assert plan["status"] in ("OPTIMAL", "FEASIBLE")
    assert_plan_checks(instance, plan)
    assert plan["model_objective"] == plan["objective"]
    assert 0 <= plan["bound"] <= plan["objective"] < baseline_plan(instance)["objective"]


def test_windows_beside_the_whole_objective_stop_when_it_proves_the_optimum():
    """A week proven long before its time limit is not kept waiting by the windows beside."""
    trace, statuses, threads = _first_phase_and_windows()
    instance = load_instance(micro(3))
    plan = solve(instance, workers=2, time_limit=600.0, trace=trace)
    assert statuses == [cp_model.OPTIMAL]
    assert len(threads) == 1 and not threads[0].is_alive()
    assert plan["status"] == "OPTIMAL" and plan["solve_seconds"] < 120
    assert_plan_checks(instance, plan)
    assert plan["objective"] == brute_force_optimum(instance)


def test_one_worker_runs_the_whole_objective_without_windows_beside():
    """Tests and one-core machines search in turn, so that a seed repeats its plan."""
    trace, statuses, threads = _first_phase_and_windows()
    instance = load_instance(generate("pilot", 2))
    plan = solve(instance, workers=1, seed=0, time_limit=120.0, deterministic_time=2.0,
                 trace=trace)
    assert statuses == [cp_model.OPTIMAL] and threads == []
    assert_plan_checks(instance, plan)


@pytest.mark.parametrize("profile, first_phase, probing", [
    ("pilot", True, True),  # proving a pilot week's fewest unassigned: probing pays
    ("pilot", False, False),  # its whole objective
    ("centre", True, False),  # the bound search beside a centre week's windows
])
def test_presolve_probes_only_for_a_pilot_weeks_fewest_unassigned(profile, first_phase, probing):
    """Measured (model notes, item 24): probing proves a pilot week's fewest unassigned
    sooner, and slows the proof of its whole objective and a centre week's bound search."""
    instance = load_instance(generate(profile, 1))
    wm = build(instance)
    settings = Settings(workers=2, seed=0, time_limit=10.0, deterministic_time=None,
                        started=time.monotonic(), weights=instance.weights,
                        strategy=STRATEGIES[profile])
    solver = phases.solver_for(settings, wm, 1.0, first_phase=first_phase, workers=1)
    default = cp_model.CpSolver().parameters.cp_model_probing_level
    assert (solver.parameters.cp_model_probing_level == default) == probing
    assert default > 0


def test_a_progress_report_has_the_best_bound_known_not_just_the_reporters():
    reports = []
    weights = dict.fromkeys(TERMS, 1)
    settings = Settings(workers=1, seed=0, time_limit=10.0, deterministic_time=None,
                        started=time.monotonic(), weights=weights, strategy=STRATEGIES["pilot"])
    tracker = Tracker(settings, reports.append, None)
    tracker.raise_bound(7)  # proven beside, e.g. by the week's LP
    tracker.seen(dict.fromkeys(weights, 2), 3, [])  # a phase whose own bound is lower
    assert [(r.objective, r.bound) for r in reports] == [(2 * len(TERMS), 7)]


def test_on_a_region_size_week_every_core_runs_windows_guided_by_the_tight_lp():
    """There the week's tight LP proves more than a bound search beside would (item 32), and
    its task types guide windows that need every worker (item 33)."""
    instance = load_instance(generate("centre", 2))
    # This week is searched as a region-size one, with a first phase too short to prove it.
    strategy = replace(STRATEGIES["region"], first_phase_share=0.01)

    tried, bound_searches = [], []

    def trace(event, details):
        if event == "window":
            tried.append((details["search"].settings.workers, details["window"].cells is not None))
        elif event == "bound_search":
            bound_searches.append(details["search"])

    plan = solve(instance, workers=2, time_limit=6.0, strategy=strategy, trace=trace)
    assert not bound_searches, "no bound search beside a region-size week"
    assert tried and {workers for workers, _ in tried} == {2}
    assert any(guided for _, guided in tried), "a guided window once the LP was solved"
    assert plan["status"] == "FEASIBLE"
    assert_plan_checks(instance, plan)
    assert plan["objective"] < baseline_plan(instance)["objective"]


def test_a_guided_window_frees_the_people_whose_task_type_is_not_the_lps_and_all_instructors():
    instance, wm, _settings, tracker = _greedy_start(deterministic_time=2.0, profile="pilot")
    assignments, _ = wm.plan_in(tracker.values)
    kind_of = {(t.participant, t.slot): instance.step_by_id[t.step].task_type
               for t in assignments}
    planned = sorted(kind_of)
    same, other, only_in_plan = planned[0], planned[1], planned[2]
    idle = next((p.id, slot) for p in instance.participants for slot in sorted(p.attends)
                if (p.id, slot) not in kind_of)
    elsewhere = next(k for k in sorted(instance.task_type_by_id) if k != kind_of[other])
    guide = {same: kind_of[same], other: elsewhere, idle: "any task type"}
    search = WindowSearch(wm, _settings, Stopper(None), tracker, guide=lambda: guide)
    window = search.guided_window(search.objectives[0])
    index = instance.slot_index
    cells = {(who, index[slot]) for who, slot in (other, idle, only_in_plan)}
    cells |= {(who, index[slot]) for who, slot in planned[3:]}  # in the plan, not in the LP
    assert window.cells == cells
    for decision in windows.decisions_of(wm):
        cell = (decision.participant, decision.slot)
        assert window.frees(decision) == (decision.participant is None or cell in cells)
    assert WindowSearch(wm, _settings, Stopper(None), tracker,
                        guide=lambda: None).guided_window(wm.model) is None


def test_guided_windows_on_one_worker_give_a_valid_better_plan_and_repeat():
    """With a deterministic time, the guide is there from the start (the LP is solved before
    the search), and two runs give the same plan."""
    instance = load_instance(generate("centre", 3))
    guided = []

    def trace(event, details):
        if event == "guided_window":
            guided.append(details["window"] is not None)

    plans = [solve(instance, workers=1, seed=0, deterministic_time=3.0,
                   strategy=STRATEGIES["region"], trace=trace) for _ in range(2)]
    assert guided and all(guided)
    assert plans[0]["assignments"] == plans[1]["assignments"]
    assert_plan_checks(instance, plans[0])
    assert plans[0]["objective"] < baseline_plan(instance)["objective"]
