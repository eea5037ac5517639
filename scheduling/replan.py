"""Re-planning mid-week: the past as it happened is locked, the rest stays close to the old plan."""

from __future__ import annotations

import copy
from typing import Any


def replan_instance(instance_data: dict[str, Any], plan: dict[str, Any], from_slot: str,
                    happened: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """An instance for re-planning from `from_slot` on.

    Slots before `from_slot` are locked as they happened (`happened`, default: as planned), and
    nobody is newly given work there (a past slot stays attended only where work was done);
    the old plan's assignments from `from_slot` on become `previous`, so the solver pays for
    every change to them. Existing locks in the future are kept.
    """
    slot_ids = [s["id"] for s in instance_data["slots"]]
    if from_slot not in slot_ids:
        raise ValueError(f'unknown slot "{from_slot}"')
    cut = slot_ids.index(from_slot)
    past = set(slot_ids[:cut])
    data = copy.deepcopy(instance_data)
    done = happened if happened is not None else [
        a for a in plan.get("assignments", []) if a["slot"] in past]
    future_locks = [lock for lock in data.get("locked", []) if lock["slot"] not in past]
    data["locked"] = [_triple(a) for a in done if a["slot"] in past] + future_locks
    # Nobody can be given work in the past: a past slot stays attended only where work was done.
    worked = {(a["participant"], a["slot"]) for a in done}
    for person in data["participants"]:
        person["attends"] = [s for s in person["attends"]
                             if s not in past or (person["id"], s) in worked]
    data["previous"] = [_triple(a) for a in plan.get("assignments", [])
                        if a["slot"] not in past]
    return data


def _triple(row: dict[str, str]) -> dict[str, str]:
    return {"participant": row["participant"], "slot": row["slot"], "step": row["step"]}


def keep_after(instance_data: dict[str, Any], rows: list[dict[str, str]],
               until_slot: str) -> dict[str, Any]:
    """An instance whose slots after `until_slot` stay as `rows` have them: every row there is
    locked and nobody is newly given work there (a later slot stays attended only where a row
    is). Used for a re-plan of the rest of one day. `rows` must be known to the instance and
    attended; a lock that no longer fits (e.g. a quantity lowered since) makes it INFEASIBLE."""
    slot_ids = [s["id"] for s in instance_data["slots"]]
    if until_slot not in slot_ids:
        raise ValueError(f'unknown slot "{until_slot}"')
    later = set(slot_ids[slot_ids.index(until_slot) + 1:])
    data = copy.deepcopy(instance_data)
    kept = [_triple(r) for r in rows if r["slot"] in later]
    cells = {(r["participant"], r["slot"]) for r in kept}
    data["locked"] = [lock for lock in data.get("locked", []) if lock["slot"] not in later] + kept
    for person in data["participants"]:
        person["attends"] = [s for s in person["attends"]
                             if s not in later or (person["id"], s) in cells]
    return data


def keep_placements(plan: dict[str, Any], placements: list[dict[str, str]],
                    slots: set[str]) -> dict[str, Any]:
    """The plan with the instructors of `slots` placed as `placements` has them (the contract has
    no lock for an instructor, so the solve may have moved them with nobody's work changed)."""
    own = [p for p in plan["instructors"] if p["slot"] not in slots]
    return {**plan, "instructors": own + [dict(p) for p in placements if p["slot"] in slots]}
