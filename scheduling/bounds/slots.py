"""The fewest unassigned half-days of each slot alone: a lower bound per slot, by a small solve.

Why: on a centre-size week most unassigned half-days come from support capacity, where an
instructor sits whole in one area. The week's linear relaxation spreads instructors over areas
in fractions, so its bound stays low; a single slot is small enough for CP-SAT to branch on the
placements and prove its minimum in a few hundredths of a second.

Each slot is cut out of the week as its own instance: the same people, instructors, seats and
locks, every released step with the whole of its work and no due slot. That relaxes the week
(rule 7 sees no earlier work, so it allows at least what it allows in the week), so a slot's
least `unassigned` holds in every valid plan of the week, and `unassigned in slot t >= least(t)`
is a valid cut.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from ..instance import Instance
from ..model import build


@dataclass(frozen=True)
class SlotBudget:
    """Limits for all the slots together: wall seconds, and deterministic time for tests.

    Wall time is shared: a slot that is done early leaves its time to the slots after it.
    Deterministic time is split evenly, so that a test's result does not depend on the machine.
    """

    seconds: float
    deterministic: float | None = None
    threads: int = 1  # slots solved side by side (each on one worker)


def one_slot(instance: Instance, index: int) -> Instance:
    """Slot `index` as a week of its own: a relaxation of the week for that slot."""
    slot = instance.slots[index]
    released = [step for step in instance.steps
                if step.release_slot is None or instance.slot_index[step.release_slot] <= index]
    return replace(
        instance, slots=[slot],
        steps=[replace(step, release_slot=None, due_slot=None) for step in released],
        locked=[lock for lock in instance.locked if lock.slot == slot.id],
        previous=[], warnings=[], source={})


SLACK = 3  # a slot may take this many fair shares of the time left
Watch = Callable[[cp_model.CpSolver], None]  # lets the caller stop a running solve


def least_unassigned(instance: Instance, seconds: float, deterministic: float | None = None,
                     watch: Watch | None = None) -> tuple[int, float]:
    """(proven least unassigned of a one-slot week, deterministic time used); 0 if unknown."""
    wm = build(instance)
    wm.model.minimize(wm.terms["unassigned"])
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = 0
    # Measured: the linear relaxation that proves the fewest unassigned of a week fastest.
    params.linearization_level = 2
    params.max_time_in_seconds = seconds
    if deterministic is not None:
        params.max_deterministic_time = deterministic
    if watch is not None:
        watch(solver)
    status = solver.solve(wm.model)
    used = solver.response_proto.deterministic_time
    bound = solver.best_objective_bound
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID) or not math.isfinite(bound):
        return 0, used  # clashing locks (the week's own search reports them), or no bound yet
    # Stopped before a plan, the solver's bound still holds.
    return max(0, round(bound)), used


def least_unassigned_by_slot(instance: Instance, budget: SlotBudget, watch: Watch | None = None,
                             stopped: Callable[[], bool] = lambda: False,
                             ) -> tuple[list[int], float]:
    """The least unassigned of every slot alone (0 where skipped), and the deterministic time."""
    count = len(instance.slots)
    if not count:
        return [], 0.0
    deadline = time.monotonic() + budget.seconds
    deterministic = None if budget.deterministic is None else budget.deterministic / count

    def one(index: int) -> tuple[int, float]:
        left = deadline - time.monotonic()
        if stopped() or left <= 0.001:
            return 0, 0.0
        # A fair share of what is left, and more if the slots after it need less (they
        # mostly take a few hundredths of a second; now and then one takes ten times that).
        # The pool starts the slots in order, so this one and those after it are still to go.
        rounds = math.ceil((count - index) / budget.threads)
        seconds = min(left, SLACK * left / rounds)
        return least_unassigned(one_slot(instance, index), seconds, deterministic, watch)

    if budget.threads > 1:
        with ThreadPoolExecutor(budget.threads) as pool:
            results = list(pool.map(one, range(count)))
    else:
        results = [one(index) for index in range(count)]
    return [value for value, _ in results], sum(used for _, used in results)
