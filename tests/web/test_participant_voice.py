"""Issue 31, the participant's own voice: "Miltä tuntui?" after Valmis (one answer per person,
task type and day), "Haluaisin kokeilla…" wishes and what an instructor makes of them, and next
week's published days in pictures. What a person said reaches instructors and admins and the
person's own tablet only."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from scheduling import evaluate, load_instance, solve
from workcentre.extensions import db
from workcentre.models import (
    Assignment,
    AuditEvent,
    ClosureDay,
    OrderStep,
    Participant,
    Preference,
    Role,
    TaskFeeling,
    TaskType,
    TaskWish,
    TrainingGoal,
    WeekPlan,
)
from workcentre.planning.services import build_instance, participant_key
from workcentre.voice.feelings import AnswerRefused, save_feeling

from ..factories import (
    login,
    make_centre,
    make_company,
    make_participant,
    make_task_type,
    make_user,
)
from ..tablet_world import WORKDAY, tablet_world

TODAY = date.fromisoformat(WORKDAY)
EVERY_DAY = ["mon-am", "mon-pm", "tue-am", "tue-pm", "wed-am", "wed-pm", "thu-am", "thu-pm",
             "fri-am", "fri-pm"]


@pytest.fixture
def world(app):
    """The tablet world (Aino works on a step today) with Bertta in the same centre, a second
    task type Aino might wish for, and an instructor of another centre."""
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        found = tablet_world()
        centre = db.session.get(OrderStep, found["step"]).order.centre
        found["bertta"] = make_participant(centre, first_name="Bertta", attends=EVERY_DAY).id
        found["kind"] = db.session.get(OrderStep, found["step"]).task_type_id
        labels = make_task_type(centre, "labels")
        labels.name, labels.easy_name = "Tarroitus", "Liimaat tarroja"
        found["labels"] = labels.id
        found["labels_code"] = labels.code
        found["foreign_kind"] = make_task_type(make_centre("Kolmas"), "weld").id
        found["outsider"] = make_user(Role.INSTRUCTOR, centre=make_centre("Muu keskus")).email
        found["company"] = make_user(Role.COMPANY, company=make_company("Asiakas Oy")).email
        db.session.commit()
        return found


@pytest.fixture
def tablet(app, world):
    client = app.test_client()
    assert client.post(f"/tablet/enroll/{world['token']}").status_code == 302
    return client


@pytest.fixture
def staff(app, world):
    client = app.test_client()
    login(client, world["staff"])
    return client


def _pick(tablet, person_id: int) -> None:
    assert tablet.post(f"/tablet/me/{person_id}").status_code == 302


def _report(tablet, world, key: str = "f" * 32) -> str:
    tablet.post("/tablet/report", data={"key": key, "step": world["step"], "half": "am",
                                        "units": "5"})
    return key


def _feelings(app) -> list[tuple[int, int, date, str]]:
    with app.app_context():
        return [(f.participant_id, f.task_type_id, f.day, f.feeling)
                for f in db.session.scalars(select(TaskFeeling))]


def _events(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == action))


# "Miltä tuntui?"

def test_after_valmis_the_faces_are_offered_and_one_answer_is_kept_per_day(app, tablet, world):
    _pick(tablet, world["aino"])
    key = _report(tablet, world)
    page = tablet.get(f"/tablet/done/{key}").get_data(as_text=True)
    assert "Miltä työ tuntui?" in page and page.count('name="feeling"') == 3
    assert 'aria-pressed="true"' not in page  # nothing chosen yet: skipping is fine
    for feeling in ("good", "good", "bad"):  # a double tap, then a change of mind
        answer = tablet.post(f"/tablet/done/{key}/feeling", data={"feeling": feeling})
        assert answer.status_code == 302 and "felt=yes" in answer.headers["Location"]
    assert _feelings(app) == [(world["aino"], world["kind"], TODAY, "bad")]
    assert _events(app, "voice_feeling") == 2  # the answer and its change; the repeat is none
    page = tablet.get(f"/tablet/done/{key}?felt=yes").get_data(as_text=True)
    assert "Kiitos! Vastaus on tallessa." in page
    assert page.count('aria-pressed="true"') == 1 and 'value="bad" class="feeling-choice chosen"' \
        in page
    # A second report of the same task today shows the answer given and changes the same row.
    second = _report(tablet, world, "e" * 32)
    assert 'value="bad" class="feeling-choice chosen"' in tablet.get(
        f"/tablet/done/{second}").get_data(as_text=True)
    tablet.post(f"/tablet/done/{second}/feeling", data={"feeling": "ok"})
    assert _feelings(app) == [(world["aino"], world["kind"], TODAY, "ok")]


def test_a_broken_answer_or_another_day_saves_nothing(app, tablet, world):
    _pick(tablet, world["aino"])
    key = _report(tablet, world)
    for bad in ("great", "", "good' OR 1=1"):
        answer = tablet.post(f"/tablet/done/{key}/feeling", data={"feeling": bad})
        assert "felt=no" in answer.headers["Location"]
    page = tablet.get(f"/tablet/done/{key}?felt=no").get_data(as_text=True)
    assert "Vastaus ei tallentunut. Kokeile uudelleen." in page
    assert _feelings(app) == []
    with app.app_context():
        person = db.session.get(Participant, world["aino"])
        with pytest.raises(AnswerRefused):  # yesterday is over: it can no longer be changed
            save_feeling(person, world["kind"], TODAY - timedelta(days=1), "good", None, TODAY)
        db.session.rollback()
    assert _feelings(app) == []


def test_another_persons_tablet_cannot_answer_or_see_it(app, tablet, world):
    _pick(tablet, world["aino"])
    key = _report(tablet, world)
    tablet.post(f"/tablet/done/{key}/feeling", data={"feeling": "good"})
    tablet.get("/tablet/")
    _pick(tablet, world["bertta"])  # the next person on the same tablet
    assert tablet.post(f"/tablet/done/{key}/feeling", data={"feeling": "bad"}).status_code == 404
    assert "Miltä työ tuntui?" not in tablet.get(f"/tablet/done/{key}").get_data(as_text=True)
    # Another centre's tablet cannot answer for a report it did not make.
    other = app.test_client()
    assert other.post(f"/tablet/enroll/{world['other_token']}").status_code == 302
    assert other.post(f"/tablet/me/{world['aino']}").status_code == 404
    assert other.post(f"/tablet/done/{key}/feeling", data={"feeling": "bad"}).status_code == 404
    assert _feelings(app) == [(world["aino"], world["kind"], TODAY, "good")]


def test_a_double_tap_from_several_threads_stores_one_answer(app, world):
    """Real threads, each with its own session, released at once (PostgreSQL in CI)."""
    start, errors = threading.Barrier(6), []

    def tap(feeling: str) -> None:
        with app.app_context():
            try:
                person = db.session.get(Participant, world["aino"])
                start.wait()
                save_feeling(person, world["kind"], TODAY, feeling, None, TODAY)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - the test reports any failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tap, args=(("good", "bad")[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = _feelings(app)
    assert len(rows) == 1 and rows[0][3] in ("good", "bad")
    assert 1 <= _events(app, "voice_feeling") <= 6


# "Haluaisin kokeilla…"

def _wish(tablet, kind: int, want: str):
    return tablet.post("/tablet/wishes", data={"task_type": kind, "want": want})


def _wishes(app) -> list[tuple[int, int, bool, str | None]]:
    with app.app_context():
        return [(w.participant_id, w.task_type_id, w.active, w.outcome)
                for w in db.session.scalars(select(TaskWish))]


def test_a_wish_is_stored_once_and_can_be_withdrawn(app, tablet, world):
    _pick(tablet, world["aino"])
    page = tablet.get("/tablet/wishes").get_data(as_text=True)
    assert "Haluaisin kokeilla" in page and "Liimaat tarroja" in page
    assert "weld" not in page.lower()  # only the centre's own task types
    for _ in range(2):  # a double tap: the button says "wish", so it stays one wish
        assert _wish(tablet, world["labels"], "1").status_code == 302
    assert _wishes(app) == [(world["aino"], world["labels"], True, None)]
    assert _events(app, "voice_wish") == 1
    page = tablet.get("/tablet/wishes").get_data(as_text=True)
    assert page.count('aria-pressed="true"') == 1 and "✓ Toive" in page
    _wish(tablet, world["labels"], "0")
    _wish(tablet, world["labels"], "0")
    assert _wishes(app) == [(world["aino"], world["labels"], False, None)]
    assert _events(app, "voice_wish_withdrawn") == 1
    assert 'aria-pressed="true"' not in tablet.get("/tablet/wishes").get_data(as_text=True)


def test_bad_wishes_save_nothing(app, tablet, world):
    _pick(tablet, world["aino"])
    assert _wish(tablet, world["foreign_kind"], "1").status_code == 404  # another centre's
    for form in ({"task_type": world["labels"], "want": "maybe"}, {"task_type": "x", "want": "1"},
                 {"task_type": 999999, "want": "1"}, {}):
        assert tablet.post("/tablet/wishes", data=form).status_code == 302
    assert _wishes(app) == []


def test_a_tablet_shows_only_the_chosen_persons_own_wishes(app, tablet, world):
    _pick(tablet, world["aino"])
    _wish(tablet, world["labels"], "1")
    tablet.get("/tablet/")
    _pick(tablet, world["bertta"])
    assert 'aria-pressed="true"' not in tablet.get("/tablet/wishes").get_data(as_text=True)
    _wish(tablet, world["labels"], "0")  # Bertta cannot withdraw Aino's wish
    assert (world["aino"], world["labels"], True, None) in _wishes(app)
    tablet.get("/tablet/")
    assert tablet.get("/tablet/wishes").status_code == 302  # nobody chosen: back to "who"


def _decide(staff, world, outcome: str, person: str = "aino"):
    with staff.application.app_context():
        wish_id = db.session.scalars(select(TaskWish.id).where(
            TaskWish.participant_id == world[person])).one()
    return staff.post(f"/people/{world[person]}/wishes/{wish_id}/{outcome}")


def _prefers(app, world) -> list[str]:
    with app.app_context():
        centre = db.session.get(Participant, world["aino"]).centre
        data = build_instance(centre, "2026-W48")
        return next(p["prefers"] for p in data["participants"]
                    if p["id"] == participant_key(world["aino"]))


def test_a_wish_becomes_a_preference_the_solver_sees_with_one_click(app, tablet, staff, world):
    with app.app_context():  # Aino had been thought to dislike labels
        db.session.add(Preference(participant_id=world["aino"], task_type_id=world["labels"],
                                  likes=False))
        db.session.commit()
    _pick(tablet, world["aino"])
    _wish(tablet, world["labels"], "1")
    week = staff.get(f"/planning/{world['centre']}/2026-W48").get_data(as_text=True)
    assert "Aino haluaisi kokeilla tehtävää Tarroitus." in week
    person = staff.get(f"/people/{world['aino']}").get_data(as_text=True)
    assert "Haluaisi kokeilla" in person and "Lisää mieluisiin" in person
    assert world["labels_code"] not in _prefers(app, world)
    for _ in range(2):  # a double click: one preference
        assert _decide(staff, world, "preference").status_code == 302
    assert _prefers(app, world) == [world["labels_code"]]
    with app.app_context():
        rows = db.session.scalars(select(Preference).where(
            Preference.participant_id == world["aino"])).all()
        assert [(p.task_type_id, p.likes) for p in rows] == [(world["labels"], True)]
    assert _wishes(app) == [(world["aino"], world["labels"], True, "preference")]
    assert _events(app, "wish_to_preference") == 1
    week = staff.get(f"/planning/{world['centre']}/2026-W48").get_data(as_text=True)
    assert "haluaisi kokeilla" not in week  # decided: no longer waiting on the week page
    assert "Lisätty mieluisiin" in staff.get(f"/people/{world['aino']}").get_data(as_text=True)
    # The solver gets the preference and its plan holds (checked by the evaluator).
    with app.app_context():
        centre = db.session.get(Participant, world["aino"]).centre
        instance = load_instance(build_instance(centre, "2026-W48"))
    plan = solve(instance, workers=1, deterministic_time=0.5)
    verdict = evaluate(instance, plan)
    assert verdict.ok, (verdict.violations, verdict.figure_errors)


def test_a_wish_becomes_a_training_goal_that_leaves_the_plan_alone(app, tablet, staff, world):
    _pick(tablet, world["aino"])
    _wish(tablet, world["labels"], "1")
    before = _prefers(app, world)
    assert _decide(staff, world, "goal").status_code == 302
    assert _prefers(app, world) == before
    page = staff.get(f"/people/{world['aino']}").get_data(as_text=True)
    assert "Harjoittelutavoitteet" in page and "Poista tavoite" in page
    with app.app_context():
        goal = db.session.scalars(select(TrainingGoal)).one()
        assert (goal.participant_id, goal.task_type_id) == (world["aino"], world["labels"])
        goal_id = goal.id
    assert _events(app, "wish_to_goal") == 1
    staff.post(f"/people/{world['aino']}/goals/{goal_id}/remove")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TrainingGoal)) == 0
    assert _events(app, "training_goal_removed") == 1
    # Withdrawn and wished again: a fresh wish waits for an instructor again.
    _wish(tablet, world["labels"], "0")
    _wish(tablet, world["labels"], "1")
    assert _wishes(app) == [(world["aino"], world["labels"], True, None)]


def test_the_instructor_sees_the_answer_on_the_persons_page(app, tablet, staff, world):
    _pick(tablet, world["aino"])
    key = _report(tablet, world)
    tablet.post(f"/tablet/done/{key}/feeling", data={"feeling": "bad"})
    page = staff.get(f"/people/{world['aino']}").get_data(as_text=True)
    assert "Oma ääni" in page and "Huonolta" in page and "25.11." in page


def test_an_answer_can_be_removed_on_the_persons_page_once(app, tablet, staff, world):
    """A correction of what the person said ("I didn't mean that"): the instructor removes the
    answer; a second click or another centre's instructor removes nothing."""
    _pick(tablet, world["aino"])
    key = _report(tablet, world)
    tablet.post(f"/tablet/done/{key}/feeling", data={"feeling": "bad"})
    with app.app_context():
        answer = db.session.scalars(select(TaskFeeling.id)).one()
    url = f"/people/{world['aino']}/feelings/{answer}/remove"
    outsider = app.test_client()
    login(outsider, world["outsider"])
    assert outsider.post(url).status_code == 404
    assert tablet.post(url).status_code == 403
    assert len(_feelings(app)) == 1
    page = staff.get(f"/people/{world['aino']}").get_data(as_text=True)
    assert "Poista vastaus" in page
    first = staff.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Vastaus poistettu." in first and _feelings(app) == []
    again = staff.post(url, follow_redirects=True)
    assert again.status_code == 200 and "Vastaus oli jo poistettu." in again.get_data(
        as_text=True)
    assert _events(app, "voice_feeling_removed") == 1


