"""Issue 30, "Who came": the register of the half-day, one tap per person, the absence it makes
for the planner, and the re-plan it offers. Every plan a test produces is checked by the
evaluator."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from scheduling import evaluate, load_instance, solve
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import (
    Absence,
    AuditEvent,
    Centre,
    ClosureDay,
    Company,
    Instructor,
    Participant,
    RegisterMark,
    Role,
    User,
)
from workcentre.planning import runs, store
from workcentre.planning.services import participant_key
from workcentre.register import services
from workcentre.register.month import month_attendance
from workcentre.tablet.services import start_enrolment

from ..factories import login, make_centre, make_user, password_hash

WEEK = "2026-W48"
MONDAY = date(2026, 11, 23)
WEDNESDAY = date(2026, 11, 25)
THURSDAY = date(2026, 11, 26)


@pytest.fixture
def centre_id(app, tmp_path) -> int:
    """The demo centre on Wednesday morning before work begins, with the week's plan published
    (solved with the tests' repeatable budget); Marja the instructor can sign in."""
    app.config["CLOCK_TODAY"] = WEDNESDAY.isoformat()
    app.config["CLOCK_TIME"] = "07:45"
    with app.app_context():
        load_demo(str(tmp_path), today=MONDAY)
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        marja.password_hash = password_hash()
        centre = db.session.scalars(select(Centre)).one()
        plan = solve(load_instance(store.planning_instance(centre, WEEK)), workers=1,
                     deterministic_time=0.5)
        store.publish(store.save_plan(centre, WEEK, plan, None), None)
        db.session.commit()
        return centre.id


@pytest.fixture
def marja(client, centre_id):
    assert login(client, "marja@demo.example").status_code == 302
    return client


def _expected(centre_id: int, half: str = "am") -> list[Participant]:
    key = f"wed-{half}"
    return [p for p in db.session.scalars(select(Participant).where(
        Participant.centre_id == centre_id).order_by(Participant.id)) if key in p.attends]


def _with_work(centre_id: int, halves=("am", "pm")) -> Participant:
    """Someone on Wednesday's register with work on the published plan in both half-days."""
    centre = db.session.get(Centre, centre_id)
    plan = store.published_plan(centre, WEEK)
    busy = {}
    for a in plan.assignments:
        if a.day == WEDNESDAY:
            busy.setdefault(a.participant_id, set()).add(a.half)
    return next(p for p in _expected(centre_id) if busy.get(p.id, set()) >= set(halves))


def _tap(client, centre_id: int, person_id: int, half: str = "am", **form):
    return client.post(f"/register/{centre_id}/{WEDNESDAY.isoformat()}/{half}/{person_id}",
                       data=form)


def test_the_register_lists_who_is_expected_this_half_day(app, marja, centre_id):
    with app.app_context():
        expected = _expected(centre_id)
        others = [p for p in db.session.scalars(select(Participant))
                  if "wed-am" not in p.attends]
    page = marja.get(f"/register/{centre_id}").get_data(as_text=True)
    assert "Aamupäivä" in page
    for person in expected:
        assert person.display_name in page
    for person in others:
        assert person.display_name not in page
    assert f"0 paikalla, 0 poissa, {len(expected)} ei vielä merkitty" in page


def test_a_tap_marks_absent_makes_the_absence_and_present_again_undoes_it(app, marja,
                                                                          centre_id):
    with app.app_context():
        person = _with_work(centre_id)
    response = _tap(marja, centre_id, person.id, status="absent", reason_code="sairas",
                    whole_day="1")
    assert response.status_code == 302
    with app.app_context():
        marks = db.session.scalars(select(RegisterMark).order_by(RegisterMark.half)).all()
        assert [(m.half, m.status, m.reason_code) for m in marks] == [
            ("am", "absent", "sairas"), ("pm", "absent", "sairas")]
        absences = db.session.scalars(select(Absence).where(
            Absence.participant_id == person.id)).all()
        assert sorted((a.day, a.half) for a in absences) == [(WEDNESDAY, "am"), (WEDNESDAY, "pm")]
        # The planner sees the absence: the person does not attend Wednesday any more.
        centre = db.session.get(Centre, centre_id)
        data = store.build_instance(centre, WEEK)
        attends = next(p["attends"] for p in data["participants"]
                       if p["id"] == participant_key(person.id))
        assert "wed-am" not in attends and "wed-pm" not in attends
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "register_absent", AuditEvent.participant_id == person.id)) == 2
    page = marja.get(f"/register/{centre_id}").get_data(as_text=True)
    assert "1 poissa" in page and "Poissa · sairas" in page

    _tap(marja, centre_id, person.id, status="present")  # a wrong tap, undone
    with app.app_context():
        am = db.session.scalars(select(RegisterMark).where(RegisterMark.half == "am")).one()
        assert am.status == "present" and am.absence_id is None
        halves = [a.half for a in db.session.scalars(select(Absence).where(
            Absence.participant_id == person.id))]
        assert halves == ["pm"]  # the afternoon stays as marked


