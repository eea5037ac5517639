"""Large-neighbourhood search by windows: re-plan part of the week with the rest of it fixed.

Two kinds of window. A time window is a few adjacent slots: a half-day is tied to the rest of
the week only through the steps' work (rule 7 and the flow) and the task changes at its edges, so
with the other slots fixed CP-SAT re-plans it in a fraction of a second, moving instructors and
people together; its own random neighbourhoods rarely do that. An area window is one work area
over the whole week: it moves work between days, which a time window cannot (measured in
the model notes). On a pilot-size week a people window frees two people's whole weeks,
and where every instructor stands. On a region-size week a guided window frees, over the whole
week, the people whose task type differs from the one the week's tight LP gives them
(`bounds/tight.py`), and every instructor. Each window is judged by the contract's whole
objective, so an accepted window is a better plan.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple

from ortools.sat import sat_parameters_pb2
from ortools.sat.python import cp_model

from .model import WeekModel, hint_all
from .search_state import Settings, Stopper, Tracker

NO_CAP = 10**9  # unassigned half-days: more than any week has

Guide = Callable[[], dict[tuple[str, str], str] | None]  # see TightBound.task_types


def light_presolve(params: sat_parameters_pb2.SatParameters) -> None:
    """One presolve round without probing, for a region-size week.

    Why: CP-SAT's full presolve of a region week takes 10-13 s on a slow 2-core machine, three
    rounds of probing most of it; with one round and no probing the search starts at 6 s, and
    the bound and the plans are better at 25 s. A window's presolve takes half as long
    (model notes, item 17)."""
    params.cp_model_probing_level = 0
    params.max_presolve_iterations = 1


@dataclass(frozen=True)
class _Limits:
    until: float  # monotonic time
    until_deterministic: float | None
    per_window: float  # seconds for a window one slot wide
    stall: float  # seconds (or deterministic seconds) without progress that end the fewest-first


class Decision(NamedTuple):
    """An assignment or placement variable: where in the week it is, and whose it is."""

    index: int  # in the model's proto
    slot: int  # slot index
    area: str
    participant: str | None  # None for a placement


@dataclass(frozen=True)
class Window:
    """The decisions a window frees: those of its slots, of its area in every slot, of its
    people in every slot, or of its cells (a person in a slot), the last two with every
    instructor's placements."""

    slots: range | None = None
    area: str | None = None
    people: frozenset[str] | None = None
    cells: frozenset[tuple[str, int]] | None = None  # (participant, slot index)

    def frees(self, decision: Decision) -> bool:
        if self.cells is not None:
            return decision.participant is None or \
                (decision.participant, decision.slot) in self.cells
        if self.slots is not None:
            return decision.slot in self.slots
        if self.area is not None:
            return decision.area == self.area
        assert self.people is not None
        return decision.participant is None or decision.participant in self.people


def week_windows(wm: WeekModel, width: int, excess: list[int] | None = None, *,
             people: bool = False) -> Iterator[Window]:
    """Time windows, then area windows, then (with `people`) people windows. With `excess`
    (per slot, the plan's unassigned above that slot's least), only the time windows that can
    lower `unassigned`, most excess first, and no people windows."""
    slot_count = len(wm.instance.slots)
    ranges = [range(first, first + width) for first in range(0, slot_count - width + 1)]
    if excess is not None:
        ranges = sorted((r for r in ranges if any(excess[i] > 0 for i in r)),
                        key=lambda r: -sum(excess[i] for i in r))
    for slots in ranges:
        yield Window(slots=slots)
    if len(wm.instance.areas) > 1:
        for area in wm.instance.areas:
            yield Window(area=area.id)
    if people and excess is None:
        yield from pair_windows(wm)


