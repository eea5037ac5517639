"""The database's week as the contract's instance: loads, solves, and checks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from scheduling.check import evaluate
from scheduling.instance import load_instance
from scheduling.solve import solve
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import Absence, Centre, Participant
from workcentre.planning.services import build_instance, participant_key

WEEK = "2026-W48"
MONDAY = date(2026, 11, 23)


def test_the_demo_week_becomes_a_valid_instance_that_solves(app, tmp_path):
    with app.app_context():
        load_demo(str(tmp_path), today=MONDAY)
        centre = db.session.scalars(select(Centre)).one()
        data = build_instance(centre, WEEK)
    instance = load_instance(data)
    assert len(instance.participants) == 16 and len(instance.instructors) == 3
    assert len(instance.steps) == 6 and len(instance.slots) == 10
    assert all(j.due_slot is not None for j in instance.steps)
    plan = solve(instance, workers=1, seed=0, deterministic_time=1.0)
    result = evaluate(instance, plan)
    assert result.ok, (result.violations, result.figure_errors)
    assert plan["assignments"], "the demo week gives people work"


def test_absences_take_slots_out(app, tmp_path):
    with app.app_context():
        load_demo(str(tmp_path), today=MONDAY)
        centre = db.session.scalars(select(Centre)).one()
        person = db.session.scalars(select(Participant).order_by(Participant.id)).first()
        person.attends = ["mon-am", "mon-pm", "tue-am", "tue-pm"]
        db.session.add_all([Absence(participant_id=person.id, day=MONDAY),
                            Absence(participant_id=person.id, day=date(2026, 11, 24),
                                    half="pm")])
        db.session.commit()
        data = build_instance(centre, WEEK)
        key = participant_key(person.id)
    row = next(p for p in data["participants"] if p["id"] == key)
    assert row["attends"] == ["tue-am"]
