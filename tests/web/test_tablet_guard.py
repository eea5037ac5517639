"""A tablet can report only the chosen person's own planned work, in believable amounts; the
picture code is counted on the server; instructors check what a tablet could not book."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import (
    AuditEvent,
    Order,
    OrderStatus,
    OrderStep,
    Participant,
    ProgressReport,
    utcnow,
)

from ..factories import login, make_order, make_user
from ..tablet_world import WORKDAY, tablet_world

JSON = {"Accept": "application/json"}
CODE = ["sun", "fish", "star"]


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        return tablet_world()


@pytest.fixture
def tablet(app, world):
    client = app.test_client()
    assert client.post(f"/tablet/enroll/{world['token']}").status_code == 302
    return client


def _staff(app, world):
    staff = app.test_client()
    assert login(staff, world["staff"]).status_code == 302
    return staff


def _pass_of(tablet, world) -> str:
    """Choose Aino and read the signed pass her report form carries."""
    assert tablet.post(f"/tablet/me/{world['aino']}").status_code == 302
    page = tablet.get("/tablet/work").get_data(as_text=True)
    return re.search(r'name="pass" value="([^"]+)"', page).group(1)


def _report(tablet, world, units: int, key: str, **extra):
    form = {"key": key, "step": world["step"], "half": "am", "units": str(units), **extra}
    return tablet.post("/tablet/report", data=form, headers=JSON)


def _state(app, world) -> tuple[int, int, str]:
    with app.app_context():
        step = db.session.get(OrderStep, world["step"])
        stored = db.session.scalar(select(func.coalesce(func.sum(ProgressReport.units), 0)))
        return step.units_done, stored, db.session.get(Order, world["order"]).status


def _set_code(app, world) -> None:
    with app.app_context():
        db.session.get(Participant, world["aino"]).picture_pin = CODE
        db.session.commit()


def _enter(tablet, pictures):
    response = None
    for picture in pictures:
        response = tablet.post("/tablet/pin", data={"picture": picture})
    return response


# --- whose report --------------------------------------------------------------------------

def test_a_report_naming_a_coded_person_without_choosing_them_is_refused(app, tablet, world):
    _set_code(app, world)
    response = _report(tablet, world, 5, "a" * 32, person=world["aino"])
    assert response.status_code in (403, 422)
    assert _state(app, world)[:2] == (0, 0)


def test_a_queued_report_keeps_its_person_by_a_signed_pass(app, tablet, world):
    signed = _pass_of(tablet, world)
    tablet.get("/tablet/")  # the tablet moved on to the next person
    sent = _report(tablet, world, 5, "b" * 32, person=world["aino"], **{"pass": signed})
    assert sent.status_code == 200 and sent.get_json()["ok"]
    forged = _report(tablet, world, 5, "c" * 32, person=world["aino"],
                     **{"pass": signed[:-3] + "abc"})
    assert forged.status_code in (403, 422)
    # Another tablet cannot use the pass either.
    other = app.test_client()
    with app.app_context():
        from workcentre.models import Centre
        from workcentre.tablet.services import start_enrolment

        _, token = start_enrolment(db.session.get(Centre, world["centre"]), "Pakkaamo 9")
        db.session.commit()
    other.post(f"/tablet/enroll/{token}")
    stolen = _report(other, world, 5, "d" * 32, person=world["aino"], **{"pass": signed})
    assert stolen.status_code in (403, 422)
    assert _state(app, world)[:2] == (5, 5)


def test_a_person_of_another_centre_is_not_booked_to_the_chosen_one(app, tablet, world):
    _pass_of(tablet, world)
    response = _report(tablet, world, 5, "e" * 32, person=world["stranger"])
    assert response.status_code in (403, 422)
    assert _state(app, world)[:2] == (0, 0)


# --- which work, how much ------------------------------------------------------------------

def test_a_step_not_planned_for_the_person_today_is_refused(app, tablet, world):
    with app.app_context():
        from workcentre.models import Centre, Company

        order = make_order(db.session.scalars(select(Company)).first(),
                           db.session.get(Centre, world["centre"]), quantity=50)
        other_step = order.steps[0].id
        db.session.commit()
    _pass_of(tablet, world)
    form = {"key": "f" * 32, "step": other_step, "half": "am", "units": "5"}
    response = tablet.post("/tablet/report", data=form, headers=JSON)
    assert response.status_code in (403, 422)
    assert _state(app, world)[:2] == (0, 0)


def test_a_huge_count_books_what_is_believable_and_waits_for_an_instructor(app, tablet, world):
    _pass_of(tablet, world)
    response = _report(tablet, world, 100_000, "g" * 32)
    assert response.status_code == 200
    data = response.get_json()
    # Aino makes about 180 in a half-day (pace 50 %, 30 s a unit): at most twice that is booked.
    assert data["ok"] and data["units"] == 360 and data["to_check"] == 100_000 - 360
    units_done, stored, status = _state(app, world)
    assert (units_done, stored) == (360, 360) and status != OrderStatus.READY

    staff = _staff(app, world)
    page = staff.get(f"/tablet/checks/{world['centre']}").get_data(as_text=True)
    assert "Aino" in page and "99640" in page.replace("\u00a0", "").replace(" ", "")
    check = int(re.search(r"/tablet/checks/\d+/(\d+)", page).group(1))
    staff.post(f"/tablet/checks/{world['centre']}/{check}", data={"decision": "reject"})
    staff.post(f"/tablet/checks/{world['centre']}/{check}", data={"decision": "confirm"})
    assert _state(app, world)[:2] == (360, 360)  # rejected first; the second click is too late
    assert "99640" not in staff.get(f"/tablet/checks/{world['centre']}").get_data(as_text=True)


def test_units_past_the_order_wait_for_an_instructor_who_may_confirm_them(app, tablet, world):
    with app.app_context():
        db.session.get(OrderStep, world["step"]).units_done = 480  # 20 of 500 left
        db.session.commit()
    _pass_of(tablet, world)
    data = _report(tablet, world, 100, "h" * 32).get_json()
    # What the step can still take (20) plus a tolerance of 10 % (50): 70 booked, 30 to check.
    assert (data["units"], data["to_check"]) == (70, 30)
    assert _state(app, world)[0] == 550
    staff = _staff(app, world)
    page = staff.get(f"/tablet/checks/{world['centre']}").get_data(as_text=True)
    check = int(re.search(r"/tablet/checks/\d+/(\d+)", page).group(1))
    staff.post(f"/tablet/checks/{world['centre']}/{check}", data={"decision": "confirm"})
    staff.post(f"/tablet/checks/{world['centre']}/{check}", data={"decision": "confirm"})
    units_done, stored, status = _state(app, world)
    assert (units_done, stored, status) == (580, 100, OrderStatus.READY)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "tablet_units_confirmed")) == 1


def test_the_checks_page_is_for_the_centres_instructors(app, tablet, world):
    assert tablet.get(f"/tablet/checks/{world['centre']}").status_code == 403
    with app.app_context():
        from workcentre.models import Role

        outsider = make_user(Role.INSTRUCTOR).email
        db.session.commit()
    other = app.test_client()
    login(other, outsider)
    assert other.get(f"/tablet/checks/{world['centre']}").status_code == 404
    assert _staff(app, world).get(f"/tablet/checks/{world['centre']}").status_code == 200


# --- the picture code ----------------------------------------------------------------------

def test_wrong_codes_are_counted_on_the_server_and_wait_grows(app, tablet, world):
    _set_code(app, world)
    for _ in range(5):  # going back to "who am I" in between used to start the count again
        tablet.get("/tablet/")
        tablet.post(f"/tablet/me/{world['aino']}")
        _enter(tablet, ["moon"] * 3)
    tablet.get("/tablet/")
    tablet.post(f"/tablet/me/{world['aino']}")
    page = _enter(tablet, CODE)
    assert page.status_code == 200 and "Pyydä ohjaajaa" in page.get_data(as_text=True)
    assert tablet.get("/tablet/work").headers["Location"].endswith("/tablet/")

    with app.app_context():
        from workcentre.tablet.guard import PinGuard

        guard = db.session.scalars(select(PinGuard)).one()
        assert guard.failures == 5
        wait = guard.locked_until - utcnow()
        assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
        guard.locked_until = utcnow() - timedelta(seconds=1)  # the minute has passed
        db.session.commit()
    tablet.post(f"/tablet/me/{world['aino']}")
    _enter(tablet, ["moon"] * 3)  # one more wrong code: now two minutes
    with app.app_context():
        guard = db.session.scalars(select(PinGuard)).one()
        assert timedelta(seconds=110) < guard.locked_until - utcnow() <= timedelta(minutes=2)


def test_an_instructor_opens_a_locked_code(app, tablet, world):
    _set_code(app, world)
    tablet.post(f"/tablet/me/{world['aino']}")
    for _ in range(5):
        _enter(tablet, ["moon"] * 3)
    staff = _staff(app, world)
    page = staff.get(f"/tablet/checks/{world['centre']}").get_data(as_text=True)
    assert "Aino" in page and "Avaa kuvakoodi" in page
    staff.post(f"/tablet/checks/{world['centre']}/pin/{world['aino']}/reset")
    tablet.get("/tablet/")
    tablet.post(f"/tablet/me/{world['aino']}")
    assert _enter(tablet, CODE).headers["Location"].endswith("/tablet/work")


def test_a_half_day_without_the_step_is_refused(app, tablet, world):
    with app.app_context():
        from workcentre.models import Assignment

        db.session.execute(db.delete(Assignment).where(Assignment.half == "pm"))
        db.session.commit()
    tablet.post(f"/tablet/me/{world['aino']}")
    assert _report(tablet, world, 5, "i" * 32, half="pm").status_code == 403
    assert _report(tablet, world, 5, "j" * 32, half="am").status_code == 200
    assert _state(app, world)[:2] == (5, 5)



def test_picture_taps_are_limited_per_tablet(app, tablet, world):
    """Besides the per-person count, one tablet cannot tap pictures without end (a script
    trying every person's code): past the limit it is asked to wait; another tablet is not."""
    from workcentre.models import Centre
    from workcentre.tablet.services import start_enrolment

    app.config["RATELIMIT_PICTURE_CODE"] = "4 per minute"
    _set_code(app, world)
    with app.app_context():
        token = start_enrolment(db.session.get(Centre, world["centre"]), "Tabletti 2")[1]
        db.session.commit()
    other = app.test_client()
    assert other.post(f"/tablet/enroll/{token}").status_code == 302
    for client in (tablet, other):
        assert client.post(f"/tablet/me/{world['aino']}").status_code == 302
    answers = [tablet.post("/tablet/pin", data={"picture": "moon"}).status_code
               for _ in range(5)]
    assert 429 not in answers[:4] and answers[4] == 429
    assert other.post("/tablet/pin", data={"picture": "moon"}).status_code != 429
