"""A person with data in every table that references a participant, written with distinctive
strings, for the privacy tests (export, erasure; web and browser).

`FILLED` names the tables the world fills: the data map test wants it to cover every table
that references a participant, so a new table means one more row here (and in docs/privacy.md
and erasure.RULES).
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from PIL import Image

from workcentre.extensions import db
from workcentre.models import (
    Absence,
    Assignment,
    HelpRequest,
    LearningDecision,
    PinGuard,
    PlanEdit,
    Preference,
    ProgressReport,
    RegisterMark,
    Role,
    TaskFeeling,
    TaskWish,
    TrainingGoal,
    UnitsCheck,
    WeekPlan,
)
from workcentre.people.services import set_support
from workcentre.photos import save_photo
from workcentre.planning.services import build_instance
from workcentre.privacy.consent import record_consent
from workcentre.tablet.services import start_enrolment

from .factories import make_centre, make_company, make_order, make_participant, make_user

TODAY = "2026-11-25"  # a Wednesday (CLOCK_TODAY)
LAST_WEEK = date(2026, 11, 16)  # Monday of 2026-W47: history, already published
THIS_MONDAY = date(2026, 11, 23)
# Strings only this person has: after erasure none may be left anywhere.
SECRETS = ("Zenobia", "Quillfeather", "Vexhollow", "Mörkövaara", "Hiljaisnurkka")
EVERY_SLOT = [f"{d}-{h}" for d in ("mon", "tue", "wed", "thu", "fri") for h in ("am", "pm")]

FILLED = ("participant_support", "participant_skill", "preference", "absence", "register_mark",
          "assignment", "progress_report", "units_check", "help_request", "pin_guard",
          "plan_edit", "task_feeling", "task_wish", "training_goal", "learning_decision")


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def privacy_world(*, work_this_week: bool = False) -> dict:
    """Zenobia Quillfeather with data everywhere, last week's published plan and orders; an
    admin, the centre's instructor, another centre's instructor, a company user and a tablet."""
    centre = make_centre("Tietosuojakeskus")
    company = make_company("Tilaaja Oy")
    order = make_order(company, centre, quantity=500)
    step = order.steps[0]
    kind = step.task_type
    other_kind = kind.__class__(centre=centre, area=kind.area, code="sort", name="Lajittelu")
    db.session.add(other_kind)
    admin = make_user(Role.ADMIN)
    staff = make_user(Role.INSTRUCTOR, centre=centre)
    other_centre = make_centre("Muu keskus")
    outsider = make_user(Role.INSTRUCTOR, centre=other_centre)
    company_user = make_user(Role.COMPANY, company=company)
    kiosk, token = start_enrolment(centre, "Pakkaamo")
    db.session.flush()

    person = make_participant(centre, first_name="Zenobia", attends=EVERY_SLOT)
    person.last_name = "Quillfeather"
    person.avoid_tags = ["noise"]
    person.needs_routine = True
    person.picture_pin = ["sun", "fish", "moon"]
    person.tablet_language = "sv"
    person.symbol = "star"
    person.photo_path = save_photo(jpeg())
    person.skills = [kind]
    person.preferences = [Preference(task_type=kind, likes=True),
                          Preference(task_type=other_kind, likes=False)]
    record_consent(person, ["tablet", "print"], by_user_id=staff.id, on=LAST_WEEK)
    set_support(person, support_points=7, productivity=73, notes="Hiljaisnurkka auttaa")
    colleague = make_participant(centre, first_name="Kalle", attends=EVERY_SLOT)
    db.session.flush()

    absence = Absence(participant_id=person.id, day=LAST_WEEK + timedelta(days=1),
                      half=None, reason="Hammaslääkäri Vexhollow")
    db.session.add(absence)
    db.session.flush()
    db.session.add(RegisterMark(participant_id=person.id, day=LAST_WEEK + timedelta(days=1),
                                half="am", status="absent", reason_code="muu",
                                reason_text="Mörkövaara-juttu", absence_id=absence.id,
                                recorded_by_id=staff.id))
    db.session.add(RegisterMark(participant_id=person.id, day=LAST_WEEK, half="am",
                                status="late", arrived_at="09:10", recorded_by_id=staff.id))
    plan = WeekPlan(centre_id=centre.id, week="2026-W47", state="published",
                    instance=build_instance(centre, "2026-W47"))
    plan.assignments = [Assignment(participant_id=p.id, step=step, day=LAST_WEEK, half=h)
                        for p in (person, colleague) for h in ("am", "pm")]
    db.session.add(plan)
    if work_this_week:
        current = WeekPlan(centre_id=centre.id, week="2026-W48", state="published")
        current.assignments = [
            Assignment(participant_id=p.id, step=step, day=THIS_MONDAY + timedelta(days=d),
                       half=h) for p in (person, colleague) for d in range(5) for h in ("am", "pm")]
        db.session.add(current)
    db.session.flush()
    report = ProgressReport(idempotency_key="zq-1", participant_id=person.id, step_id=step.id,
                            kiosk_id=kiosk.id, day=LAST_WEEK, half="am", units=40)
    db.session.add(report)
    db.session.add(ProgressReport(idempotency_key="kalle-1", participant_id=colleague.id,
                                  step_id=step.id, day=LAST_WEEK, half="am", units=25))
    step.units_done = 65
    db.session.flush()
    db.session.add(UnitsCheck(report_id=report.id, step_id=step.id, participant_id=person.id,
                              units=40, confirmed=True, decided_by_id=staff.id))
    db.session.add(HelpRequest(participant_id=person.id, area_id=kind.area_id,
                               kiosk_id=kiosk.id, acknowledged_by_id=staff.id,
                               acknowledged_at=datetime(2026, 11, 16, 9)))
    db.session.add(PinGuard(participant_id=person.id, kiosk_id=kiosk.id, failures=2))
    db.session.add(TaskFeeling(participant_id=person.id, task_type_id=kind.id, day=LAST_WEEK,
                               feeling="good", kiosk_id=kiosk.id))
    db.session.add(TaskWish(participant_id=person.id, task_type_id=other_kind.id,
                            outcome="goal", outcome_by_id=staff.id))
    db.session.add(TrainingGoal(participant_id=person.id, task_type_id=other_kind.id,
                                created_by_id=staff.id))
    db.session.add(LearningDecision(kind="pace", participant_id=person.id, old_value=73,
                                    new_value=80, half_days=10, last_day=LAST_WEEK,
                                    accepted=False, decided_by_id=staff.id))
    db.session.add(PlanEdit(centre_id=centre.id, week="2026-W47", participant_id=person.id,
                            slot="mon-am", step=None, state="saved", base="b" * 64,
                            plan_id=plan.id, created_by_id=staff.id))
    db.session.commit()
    return {"centre": centre.id, "person": person.id, "colleague": colleague.id,
            "order": order.id, "admin": admin.email, "staff": staff.email,
            "staff_id": staff.id, "outsider": outsider.email, "company": company_user.email,
            "token": token, "photo": person.photo_path, "kind": kind.id}
