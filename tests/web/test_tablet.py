"""The tablet: pick yourself, see today's work, count, done, help; nothing lost or doubled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import HelpRequest, OrderStep, ProgressReport

from ..factories import login
from ..tablet_world import WORKDAY, tablet_world


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


def _pick(tablet, world):
    response = tablet.post(f"/tablet/me/{world['aino']}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/tablet/work")


def _units(app, world) -> tuple[int, int]:
    with app.app_context():
        step = db.session.get(OrderStep, world["step"])
        reports = db.session.scalar(select(func.count()).select_from(ProgressReport))
        return step.units_done, reports


def test_my_work_today_shows_the_task_and_a_target_but_no_health_data(tablet, world):
    _pick(tablet, world)
    page = tablet.get("/tablet/work").get_data(as_text=True)
    assert "Hei Aino!" in page and "Pakkaat laatikoita" in page and "Ota laatikko." in page
    # 180 minutes at pace 50 % and 30 s a unit: 180 units, "about 180".
    assert "noin 180 kpl" in page
    for secret in ("50 %", "Testinen", "tuen tarve", "support"):
        assert secret not in page


def test_a_double_tapped_done_counts_once(app, tablet, world):
    _pick(tablet, world)
    form = {"key": "a" * 32, "step": world["step"], "half": "am", "units": "12"}
    first = tablet.post("/tablet/report", data=form)
    assert first.status_code == 302
    again = tablet.post("/tablet/report", data=form, headers={"Accept": "application/json"})
    assert again.get_json() == {"ok": True, "duplicate": True, "units": 12, "to_check": 0}
    assert _units(app, world) == (12, 1)
    # A queued report from the browser's store, sent after the Wi-Fi came back, with its person
    # and the pass the tablet got when she was chosen.
    page = tablet.get("/tablet/work").get_data(as_text=True)
    signed = page.split('name="pass" value="')[1].split('"')[0]
    tablet.get("/tablet/")
    queued = {**form, "key": "b" * 32, "person": world["aino"], "units": "5", "pass": signed}
    sent = tablet.post("/tablet/report", data=queued, headers={"Accept": "application/json"})
    assert sent.get_json()["duplicate"] is False
    assert _units(app, world) == (17, 2)


def test_bad_reports_change_nothing(app, tablet, world):
    _pick(tablet, world)
    for bad in ({"units": "0"}, {"units": "-4"}, {"units": "lots"}, {"key": "x"},
                {"half": "night"}, {"step": "999"}):
        form = {"key": "c" * 32, "step": world["step"], "half": "am", "units": "3", **bad}
        response = tablet.post("/tablet/report", data=form, headers={"Accept": "application/json"})
        assert response.status_code == 400, bad
    assert _units(app, world) == (0, 0)


def test_a_count_can_be_corrected_for_a_few_minutes(app, tablet, world):
    _pick(tablet, world)
    tablet.post("/tablet/report", data={"key": "d" * 32, "step": world["step"], "half": "am",
                                        "units": "20"})
    page = tablet.post("/tablet/done/" + "d" * 32, data={"units": "15"}).get_data(as_text=True)
    assert "Korjattu." in page
    assert _units(app, world) == (15, 1)
    with app.app_context():
        report = db.session.scalars(select(ProgressReport)).one()
        report.created_at -= timedelta(minutes=30)
        db.session.commit()
    late = tablet.post("/tablet/done/" + "d" * 32, data={"units": "1"}).get_data(as_text=True)
    assert "Tätä ei voi enää korjata" in late
    assert _units(app, world) == (15, 1)


def test_help_reaches_the_instructor_until_acknowledged(app, tablet, world):
    _pick(tablet, world)
    assert "Pyysit apua." in tablet.post("/tablet/help").get_data(as_text=True)
    tablet.post("/tablet/help")  # pressed again: still one call
    with app.app_context():
        calls = db.session.scalars(select(HelpRequest)).all()
        assert len(calls) == 1 and calls[0].area_id is not None
        call_id, week = calls[0].id, "2026-W48"
    staff = app.test_client()
    login(staff, world["staff"])
    page = staff.get(f"/planning/{world['centre']}/{week}").get_data(as_text=True)
    assert "Apua pyydetty" in page and "Aino" in page
    staff.post(f"/planning/{world['centre']}/help/{call_id}/ack",
               data={"next": "https://evil.example/"})
    page = staff.get(f"/planning/{world['centre']}/{week}").get_data(as_text=True)
    assert "Apua pyydetty" not in page


def test_a_tablet_reaches_only_its_own_centre(app, world):
    stranger = app.test_client()
    stranger.post(f"/tablet/enroll/{world['other_token']}")
    assert stranger.post(f"/tablet/me/{world['aino']}").status_code == 404
    # Without a chosen person the work page sends the tablet back to "who am I".
    assert stranger.get("/tablet/work").headers["Location"].endswith("/tablet/")
    form = {"key": "e" * 32, "step": world["step"], "half": "am", "units": "3",
            "person": world["aino"]}
    response = stranger.post("/tablet/report", data=form, headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert _units(app, world) == (0, 0)


def test_instructors_add_and_revoke_tablets(app, tablet, world):
    staff = app.test_client()
    login(staff, world["staff"])
    page = staff.post(f"/centre/{world['centre']}/tablets", data={"name": "Kokoonpano 2"})
    link = page.get_data(as_text=True).split('class="enrol-link">')[1].split("<")[0]
    assert "/tablet/enroll/" in link
    new = app.test_client()
    assert new.post(link.replace("http://localhost", "")).status_code == 302
    assert new.get("/tablet/").status_code == 200
    assert app.test_client().post(link.replace("http://localhost", "")).status_code == 404
    with app.app_context():
        from workcentre.models import Kiosk

        first = db.session.scalars(select(Kiosk).where(Kiosk.name == "Pakkaamo 1")).one().id
    staff.post(f"/centre/{world['centre']}/tablets/{first}/revoke")
    assert tablet.get("/tablet/").headers["Location"].endswith("/tablet/not-enrolled")


def test_a_picture_code_guards_the_persons_page(app, tablet, world):
    with app.app_context():
        from workcentre.models import Participant

        db.session.get(Participant, world["aino"]).picture_pin = ["sun", "fish", "star"]
        db.session.commit()
    response = tablet.post(f"/tablet/me/{world['aino']}")
    assert response.headers["Location"].endswith("/tablet/pin")
    assert tablet.get("/tablet/work").headers["Location"].endswith("/tablet/")
    for picture in ("sun", "star", "fish"):  # the wrong order
        page = tablet.post("/tablet/pin", data={"picture": picture})
    assert "Kokeillaan uudelleen." in page.get_data(as_text=True)
    for picture in ("sun", "fish"):
        tablet.post("/tablet/pin", data={"picture": picture})
    done = tablet.post("/tablet/pin", data={"picture": "star"})
    assert done.headers["Location"].endswith("/tablet/work")
    assert "Hei Aino!" in tablet.get("/tablet/work").get_data(as_text=True)
    # Five wrong codes and the code waits: "ask an instructor" with a clock.
    tablet.get("/tablet/")
    tablet.post(f"/tablet/me/{world['aino']}")
    for _ in range(4):
        for picture in ("moon", "moon", "moon"):
            tablet.post("/tablet/pin", data={"picture": picture})
    for picture in ("moon", "moon"):
        tablet.post("/tablet/pin", data={"picture": picture})
    last = tablet.post("/tablet/pin", data={"picture": "moon"})
    assert "Pyydä ohjaajaa." in last.get_data(as_text=True) and "clock.svg" in last.get_data(
        as_text=True)


def test_the_paper_picture_schedule_shows_the_published_week(app, world):
    staff = app.test_client()
    login(staff, world["staff"])
    page = staff.get(f"/planning/{world['centre']}/2026-W48/pictures").get_data(as_text=True)
    assert "Aino · viikko 48" in page and page.count("Pakkaat laatikoita") == 2
    assert "pictograms/box.svg" in page and "Testinen" not in page
    assert staff.get(f"/planning/{world['centre']}/2026-W49/pictures").status_code == 404