def test_only_staff_of_the_centre_see_or_act_on_what_people_said(app, tablet, world):
    _pick(tablet, world["aino"])
    _wish(tablet, world["labels"], "1")
    with app.app_context():
        wish_id = db.session.scalars(select(TaskWish.id)).one()
    decide = f"/people/{world['aino']}/wishes/{wish_id}/preference"
    company = app.test_client()
    login(company, world["company"])
    assert company.get(f"/people/{world['aino']}").status_code == 403
    assert company.post(decide).status_code == 403
    for url in ("/tablet/wishes", "/tablet/next-week"):
        assert company.get(url).status_code == 403
    outsider = app.test_client()
    login(outsider, world["outsider"])
    assert outsider.get(f"/people/{world['aino']}").status_code == 404
    assert outsider.post(decide).status_code == 404
    assert "haluaisi" not in outsider.get(f"/planning/{world['centre']}/2026-W48").get_data(
        as_text=True)
    # A tablet is not staff: it cannot decide either.
    assert tablet.post(decide).status_code == 403
    assert _wishes(app) == [(world["aino"], world["labels"], True, None)]
    assert _events(app, "wish_to_preference") == 0


def test_a_wish_for_another_person_cannot_be_decided_through_someone_else(app, tablet, staff,
                                                                         world):
    _pick(tablet, world["aino"])
    _wish(tablet, world["labels"], "1")
    with app.app_context():
        wish_id = db.session.scalars(select(TaskWish.id)).one()
    assert staff.post(f"/people/{world['bertta']}/wishes/{wish_id}/goal").status_code == 404
    assert staff.post(f"/people/{world['aino']}/wishes/{wish_id}/delete").status_code == 404
    assert _wishes(app) == [(world["aino"], world["labels"], True, None)]


