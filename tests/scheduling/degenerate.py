"""Structurally empty and degenerate weeks the loader accepts, for the property tests.

Each switch below makes one kind of emptiness; `degenerate(seed)` turns each on at random
(seeded), so combinations come up too. Every week here is a valid instance: a plan must come
out of it, with every unassigned pair and late step explained.
"""

from __future__ import annotations

import random

from scheduling.instance import INSTANCE_FORMAT

SWITCHES = (
    "untrained_step",  # one step's task type is in nobody's skills (a new product)
    "nobody_in",  # no participant attends any slot
    "no_participants",  # the participants list is empty
    "no_instructor",  # no instructors at all
    "instructors_absent",  # instructors exist but attend nothing
    "zero_capacity",  # every instructor's capacity is 0
    "zero_seats",  # every area has 0 seats
    "zero_max_workers",  # every task type has max_workers 0
    "one_slot",  # the week is one slot long
    "no_slots",  # the week has no slots at all
    "released_after_due",  # a step is released after its due slot
    "released_last",  # a step is released in the last slot
    "no_skills",  # nobody has any skill
    "all_locked",  # every attended pair is locked to an eligible step
    "no_orders",  # no orders at all
    "unused_area",  # an area no task type of any step uses
    "slow_and_huge",  # productivity 1 and huge quantities
    "avoid_everything",  # everyone avoids every tag
)


def degenerate(seed: int, on: tuple[str, ...] | None = None) -> dict:
    """A small random week with the given switches on (by default each at random)."""
    rng = random.Random(seed)
    chosen = set(on) if on is not None else {s for s in SWITCHES if rng.random() < 0.3}
    slots = 0 if "no_slots" in chosen else 1 if "one_slot" in chosen else rng.randint(1, 4)
    slot_rows = [{"id": f"s{n}", "day": "2026-11-23", "start": "08:30",
                  "minutes": rng.choice([60, 120, 180])} for n in range(slots)]
    slot_ids = [s["id"] for s in slot_rows]
    areas = [{"id": f"a{n}", "name": f"A{n}", "seats": rng.randint(0, 3)} for n in range(2)]
    if "unused_area" in chosen:
        areas.append({"id": "empty", "name": "Empty", "seats": 4})
    kinds = [{"id": f"k{n}", "name": f"K{n}", "area": f"a{n % 2}",
              "tags": rng.choice([[], ["noise"], ["sharp"]]),
              "max_workers": rng.choice([None, None, 0, 1, 2])} for n in range(3)]
    if "unused_area" in chosen:
        kinds.append({"id": "idle", "name": "Idle", "area": "empty", "tags": [],
                      "max_workers": None})
    used_kinds = ["k0", "k1", "k2"]
    steps = _steps(rng, chosen, slot_ids, used_kinds)
    orders = [] if "no_orders" in chosen else [
        {"id": "O1", "customer": "C", "priority": rng.randint(1, 5), "steps": steps}]
    people = _people(rng, chosen, slot_ids, used_kinds)
    teachers = _instructors(rng, chosen, slot_ids, [a["id"] for a in areas])
    _apply_zeroes(chosen, areas, kinds, teachers)
    data = {"format": INSTANCE_FORMAT, "week": "2026-W48", "slots": slot_rows, "areas": areas,
            "task_types": kinds, "orders": orders, "participants": people,
            "instructors": teachers}
    if "untrained_step" in chosen and orders:
        for p in people:
            p["skills"] = [k for k in p["skills"] if k != steps[0]["task_type"]]
            p["prefers"] = [k for k in p["prefers"] if k in p["skills"]]
    if "all_locked" in chosen:
        data["locked"] = _locks_for_everyone(data)
    if rng.random() < 0.3 and people and orders and slot_ids:
        data["previous"] = [{"participant": people[0]["id"], "slot": slot_ids[0],
                             "step": steps[0]["id"]}]
    return data


def _steps(rng: random.Random, chosen: set[str], slot_ids: list[str],
           kinds: list[str]) -> list[dict]:
    huge = "slow_and_huge" in chosen
    rows = []
    for n in range(rng.randint(1, 3)):
        release = rng.choice([None, None, rng.choice(slot_ids)]) if slot_ids else None
        due = rng.choice([None, rng.choice(slot_ids)]) if slot_ids else None
        rows.append({"id": f"j{n}", "task_type": rng.choice(kinds),
                     "quantity": rng.randint(10**6, 10**7) if huge else rng.randint(1, 40),
                     "seconds_per_unit": rng.choice([30, 300, 900]),
                     "release_slot": release, "due_slot": due})
    if "released_after_due" in chosen and len(slot_ids) > 1:
        rows[0]["release_slot"], rows[0]["due_slot"] = slot_ids[-1], slot_ids[0]
    if "released_last" in chosen and slot_ids:
        rows[-1]["release_slot"] = slot_ids[-1]
    return rows


def _people(rng: random.Random, chosen: set[str], slot_ids: list[str],
            kinds: list[str]) -> list[dict]:
    if "no_participants" in chosen:
        return []
    rows = []
    for n in range(rng.randint(1, 4)):
        skills = [] if "no_skills" in chosen else rng.sample(kinds, k=rng.randint(0, 3))
        rows.append({
            "id": f"p{n}",
            "attends": [] if "nobody_in" in chosen else
            [s for s in slot_ids if rng.random() < 0.8],
            "productivity": 1 if "slow_and_huge" in chosen else rng.choice([50, 100, 200]),
            "skills": skills,
            "avoid_tags": ["noise", "sharp"] if "avoid_everything" in chosen else
            rng.choice([[], ["noise"]]),
            "prefers": rng.sample(skills, k=min(1, len(skills))),
            "dislikes": rng.choice([[], [kinds[2]]]),
            "support_points": rng.randint(0, 4), "needs_routine": rng.random() < 0.5})
    return rows


def _instructors(rng: random.Random, chosen: set[str], slot_ids: list[str],
                 area_ids: list[str]) -> list[dict]:
    if "no_instructor" in chosen:
        return []
    return [{"id": f"i{n}",
             "attends": [] if "instructors_absent" in chosen else
             [s for s in slot_ids if rng.random() < 0.9],
             "capacity": rng.randint(0, 8), "areas": rng.choice([[], [rng.choice(area_ids)]])}
            for n in range(rng.randint(1, 2))]


def _apply_zeroes(chosen: set[str], areas: list[dict], kinds: list[dict],
                  teachers: list[dict]) -> None:
    if "zero_seats" in chosen:
        for area in areas:
            area["seats"] = 0
    if "zero_max_workers" in chosen:
        for kind in kinds:
            kind["max_workers"] = 0
    if "zero_capacity" in chosen:
        for teacher in teachers:
            teacher["capacity"] = 0


def _locks_for_everyone(data: dict) -> list[dict]:
    """Each attended pair locked to the first step it is eligible for (where there is one)."""
    kinds = {k["id"]: set(k["tags"]) for k in data["task_types"]}
    order = [s["id"] for s in data["slots"]]
    steps = [j for o in data["orders"] for j in o["steps"]]
    locks = []
    for p in data["participants"]:
        for slot in p["attends"]:
            for j in steps:
                released = j["release_slot"] is None or \
                    order.index(slot) >= order.index(j["release_slot"])
                if j["task_type"] in p["skills"] and released \
                        and not kinds[j["task_type"]] & set(p["avoid_tags"]):
                    locks.append({"participant": p["id"], "slot": slot, "step": j["id"]})
                    break
    return locks
