"""The search in phases: the fewest unassigned half-days, windows, then the whole objective.

Why: the `unassigned` weight dwarfs the other terms, and a model that minimises `unassigned`
alone proves its minimum far sooner (the smaller terms no longer blur its relaxation; measured in
the model notes). After it, `unassigned >= the first phase's bound` is added as a cut; the
windows (windows.py) and the whole weighted objective then improve the plan. That cut holds for
every plan, so the final plan and bound are the contract's own: nothing is fixed, and a week
where fewer people at work would give a better objective is still planned that way.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from .bounds import SlotBudget, least_unassigned_by_slot, work_term_bounds, work_terms_lp_bound
from .instance import TERMS
from .model import WeekModel, hint_all, hint_values
from .search_state import Outcome, ProgressCallback, Reporter, Settings, Start, Stopper, Tracker
from .windows import Guide, WindowSearch, light_presolve


def solver_for(settings: Settings, wm: WeekModel, share: float, *, first_phase: bool,
               workers: int | None = None) -> cp_model.CpSolver:
    """A CP-SAT solver for one part of the search: `share` of the time left (Settings.share),
    on `workers` (default: the settings'), with the parameters the strategy chose for it."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers = workers or settings.workers
    params.random_seed = settings.seed
    part = settings.share(share)
    params.max_time_in_seconds = part.seconds
    if part.work is not None:
        params.max_deterministic_time = part.work
    strategy = settings.strategy
    if workers == 1 and first_phase and strategy.first_phase_linearization_2:
        # One worker on a pilot-size week: the linear relaxation that proves the fewest
        # unassigned (measured: pilot seed 1 proves 24 in 1.6 s, where the default stays at
        # 16). On centre-size weeks the default does better: it reaches a higher bound sooner
        # (centre seeds 1-7 in 8 s: 112/54/53/130/95/58/66 against 112 after 8 s/54/53/129/
        # 91/57/61).
        params.linearization_level = 2
    if not (first_phase and strategy.first_phase_probing):
        # Probing in presolve pays only where it was measured to: a pilot-size week's fewest
        # unassigned (without it pilot seed 2 was proven at 7.4 s instead of 3.2 s). Elsewhere
        # it costs more than it gives: a pilot week's whole objective, one worker from the
        # optimum, proves pilot seed 1 in 7-11 s without it against 5-40 s with it (10 s
        # solves: proven in 7 of 17 against 0 of 8, depending on the plan phase 3 starts from),
        # and a centre week's bound search reaches its bound about twice as soon
        # (model notes, item 24).
        params.cp_model_probing_level = 0
    if workers == 2 and strategy.lp_pair_on_two_workers:
        # Measured on the pilot and centre weeks: these two find better plans and bounds on two
        # cores than the default pair; on larger weeks the default's LNS does better.
        params.subsolvers.extend(["max_lp", "default_lp"])
    if strategy.light_presolve:
        light_presolve(params)
    params.log_search_progress = settings.log
    return solver


def _run(wm: WeekModel, solver: cp_model.CpSolver, settings: Settings, stopper: Stopper,
         reporter: Reporter) -> int:
    stopper.watch(solver)
    status = solver.solve(wm.model, reporter)
    settings.deterministic_used += solver.response_proto.deterministic_time
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # The final solution too, in case the solver found it without a callback (in presolve).
        reporter.tracker.seen(wm.term_values(solver.value),
                              reporter.bound(solver.best_objective_bound),
                              list(solver.response_proto.solution))
    return status


def _slot_cuts(wm: WeekModel, settings: Settings, stopper: Stopper) -> list[int]:
    """Cut `unassigned` in each slot to at least its least alone (bounds/slots.py); the leasts."""
    inst = wm.instance
    part = settings.share(settings.strategy.slot_bounds_share)
    budget = SlotBudget(part.seconds, part.work,
                        threads=1 if part.work is not None else settings.workers)
    least, used = least_unassigned_by_slot(
        inst, budget, lambda solver: stopper.watch(solver, background=True),
        stopper.requested)
    settings.deterministic_used += used
    for slot, value in zip(inst.slots, least, strict=True):
        if value > 0:
            people = [p.id for p in inst.participants if slot.id in p.attends]
            wm.model.add(sum(wm.has_step(p, slot.id) for p in people) <= len(people) - value)
    return least


def _fewest_unassigned(wm: WeekModel, settings: Settings, stopper: Stopper, tracker: Tracker,
                       work_bound: int) -> tuple[int, int]:
    """Phase 1: (status, the proven least number of unassigned half-days).

    On a pilot-size week, a first attempt that proved a least but found no plan with it is
    followed by a second with a new seed. If the first was still finding better plans, its best
    plan is the second one's hint (pilot seed 5: 6 found, 5 proven, and the second attempt
    finds 5 about half the time). If it had stood still for most of its time, the second starts
    afresh from the starting plan: pilot seed 1 inside `solve` finds 25 and proves 24 in four
    first attempts of ten, and then finds nothing better for as long as it runs; hinted with
    that 25-plan, the second attempt found 24 in none of five, from the starting plan in all.
    Where wall time is the limit, such a stuck attempt is stopped early (`StandStill`).
    """
    weight = wm.instance.weights["unassigned"]
    wm.model.minimize(wm.terms["unassigned"])
    reporter = Reporter(tracker, wm, lambda bound: weight * max(0, round(bound)) + work_bound)
    strategy = settings.strategy
    attempts, share = strategy.first_phase_attempts, strategy.first_phase_share
    starting_hint = hint_values(wm.model)
    least, status = 0, cp_model.UNKNOWN
    fresh = True  # the attempt starts from the starting plan
    for attempt in range(attempts):
        solver = solver_for(replace(settings, seed=settings.seed + attempt), wm, share,
                         first_phase=True)
        settings.note("first_phase_attempt", seed=settings.seed + attempt, model=wm.model)
        reporter.found_at, reporter.found_wall = (0, 0.0), None
        # Pilot-size weeks only, and not where a deterministic limit makes runs repeat. Not an
        # attempt hinted with a better plan either: it may take a while to improve on it (pilot
        # seed 5's second attempt finds 5 at 1.8 s, with nothing better than its hint before).
        watched = attempts > 1 and fresh and settings.deterministic_time is None
        watch = StandStill(solver, reporter, strategy.stand_still_seconds) if watched else None
        with watch or nullcontext():
            outcome = _run(wm, solver, settings, stopper, reporter)
        if outcome == cp_model.INFEASIBLE:
            return outcome, 0
        if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break  # no time for more: the first attempt's result stands
        status, least = outcome, max(least, round(solver.best_objective_bound))
        if status == cp_model.OPTIMAL or tracker.terms is None \
                or tracker.terms["unassigned"] <= least \
                or stopper.requested() or settings.out_of_time():
            break
        stood_still = (watch is not None and watch.stopped) or \
            _stood_still(reporter, solver, strategy.stood_still_share)
        fresh = stood_still and starting_hint is not None
        hint_all(wm.model, starting_hint if fresh else tracker.values)
    if tracker.terms is not None and tracker.terms["unassigned"] <= least:
        status = cp_model.OPTIMAL  # the best plan has the proven least: nothing more to find
    return status, least


def _stood_still(reporter: Reporter, solver: cp_model.CpSolver, share: float) -> bool:
    """Whether the solve found its last plan before `share` of its work, and then nothing
    better.

    Measured in work, so that one worker repeats it: one worker's solution callback sees its
    branches but not its deterministic time (it stays at presolve's), and with more workers the
    branches are those of the worker that found the plan."""
    branches, deterministic = reporter.found_at
    if solver.parameters.num_workers == 1:
        return branches < share * solver.num_branches
    return deterministic < share * solver.response_proto.deterministic_time


class StandStill:
    """Stops a first-phase attempt whose plan and bound have not moved for as long as it took
    them to get there, and at least `seconds`: pilot seed 1's stuck attempts find
    25 at 0.6-0.8 s and nothing more in the 3 s after (model notes, item 20). A bound that
    still rises means a proof under way (pilot seed 6 proves its plan's 26 a second after
    finding it): that is not standing still.
    """

    def __init__(self, solver: cp_model.CpSolver, reporter: Reporter, seconds: float):
        self.solver = solver
        self.reporter = reporter
        self.seconds = seconds
        self.stopped = False
        self.started = time.monotonic()
        self.bound_moved: float | None = None
        solver.best_bound_callback = self._bound_moved
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _bound_moved(self, _bound: float) -> None:
        self.bound_moved = time.monotonic()

    def __enter__(self) -> StandStill:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.done.set()
        self.thread.join()

    def _watch(self) -> None:
        while not self.done.wait(0.05):
            found = self.reporter.found_wall
            if found is None:
                continue
            moved = max(found, self.bound_moved or found)
            if time.monotonic() - moved >= max(self.seconds, moved - self.started):
                self.stopped = True
                self.solver.stop_search()
                return


class BoundSearch:
    """Goes on proving the fewest unassigned half-days on one worker, beside the main search.

    Used when the first phase ended unproven on two or more cores: the windows need only one
    worker, and the bound is what the gap is measured against. With a tracker, its plans go
    there too, kept when the whole objective improves: on a pilot-size week it finds the least
    unassigned where the first phase did not (measured); on larger weeks the callbacks cost the
    other threads more than its plans give.
    """

    def __init__(self, wm: WeekModel, settings: Settings, stopper: Stopper,
                 tracker: Tracker | None, on_bound: Callable[[int], None] | None = None):
        # Minimising `unassigned`, hinted with the starting plan: hinted with the first phase's
        # best plan instead, it sometimes had no root bound after 6 s (centre seed 2).
        self.model = wm.model.clone()
        self.model.minimize(wm.terms["unassigned"])
        self.solver = solver_for(settings, wm, 1.0, first_phase=True, workers=1)
        settings.note("bound_search", search=self)
        self.least = 0
        self.reporter = None if tracker is None else \
            Reporter(tracker, wm, lambda _bound: tracker.bound)
        stopper.watch(self.solver, background=True)
        self.moved_at: float | None = None  # when the bound last went up
        self.bound = 0  # the best bound so far, while it runs: the windows stop aiming below it
        self.on_bound = on_bound
        self.solver.best_bound_callback = self._bound_moved
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _bound_moved(self, bound: float) -> None:
        if math.isfinite(bound):
            self.bound = max(self.bound, round(bound))
            if self.on_bound is not None:
                self.on_bound(self.bound)
        self.moved_at = time.monotonic()

    def stalled(self, seconds: float) -> bool:
        """Done, or its bound has not gone up for `seconds` since its first.

        Not before its first: a region-size week's presolve alone takes longer than that."""
        return not self.thread.is_alive() or (
            self.moved_at is not None and time.monotonic() - self.moved_at >= seconds)

    def _run(self) -> None:
        # The bound holds also when the solver was stopped before it had a plan of its own.
        status = self.solver.solve(self.model, self.reporter)
        if status not in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            self.least = max(0, round(self.solver.best_objective_bound))

    def finish(self) -> int:
        """Stop (the main search is done) and return the proven least number."""
        self.solver.stop_search()
        self.thread.join()
        return max(self.least, self.bound)


def relay_windows(beside: BoundSearch, wm: WeekModel, settings: Settings, stopper: Stopper,
                  tracker: Tracker, slot_least: list[int] | None, least: Callable[[], int]) -> None:
    """Once the bound search beside has stopped raising its bound, its core re-plans windows.

    On a centre-size week the bound search reaches its bound in about 1.5 s and then seldom
    moves (centre seeds 1-7); windows from a second thread, with another seed, share the
    tracker's best plan with the main thread's and find better plans with it (measured in
    model notes).
    """
    while not beside.stalled(settings.strategy.stall_seconds):
        if stopper.requested() or settings.out_of_time():
            return
        time.sleep(0.05)
    beside.finish()
    if not (stopper.requested() or settings.out_of_time()):
        WindowSearch(wm, settings, stopper, tracker,
                     fewest_first=settings.strategy.fewest_first_windows,
                     slot_least=slot_least, least=least, background=True).run(1.0)


@dataclass
class _Fewest:
    """What the first phase proved: its status, the least unassigned, each slot's least."""

    status: int = cp_model.UNKNOWN
    least: int = 0
    slot_least: list[int] | None = None


def _first_phase(wm: WeekModel, settings: Settings, stopper: Stopper, tracker: Tracker,
                 work_bound: int, *, search_it: bool) -> _Fewest:
    """The fewest unassigned half-days, cut into the model as `unassigned >= least`.

    Each slot's least alone first, with `slot_cuts` (not on a region-size week: there the
    slots take 7 s of a slow machine's 60, and the bound search's own bound is higher than
    their sum; item 17).
    Then, with `search_it`, the model minimising them (`_fewest_unassigned`)."""
    fewest = _Fewest()
    weight = wm.instance.weights["unassigned"]
    if weight == 0:
        return fewest
    if settings.strategy.slot_cuts:
        fewest.slot_least = _slot_cuts(wm, settings, stopper)
        fewest.least = sum(fewest.slot_least)
        tracker.raise_bound(weight * fewest.least + work_bound)
    if search_it:
        fewest.status, phase_least = _fewest_unassigned(wm, settings, stopper, tracker,
                                                        work_bound)
        settings.note("first_phase", status=fewest.status, least=phase_least)
        if fewest.status == cp_model.INFEASIBLE:
            return fewest
        fewest.least = max(fewest.least, phase_least)
    if fewest.least > 0:
        wm.model.add(wm.terms["unassigned"] >= fewest.least)
    return fewest


def _work_bound(wm: WeekModel, settings: Settings) -> int:
    """A bound of the weighted work terms alone (`bounds/lp.py`, no solver).

    Each term's least value bounds that term alone, so the weighted bounds add up; the LP
    bounds the two work terms together."""
    return max(work_terms_lp_bound(wm.instance),
               sum(settings.weights[name] * value
                   for name, value in work_term_bounds(wm.instance).items()))


def search(wm: WeekModel, settings: Settings, stopper: Stopper,
           on_progress: ProgressCallback | None, start: Start | None, *,
           known_bound: int = 0,
           later_bound: Callable[[Callable[[int], None]], None] | None = None,
           guide: Guide | None = None) -> Outcome:
    """Every phase on a hinted model; the outcome is the best plan any of them found.

    `known_bound` is a bound of the objective proven before (the week's LP); `later_bound`
    takes a function to call with one proven beside the search (`bounds/tight.py`); `guide`
    gives the task types of the week's tight LP once it is solved (the region windows')."""
    tracker = Tracker(settings, on_progress, start, wm)
    tracker.raise_bound(known_bound)
    if later_bound is not None:
        later_bound(tracker.raise_bound)
    weight = wm.instance.weights["unassigned"]
    work_bound = _work_bound(wm, settings)
    tracker.raise_bound(work_bound)
    strategy = settings.strategy
    beside_possible = settings.workers >= 2 and settings.deterministic_time is None
    # On a centre-size week with a core to spare, the bound search beside does the first
    # phase's work for the bound, and the windows find better plans in its time (item 7). A
    # region-size week gets a short first phase: its own search still finds plans the windows
    # do not, and proves a higher bound (item 17).
    fewest = _first_phase(wm, settings, stopper, tracker, work_bound, search_it=not (
        strategy.bound_search_for_first_phase and beside_possible and start is not None))
    if fewest.status == cp_model.INFEASIBLE:
        return Outcome(fewest.status, None, None, None, 0, tracker.first_at, tracker.best_at)
    has_plan = tracker.values is not None and not stopper.requested()
    unproven = weight > 0 and fewest.status != cp_model.OPTIMAL and has_plan
    beside = relay = None
    main = settings
    # Not on a region-size week: there the week's tight LP (`bounds/tight.py`) proves more than
    # a bound search would in the whole time (region seeds 1-3: 738 / 369 / 190 unassigned
    # against 726 / 363 / 187 after 60-300 s), and the guided windows need every core
    # (model notes, items 32 and 33).
    if unproven and beside_possible and strategy.bound_search_beside:
        main = replace(settings, workers=settings.workers - 1)
        beside = BoundSearch(
            wm, settings, stopper, tracker if strategy.bound_search_shares_plans else None,
            on_bound=lambda bound: tracker.raise_bound(weight * bound + work_bound))
    wm.model.minimize(sum(settings.weights[name] * wm.terms[name] for name in TERMS))

    def proven_least() -> int:
        return max(fewest.least, beside.bound if beside is not None else 0)

    if beside is not None and strategy.relay:
        relay = threading.Thread(target=relay_windows, daemon=True, args=(
            beside, wm, replace(main, seed=main.seed + 1), stopper, tracker, fewest.slot_least,
            proven_least))
        relay.start()
    least = fewest.least
    try:
        if unproven or (strategy.windows_when_proven and has_plan):
            _windows(wm, main, stopper, tracker, fewest.slot_least, proven_least, guide)
        if relay is not None:
            relay.join()
        # A pilot-size week whose fewest unassigned are proven: the windows run beside the
        # whole objective instead of before it (item 21).
        windows_beside = not unproven and strategy.windows_beside_whole and has_plan \
            and beside_possible
        status, bound = _whole_objective(wm, main, stopper, tracker,
                                         windows_beside=windows_beside)
    finally:
        if beside is not None:
            least = max(least, beside.finish())
        if relay is not None:
            relay.join()
    bound = max(bound, tracker.bound, weight * least + work_bound)
    return _outcome(tracker, status, bound)


def _windows(wm: WeekModel, settings: Settings, stopper: Stopper, tracker: Tracker,
             slot_least: list[int] | None, least: Callable[[], int],
             guide: Guide | None) -> None:
    """Re-plan the best plan window by window (windows.py), before the whole objective.

    Where the fewest unassigned is not proven, CP-SAT alone struggles with the week too;
    re-planning it window by window finds much better plans (model notes). Measured: on a
    pilot-size week the whole objective then proves its optimum in the time left, on larger
    weeks more windows do better than it, proven or not (region seed 3: 98.2 M from CP-SAT
    alone after a proven first phase, 96.7 M from windows; item 18). Windows for the fewest
    unassigned first pay on larger weeks, until the plan has the proven least: on a pilot-size
    one the first phase has nearly found it."""
    strategy = settings.strategy
    WindowSearch(wm, settings, stopper, tracker, fewest_first=strategy.fewest_first_windows,
                 slot_least=slot_least, least=least,
                 guide=guide if strategy.guided_windows else None).run(strategy.window_share)


def _whole_objective(wm: WeekModel, settings: Settings, stopper: Stopper,
                     tracker: Tracker, *, windows_beside: bool = False) -> tuple[int, int]:
    """Phase 3: the contract's weighted objective from the best plan so far -> (status, bound).

    With `windows_beside`, windows re-plan the best plan on a core of their own until the
    solver ends; on two cores the solver has one worker, with the heavier linear relaxation."""
    if tracker.values is not None:
        hint_all(wm.model, tracker.values)
    if stopper.requested() or settings.out_of_time():
        return cp_model.FEASIBLE, 0
    beside = _WindowsBeside(wm, settings, tracker) if windows_beside else None
    if beside is not None:
        settings = replace(settings, workers=settings.workers - 1)
    solver = solver_for(settings, wm, 1.0, first_phase=False)
    if beside is not None and settings.workers == 1:
        solver.parameters.linearization_level = 2
    with beside or nullcontext():
        status = _run(wm, solver, settings, stopper,
                      Reporter(tracker, wm, lambda bound: max(round(bound), tracker.bound)))
    if status == cp_model.OPTIMAL:
        return status, tracker.objective or 0
    if status == cp_model.FEASIBLE:
        return status, max(0, round(solver.best_objective_bound))
    return status, 0


class _WindowsBeside:
    """Windows on a thread and a core of their own, beside the whole objective, until it ends.

    Why: on a pilot-size week whose fewest unassigned are proven, the whole objective alone
    often settles in a plan it does not leave (pilot seed 1, 4), and windows before it leave
    it settled in others (seeds 4, 6). Side by side, each window starts from the best plan
    either has found, and on two cores the whole objective on one worker with the heavier
    linear relaxation proves the optimum more often than on two (model notes, item 21).
    """

    def __init__(self, wm: WeekModel, settings: Settings, tracker: Tracker):
        self.done = threading.Event()
        self.stopper = Stopper(self.done)  # stops the running window when the solver ends
        search = WindowSearch(wm, replace(settings, workers=1, seed=settings.seed + 1),
                              self.stopper, tracker, fewest_first=False, background=True)
        self.thread = threading.Thread(target=search.run, args=(1.0,), daemon=True)

    def __enter__(self) -> _WindowsBeside:
        self.stopper.__enter__()
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.done.set()
        self.thread.join()
        self.stopper.__exit__()


def _outcome(tracker: Tracker, status: int, bound: int) -> Outcome:
    if status == cp_model.INFEASIBLE:
        return Outcome(status, None, None, None, 0, tracker.first_at, tracker.best_at)
    if tracker.values is None:
        status = cp_model.UNKNOWN
    elif status != cp_model.OPTIMAL:
        status = cp_model.FEASIBLE
    return Outcome(status, tracker.values, tracker.objective, tracker.terms, bound,
                   tracker.first_at, tracker.best_at)
