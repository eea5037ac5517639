"""The bound of `bounds.TightWeekLP`, solved in a thread of its own beside the search, and the
task types its solution gives each person (the guide of the region windows, windows.py).

Why beside: GLOP takes 2.5-6 s for it on a region week (under 0.3 s on a centre week), which
the search would lose if it waited; GLOP lets go of the GIL while it solves, so the search goes
on meanwhile. Where a deterministic time limits the solve (the tests), it is solved before the
search instead, with no limit of its own, so that results repeat.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..instance import Instance
from .lp import TightWeekLP

Listener = Callable[[int], None]


class TightBound:
    """`TightWeekLP`'s bound of the objective; 0 until it is known (or if it never is)."""

    def __init__(self, instance: Instance, seconds: float | None):
        self.instance = instance
        self.seconds = seconds  # None: solve now, without a limit
        self.value = 0
        self.types: dict[tuple[str, str], str] | None = None  # see TightWeekLP.task_types
        self.listeners: list[Listener] = []
        self.lock = threading.Lock()
        self.stopped = False
        self.solving: TightWeekLP | None = None
        self.thread: threading.Thread | None = None
        if seconds is None:
            self._run()
        else:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _run(self) -> None:
        week_lp = TightWeekLP(self.instance)
        with self.lock:
            if self.stopped:
                return
            self.solving = week_lp
        if not week_lp.solved(self.seconds):
            return  # out of time, interrupted, or no optimum: no bound from it
        types = week_lp.task_types()
        with self.lock:
            self.value = week_lp.solved_least()
            self.types = types
            listeners = list(self.listeners)
        for listener in listeners:
            listener(self.value)

    def task_types(self) -> dict[tuple[str, str], str] | None:
        """The LP's task type of each person and slot, once it is solved; None before."""
        with self.lock:
            return self.types

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with the bound once it is known (at once if it is)."""
        with self.lock:
            if not self.value:
                self.listeners.append(listener)
                return
        listener(self.value)

    def finish(self) -> int:
        """Stop the LP if it is still solving; the bound (0 if it was not reached)."""
        with self.lock:
            self.stopped = True
        # Again and again: an interrupt just before GLOP starts would be lost.
        while self.thread is not None and self.thread.is_alive():
            with self.lock:
                if self.solving is not None:
                    self.solving.lp.InterruptSolve()
            self.thread.join(0.05)
        return self.value
