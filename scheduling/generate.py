"""Realistic synthetic weeks: the pilot group, a full centre, a region's service."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from .instance import INSTANCE_FORMAT

DAYS = ("mon", "tue", "wed", "thu", "fri")
KINDS = [("pack", "Pakkaus", []), ("label", "Tarroitus", []), ("sort", "Lajittelu", []),
         ("assemble", "Kokoonpano", ["sharp"]), ("staple", "Nitominen", ["noise"]),
         ("fold", "Taittelu", []), ("wood", "Puutyö", ["sharp", "noise"]),
         ("sew", "Ompelu", ["sharp"])]


@dataclass(frozen=True)
class Profile:
    participants: int
    instructors: int
    areas: int
    task_types: int
    steps: int
    load: float  # demand as a share of what the people present can give
    seats: tuple[int, int] = (6, 12)  # each room's seats are drawn from this range
    # ... and multiplied by this. A region's 12 rooms of 6-12 seats left half of its 210 people
    # present without a seat.
    seat_factor: int = 1


PROFILES = {
    "pilot": Profile(16, 3, 3, 6, 8, 0.9, seats=(5, 9)),
    "centre": Profile(60, 8, 5, 10, 30, 0.95),
    "region": Profile(300, 40, 12, 24, 120, 0.95, seat_factor=2),
}


def _slots(monday: date) -> list[dict]:
    slots = []
    for offset, day in enumerate(DAYS):
        iso = (monday + timedelta(days=offset)).isoformat()
        slots.append({"id": f"{day}-am", "day": iso, "start": "08:30", "minutes": 180})
        slots.append({"id": f"{day}-pm", "day": iso, "start": "12:15", "minutes": 150})
    return slots


def _attendance(rng: random.Random) -> list[str]:
    days = rng.sample(DAYS, k=rng.choice([3, 4, 4, 5, 5]))
    halves = ("am", "pm") if rng.random() < 0.65 else (rng.choice(["am", "pm"]),)
    return [f"{d}-{h}" for d in DAYS if d in days for h in halves]


def generate(profile_name: str, seed: int = 1, week: str = "2026-W48") -> dict:
    """An instance JSON of the given profile; the same seed gives the same week."""
    profile = PROFILES[profile_name]
    rng = random.Random(f"{profile_name}-{seed}")
    year, number = week.split("-W")
    slots = _slots(date.fromisocalendar(int(year), int(number), 1))
    slot_ids = [s["id"] for s in slots]
    areas = [{"id": f"a{n + 1:02d}", "name": f"Työtila {n + 1}",
              "seats": profile.seat_factor * rng.randint(*profile.seats)}
             for n in range(profile.areas)]
    task_types = []
    for n in range(profile.task_types):
        code, name, tags = KINDS[n % len(KINDS)]
        max_workers = rng.choice([None, None, None, 2, 3, 4])
        task_types.append({"id": f"{code}{n // len(KINDS) or ''}", "name": name,
                           "area": areas[n % len(areas)]["id"], "tags": tags,
                           "max_workers": max_workers})
    type_ids = [k["id"] for k in task_types]
    participants = []
    for n in range(profile.participants):
        # People are trained mostly for the work of one or two rooms.
        home = rng.sample(type_ids, k=min(len(type_ids), rng.randint(2, 4)))
        prefers = [rng.choice(home)] if rng.random() < 0.5 else []
        others = [k for k in home if k not in prefers]
        dislikes = [rng.choice(others)] if others and rng.random() < 0.15 else []
        participants.append({
            "id": f"p{n + 1:03d}", "attends": _attendance(rng),
            "productivity": rng.choice([30, 40, 50, 60, 60, 70, 80, 90, 100, 110]),
            "skills": sorted(home), "avoid_tags": ["noise"] if rng.random() < 0.15 else [],
            "prefers": prefers, "dislikes": dislikes,
            "support_points": rng.choice([0, 0, 1, 1, 1, 2, 2, 3, 4]),
            "needs_routine": rng.random() < 0.3,
        })
    instructors = []
    for n in range(profile.instructors):
        attends = [s for s in slot_ids if rng.random() < 0.9]
        restricted = rng.random() < 0.3
        instructors.append({"id": f"i{n + 1:02d}", "attends": attends,
                            "capacity": rng.randint(6, 10),
                            "areas": [rng.choice(areas)["id"]] if restricted else []})
    orders = _orders(rng, profile, slots, participants, type_ids)
    return {"format": INSTANCE_FORMAT, "week": week, "slots": slots, "areas": areas,
            "task_types": task_types, "orders": orders, "participants": participants,
            "instructors": instructors}


def _orders(rng: random.Random, profile: Profile, slots: list[dict], participants: list[dict],
            type_ids: list[str]) -> list[dict]:
    minutes = {s["id"]: s["minutes"] for s in slots}
    capacity = sum(minutes[s] * p["productivity"] // 100 for p in participants
                   for s in p["attends"])
    budget = capacity * profile.load / profile.steps
    orders: list[dict] = []
    step_count = 0
    while step_count < profile.steps:
        n_steps = min(profile.steps - step_count, rng.choice([1, 1, 2, 3]))
        order_id = f"O-{len(orders) + 100}"
        steps = []
        for k in range(n_steps):
            seconds = rng.choice([5, 8, 12, 20, 30, 45, 60])
            work = budget * rng.uniform(0.4, 1.6)
            due = rng.choice([None] + [s["id"] for s in slots[3:]])
            release = rng.choice([s["id"] for s in slots[1:5]]) if rng.random() < 0.15 else None
            steps.append({"id": f"{order_id}/{k + 1}", "task_type": rng.choice(type_ids),
                          "quantity": max(1, int(work * 60 / seconds)),
                          "seconds_per_unit": seconds, "release_slot": release, "due_slot": due})
        orders.append({"id": order_id, "customer": f"Yritys {len(orders) + 1} Oy",
                       "priority": rng.choice([1, 1, 2, 2, 3, 4, 5]), "steps": steps})
        step_count += n_steps
    return orders
