"""solve(line) -> the best line found within a time limit, with progress reports and a stop
event, like `scheduling.solve`.

The greedy line and the relaxation bound first; then CP-SAT on the station-indexed model
briefly, the local search on the worker view (it finds good lines where the model's search is
slow), and CP-SAT again from the best line until the limit, a stop or a proof."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from . import bounds
from .check import Station, cycle_time, violations
from .greedy import greedy
from .local import improve
from .model import build, canonical, hint
from .problem import Line

QUICK_SHARE = 0.05  # of the limit: CP-SAT alone first, for quick proofs of small lines
LOCAL_SHARE = 0.6  # of the limit, at most, for the local search
STALL_SHARE, STALL_SECONDS = 0.15, 2.0  # the local search stops after this long without a gain
MODEL_OPTIONS: dict = {"maximal": False, "swaps": False}  # build()'s rules; measured best off
LOCAL_AFTER = 1.0  # seconds (at most 5 % of the limit): CP-SAT alone first, for quick proofs


@dataclass(frozen=True)
class LineProgress:
    """A better line was found: its cycle time, the proven bound, seconds since the start."""

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


class _Best:
    """The best line of both searches and the best bound; thread-safe."""

    def __init__(self, line: Line, started: float, on_progress: ProgressCallback | None,
                 lower: int):
        self.line, self.started, self.on_progress = line, started, on_progress
        self.c: int | None = None
        self.stations: list[Station] | None = None
        self.at: float | None = None
        self.bound = lower
        self.proved_at: float | None = None
        self.lock = threading.Lock()
        self.done = threading.Event()  # proved, or asked to stop: both searches end

    def offer(self, stations: list[Station], c: int) -> bool:
        with self.lock:
            if self.c is not None and c >= self.c:
                return False
            self.c, self.stations = c, stations
            self.at = time.monotonic() - self.started
            if self.on_progress is not None:
                self.on_progress(LineProgress(c, self.bound, self.at))
            self._check()
            return True

    def raise_bound(self, bound: int) -> None:
        with self.lock:
            self.bound = max(self.bound, bound)
            self._check()

    def _check(self) -> None:
        if self.c is not None and self.bound >= self.c and self.proved_at is None:
            self.proved_at = time.monotonic() - self.started
            self.done.set()


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, lm, best: _Best):
        super().__init__()
        self.lm, self.best = lm, best

    def on_solution_callback(self) -> None:
        c = int(self.value(self.lm.cycle))
        self.best.raise_bound(int(self.best_objective_bound))
        if self.best.c is None or c < self.best.c:
            self.best.offer(self.lm.stations_of(self.boolean_value), c)


class _ModelSearch:
    """CP-SAT runs on the model, one at a time; `stop()` ends the running one."""

    def __init__(self, line: Line, best: _Best, workers: int, seed: int, log: bool):
        self.line, self.best = line, best
        self.workers, self.seed, self.log = workers, seed, log
        self.solver: cp_model.CpSolver | None = None
        self.infeasible = False

    def run(self, stations: list[Station] | None, upper: int, until: float,
            workers: int | None = None) -> None:
        """Minimise the cycle time in [bound, upper] from `stations` until `until`."""
        lm = build(self.line, self.best.bound, upper, **MODEL_OPTIONS)
        if stations is not None:
            hint(lm, canonical(self.line, stations, MODEL_OPTIONS.get("swaps", False)))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, until - time.monotonic())
        solver.parameters.num_workers = workers or self.workers
        solver.parameters.random_seed = self.seed
        solver.parameters.log_search_progress = self.log
        self.solver = solver
        if self.best.done.is_set():
            return
        code = solver.solve(lm.model, _Reporter(lm, self.best))
        if code == cp_model.OPTIMAL:
            self.best.raise_bound(int(solver.objective_value))
        elif code == cp_model.INFEASIBLE:  # only without a start: no line at all
            self.infeasible = stations is None
            self.best.raise_bound(upper + 1)
        elif code == cp_model.FEASIBLE:
            self.best.raise_bound(int(solver.best_objective_bound))
        if code in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            self.best.done.set()

    def stop(self) -> None:
        if self.solver is not None:
            self.solver.stop_search()


def solve(line: Line, time_limit: float = 30.0, *, workers: int = 2, seed: int = 0,
          on_progress: ProgressCallback | None = None, stop: threading.Event | None = None,
          log: bool = False) -> LineResult:
    """The line of the least cycle time found within `time_limit` seconds (wall), in three
    phases: CP-SAT alone briefly (it proves the small lines at once), the local search while
    it improves, then CP-SAT from the best line until the limit. `workers`: CP-SAT's threads
    in the last phase (the first has one)."""
    started = time.monotonic()
    deadline = started + time_limit
    start = greedy(line, lower=bounds.trivial(line), seed=seed)
    greedy_c = None if start is None else cycle_time(line, start)
    upper = greedy_c if greedy_c is not None else sum(
        max(t for t in row if t is not None) for row in line.times)
    best = _Best(line, started, on_progress, bounds.lp_bound(line, upper))
    if start is not None:
        assert not violations(line, start), violations(line, start)
        best.offer(start, greedy_c)
    model = _ModelSearch(line, best, max(1, workers), seed, log)
    watcher = _watch(stop, best.done, model)
    try:
        # One thread: on the small lines it proves sooner than two on a busy machine
        # (heskia, 80 lines: median 0.18 s against 0.54 s).
        model.run(start, upper, min(deadline, started + QUICK_SHARE * time_limit), workers=1)
        if start is not None and not best.done.is_set():
            _local(line, best, started + (QUICK_SHARE + LOCAL_SHARE) * time_limit, seed,
                   max(STALL_SECONDS, STALL_SHARE * time_limit))
        if not best.done.is_set() and deadline - time.monotonic() > 0.05:
            with best.lock:
                stations, c = best.stations, best.c
            model.run(stations, c if c is not None else upper, deadline)
    finally:
        watcher.set()
    seconds = time.monotonic() - started
    if best.stations is None:
        return LineResult("INFEASIBLE" if model.infeasible else "UNKNOWN", None, best.bound,
                          [], seconds, greedy=greedy_c)
    if best.bound >= best.c:
        return LineResult("OPTIMAL", best.c, best.c, best.stations, seconds, best.at,
                          best.proved_at, greedy_c)
    return LineResult("FEASIBLE", best.c, best.bound, best.stations, seconds, best.at, None,
                      greedy_c)


def _local(line: Line, best: _Best, until: float, seed: int, stall: float) -> None:
    """The local search from the best line until `until` or `stall` seconds without a gain."""
    with best.lock:
        current = list(best.stations)
    improve(line, current, until, seed=seed, stop=best.done, lower=best.bound, stall=stall,
            on_better=best.offer)


def _watch(stop: threading.Event | None, done: threading.Event,
           model: _ModelSearch) -> threading.Event:
    """On `stop`: set `done` (which ends the phases) and stop the running CP-SAT. Set the
    returned event to end the watching."""
    finished = threading.Event()
    if stop is None:
        return finished

    def run() -> None:
        while not finished.is_set():
            if stop.wait(0.05):
                done.set()
                model.stop()  # repeated: CP-SAT may not have started yet
    threading.Thread(target=run, daemon=True).start()
    return finished