# "Ensi viikolla"

def _publish_next_week(app, world, state: str = "published") -> None:
    with app.app_context():
        monday = TODAY + timedelta(days=5)  # Monday 30.11.
        plan = WeekPlan(centre_id=world["centre"], week="2026-W49", state=state)
        plan.assignments = [Assignment(participant_id=world["aino"], step_id=world["step"],
                                       day=monday, half="am")]
        db.session.add(plan)
        db.session.add(ClosureDay(centre_id=world["centre"], day=monday + timedelta(days=4),
                                  reason="Virkistyspäivä"))
        db.session.commit()


def test_next_week_shows_nothing_until_it_is_published(app, tablet, world):
    _pick(tablet, world["aino"])
    waiting = "Ensi viikon suunnitelma ei ole vielä valmis."
    assert waiting in tablet.get("/tablet/next-week").get_data(as_text=True)
    _publish_next_week(app, world, state="draft")
    page = tablet.get("/tablet/next-week").get_data(as_text=True)
    assert waiting in page and "Pakkaat laatikoita" not in page


def test_next_week_in_pictures_from_the_published_plan(app, tablet, world):
    _publish_next_week(app, world)
    _pick(tablet, world["aino"])
    page = tablet.get("/tablet/next-week").get_data(as_text=True)
    assert "Ensi viikolla" in page and "Pakkaat laatikoita" in page  # Monday morning
    assert "pictograms/box.svg" in page
    assert page.count("Ohjaaja kertoo") == 7  # she comes every day; the rest has no task yet
    assert page.count(">Vapaa<") == 2  # Friday, the centre's own closure day
    tablet.get("/tablet/")
    _pick(tablet, world["bertta"])  # another person sees her own week, never Aino's
    assert "Pakkaat laatikoita" not in tablet.get("/tablet/next-week").get_data(as_text=True)


