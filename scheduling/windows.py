"""Large-neighbourhood search by time windows: re-plan a few slots with the rest of the week fixed.

Why: a half-day is tied to the rest of the week only through the steps' work (rule 7 and the
flow) and the task changes at its edges. With the other slots fixed, CP-SAT re-plans it in about
a second, moving instructors and people together; its own random neighbourhoods rarely do that
(measured on the centre week: 11.8 M to 8.7 M in 10 s, see docs/model-notes.md). Each window
is judged by the contract's whole objective, so an accepted window is a better plan.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from .model import WeekModel

if TYPE_CHECKING:
    from .phases import Settings, Stopper, Tracker

MAX_WIDTH = 3  # slots re-planned together at most
MIN_WINDOW_SECONDS = 0.2
PASSES = 2  # the time of a window: enough for this many passes over the week


def _windows(slot_count: int, width: int) -> Iterator[range]:
    for first in range(0, slot_count - width + 1):
        yield range(first, first + width)


def _decision_slots(wm: WeekModel) -> list[tuple[int, int]]:
    """(proto index, slot index) of every assignment and placement variable."""
    index = wm.instance.slot_index
    pairs = [(var.index, index[triple.slot]) for triple, var in wm.x.items()]
    pairs += [(var.index, index[slot]) for (_who, slot, _area), var in wm.y.items()]
    return pairs


def _window_model(wm: WeekModel, values: list[int], decisions: list[tuple[int, int]],
                  window: range) -> cp_model.CpModel:
    """The model with every decision outside the window fixed, hinted with `values`."""
    model = wm.model.clone()
    proto = model.proto
    for var_index, slot_index in decisions:
        if slot_index not in window:
            domain = proto.variables[var_index].domain
            domain[0] = domain[1] = values[var_index]
    model.clear_hints()
    proto.solution_hint.vars.extend(range(len(values)))
    proto.solution_hint.values.extend(values)
    return model


class WindowSearch:
    """Passes over the week's windows, widening them when a pass finds nothing better."""

    def __init__(self, wm: WeekModel, settings: Settings, stopper: Stopper, tracker: Tracker):
        self.wm = wm
        self.settings = settings
        self.stopper = stopper
        self.tracker = tracker
        self.decisions = _decision_slots(wm)

    def run(self, share: float) -> None:
        """Improve the tracker's best plan within `share` of the time left."""
        settings = self.settings
        slots = len(self.wm.instance.slots)
        until = time.monotonic() + settings.seconds_left() * share
        deterministic = settings.deterministic_left()
        until_deterministic = None if deterministic is None else \
            settings.deterministic_used + deterministic * share
        per_window = max(MIN_WINDOW_SECONDS, (until - time.monotonic()) / (PASSES * slots))
        width = 1
        while width <= min(MAX_WIDTH, slots) and self.tracker.values is not None:
            improved = False
            for window in _windows(slots, width):
                if self.stopper.requested() or time.monotonic() >= until or (
                        until_deterministic is not None
                        and settings.deterministic_used >= until_deterministic):
                    return
                improved |= self._improve(window, min(per_window, until - time.monotonic()),
                                          until_deterministic)
            if not improved:
                width += 1

    def _improve(self, window: range, seconds: float, until_deterministic: float | None) -> bool:
        settings, tracker = self.settings, self.tracker
        model = _window_model(self.wm, tracker.values, self.decisions, window)
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = settings.workers
        params.random_seed = settings.seed
        params.max_time_in_seconds = max(0.01, seconds)
        if until_deterministic is not None:
            slots = len(self.wm.instance.slots)
            params.max_deterministic_time = max(
                0.01, min((until_deterministic - settings.deterministic_used),
                          settings.deterministic_time / (PASSES * slots)))
        self.stopper.watch(solver)
        status = solver.solve(model)
        settings.deterministic_used += solver.response_proto.deterministic_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        before = tracker.objective
        tracker.seen(self.wm.term_values(solver.value), tracker.bound,
                     list(solver.response_proto.solution))
        return tracker.objective < before
