"""Small instances for the scheduling tests, and the evaluator's verdict as one assertion."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

from scheduling.check import evaluate
from scheduling.instance import INSTANCE_FORMAT, Instance, load_instance

DATA = Path(__file__).parent / "data"


def tiny_data() -> dict:
    return json.loads((DATA / "tiny-week.json").read_text())


def tiny_plan() -> dict:
    return json.loads((DATA / "tiny-plan.json").read_text())


def tiny() -> Instance:
    return load_instance(tiny_data())


def assert_plan_checks(instance: Instance, plan: dict) -> None:
    """The plan is valid and every figure it reports is the evaluator's."""
    result = evaluate(instance, plan)
    assert result.violations == [], result.violations
    assert result.figure_errors == [], result.figure_errors


def micro(seed: int, participants: int = 3, slots: int = 2, steps: int = 2,
          instructors: int = 1) -> dict:
    """A random week small enough for brute force."""
    rng = random.Random(seed)
    slot_rows = [{"id": f"s{n}", "day": "2026-11-23", "start": "08:30",
                  "minutes": rng.choice([60, 120])} for n in range(slots)]
    areas = [{"id": "a1", "name": "A1", "seats": rng.randint(1, 3)},
             {"id": "a2", "name": "A2", "seats": rng.randint(1, 2)}]
    kinds = [{"id": "k1", "name": "K1", "area": "a1", "tags": [], "max_workers": None},
             {"id": "k2", "name": "K2", "area": "a2", "tags": ["noise"],
              "max_workers": rng.choice([None, 1])}]
    step_rows = [{"id": f"j{n}", "task_type": rng.choice(["k1", "k2"]),
                  "quantity": rng.randint(1, 12), "seconds_per_unit": rng.choice([300, 600]),
                  "release_slot": rng.choice([None, None, "s1"]) if slots > 1 else None,
                  "due_slot": rng.choice([None, "s0"])} for n in range(steps)]
    people = [{"id": f"p{n}", "attends": [s["id"] for s in slot_rows if rng.random() < 0.8],
               "productivity": rng.choice([50, 100, 150]),
               "skills": rng.sample(["k1", "k2"], k=rng.randint(1, 2)),
               "avoid_tags": ["noise"] if rng.random() < 0.2 else [],
               "prefers": rng.choice([[], ["k1"]]), "dislikes": rng.choice([[], ["k2"]]),
               "support_points": rng.randint(0, 3), "needs_routine": rng.random() < 0.5}
              for n in range(participants)]
    teachers = [{"id": f"i{n}", "attends": [s["id"] for s in slot_rows if rng.random() < 0.9],
                 "capacity": rng.randint(2, 5), "areas": rng.choice([[], ["a1"]])}
                for n in range(instructors)]
    return {"format": INSTANCE_FORMAT, "week": "2026-W48", "slots": slot_rows, "areas": areas,
            "task_types": kinds,
            "orders": [{"id": "O1", "customer": "C", "priority": rng.randint(1, 3),
                        "steps": step_rows}],
            "participants": people, "instructors": teachers,
            "previous": [{"participant": "p0", "slot": "s0", "step": "j0"}]}


def with_changes(data: dict, **changes) -> dict:
    result = copy.deepcopy(data)
    result.update(changes)
    return result
