"""What every phase of the search shares: the caller's settings and limits, the best plan so far
with the progress reports it makes, and stopping the running solvers from another thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from .instance import TERMS
from .model import WeekModel
from .progress import Progress, progress_of
from .strategy import Strategy

ProgressCallback = Callable[[Progress], None]
# Sees what the search does, as (event, details); for tests and measurements, and it never
# changes the search's course. The events are listed in docs/search.md.
Trace = Callable[[str, dict[str, Any]], None]


@dataclass
class Settings:
    """How to search: the caller's limits, the week's strategy and, for tests, one worker and a
    seed."""

    workers: int
    seed: int
    time_limit: float
    deterministic_time: float | None
    started: float
    weights: dict[str, int]
    strategy: Strategy
    log: bool = False
    deterministic_used: float = 0.0
    trace: Trace | None = None

    def note(self, event: str, **details: Any) -> None:
        """Tell the caller's `trace`, if any, that `event` happened."""
        if self.trace is not None:
            self.trace(event, details)

    def _remaining(self) -> float:
        return self.time_limit - (time.monotonic() - self.started)

    def seconds_left(self) -> float:
        return max(0.01, self._remaining())

    def out_of_time(self) -> bool:
        """Too little time left to start a solver on the whole week."""
        if self._remaining() < 0.05:
            return True
        return self.deterministic_time is not None and \
            self.deterministic_time - self.deterministic_used < 0.01

    def deterministic_left(self) -> float | None:
        if self.deterministic_time is None:
            return None
        return max(0.01, self.deterministic_time - self.deterministic_used)

    def share(self, fraction: float) -> Share:
        """`fraction` of the time left, for one part of the search. Under a deterministic limit
        (tests, one worker) that limit alone is divided, and the part's wall time is all that
        is left of the caller's: wall time then never decides how the search goes, so a loaded
        machine gives the same plan as an idle one."""
        work = self.deterministic_left()
        if work is None:
            return Share(self.seconds_left() * fraction, None)
        return Share(self.seconds_left(), work * fraction)


@dataclass(frozen=True)
class Share:
    """A part's time: wall seconds and, under a deterministic limit, deterministic seconds."""

    seconds: float
    work: float | None


@dataclass(frozen=True)
class Start:
    """The starting plan (greedy or previous), valid and already reported to the caller."""

    objective: int
    terms: dict[str, int]
    values: list[int]  # of every model variable: the model's complete hint


@dataclass
class Outcome:
    """The best solution the search found, as values of the model's variables by proto index."""

    status: int  # OPTIMAL, FEASIBLE, INFEASIBLE (the locks clash) or UNKNOWN (nothing found)
    values: list[int] | None
    objective: int | None
    terms: dict[str, int] | None
    bound: int
    first_at: float | None
    best_at: float | None


class Tracker:
    """The best solution over every phase, and when the solver found its first and best.

    Thread-safe: the bound search beside the main search hands in its plans too.
    """

    def __init__(self, settings: Settings, on_progress: ProgressCallback | None,
                 start: Start | None, wm: WeekModel | None = None):
        self.settings = settings
        self.wm = wm  # to report the plan's figures with its objective
        # Each assignment's variable index, once: reading a plan from them is a fifth of the
        # time of `plan_in` on a region week (13 ms against 60 ms), and it runs in the callback.
        self.chosen = [(t, var.index) for t, var in wm.x.items()] if wm is not None else []
        self.on_progress = on_progress
        # The best objective reported so far, and the best plan: the starting plan's, so that
        # the windows can start from it at once.
        self.reported = self.objective = start.objective if start else None
        self.values: list[int] | None = start.values if start else None
        self.terms: dict[str, int] | None = start.terms if start else None
        self.first_at: float | None = None
        self.best_at: float | None = None
        self.bound = 0  # the last bound reported
        self.lock = threading.Lock()

    def raise_bound(self, bound: int) -> None:
        """A proven bound of the whole objective, for the progress reports."""
        with self.lock:
            self.bound = max(self.bound, bound)

    def seen(self, terms: dict[str, int], bound: int, values: list[int]) -> None:
        objective = sum(self.settings.weights[name] * terms[name] for name in TERMS)
        with self.lock:
            now = time.monotonic() - self.settings.started
            if self.first_at is None:
                self.first_at = now
            if self.objective is None or objective < self.objective:
                self.objective, self.values, self.terms = objective, values, terms
                self.best_at = now
            self.bound = max(self.bound, bound)
            if self.reported is None or objective < self.reported:
                self.reported = objective
                if self.on_progress is not None:
                    self.on_progress(self._progress(objective, values, now))

    def _progress(self, objective: int, values: list[int], now: float) -> Progress:
        if self.wm is None:
            return Progress(objective, self.bound, now)
        assignments = [t for t, index in self.chosen if values[index]]
        return progress_of(self.wm.instance, assignments, objective, self.bound, now)


class Reporter(cp_model.CpSolverSolutionCallback):
    """Hands each solution of any phase to the tracker, with the terms of the objective."""

    def __init__(self, tracker: Tracker, wm: WeekModel, bound: Callable[[float], int]):
        super().__init__()
        self.tracker = tracker
        self.wm = wm
        self.bound = bound
        self.found_at = (0, 0.0)  # the last (best) plan's (branches, deterministic seconds)
        self.found_wall: float | None = None  # and its time.monotonic()

    def on_solution_callback(self) -> None:
        self.found_at = (self.num_branches, self.deterministic_time)
        self.found_wall = time.monotonic()
        self.tracker.seen(self.wm.term_values(self.value), self.bound(self.best_objective_bound),
                          list(self.response_proto.solution))


class Stopper:
    """Stops the running solvers when `event` is set from another thread."""

    def __init__(self, event: threading.Event | None):
        self.event = event
        self.current: cp_model.CpSolver | None = None
        self.background: list[cp_model.CpSolver] = []
        self.done = threading.Event()
        self.thread: threading.Thread | None = None

    def requested(self) -> bool:
        return self.event is not None and self.event.is_set()

    def watch(self, solver: cp_model.CpSolver, *, background: bool = False) -> None:
        """Stop `solver` on request: the main search's current one, or one running beside it."""
        if background:
            self.background.append(solver)
        else:
            self.current = solver

    def unwatch(self, solver: cp_model.CpSolver) -> None:
        """`solver`, running beside the main search, is done."""
        if solver in self.background:
            self.background.remove(solver)

    def __enter__(self) -> Stopper:
        if self.event is not None:
            self.thread = threading.Thread(target=self._watch, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join()

    def _watch(self) -> None:
        assert self.event is not None
        while not self.done.is_set():
            if self.event.wait(0.05):
                # Repeated: a stop asked for before the search has started would be lost.
                for solver in [self.current, *self.background]:
                    if solver is not None:
                        solver.stop_search()