def test_the_voice_pages_are_reached_from_my_work(app, tablet, world):
    _pick(tablet, world["aino"])
    page = tablet.get("/tablet/work").get_data(as_text=True)
    assert 'href="/tablet/next-week"' in page and 'href="/tablet/wishes"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TaskType)) >= 2


def test_the_cell_page_says_what_the_person_wished_in_plain_words(app, tablet, staff, world):
    cell = f"/planning/{world['centre']}/2026-W48/cell/{world['aino']}/wed-am"
    wished = "Aino on itse toivonut pääsevänsä kokeilemaan: Tarroitus."
    assert wished not in staff.get(cell).get_data(as_text=True)
    _pick(tablet, world["aino"])
    _wish(tablet, world["labels"], "1")
    assert wished in staff.get(cell).get_data(as_text=True)
    _decide(staff, world, "noted")
    assert wished not in staff.get(cell).get_data(as_text=True)
    assert _events(app, "wish_to_noted") == 1


def test_the_week_page_reads_the_wishes_in_one_query_however_many(app, tablet, staff, world):
    from sqlalchemy import event

    week = f"/planning/{world['centre']}/2026-W48"

    def queries() -> tuple[int, str]:
        count = [0]

        def counted(*_args) -> None:
            count[0] += 1

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counted)
        try:
            page = staff.get(week).get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", counted)
        return count[0], page

    _pick(tablet, world["aino"])
    _wish(tablet, world["labels"], "1")
    staff.get(week)
    one, page = queries()
    assert page.count("Päätä toiveesta") == 1
    _wish(tablet, world["kind"], "1")
    tablet.get("/tablet/")
    _pick(tablet, world["bertta"])
    _wish(tablet, world["labels"], "1")
    three, page = queries()
    assert page.count("Päätä toiveesta") == 3
    assert three == one