def test_a_double_tap_makes_one_mark_and_one_absence(app, marja, centre_id):
    with app.app_context():
        person = _expected(centre_id)[0]
    for _ in range(2):
        assert _tap(marja, centre_id, person.id, status="absent",
                    reason_code="muu", reason_text="lääkäri").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RegisterMark)) == 1
        absences = db.session.scalars(select(Absence).where(
            Absence.participant_id == person.id)).all()
        assert [(a.half, a.reason) for a in absences] == [("am", "muu syy: lääkäri")]


def test_two_instructors_marking_at_once_make_one_row_and_no_error(app, centre_id):
    """Real threads, each with its own session, all released at once (PostgreSQL in CI)."""
    with app.app_context():
        person_id = _expected(centre_id)[0].id
    start, errors = threading.Barrier(6), []

    def tap(status: str) -> None:
        with app.app_context():
            try:
                person = db.session.get(Participant, person_id)
                data = services.MarkInput(status, "sairas")
                start.wait()
                services.mark(person, WEDNESDAY, "am", data, None)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - the test reports any failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tap, args=("absent",)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RegisterMark)) == 1
        assert db.session.scalar(select(func.count()).select_from(Absence).where(
            Absence.participant_id == person_id)) == 1
        mark = db.session.scalars(select(RegisterMark)).one()
        assert mark.absence_id is not None


def test_bad_input_gets_a_finnish_message_and_saves_nothing(app, marja, centre_id):
    with app.app_context():
        person = _expected(centre_id)[0]
    cases = [({"status": "absent", "reason_code": "muu", "reason_text": "x" * 500},
              "Syy on liian pitkä"),
             ({"status": "late", "arrived_at": "puoli kymmenen"}, "saapumisaika"),
             ({"status": "gone"}, "Valitse paikalla, poissa tai myöhässä"),
             ({"status": "absent", "reason_code": "lomalla"}, "Valitse poissaolon syy")]
    for form, words in cases:
        page = _tap(marja, centre_id, person.id, **form)
        assert page.status_code == 302
        assert words in marja.get(page.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RegisterMark)) == 0
        assert db.session.scalar(select(func.count()).select_from(Absence)) == 0


def test_a_late_arrival_keeps_the_time(app, marja, centre_id):
    with app.app_context():
        person = _expected(centre_id)[0]
    _tap(marja, centre_id, person.id, status="late", arrived_at="9.20")
    with app.app_context():
        mark = db.session.scalars(select(RegisterMark)).one()
        assert (mark.status, mark.arrived_at, mark.absence_id) == ("late", "09:20", None)
    assert "Tuli myöhässä klo 09:20" in marja.get(f"/register/{centre_id}").get_data(
        as_text=True)


def test_nobody_is_expected_on_a_closure_day(app, marja, centre_id):
    with app.app_context():
        db.session.add(ClosureDay(centre_id=centre_id, day=WEDNESDAY, reason="inventaario"))
        db.session.commit()
        person = _expected(centre_id)[0]
    page = marja.get(f"/register/{centre_id}").get_data(as_text=True)
    assert "Suljettu: inventaario" in page and person.display_name not in page
    _tap(marja, centre_id, person.id, status="absent", reason_code="sairas")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RegisterMark)) == 0


def test_an_absence_told_beforehand_is_listed_apart(app, marja, centre_id):
    with app.app_context():
        person = _expected(centre_id)[0]
        db.session.add(Absence(participant_id=person.id, day=WEDNESDAY, reason="loma"))
        db.session.commit()
        db.session.refresh(person)
    page = marja.get(f"/register/{centre_id}").get_data(as_text=True)
    assert "Poissaolo ilmoitettu etukäteen" in page
    assert f'id="p{person.id}"' not in page


