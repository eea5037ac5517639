"""Attack pass on people's data (docs/privacy.md): erasure raced against itself and against
retention, and what an erased person still is to the tablet, the register and the planner."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.factories import login
from tests.privacy_world import TODAY, privacy_world
from workcentre.extensions import db
from workcentre.models import Absence, AuditEvent, Participant
from workcentre.planning.services import build_instance, participant_key
from workcentre.privacy.erasure import ErasureFailed, erase


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = TODAY  # Wednesday 13:00: the afternoon has begun
    app.config["CLOCK_TIME"] = "11:00"
    with app.app_context():
        return privacy_world(work_this_week=True)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _at_once(app, jobs: int, work) -> list[Exception]:
    """Run `work()` in `jobs` threads, each with its own session, released together."""
    start, errors = threading.Barrier(jobs), []

    def run() -> None:
        with app.app_context():
            try:
                work(start)
            except Exception as error:  # noqa: BLE001 - the test reports any failure
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_erasures_at_once_erase_once(app, world):
    """Two admins (or an admin and the retention run) press at the same moment: one erasure,
    one audit event, one absence per half-day; the other is told it is done already."""

    def press(start: threading.Barrier) -> None:
        person = db.session.get(Participant, world["person"])
        start.wait()
        erase(person)

    errors = _at_once(app, 4, press)
    assert all(isinstance(e, ErasureFailed) for e in errors), errors
    assert len(errors) == 3
    with app.app_context():
        person_id = world["person"]
        assert _count(AuditEvent, AuditEvent.action == "erase",
                      AuditEvent.participant_id == person_id) == 1
        halves = db.session.execute(select(Absence.day, Absence.half, func.count()).where(
            Absence.participant_id == person_id).group_by(Absence.day, Absence.half)).all()
        assert halves and all(n == 1 for _, _, n in halves), halves


def test_an_erased_person_leaves_the_tablet_the_register_and_the_next_weeks(app, world):
    """After erasure nobody can act as the person on the tablet (the picture code is gone, so
    the tile would open without one), the register no longer lists them, and the planner no
    longer plans them."""
    admin = app.test_client()
    login(admin, world["admin"])
    done = admin.post(f"/people/{world['person']}/erase",
                      data={"understood": "y", "remove_from_plan": "y"})
    assert done.status_code == 302
    pseudonym = f"Osallistuja {world['person']}"
    kiosk = app.test_client()
    kiosk.post(f"/tablet/enroll/{world['token']}")
    assert pseudonym not in kiosk.get("/tablet/").get_data(as_text=True)
    chosen = kiosk.post(f"/tablet/me/{world['person']}")
    assert chosen.status_code in (302, 404)
    assert "/tablet/work" not in chosen.headers.get("Location", "")
    staff = app.test_client()
    login(staff, world["staff"])
    sheet = staff.get(f"/register/{world['centre']}?half=pm").get_data(as_text=True)
    assert "Kalle" in sheet and pseudonym not in sheet
    with app.app_context():
        from workcentre.models import Centre
        centre = db.session.get(Centre, world["centre"])
        people = [p["id"] for p in build_instance(centre, "2026-W49")["participants"]]
        assert participant_key(world["colleague"]) in people
        assert participant_key(world["person"]) not in people


def test_retention_applied_twice_at_once_erases_each_person_once(app, world):
    """Two `workcentre retention --apply` at the same moment (a cron job and an admin): both
    end without an error, each person is erased once."""
    from datetime import date

    from workcentre.models import Centre
    from workcentre.privacy import retention

    with app.app_context():
        for person_id in (world["person"], world["colleague"]):
            person = db.session.get(Participant, person_id)
            person.active, person.left_on = False, date(2024, 1, 5)
        db.session.commit()
    done: list[list[int]] = []

    def apply(start: threading.Barrier) -> None:
        centres = list(db.session.scalars(select(Centre)))
        start.wait()
        with app.test_request_context():
            erased, _ = retention.apply(centres, date.fromisoformat(TODAY))
        done.append(erased)

    errors = _at_once(app, 3, apply)
    assert errors == []
    assert sorted(i for erased in done for i in erased) == \
        sorted([world["person"], world["colleague"]])
    with app.app_context():
        assert _count(AuditEvent, AuditEvent.action == "erase") == 2


def test_an_erased_person_cannot_be_filled_in_again(app, world):
    """Erasure is final: the form, a photo consent and reactivation are refused with a message,
    so no name, photo or pace can be typed back in by mistake."""
    admin = app.test_client()
    login(admin, world["admin"])
    person = world["person"]
    admin.post(f"/people/{person}/erase", data={"understood": "y", "remove_from_plan": "y"})
    for url, form in ((f"/people/{person}/edit", {"first_name": "Zenobia", "active": "y"}),
                      (f"/people/{person}/consent", {"uses": ["tablet"]})):
        response = admin.post(url, data=form, follow_redirects=True)
        assert response.status_code == 200, url
        assert "Henkilötiedot on poistettu" in response.get_data(as_text=True), url
    assert admin.get(f"/people/{person}/edit").status_code == 302
    with app.app_context():
        erased = db.session.get(Participant, person)
        assert erased.first_name == f"Osallistuja {person}" and erased.active is False
        assert erased.photo_consent_on is None


def test_the_plans_of_record_show_an_erased_person_by_the_pseudonym(app, world):
    """Erasure makes the person inactive, but last week's plan still has their work: the week
    page shows it under "Osallistuja N", never the name and never as nobody's."""
    admin = app.test_client()
    login(admin, world["admin"])
    admin.post(f"/people/{world['person']}/erase",
               data={"understood": "y", "remove_from_plan": "y"})
    page = admin.get(f"/planning/{world['centre']}/2026-W47").get_data(as_text=True)
    row = page[page.index(f'id="row-{world["person"]}"'):]
    assert row[:row.index("</tr>")].count("cell-task") == 2  # Monday's two half-days
    assert f"Osallistuja {world['person']}" in row[:row.index("</th>")]
    assert "Zenobia" not in page
