"""solve(line) -> the best line found within a time limit, with progress reports and a stop
event, like `scheduling.solve`: greedy start, relaxation bound, then CP-SAT from the hint."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from . import bounds
from .check import Station, cycle_time, violations
from .greedy import greedy
from .model import build, canonical, hint
from .problem import Line


@dataclass(frozen=True)
class LineProgress:
    """A better line was found (or the bound rose): its cycle time, the proven bound."""

    cycle_time: int
    bound: int
    elapsed: float


@dataclass
class LineResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE (no line exists) or UNKNOWN (none found)
    cycle_time: int | None
    bound: int
    stations: list[Station] = field(default_factory=list)  # in line order
    seconds: float = 0.0
    time_to_best: float | None = None
    time_to_proof: float | None = None  # when the bound met the cycle time
    greedy: int | None = None  # the greedy start's cycle time

    def as_json(self) -> dict:
        """The CLI's JSON: workers and tasks 1-based as in the files."""
        return {"status": self.status, "cycle_time": self.cycle_time, "bound": self.bound,
                "stations": [{"worker": s.worker + 1, "tasks": [i + 1 for i in s.tasks]}
                             for s in self.stations],
                "seconds": round(self.seconds, 3),
                "time_to_best": _rounded(self.time_to_best),
                "time_to_proof": _rounded(self.time_to_proof)}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


ProgressCallback = Callable[[LineProgress], None]


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, lm, started: float, on_progress: ProgressCallback | None, best: int | None):
        super().__init__()
        self.lm, self.started, self.on_progress = lm, started, on_progress
        self.best, self.best_at, self.stations = best, None, None

    def on_solution_callback(self) -> None:
        value = int(self.value(self.lm.cycle))
        if self.best is None or value < self.best:
            self.best, self.best_at = value, time.monotonic() - self.started
            self.stations = self.lm.stations_of(self.boolean_value)
            if self.on_progress is not None:
                self.on_progress(LineProgress(value, int(self.best_objective_bound),
                                              self.best_at))


def solve(line: Line, time_limit: float = 30.0, *, workers: int = 2, seed: int = 0,
          on_progress: ProgressCallback | None = None, stop: threading.Event | None = None,
          log: bool = False) -> LineResult:
    """The line of the least cycle time found within `time_limit` seconds (wall)."""
    started = time.monotonic()
    start = greedy(line, lower=bounds.trivial(line), restarts=10, seed=seed)
    greedy_c = None if start is None else cycle_time(line, start)
    upper = greedy_c if greedy_c is not None else sum(
        max(t for t in row if t is not None) for row in line.times)
    lower = bounds.lp_bound(line, upper)
    elapsed = time.monotonic() - started
    if start is not None:
        start = canonical(line, start)
        greedy_c = cycle_time(line, start)
        assert not violations(line, start), violations(line, start)
        if on_progress is not None:
            on_progress(LineProgress(greedy_c, lower, elapsed))
        if greedy_c == lower:
            return LineResult("OPTIMAL", greedy_c, lower, start, elapsed, elapsed, elapsed,
                              greedy_c)
    lm = build(line, lower, upper)
    if start is not None:
        hint(lm, start)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit - elapsed)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    reporter = _Reporter(lm, started, on_progress, greedy_c)
    watcher = _watch(stop, solver)
    try:
        code = solver.solve(lm.model, reporter)
    finally:
        watcher.set()
    seconds = time.monotonic() - started
    best_at = reporter.best_at if reporter.stations is not None else (
        elapsed if start is not None else None)
    stations = reporter.stations or start or []
    c = cycle_time(line, stations) if stations else None
    if code == cp_model.INFEASIBLE and not stations:
        return LineResult("INFEASIBLE", None, lower, [], seconds, greedy=greedy_c)
    bound = max(lower, int(solver.best_objective_bound)) if code != cp_model.UNKNOWN else lower
    if code == cp_model.OPTIMAL or (c is not None and bound >= c):
        return LineResult("OPTIMAL", c, c, stations, seconds, best_at, seconds, greedy_c)
    status = "FEASIBLE" if stations else "UNKNOWN"
    return LineResult(status, c, bound, stations, seconds, best_at, None, greedy_c)


def _watch(stop: threading.Event | None, solver: cp_model.CpSolver) -> threading.Event:
    """Stop the solver when `stop` is set; set the returned event to end the watching."""
    done = threading.Event()
    if stop is None:
        return done

    def run() -> None:
        while not done.is_set():
            if stop.wait(0.05):
                solver.stop_search()  # repeated: a stop before the search starts would be lost
    threading.Thread(target=run, daemon=True).start()
    return done