def test_only_the_centres_instructors_and_admins_see_the_register(app, marja, centre_id):
    with app.app_context():
        company = db.session.scalars(select(Company)).first()
        company_user = db.session.scalars(select(User).where(
            User.company_id == company.id)).first()
        company_user.password_hash = password_hash()
        stranger = make_user(Role.INSTRUCTOR, centre=make_centre("Toinen keskus"))
        _, token = start_enrolment(db.session.get(Centre, centre_id), "Pakkaamo 1")
        person_id = _expected(centre_id)[0].id
        db.session.commit()
        stranger_email, company_email = stranger.email, company_user.email
    url = f"/register/{centre_id}"
    assert app.test_client().get(url).status_code == 302  # to sign-in
    company = app.test_client()
    login(company, company_email)
    assert company.get(url).status_code == 403
    kiosk = app.test_client()
    assert kiosk.post(f"/tablet/enroll/{token}").status_code == 302
    assert kiosk.get(url).status_code == 403
    assert _tap(kiosk, centre_id, person_id, status="absent").status_code == 403
    other = app.test_client()
    login(other, stranger_email)
    assert other.get(url).status_code == 404
    assert _tap(other, centre_id, person_id, status="absent").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RegisterMark)) == 0


def _wait_for_run(app, centre_id: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with app.app_context():
            run = runs.last_run(db.session.get(Centre, centre_id), WEEK)
            if run is not None and run.state not in runs.ACTIVE:
                assert run.state == "done", (run.state, run.message, run.details)
                return
        time.sleep(0.2)
    raise AssertionError("the re-plan did not end")


def _replanned(app, marja, centre_id: int, person: Participant, halves: tuple[str, ...]):
    """Mark the person away, take the offered re-plan and return the new plan's Wednesday rows
    and the person's steps on Wednesday before, after checking the plan with the evaluator."""
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        before = store.published_plan(centre, WEEK)
        their_steps = {a.step_id for a in before.assignments
                       if a.participant_id == person.id and a.day == WEDNESDAY
                       and a.half in halves}
    _tap(marja, centre_id, person.id, status="absent", reason_code="sairas", whole_day="1")
    page = marja.get(f"/register/{centre_id}").get_data(as_text=True)
    assert "Suunnittele loppupäivä uudelleen" in page
    response = marja.post(f"/register/{centre_id}/replan")
    assert response.status_code == 302 and f"/planning/{centre_id}/{WEEK}" in \
        response.headers["Location"]
    _wait_for_run(app, centre_id)
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        plan = store.latest_plan(centre, WEEK)
        assert plan.state == "draft" and plan.version == 2
        data = store.planning_instance(centre, WEEK)
        verdict = evaluate(load_instance(data), store.plan_json(plan, data))
        assert verdict.valid, verdict.violations
        rows = [(a.participant_id, a.half, a.step_id) for a in plan.assignments
                if a.day == WEDNESDAY]
    assert "Suunnittele loppupäivä uudelleen" not in marja.get(
        f"/register/{centre_id}").get_data(as_text=True)
    return rows, their_steps


def test_an_absence_before_the_day_begins_offers_a_re_plan_that_moves_their_work(
        app, marja, centre_id):
    with app.app_context():
        person = _with_work(centre_id)
    rows, their_steps = _replanned(app, marja, centre_id, person, ("am", "pm"))
    assert not [r for r in rows if r[0] == person.id]
    # Their work is someone else's today.
    assert their_steps & {step for who, _, step in rows if who != person.id}


def test_an_absence_after_the_morning_began_re_plans_from_the_afternoon(app, marja,
                                                                          centre_id):
    """The morning has begun: it stays as it happened (without the absent person), and the
    afternoon is planned again."""
    app.config["CLOCK_TIME"] = "09:30"
    with app.app_context():
        person = _with_work(centre_id)
    rows, _ = _replanned(app, marja, centre_id, person, ("pm",))
    with app.app_context():
        run = runs.last_run(db.session.get(Centre, centre_id), WEEK)
        assert run.from_slot == "wed-pm"
    assert not [r for r in rows if r[0] == person.id]


def test_the_re_plan_changes_only_the_rest_of_the_day(app, marja, centre_id):
    """Thursday and Friday stay as people were told: who does what, and where the instructors
    are. Only today's half-days that have not begun are planned again."""
    with app.app_context():
        person = _with_work(centre_id)
        centre = db.session.get(Centre, centre_id)
        before = store.published_plan(centre, WEEK)
        later_before = _later_days(before)
    _replanned(app, marja, centre_id, person, ("am", "pm"))
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        run = runs.last_run(centre, WEEK)
        assert (run.from_slot, run.until_slot) == ("wed-am", "wed-pm")
        plan = store.latest_plan(centre, WEEK)
        assert _later_days(plan) == later_before
        assert not [a for a in plan.assignments if a.locked and a.day > WEDNESDAY]


def test_when_the_later_days_cannot_stay_the_re_plan_goes_to_the_weeks_end(app, marja,
                                                                         centre_id):
    """Every instructor is away on Thursday since the plan was made: Thursday's work cannot
    stay as it was, so the re-plan covers the rest of the week instead of refusing."""
    with app.app_context():
        person = _with_work(centre_id)
        for instructor in db.session.scalars(select(Instructor)):
            db.session.add(Absence(instructor_id=instructor.id, day=THURSDAY, reason="koulutus"))
        db.session.commit()
        db.session.refresh(person)
    _replanned(app, marja, centre_id, person, ("am", "pm"))
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        assert runs.last_run(centre, WEEK).until_slot is None
        plan = store.latest_plan(centre, WEEK)
        assert not [a for a in plan.assignments if a.day == THURSDAY]


def _later_days(plan) -> tuple[set, set]:
    return ({(a.participant_id, a.day, a.half, a.step_id) for a in plan.assignments
             if a.day > WEDNESDAY},
            {(p.instructor_id, p.day, p.half, p.area_id) for p in plan.placements
             if p.day > WEDNESDAY})


def test_the_month_record_counts_half_days_by_what_the_register_says(app, ctx, centre_id):
    centre = db.session.get(Centre, centre_id)
    people = _expected(centre_id)
    first, second, third = people[:3]
    for who, status, code in ((first, "present", ""), (second, "absent", "sairas"),
                              (third, "late", "")):
        data = services.MarkInput(status, code, "", "09:05" if status == "late" else None)
        services.mark(who, WEDNESDAY, "am", data, None)
    db.session.add(Absence(participant_id=third.id, day=MONDAY, reason="loma"))
    db.session.add(ClosureDay(centre_id=centre.id, day=date(2026, 11, 24), reason="koulutus"))
    db.session.commit()
    record = {r.participant_id: r for r in month_attendance(centre, 2026, 11, until=WEDNESDAY)}
    for who in (first, second, third):
        days = [d for d in (MONDAY, WEDNESDAY) for h in ("am", "pm")
                if f"{('mon', 'tue', 'wed')[d.weekday()]}-{h}" in who.attends]
        assert record[who.id].expected == len(days) + _earlier(who)
    assert (record[first.id].present, record[first.id].late) == (1, 0)
    assert record[second.id].absent == {"sairas": 1} and record[second.id].present == 0
    assert (record[third.id].present, record[third.id].late) == (1, 1)
    mondays = sum(1 for h in ("am", "pm") if f"mon-{h}" in third.attends)
    assert record[third.id].announced == mondays
    for row in record.values():
        assert row.expected == row.present + sum(row.absent.values()) + row.announced \
            + row.unmarked


def _earlier(person: Participant) -> int:
    """Expected half-days in November before the test week (2-20 November: three weeks)."""
    return 3 * len([k for k in person.attends])


def test_hand_edits_still_work_after_someone_is_marked_away_in_a_begun_morning(app, marja,
                                                                                centre_id):
    """The absent person's morning row did not happen: it is not locked as history, so the
    week's other cells can still be changed by hand (the plan stays valid without them)."""
    from workcentre.planning import edits

    app.config["CLOCK_TIME"] = "09:30"
    with app.app_context():
        person = _with_work(centre_id, halves=("am",))
        person_id = person.id
        centre = db.session.get(Centre, centre_id)
        other = next(a for a in store.published_plan(centre, WEEK).assignments
                     if a.participant_id != person_id and a.day > WEDNESDAY)
        cell = (other.participant_id, f"{('mon', 'tue', 'wed', 'thu', 'fri')[other.day.weekday()]}"
                f"-{other.half}")
    _tap(marja, centre_id, person_id, status="absent", reason_code="sairas", whole_day="1")
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        result = edits.set_assignment(centre, WEEK, *cell, None, locked=False, user=None,
                                      seen=store.seen(store.latest_plan(centre, WEEK)))
        assert result.ok, result.messages
        plan = store.latest_plan(centre, WEEK)
        data = store.planning_instance(centre, WEEK)
        verdict = evaluate(load_instance(data), store.plan_json(plan, data))
        assert verdict.valid, verdict.violations


def test_a_lock_on_the_absent_persons_work_does_not_stop_the_re_plan(app, marja, centre_id):
    """An instructor locked the person's afternoon before they fell ill: the absence wins."""
    with app.app_context():
        person = _with_work(centre_id)
        centre = db.session.get(Centre, centre_id)
        row = next(a for a in store.published_plan(centre, WEEK).assignments
                   if a.participant_id == person.id and a.day == WEDNESDAY and a.half == "pm")
        row.locked = True
        db.session.commit()
        db.session.refresh(person)
    rows, _ = _replanned(app, marja, centre_id, person, ("am", "pm"))
    assert not [r for r in rows if r[0] == person.id]