def pair_windows(wm: WeekModel) -> Iterator[Window]:
    """Every two people who share a task type, each pair over the whole week.

    Why: what is left of a pilot-size week's objective once its fewest unassigned are found is
    mostly in whole weeks of a few people: who does the late step before its due slot, who keeps
    one task type all week, who gets the work they prefer. A time or area window cuts such a
    week in pieces. Measured on pilot seeds 1-6 (10 s, model notes item 22): better plans
    on seeds 1, 4 and 6, seed 2 proven sooner. On a centre-size week a pass of them takes too
    long to pay (1 100-1 200 pairs against about 90)."""
    inst = wm.instance
    kinds: dict[str, set[str]] = {}
    for triple in wm.x:
        kinds.setdefault(triple.participant, set()).add(inst.step_by_id[triple.step].task_type)
    people = [p.id for p in inst.participants if p.id in kinds]
    for first, second in itertools.combinations(people, 2):
        if kinds[first] & kinds[second]:
            yield Window(people=frozenset((first, second)))


def _assignment_minutes(wm: WeekModel) -> list[tuple[str, int]]:
    """(step, minutes given) of every assignment variable, in the order of `decisions_of`."""
    inst = wm.instance
    return [(triple.step, inst.cap(inst.participant_by_id[triple.participant],
                                   inst.slot_by_id[triple.slot]))
            for triple in wm.x]


def decisions_of(wm: WeekModel) -> list[Decision]:
    """Every assignment and placement variable; the assignments first, in the order of
    `wm.x`."""
    inst = wm.instance
    index = inst.slot_index
    decisions = [Decision(var.index, index[triple.slot],
                          inst.area_of(inst.step_by_id[triple.step]), triple.participant)
                 for triple, var in wm.x.items()]
    decisions += [Decision(var.index, index[slot], area, None)
                  for (_who, slot, area), var in wm.y.items()]
    return decisions


def _bounds(domain: list[int]) -> tuple[int, int]:
    """The first and last value of a domain, read from a list: the proto's repeated field
    answers `[-1]` with 0 instead of its last value."""
    return domain[0], domain[-1]


class WindowModel:
    """A clone of `base` with every decision fixed to the plan's value, re-used window after
    window: a window frees its own decisions, and only the decisions whose value changed since
    the last window are fixed again.

    Why: cloning the week and fixing its few thousand decisions for every window took about a
    tenth of the windows' time on a centre-size week (measured in model notes, item 19),
    while a plan changes in a few dozen decisions from one window to the next.
    """

    def __init__(self, base: cp_model.CpModel, decisions: list[Decision],
                 unassigned: cp_model.LinearExpr | None = None):
        self.model = base.clone()
        self.decisions = decisions
        # `unassigned <= a cap`, where the window's fewest unassigned are kept (see
        # cap_unassigned); none where nobody can work, as `unassigned` is a constant there.
        self.cap = None if unassigned is None or isinstance(unassigned, int) else \
            self.model.add(unassigned <= NO_CAP)
        self.cap_offset = 0 if self.cap is None else NO_CAP - self.cap.proto.linear.domain[1]
        variables = self.model.proto.variables
        # Decisions are Booleans: their domain is one interval, [0, 1] unless fixed in `base`.
        self.domains = [_bounds(list(variables[decision.index].domain)) for decision in decisions]
        self.fixed: list[int | None] = [None] * len(decisions)  # None: free as in `base`

    def for_window(self, values: list[int], freed: list[int]) -> cp_model.CpModel:
        """The model with every decision but those at the `freed` positions of `decisions`
        fixed to `values`, hinted with them."""
        variables = self.model.proto.variables
        for position in freed:
            self.fixed[position] = None
            domain = variables[self.decisions[position].index].domain
            domain[0], domain[1] = self.domains[position]
        free = set(freed)
        for position, decision in enumerate(self.decisions):
            index = decision.index
            value = values[index]
            if self.fixed[position] != value and position not in free:
                self.fixed[position] = value
                domain = variables[index].domain
                domain[0] = domain[1] = value
        hint_all(self.model, values)
        return self.model

    def cap_unassigned(self, most: int | None) -> None:
        """Keep the window's unassigned at `most` at most; None lifts the cap."""
        if self.cap is None:
            return
        self.cap.proto.linear.domain[1] = (NO_CAP if most is None else most) - self.cap_offset


