"""A hand edit made to hold: the edit becomes a lock, and a short solve re-balances the rest of
the week around it.

Why: the contract's rule 7 (everyone on a step is needed) means that adding a person to an order
finishes it sooner, so someone planned on it later is left without work; the edit alone is then
refused almost always. The solve moves those others, keeping everything else as it was: the
draft is `previous`, changes to it cost more than usual, existing locks stay, and slots that
have begun stay as they happened (`scheduling.replan`).
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from scheduling import Triple, evaluate, load_instance, plan_dict, replan_instance, solve

# one half-day can gain in on-time work (at most 10 x priority 5 x 360 minutes), below a person
# left without work (100000). So the solve moves only whom the edit forces to move.
STABILITY_WEIGHT = 20000


@dataclass(frozen=True)
class Budget:
    """How long the re-balancing solve may take: wall seconds, or a repeatable budget."""

    seconds: float = 3.0
    workers: int | None = None
    deterministic_time: float | None = None


@dataclass(frozen=True)
class Edit:
    """One cell: the participant (contract id) gets `step` (None: no task) in `slot`."""

    participant: str
    slot: str
    step: str | None
    locked: bool  # kept as a lock in the stored plan


@dataclass
class Rebalanced:
    """The re-balanced plan (contract JSON with the locks to store), or why the edit cannot
    hold."""

    plan: dict[str, Any] | None = None
    conflicts: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def stored_locks(data: dict[str, Any], edit: Edit) -> list[dict[str, str]]:
    """The week's locks after the edit: the old ones off its cell, and the edit if it is locked."""
    locks = [t for t in data.get("locked", [])
             if (t["participant"], t["slot"]) != (edit.participant, edit.slot)]
    if edit.step is not None and edit.locked:
        locks.append({"participant": edit.participant, "slot": edit.slot, "step": edit.step})
    return locks


def rebalance(data: dict[str, Any], rows: list[dict[str, str]], edit: Edit,
              first_open: str | None, budget: Budget) -> Rebalanced:
    """Re-plan the week around `edit`.

    `data` is the week's instance (locks and `previous` from the draft), `rows` the draft's
    assignments, `first_open` the first slot that has not begun (None: the week is over).
    The plan returned is valid under `data` with the edit's locks (`stored_locks`).
    """
    started = time.monotonic()
    if first_open is None:
        return Rebalanced()
    solve_data = _solve_instance(data, rows, edit, first_open)
    plan = solve(load_instance(solve_data), time_limit=budget.seconds, workers=budget.workers,
                 deterministic_time=budget.deterministic_time)
    if plan["status"] == "INFEASIBLE":
        return Rebalanced(conflicts=plan.get("conflicts", []),
                          seconds=time.monotonic() - started)
    if plan["status"] not in ("OPTIMAL", "FEASIBLE"):
        return Rebalanced(seconds=time.monotonic() - started)
    week = {**data, "locked": stored_locks(data, edit)}
    instance = load_instance(week)
    assignments = [Triple(**a) for a in plan["assignments"]]
    placements = [(r["instructor"], r["slot"], r["area"]) for r in plan["instructors"]]
    result = plan_dict(instance, plan["status"], assignments, placements, bound=None,
                       seconds=time.monotonic() - started, solver_name="manual + cp-sat")
    if not evaluate(instance, result).valid or not _holds(result, edit):
        return Rebalanced(seconds=time.monotonic() - started)
    return Rebalanced({**result, "locked": week["locked"]}, seconds=result["solve_seconds"])


def _solve_instance(data: dict[str, Any], rows: list[dict[str, str]], edit: Edit,
                    first_open: str) -> dict[str, Any]:
    """The instance the solve sees: the edit locked, the draft as `previous`, begun slots fixed."""
    solve_data = copy.deepcopy(data)
    locks = [t for t in solve_data.get("locked", [])
             if (t["participant"], t["slot"]) != (edit.participant, edit.slot)]
    if edit.step is not None:
        locks.append({"participant": edit.participant, "slot": edit.slot, "step": edit.step})
    solve_data["locked"] = locks
    _keep_idle_cells(solve_data, rows, edit)
    solve_data["previous"] = list(rows)
    weights = solve_data.setdefault("weights", {})
    weights["previous_changes"] = max(weights.get("previous_changes", 0), STABILITY_WEIGHT)
    if first_open == solve_data["slots"][0]["id"]:
        return solve_data
    past = set(_slots_before(solve_data, first_open))
    happened = [r for r in rows if r["slot"] in past
                and (r["participant"], r["slot"]) != (edit.participant, edit.slot)]
    if edit.step is not None and edit.slot in past:
        happened.append({"participant": edit.participant, "slot": edit.slot, "step": edit.step})
    return replan_instance(solve_data, {"assignments": rows}, first_open, happened)


def _keep_idle_cells(data: dict[str, Any], rows: list[dict[str, str]], edit: Edit) -> None:
    """Who has no task in the draft keeps none, and "no task" in the edited cell stays so: the
    contract has no lock for "no task", so those half-days are left out of the solve's week.

    Why: otherwise the solve also fills gaps the edit has nothing to do with (an idle half-day
    costs 100000, a filled one no change to `previous`), and the instructor would be shown a
    dozen changes for one cell. Re-solving the week fills them when that is wanted."""
    busy = {(r["participant"], r["slot"]) for r in rows}
    busy.discard((edit.participant, edit.slot))
    if edit.step is not None:
        busy.add((edit.participant, edit.slot))
    for person in data["participants"]:
        person["attends"] = [s for s in person["attends"] if (person["id"], s) in busy]


def _slots_before(data: dict[str, Any], slot: str) -> list[str]:
    ids = [s["id"] for s in data["slots"]]
    return ids[: ids.index(slot)]


def _holds(plan: dict[str, Any], edit: Edit) -> bool:
    """The edited cell is as the instructor asked."""
    held = {(a["participant"], a["slot"]): a["step"] for a in plan["assignments"]}
    return held.get((edit.participant, edit.slot)) == edit.step


def moves(before: list[dict[str, str]], after: list[dict[str, str]], edit: Edit,
          slots: list[str]) -> list[dict[str, str | None]]:
    """The cells other than the edited one whose step differs, in the order of `slots`."""
    old = {(r["participant"], r["slot"]): r["step"] for r in before}
    new = {(r["participant"], r["slot"]): r["step"] for r in after}
    order = {slot: index for index, slot in enumerate(slots)}
    result = []
    for key in sorted(set(old) | set(new), key=lambda k: (order.get(k[1], 0), k[0])):
        if key == (edit.participant, edit.slot) or old.get(key) == new.get(key):
            continue
        result.append({"participant": key[0], "slot": key[1], "before": old.get(key),
                       "after": new.get(key)})
    return result
