"""The demand chart's figures: work due each day against the time the people present give."""

from __future__ import annotations

import json
import math
from pathlib import Path

from scheduling.instance import load_instance
from workcentre.planning.week_view import chart, demand

TINY = Path(__file__).resolve().parents[1] / "scheduling" / "data" / "tiny-week.json"


def test_days_add_up_and_an_early_deadline_shows_as_overload(app):
    data = json.loads(TINY.read_text())
    instance = load_instance(data)
    with app.test_request_context():
        rows = demand(load_instance(data))
    assert [r.label for r in rows] == ["ma", "ti"]
    need = sum(math.ceil(s.quantity * s.seconds_per_unit / 60) for s in instance.steps)
    assert rows[0].need == 0 and rows[1].need == need == rows[1].need_so_far
    given = [sum(instance.cap(p, s) for s in instance.slots if s.day == day
                 for p in instance.participants if s.id in p.attends)
             for day in ("2026-10-26", "2026-10-27")]
    assert [r.capacity for r in rows] == given and rows[1].capacity_so_far == sum(given)
    assert not any(r.overloaded for r in rows)
    # Everything due on Monday morning instead: Monday is overloaded before anyone solves.
    for order in data["orders"]:
        for step in order["steps"]:
            step["due_slot"] = "mon-am"
            step["quantity"] *= 3
    with app.test_request_context():
        rows = demand(load_instance(data))
        drawn = chart(rows)
    assert rows[0].overloaded and rows[0].need > rows[0].capacity
    assert [label["overloaded"] for label in drawn["labels"]] == [r.overloaded for r in rows]
    assert max(bar["h"] for bar in drawn["bars"]) <= drawn["height"]