class WindowSearch:
    """Passes over the week's windows, widening them when a pass finds nothing better.

    Which windows, how wide, and how their time is shared out follow `settings.strategy`.

    With `fewest_first`, the first passes re-plan each window for the fewest unassigned
    half-days alone, the later ones for the whole objective. Why: a window that minimises the
    whole objective spends its time proving the small terms, and the fewest unassigned is what
    a centre-size week needs most (seed 3: 61-73 unassigned after 9 s against 87; model notes).
    Either way the tracker takes a window's plan only when the contract's whole objective gets
    better; the fewest-first passes also go on from plans that only free work for other slots
    (`window_aim`), and give way to the whole objective when they stop finding fewer unassigned.
    """

    def __init__(self, wm: WeekModel, settings: Settings, stopper: Stopper, tracker: Tracker,
                 *, fewest_first: bool = True, slot_least: list[int] | None = None,
                 least: Callable[[], int] | None = None, background: bool = False,
                 guide: Guide | None = None):
        self.wm = wm
        self.strategy = strategy = settings.strategy
        self.guide = guide  # see _run_guided
        self.people_windows = strategy.people_windows  # see pair_windows
        self.max_width = strategy.max_width  # of the time windows
        self.passes_in_time = strategy.passes  # the windows' time is enough for this many passes
        self.least = least  # the proven least unassigned of the week, as it rises
        self.background = background  # beside the main search, in a thread of its own
        self.slot_least = slot_least
        inst = wm.instance
        self.attending = [sum(slot.id in p.attends for p in inst.participants)
                          for slot in inst.slots]
        # window -> the plan's state at which it last found nothing (see _state)
        self.failed: dict[tuple[int, Window], tuple[int, int]] = {}
        self.failed_in: dict[tuple[int, Window], int] = {}  # window -> its last failed pass
        self.passes = 0
        # window -> how many times its share of time it gets, after running out of it
        # (measured: region seed 1's area a04 needs 1.5-2 s where a window gets 1.3 s)
        self.stretch: dict[tuple[int, Window], int] = {}
        self.settings = settings
        self.stopper = stopper
        self.tracker = tracker
        self.assignments = _assignment_minutes(wm)
        self.decisions = decisions_of(wm)
        # Per step someone can work on: the proto index of the minutes given to it over the
        # week (a step nobody is trained for has no such variable).
        self.given_total = {step: chain[-1][1].index for step, chain in wm.given_upto.items()
                            if chain}
        # Above any window's minutes: the fewest unassigned come first, always.
        self.scale = 1 + sum(inst.cap(p, slot) for p in inst.participants
                             for slot in inst.slots if slot.id in p.attends)
        # The fewest-first passes' own plan: it may trade minutes of nearly finished steps for
        # minutes of others, which the tracker's whole objective would not take (see window_aim).
        self.current: list[int] | None = None
        self.current_unassigned = 0
        self.moves = 0  # times the current plan changed
        self.models: dict[int, WindowModel] = {}  # id of a base model -> its window model
        self.freed: dict[Window, list[int]] = {}  # window -> positions in `decisions`
        # the unassigned as the fewest-first model has them: (proto index, coefficient), offset
        self.unassigned_objective: tuple[list[tuple[int, int]], int] | None = None
        self.improved_at = 0.0  # _clock() when the plan last improved in this objective
        # Time and area windows: the windows' time is shared out by them.
        self.per_pass = sum(1 for _ in week_windows(wm, 1))
        self.objectives = [wm.model]
        if fewest_first and settings.weights["unassigned"] > 0:
            fewest = wm.model.clone()
            fewest.minimize(wm.terms["unassigned"])
            self.objectives.insert(0, fewest)

    def run(self, share: float) -> None:
        """Improve the tracker's best plan within `share` of the time left."""
        settings = self.settings
        settings.note("windows", search=self)
        slots = len(self.wm.instance.slots)
        if not self.per_pass:
            return  # no slot and no area: no window to re-plan
        part = settings.share(share)
        until = time.monotonic() + part.seconds
        if part.work is None:
            per_window = max(self.strategy.min_window_seconds,
                             part.seconds / (self.passes_in_time * self.per_pass))
            limits = _Limits(until, None, per_window,
                             self.strategy.fewest_stall_share * part.seconds)
        else:  # the deterministic limit alone divides the work (Settings.share)
            limits = _Limits(until, settings.deterministic_used + part.work, part.seconds,
                             self.strategy.fewest_stall_share * part.work)
        if self.guide is not None:
            self._run_guided(limits)
            return
        for base in self.objectives:
            width = 1
            self.improved_at = self._clock()
            base_limits = self._limits_for(base, limits)
            while width <= self._widest(base, slots) and self.tracker.values is not None:
                result = self._pass(base, width, base_limits)
                if result is None:
                    break  # out of this objective's time, or asked to stop
                improved, rested = result
                if self._at_least(base):
                    break
                if not improved and not rested:
                    width += 1

    def _clock(self) -> float:
        """Seconds, or deterministic seconds when the search is limited by those (tests)."""
        if self.settings.deterministic_time is not None:
            return self.settings.deterministic_used
        return time.monotonic()

    def _limits_for(self, base: cp_model.CpModel, limits: _Limits) -> _Limits:
        """The fewest unassigned get at most `fewest_windows_share` of the time: on a
        region-size week the whole objective's windows then win more by the small terms than
        the fewest-first ones by `unassigned` (region seed 1, model notes item 17)."""
        share = self.strategy.fewest_windows_share
        if base is self.wm.model or share >= 1.0:
            return limits
        if limits.until_deterministic is not None:
            used = self.settings.deterministic_used
            return replace(limits, until_deterministic=used + (
                limits.until_deterministic - used) * share)
        now = time.monotonic()
        return replace(limits, until=now + (limits.until - now) * share)

    def _pass(self, base: cp_model.CpModel, width: int,
              limits: _Limits) -> tuple[bool, bool] | None:
        """One pass over the windows of `width`: (improved, some window rested), or None when
        the time is up."""
        settings = self.settings
        self.passes += 1
        improved = rested = False
        for window in week_windows(self.wm, width, self.slot_excess(base),
                                   people=self.people_windows):
            if self._at_least(base):
                break
            if self._out_of_time(limits):
                return None
            if base is not self.wm.model and self._clock() - self.improved_at >= limits.stall:
                # Measured on centre seed 1: 116 unassigned at 6 s, and nothing more in the
                # 4 s after, where the whole objective's windows lower `overdue`.
                return None
            key = (id(base), window)
            before = self._progress(base)
            if self._found_nothing(base, window):
                continue
            # On a region-size week a window that found nothing rests for the next pass: a
            # pass there takes about 20 s, and most of the gains come from a few windows again
            # and again (region seed 1, model notes item 17).
            if self.strategy.rest_failed_windows and self.failed_in.get(key) == self.passes - 1:
                rested = True
                continue
            # Wider windows need longer: measured, two slots take 0.1-2 s where one takes 0.1 s.
            # So does a window that ran out of time before: it gets twice the time next.
            stretch = width * self.stretch.get(key, 1)
            seconds = min(limits.per_window * stretch, limits.until - time.monotonic())
            work = None if limits.until_deterministic is None else min(
                limits.until_deterministic - settings.deterministic_used,
                stretch * settings.deterministic_time / (self.passes_in_time * self.per_pass))
            settled = self.improve_window(base, window, seconds, work)
            if self._progress(base) < before:
                improved = True
                self.improved_at = self._clock()
            else:
                self.failed[key] = self._state(base)
                self.failed_in[key] = self.passes
                if not settled:
                    self.stretch[key] = min(self.strategy.max_stretch,
                                            2 * self.stretch.get(key, 1))
        return improved, rested

    def _out_of_time(self, limits: _Limits) -> bool:
        return self.stopper.requested() or time.monotonic() >= limits.until or (
            limits.until_deterministic is not None
            and self.settings.deterministic_used >= limits.until_deterministic)

    def _run_guided(self, limits: _Limits) -> None:
        """The guided window again and again, first for the fewest unassigned, then for the
        whole objective; one-slot and area windows while the LP is not solved yet and when the
        guided window found nothing in the plan as it is. An objective ends when every window
        found nothing in the plan as it is.

        Why: the week's tight LP is nearly whole (on region seed 3, 216 of 1 976 shares are
        fractions) and about 190 half-days without work, where the plans have 250; a quarter of
        the plan's people have another task type than the LP's. Freed together over the whole
        week, with the instructors, CP-SAT's own neighbourhoods on two workers move work between
        days and areas, which no one-slot or area window does: from a 20 s plan of 260, 247
        in 40 s; one-slot windows of 8 s each took a plan from 260 to 250 in 80 s. On one
        worker the same window found nothing in 40 s (model notes, item 33)."""
        settings = self.settings
        ordinary = list(week_windows(self.wm, 1))
        share = self.strategy.guided_share
        guided_work = None if limits.until_deterministic is None else \
            share * (limits.until_deterministic - settings.deterministic_used)
        guided_seconds = (limits.until - time.monotonic()) * (share if guided_work is None else 1)
        window_work = None if settings.deterministic_time is None else \
            settings.deterministic_time / (self.passes_in_time * self.per_pass)
        for base in self.objectives:
            failed_in_a_row, turn = 0, 0
            while failed_in_a_row <= len(ordinary) and not self._at_least(base):
                if self._out_of_time(limits):
                    return
                window = self.guided_window(base)
                self.settings.note("guided_window", window=window)
                seconds, work = guided_seconds, guided_work
                if window is None or self._found_nothing(base, window):
                    window, turn = ordinary[turn % len(ordinary)], turn + 1
                    seconds, work = limits.per_window, window_work
                    if self._found_nothing(base, window):
                        failed_in_a_row += 1
                        continue
                before = self._progress(base)
                self.improve_window(
                    base, window, min(seconds, limits.until - time.monotonic()),
                    None if work is None else min(
                        work, limits.until_deterministic - settings.deterministic_used))
                if self._progress(base) < before:
                    failed_in_a_row = 0
                else:
                    self.failed[(id(base), window)] = self._state(base)
                    failed_in_a_row += 1

    def _found_nothing(self, base: cp_model.CpModel, window: Window) -> bool:
        """The plan as it is already gave this window nothing."""
        return self.failed.get((id(base), window)) == self._state(base)

    def guided_window(self, base: cp_model.CpModel) -> Window | None:
        """The cells where the plan's task type is not the tight LP's (one of the two may have
        none); None while the LP is not solved, or where the plan is the LP's."""
        types = None if self.guide is None else self.guide()
        if types is None:
            return None
        inst, values = self.wm.instance, self.values_for(base)
        planned = {(triple.participant, triple.slot): inst.step_by_id[triple.step].task_type
                   for triple, var in self.wm.x.items() if values[var.index]}
        index = inst.slot_index
        cells = frozenset((person, index[slot]) for person, slot in types.keys() | planned.keys()
                          if types.get((person, slot)) != planned.get((person, slot)))
        return Window(cells=cells) if cells else None

    def _progress(self, base: cp_model.CpModel) -> int:
        """What this pass is after: the unassigned of the best plan, or its whole objective.

        Why not the whole objective for both: a window that leaves `unassigned` as it was but
        trims a small term would keep the search on one-slot windows, where only wider ones
        can still lower `unassigned` (measured on centre seed 3)."""
        tracker = self.tracker
        if base is self.wm.model or tracker.terms is None:
            return tracker.objective if tracker.objective is not None else 0
        self.values_for(base)  # which takes the best plan when it has fewer unassigned
        return self.current_unassigned

    def _state(self, base: cp_model.CpModel) -> tuple[int, int]:
        """The plan a window starts from, as far as a window that found nothing cares."""
        return self._progress(base), 0 if base is self.wm.model else self.moves

    def values_for(self, base: cp_model.CpModel) -> list[int] | None:
        """The plan a window of `base` starts from: the best one, or the fewest-first passes'
        own plan, unless the best has fewer unassigned (found by another search)."""
        tracker = self.tracker
        if base is self.wm.model or tracker.terms is None:
            return tracker.values
        with tracker.lock:
            if self.current is None or tracker.terms["unassigned"] < self.current_unassigned:
                self.current, self.current_unassigned = tracker.values, \
                    tracker.terms["unassigned"]
        return self.current

    def _widest(self, base: cp_model.CpModel, slots: int) -> int:
        """The widest time window for `base`.

        On a region-size week the fewest-first ones stay one slot wide: a pass of windows takes
        about 20 s, and a week whose plan is one or two unassigned above its least gained more
        from the whole objective's windows than from wider ones (region seed 3, model notes
        item 17)."""
        fewest_widest = self.strategy.fewest_max_width
        if base is not self.wm.model and fewest_widest is not None:
            return fewest_widest
        return min(self.max_width, slots)

    def _at_least(self, base: cp_model.CpModel) -> bool:
        """Minimising the unassigned, and the best plan has the proven least: nothing to gain."""
        if base is self.wm.model or self.least is None or self.tracker.terms is None:
            return False
        return self.tracker.terms["unassigned"] <= self.least()

    def slot_excess(self, base: cp_model.CpModel) -> list[int] | None:
        """Per slot, the best plan's unassigned above the slot's least, when minimising them.

        A time window only re-plans its own slots, so where every one of them is at its least
        it cannot lower `unassigned` and is skipped (measured on centre seed 3: a quarter to a
        half of the time windows of the later passes)."""
        if base is self.wm.model or self.slot_least is None or self.tracker.values is None:
            return None
        inst, values = self.wm.instance, self.values_for(base)
        index = inst.slot_index
        excess = [people - least
                  for people, least in zip(self.attending, self.slot_least, strict=True)]
        for triple, var in self.wm.x.items():
            excess[index[triple.slot]] -= values[var.index]
        return excess

    def improve_window(self, base: cp_model.CpModel, window: Window, seconds: float,
                 deterministic: float | None) -> bool:
        """Re-plan `window` for `base`'s objective; the tracker keeps the result if better.

        True when the solver settled the window (its best plan proven) within its time."""
        self.settings.note("window", search=self, base=base, window=window)
        values = self.values_for(base)
        if id(base) not in self.models:
            self.models[id(base)] = WindowModel(
                base, self.decisions,
                None if base is self.wm.model else self.wm.terms["unassigned"])
        window_model = self.models[id(base)]
        model = window_model.for_window(values, self._freed(window))
        if base is self.wm.model:
            solver, status = self._solve(model, seconds, deterministic)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self._seen(solver)
            return status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
        return self._improve_fewest(window_model, window, values, seconds, deterministic)

    def _improve_fewest(self, window_model: WindowModel, window: Window, values: list[int],
                        seconds: float, deterministic: float | None) -> bool:
        """The fewest unassigned in the window first, then, with that many, the tie-break of
        `window_aim`; the window is settled when its fewest are proven.

        Why two solves: the fewest alone settle a centre-size week's one-slot window in about
        0.05 s with the LP's cuts of linearization 2, while with the tie-break in the same
        objective most of them were still unsettled after 2 s (centre seed 2, model notes
        item 23)."""
        model = window_model.model
        started, work_before = time.monotonic(), self.settings.deterministic_used
        _set_objective(model, *self._unassigned_objective(1))
        solver, status = self._solve(model, seconds, deterministic)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return status == cp_model.INFEASIBLE
        settled = status == cp_model.OPTIMAL
        aim = self.window_aim(values, window)
        aimed = value_of(aim, values)
        window_model.cap_unassigned(round(solver.objective_value))
        _set_objective(model, *aim)
        hint_all(model, list(solver.response_proto.solution))
        left = None if deterministic is None else \
            deterministic - (self.settings.deterministic_used - work_before)
        tie_break, tie_status = self._solve(model, seconds - (time.monotonic() - started), left)
        window_model.cap_unassigned(None)
        if tie_status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = tie_break
        solution, terms = self._seen(solver)
        if value_of(aim, solution) < aimed:
            self.current, self.current_unassigned = solution, terms["unassigned"]
            self.moves += 1
        return settled

    def _solve(self, model: cp_model.CpModel, seconds: float,
               deterministic: float | None) -> tuple[cp_model.CpSolver, int]:
        settings = self.settings
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = settings.workers
        params.random_seed = settings.seed
        params.max_time_in_seconds = max(0.01, seconds)
        # A window is small: the LP's cuts of linearization 2 settle it sooner. Measured on
        # centre seed 2, one-slot windows for the fewest unassigned from the greedy plan:
        # 0.03-0.08 s against 0.05-1.1 s, and the whole objective's windows reach smaller
        # `overdue` in 10 s (model notes, item 23).
        params.linearization_level = 2
        if self.strategy.light_presolve:
            light_presolve(params)
        if deterministic is not None:
            params.max_deterministic_time = max(0.01, deterministic)
        self.stopper.watch(solver, background=self.background)
        status = solver.solve(model)
        if self.background:
            self.stopper.unwatch(solver)
        settings.deterministic_used += solver.response_proto.deterministic_time
        return solver, status

    def _seen(self, solver: cp_model.CpSolver) -> tuple[list[int], dict[str, int]]:
        """Give the solver's plan to the tracker; returns it and its terms."""
        solution = list(solver.response_proto.solution)
        terms = self.wm.term_values(solver.value)
        self.tracker.seen(terms, self.tracker.bound, solution)
        return solution, terms

    def _unassigned_objective(self, scale: int) -> tuple[dict[int, int], int]:
        """The unassigned times `scale`, as (proto index -> coefficient, offset)."""
        if self.unassigned_objective is None:
            objective = self.objectives[0].proto.objective  # the fewest-first model's
            self.unassigned_objective = (
                list(zip(objective.vars, objective.coeffs, strict=True)),
                round(objective.offset))
        coeffs, offset = self.unassigned_objective
        return {index: scale * coeff for index, coeff in coeffs}, scale * offset

    def window_aim(self, values: list[int], window: Window) -> tuple[dict[int, int], int]:
        """Minimise the unassigned first, then the minutes the window gives to nearly finished
        steps, as (proto index -> coefficient, offset).

        Why: a window that keeps its count of people at work can still free minutes of a step
        that has run out of work, so that another slot can seat one more person on it; the
        whole objective sees no gain in that move. Measured on centre seeds 2/3/4 in 10 s,
        three runs each: 54/58-62/136-137 unassigned, against 55-59/62-66/141 without the
        tie-break and 56-60/67-71/143-144 with the minutes of every step in it (model notes,
        item 18)."""
        scarce = {step for step, index in self.given_total.items()
                  if self.wm.instance.step_by_id[step].work - values[index]
                  < self.wm.instance.cap_range[step][1]}
        coeffs, offset = self._unassigned_objective(self.scale)
        for position in self._freed(window):
            if position < len(self.assignments):  # an assignment, not a placement
                step, cap = self.assignments[position]
                if step in scarce:
                    index = self.decisions[position].index
                    coeffs[index] = coeffs.get(index, 0) + cap
        return coeffs, offset

    def _freed(self, window: Window) -> list[int]:
        """The positions in `self.decisions` of the decisions `window` frees."""
        freed = self.freed.get(window)
        if freed is None:
            freed = [position for position, decision in enumerate(self.decisions)
                     if window.frees(decision)]
            if window.cells is None:  # a guided window is seldom the same twice
                self.freed[window] = freed
        return freed


def _set_objective(model: cp_model.CpModel, coeffs: dict[int, int], offset: int) -> None:
    """Minimise `offset + sum(coeff * variable)`, variables given by proto index."""
    model.clear_objective()
    objective = model.proto.objective
    objective.vars.extend(list(coeffs))
    objective.coeffs.extend(list(coeffs.values()))
    objective.offset = offset


def value_of(objective: tuple[dict[int, int], int], values: list[int]) -> int:
    """The value of `objective` (coefficients by proto index, offset) for a plan's values."""
    coeffs, offset = objective
    return offset + sum(coeff * values[index] for index, coeff in coeffs.items())
