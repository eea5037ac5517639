"""Attack on the participant's voice (issue 31): people who are no longer there, a stale form of
the previous person on the same tablet, instructors clicking twice or at the same moment, and
next week with holidays and days away. Threads hit PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import (
    Absence,
    Assignment,
    AuditEvent,
    Participant,
    Preference,
    TaskFeeling,
    TaskType,
    TaskWish,
    TrainingGoal,
    User,
    WeekPlan,
)
from workcentre.voice.wishes import decide, remove_goal, set_wish

from . import test_participant_voice as voice
from .test_participant_voice import TODAY, _events, _pick, _report, _wish, _wishes

world, tablet, staff = voice.world, voice.tablet, voice.staff  # the same fixtures


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _run_at_once(app, jobs) -> list[Exception]:
    """Each job in its own thread and session, released together."""
    start, errors = threading.Barrier(len(jobs)), []

    def run(job) -> None:
        with app.app_context():
            try:
                start.wait()
                job()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - the test reports any failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


# People who are no longer there

def test_an_erased_person_still_chosen_on_a_tablet_says_nothing_more(app, tablet, world):
    """Erasure takes what the person said with them; the tablet that still has them chosen
    must not start collecting it again under the pseudonym."""
    _pick(tablet, world["aino"])
    key = _report(tablet, world)
    from workcentre.privacy.erasure import erase  # imported late: the app imports it first

    with app.app_context():
        erase(db.session.get(Participant, world["aino"]))
    _wish(tablet, world["labels"], "1")
    tablet.post(f"/tablet/done/{key}/feeling", data={"feeling": "bad"})
    assert _wishes(app) == [] and _count(app, TaskFeeling) == 0
    assert tablet.get("/tablet/wishes").status_code == 302  # back to "who are you"
    assert tablet.get("/tablet/next-week").status_code == 302
    assert "Osallistuja" not in tablet.get("/tablet/").get_data(as_text=True)


def test_a_person_who_left_while_chosen_cannot_wish(app, tablet, world):
    _pick(tablet, world["aino"])
    with app.app_context():
        db.session.get(Participant, world["aino"]).active = False
        db.session.commit()
    _wish(tablet, world["labels"], "1")
    assert _wishes(app) == []


def test_the_previous_persons_wish_page_cannot_wish_for_the_next_person(app, tablet, world):
    """Aino's page is still on the screen (or comes back with Back) after Bertta was chosen:
    its buttons name Aino, so a tap saves nothing for Bertta."""
    _pick(tablet, world["aino"])
    page = tablet.get("/tablet/wishes").get_data(as_text=True)
    assert f'name="person" value="{world["aino"]}"' in page
    tablet.get("/tablet/")
    _pick(tablet, world["bertta"])
    answer = tablet.post("/tablet/wishes", data={"task_type": world["labels"], "want": "1",
                                                 "person": world["aino"]})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/tablet/wishes")
    assert _wishes(app) == []
    tablet.post("/tablet/wishes", data={"task_type": world["labels"], "want": "1",
                                        "person": world["bertta"]})
    assert _wishes(app) == [(world["bertta"], world["labels"], True, None)]


# Instructors clicking twice, or two at once

def _one_wish(app, world) -> int:
    with app.app_context():
        set_wish(db.session.get(Participant, world["aino"]),
                 db.session.get(TaskType, world["labels"]), True)
        db.session.commit()
        return db.session.scalars(select(TaskWish.id)).one()


def test_a_training_goal_removed_twice_is_one_removal_and_no_error_page(app, staff, world):
    wish_id = _one_wish(app, world)
    staff.post(f"/people/{world['aino']}/wishes/{wish_id}/goal")
    with app.app_context():
        goal_id = db.session.scalars(select(TrainingGoal.id)).one()
    url = f"/people/{world['aino']}/goals/{goal_id}/remove"
    first, second = staff.post(url), staff.post(url)  # a double click
    assert first.status_code == second.status_code == 302
    page = staff.get(second.headers["Location"]).get_data(as_text=True)
    assert "Harjoittelutavoite oli jo poistettu." in page
    assert _count(app, TrainingGoal) == 0
    assert _events(app, "training_goal_removed") == 1


def test_two_instructors_removing_one_goal_at_once_log_one_removal(app, world):
    wish_id = _one_wish(app, world)
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == world["staff"])).one()
        decide(db.session.get(TaskWish, wish_id), "goal", user)
        db.session.commit()
        goal_id = db.session.scalars(select(TrainingGoal.id)).one()

    assert _run_at_once(app, [lambda: remove_goal(goal_id)] * 4) == []
    assert _count(app, TrainingGoal) == 0
    assert _events(app, "training_goal_removed") == 1


def test_two_instructors_deciding_one_wish_at_once_make_one_decision(app, world):
    wish_id = _one_wish(app, world)
    with app.app_context():
        user_id = db.session.scalars(select(User.id).where(User.email == world["staff"])).one()

    def deciding(outcome: str):
        def job() -> None:
            decide(db.session.get(TaskWish, wish_id), outcome, db.session.get(User, user_id))
        return job

    def withdraw() -> None:
        set_wish(db.session.get(Participant, world["aino"]),
                 db.session.get(TaskWish, wish_id).task_type, False)

    outcomes = ["preference", "goal", "noted", "preference", "goal"]
    assert _run_at_once(app, [deciding(o) for o in outcomes] + [withdraw]) == []
    with app.app_context():
        wish = db.session.get(TaskWish, wish_id)
        decided = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action.like("wish_to_%")))
        assert decided == (1 if wish.outcome else 0)
        assert _count(app, Preference) == (1 if wish.outcome == "preference" else 0)
        assert _count(app, TrainingGoal) == (1 if wish.outcome == "goal" else 0)


def test_a_wish_withdrawn_before_the_click_is_not_decided(app, tablet, staff, world):
    _pick(tablet, world["aino"])
    _wish(tablet, world["labels"], "1")
    with app.app_context():
        wish_id = db.session.scalars(select(TaskWish.id)).one()
    _wish(tablet, world["labels"], "0")  # withdrawn while the person's page was open
    answer = staff.post(f"/people/{world['aino']}/wishes/{wish_id}/preference")
    page = staff.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Toive oli jo käsitelty tai peruttu." in page
    assert _count(app, Preference) == 0 and _events(app, "wish_to_preference") == 0


# Next week with holidays and days away

def test_next_week_with_christmas_and_a_day_away(app, tablet, world):
    app.config["CLOCK_TODAY"] = "2026-12-16"  # next week: Thursday 24.12. and Friday 25.12.
    monday = date(2026, 12, 21)
    with app.app_context():
        plan = WeekPlan(centre_id=world["centre"], week="2026-W52", state="published")
        plan.assignments = [Assignment(participant_id=world["aino"], step_id=world["step"],
                                       day=monday, half="am")]
        db.session.add(plan)
        db.session.add(Absence(participant_id=world["aino"], day=monday + timedelta(days=1)))
        db.session.add(Absence(participant_id=world["aino"], day=monday + timedelta(days=2),
                               half="am"))
        db.session.commit()
    _pick(tablet, world["aino"])
    page = tablet.get("/tablet/next-week").get_data(as_text=True)
    assert page.count(">Vapaa<") == 4  # Christmas Eve and Christmas Day, both halves
    assert page.count(">Kotona<") == 3  # Tuesday, and Wednesday morning
    assert page.count(">Ohjaaja kertoo<") == 2  # Monday afternoon, Wednesday afternoon
    assert "Pakkaat laatikoita" in page
    assert TODAY < monday
