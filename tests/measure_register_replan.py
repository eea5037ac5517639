"""The re-plan a register absence offers, on the demo centre: how long it takes and which cells
of the week it changes (docs/register.md). Wednesday 07:45 of the demo week, the week published
from a 10 s solve, someone with work in both half-days marked away for the day:

    PYTHONPATH=$PWD python -m tests.measure_register_replan [seconds]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date

from flask_migrate import upgrade
from sqlalchemy import select

from scheduling import evaluate, load_instance, solve
from workcentre import create_app
from workcentre.clock import now_local
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import Centre, Participant
from workcentre.planning import runs, store
from workcentre.register import replan, services

WEEK = "2026-W48"
WEDNESDAY = date(2026, 11, 25)


def main(seconds: float) -> None:
    folder = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/measure.sqlite",
                      "SECRET_KEY": "measure-only", "CLOCK_TODAY": WEDNESDAY.isoformat(),
                      "CLOCK_TIME": "07:45"})
    with app.app_context():
        upgrade()
        load_demo(folder, today=date(2026, 11, 23))
        centre = db.session.scalars(select(Centre)).one()
        plan = solve(load_instance(store.planning_instance(centre, WEEK)), time_limit=10)
        store.publish(store.save_plan(centre, WEEK, plan, None), None)
        db.session.commit()
        before = _cells(store.published_plan(centre, WEEK))
        person = _busy_all_day(before)
        for half in ("am", "pm"):
            services.mark(person, WEDNESDAY, half, services.MarkInput("absent", "sairas"), None)
        db.session.commit()
        offer = replan.offer(centre, WEDNESDAY, now_local())
        started = time.monotonic()
        run = runs.create_run(centre, WEEK, None, time_limit=seconds, from_slot=offer.from_slot,
                              until_slot="wed-pm")
        runs.execute_run(app, run.id)
        took = time.monotonic() - started
        db.session.expire_all()
        run = runs.last_run(centre, WEEK)
        new = store.latest_plan(centre, WEEK)
        after = _cells(new)
        changed = [k for k in set(before) | set(after) if before.get(k) != after.get(k)]
        data = store.planning_instance(centre, WEEK)
        valid = evaluate(load_instance(data), store.plan_json(new, data)).valid
        print(f"run {run.state} ({run.solve_status}), kept the later days: "
              f"{run.until_slot is not None}, {took:.1f} s")
        print(f"cells {len(after)}, changed {len(changed)}: on Wednesday "
              f"{sum(1 for k in changed if k[1] == WEDNESDAY)}, later "
              f"{sum(1 for k in changed if k[1] > WEDNESDAY)}; valid {valid}")


def _cells(plan) -> dict:
    return {(a.participant_id, a.day, a.half): a.step_id for a in plan.assignments}


def _busy_all_day(cells: dict) -> Participant:
    halves: dict[int, set[str]] = {}
    for person, day, half in cells:
        if day == WEDNESDAY:
            halves.setdefault(person, set()).add(half)
    return next(db.session.get(Participant, p) for p, h in sorted(halves.items())
                if h == {"am", "pm"})


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)
