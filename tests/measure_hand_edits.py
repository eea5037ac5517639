"""Wall time and size of hand edits that rule 7 refuses on their own, at the production budget
(EDIT_TIME_LIMIT, all cores), on the demo week solved for 30 s:

    PYTHONPATH=$PWD python -m tests.measure_hand_edits 10
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date

from flask_migrate import upgrade
from sqlalchemy import select

from scheduling import evaluate, load_instance, solve
from tests.conftest import app_config
from tests.web.test_hand_edits import BEFORE_THE_WEEK, WEEK, _edit, _rule_7_edits
from workcentre import create_app
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import Centre
from workcentre.planning import edits, store


def main(count: int) -> None:
    folder = tempfile.mkdtemp()
    config = app_config(f"sqlite:///{folder}/measure.sqlite")
    config.update(CLOCK_TODAY=BEFORE_THE_WEEK, SOLVE_WORKERS=None, SOLVE_DETERMINISTIC_TIME=None)
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_demo(folder, today=date(2026, 11, 23))
        centre = db.session.scalars(select(Centre)).one()
        plan = solve(load_instance(store.planning_instance(centre, WEEK)), time_limit=30)
        store.save_plan(centre, WEEK, plan, None)
        db.session.commit()
        seconds, moves = [], []
        for who, slot, step in _rule_7_edits(centre, wanted=count):
            started = time.monotonic()
            result = _edit(centre, who, slot, step)
            seconds.append(time.monotonic() - started)
            if result.ok:
                moves.append(len(result.edit.moves))
                data = store.planning_instance(centre, WEEK)
                assert evaluate(load_instance(data), result.edit.proposal).valid
                edits.cancel(result.edit)
        print(f"edits {len(seconds)}, held {len(moves)}, other cells moved: median "
              f"{statistics.median(moves)}, max {max(moves)}; wall seconds: median "
              f"{statistics.median(seconds):.1f}, max {max(seconds):.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
