"""Attack on the participant's voice (issue 31): people who are no longer there, a stale form of
the previous person on the same tablet, instructors clicking twice or at the same moment, and
next week with holidays and days away. Threads hit PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import (
    Participant,
    TaskFeeling,
    TaskType,
    TaskWish,
    TrainingGoal,
    User,
)
from workcentre.voice.wishes import decide, remove_goal, set_wish

from . import test_participant_voice as voice
from .test_participant_voice import _events, _pick, _report, _wish, _wishes

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
