"""A centre with today's published plan, for the tablet tests (web and browser)."""

from __future__ import annotations

from datetime import date

from workcentre.extensions import db
from workcentre.models import Assignment, Role, TaskInstruction, WeekPlan
from workcentre.tablet.services import start_enrolment
from workcentre.weeks import iso_week

from .factories import make_centre, make_company, make_order, make_participant, make_user

WORKDAY = "2026-11-25"  # a Wednesday: the tablet's clock is pinned to it (CLOCK_TODAY)


def tablet_world(kiosks: int = 1) -> dict:
    """Aino works on an order's step in both halves of the pinned day, in a published plan.

    `kiosks` tablets are ready to enrol in the centre (their links are in "tokens")."""
    centre = make_centre("Tablettikeskus")
    centre.am_minutes = centre.pm_minutes = 180  # the same target whatever the time of day
    order = make_order(make_company("Tilaaja Oy"), centre, quantity=500)
    step = order.steps[0]
    step.seconds_per_unit = 30
    kind = step.task_type
    kind.easy_name, kind.pictogram = "Pakkaat laatikoita", "box"
    kind.instructions = [TaskInstruction(position=0, text="Ota laatikko."),
                         TaskInstruction(position=1, text="Laita tuotteet sisään.")]
    aino = make_participant(centre, first_name="Aino", support_points=3, productivity=50,
                            attends=["mon-am", "mon-pm", "tue-am", "tue-pm", "wed-am", "wed-pm",
                                     "thu-am", "thu-pm", "fri-am", "fri-pm"])
    today = date.fromisoformat(WORKDAY)
    plan = WeekPlan(centre_id=centre.id, week=iso_week(today), state="published")
    plan.assignments = [Assignment(participant_id=aino.id, step=step, day=today, half=half)
                        for half in ("am", "pm")]
    db.session.add(plan)
    staff = make_user(Role.INSTRUCTOR, centre=centre)
    _, token = start_enrolment(centre, "Pakkaamo 1")
    tokens = [token] + [start_enrolment(centre, f"Pakkaamo {n}")[1] for n in range(2, kiosks + 1)]
    other = make_centre("Toinen")
    stranger = make_participant(other, first_name="Vieras")
    _, other_token = start_enrolment(other, "Vieras tabletti")
    db.session.commit()
    return {"centre": centre.id, "aino": aino.id, "step": step.id, "token": token,
            "other_token": other_token, "stranger": stranger.id, "staff": staff.email,
            "order": order.id, "tokens": tokens}
