"""People's data stays theirs: access request (export), erasure keeping the history, photo
consent, retention, and who read what (docs/privacy.md)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from tests.factories import login
from tests.privacy_world import SECRETS, TODAY, jpeg, privacy_world
from workcentre.extensions import db
from workcentre.models import (
    Absence,
    Assignment,
    AuditEvent,
    AuditLogIsAppendOnly,
    Centre,
    OrderStep,
    Participant,
    ParticipantSupport,
    ProgressReport,
    WeekPlan,
)
from workcentre.models.register import RegisterMark
from workcentre.photos import photo_dir, save_photo
from workcentre.planning import store
from workcentre.privacy.datamap import participant_tables
from workcentre.register.month import month_attendance

from .test_privacy_map import mapped


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = TODAY
    app.config["CLOCK_TIME"] = "13:00"
    with app.app_context():
        return privacy_world()


def _events(**where) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(query))


def _signed_in(app, email: str):
    client = app.test_client()
    login(client, email)
    return client


def _zip(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- access request -------------------------------------------------------------------------

def test_the_export_holds_every_mapped_field_of_a_fully_filled_person(app, world):
    client = _signed_in(app, world["staff"])
    response = client.get(f"/people/{world['person']}/export.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    files = _zip(response.data)
    stem = f"henkilotiedot-{world['person']}"
    data = json.loads(files[f"{stem}.json"])
    page = files[f"{stem}.html"].decode()
    doc = mapped()
    for table in ["participant", *participant_tables()]:
        rows = data["tables"][table]
        assert rows, f"the export has no row of {table}"
        assert doc[table] <= set(rows[0]), f"{table}: {doc[table] - set(rows[0])} not exported"
    person = data["tables"]["participant"][0]
    assert (person["first_name"], person["last_name"]) == ("Zenobia", "Quillfeather")
    assert data["tables"]["participant_support"][0]["productivity"] == 73
    for secret in SECRETS:
        assert secret in page, secret
    assert "Työtahti" in page and "73 %" in page and "Kuvalupa" in page
    assert files[f"kuvat/{world['photo']}"] == (app_photo(app, world["photo"]))
    with app.app_context():
        exports = _events(action="export", participant_id=world["person"])
        assert len(exports) == 1 and exports[0].actor.startswith("user:")


def app_photo(app, name: str) -> bytes:
    with app.app_context():
        return (photo_dir() / name).read_bytes()


def test_the_command_line_export_writes_the_same_zip_and_is_logged(app, runner, world,
                                                                    tmp_path):
    out = tmp_path / "person.zip"
    result = runner.invoke(args=["person-export", "--participant", str(world["person"]),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    files = _zip(out.read_bytes())
    assert json.loads(files[f"henkilotiedot-{world['person']}.json"])["tables"]["absence"]
    assert "Quillfeather" in files[f"henkilotiedot-{world['person']}.html"].decode()
    with app.app_context():
        assert [e.actor for e in _events(action="export")] == ["cli"]
    missing = runner.invoke(args=["person-export", "--participant", "999999", "-o", str(out)])
    assert missing.exit_code != 0 and "No participant" in missing.output


def test_export_and_erasure_are_refused_for_other_roles_and_centres(app, world):
    person = world["person"]
    outsider = _signed_in(app, world["outsider"])
    company = _signed_in(app, world["company"])
    instructor = _signed_in(app, world["staff"])
    kiosk = app.test_client()
    kiosk.post(f"/tablet/enroll/{world['token']}")
    for client in (outsider, company, kiosk):
        assert client.get(f"/people/{person}/export.zip").status_code == 403
        assert client.post(f"/people/{person}/erase",
                           data={"understood": "y"}).status_code == 403
    # Erasure is for admins only; an instructor of the centre may export.
    assert instructor.post(f"/people/{person}/erase", data={"understood": "y"}).status_code == 403
    with app.app_context():
        assert _events(action="export") == [] and _events(action="erase") == []
        assert db.session.get(Participant, person).first_name == "Zenobia"


def test_exports_are_rate_limited(app, world):
    app.config["RATELIMIT_PERSONAL_DATA"] = "2 per minute"
    client = _signed_in(app, world["staff"])
    codes = [client.get(f"/people/{world['person']}/export.zip").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# --- erasure ----------------------------------------------------------------------------------

def _every_text(app) -> str:
    """Every row of every table, as text: what a dump of the database would hold."""
    with app.app_context():
        return "\n".join(repr(tuple(row)) for table in db.metadata.sorted_tables
                         for row in db.session.execute(select(table)))


def _files_holding(root: Path, secret: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret in p.read_bytes()]


def _figures(app, centre_id: int) -> tuple:
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        month = [(r.participant_id, r.expected, r.present, r.late, dict(r.absent), r.announced,
                  r.unmarked) for r in month_attendance(centre, 2026, 11,
                                                        until=date.fromisoformat(TODAY))]
        units = sorted(db.session.execute(select(OrderStep.id, OrderStep.units_done)).all())
        reported = db.session.scalar(select(func.sum(ProgressReport.units)))
        rows = db.session.scalar(select(func.count(Assignment.id)))
        # The month so far: an erased person is expected no more after today (docs/privacy.md).
        # Last week's plan of record, checked again by the evaluator against its stored instance.
        plan = db.session.scalars(select(WeekPlan).where(WeekPlan.week == "2026-W47")).one()
        figures = store.plan_json(plan)
        return month, units, reported, rows, figures["status"], figures["terms"]


def test_erasure_leaves_none_of_the_persons_strings_and_keeps_the_history(app, world):
    before = _figures(app, world["centre"])
    assert all(s in _every_text(app) for s in SECRETS)
    admin = _signed_in(app, world["admin"])
    page = admin.get(f"/people/{world['person']}/erase").get_data(as_text=True)
    assert "Osallistuja" in page and "Säilyy" in page and "Poistuu" in page
    response = admin.post(f"/people/{world['person']}/erase", data={"understood": "y"})
    assert response.status_code == 302
    dump = _every_text(app)
    for secret in SECRETS:
        assert secret not in dump, secret
    with app.app_context():
        root = Path(app.instance_path)
    assert not (root / "uploads" / "photos" / world["photo"]).exists()
    for secret in SECRETS:
        assert _files_holding(root, secret.encode()) == []
    assert _figures(app, world["centre"]) == before
    with app.app_context():
        person = db.session.get(Participant, world["person"])
        pseudonym = f"Osallistuja {person.id}"
        assert person.display_name == pseudonym and person.erased_at is not None
        assert (person.skills, person.preferences, person.picture_pin, person.avoid_tags) == \
            ([], [], [], [])
        assert db.session.get(ParticipantSupport, person.id) is None
        centre = db.session.get(Centre, world["centre"])
        names = [r.name for r in month_attendance(centre, 2026, 11)]
        assert pseudonym in names
        stored = db.session.scalars(select(WeekPlan).where(WeekPlan.week == "2026-W47")).one()
        mine = next(p for p in stored.instance["participants"]
                    if p["id"] == f"p{person.id}")
        assert (mine["productivity"], mine["support_points"]) == (100, 0)
        marks = db.session.scalars(select(RegisterMark).where(
            RegisterMark.participant_id == person.id)).all()
        assert {m.reason_code for m in marks} == {"muu", ""}
        erase_events = _events(action="erase", participant_id=person.id)
        assert len(erase_events) == 1 and erase_events[0].actor.startswith("user:")
    week = admin.get(f"/planning/{world['centre']}/2026-W47").get_data(as_text=True)
    assert pseudonym in week and "Zenobia" not in week
    # The log names the person by number only, and lists the erasure.
    log = admin.get(f"/admin/audit?participant={world['person']}").get_data(as_text=True)
    assert "erase" in log and "Zenobia" not in log


def test_erasing_someone_on_this_weeks_plan_asks_then_marks_the_rest_of_the_week(app):
    app.config["CLOCK_TODAY"] = TODAY  # Wednesday, 13:00: the afternoon has begun
    app.config["CLOCK_TIME"] = "13:00"
    with app.app_context():
        world = privacy_world(work_this_week=True)
        rows_before = sorted(db.session.execute(select(
            Assignment.participant_id, Assignment.day, Assignment.half)).all())
    admin = _signed_in(app, world["admin"])
    page = admin.get(f"/people/{world['person']}/erase").get_data(as_text=True)
    assert "julkaistussa suunnitelmassa" in page
    refused = admin.post(f"/people/{world['person']}/erase", data={"understood": "y"})
    assert refused.status_code == 200
    with app.app_context():
        assert db.session.get(Participant, world["person"]).erased_at is None
    done = admin.post(f"/people/{world['person']}/erase",
                      data={"understood": "y", "remove_from_plan": "y"})
    assert done.status_code == 302
    with app.app_context():
        away = sorted((a.day, a.half) for a in db.session.scalars(select(Absence).where(
            Absence.participant_id == world["person"], Absence.day >= date(2026, 11, 23))))
        thursday, friday = date(2026, 11, 26), date(2026, 11, 27)
        assert away == [(thursday, "am"), (thursday, "pm"), (friday, "am"), (friday, "pm")]
        assert db.session.scalars(select(Absence).where(
            Absence.participant_id == world["colleague"])).all() == []
        rows_after = sorted(db.session.execute(select(
            Assignment.participant_id, Assignment.day, Assignment.half)).all())
        assert rows_after == rows_before


def test_an_unremovable_photo_leaves_the_database_unchanged(app, world):
    with app.app_context():
        photo = photo_dir() / world["photo"]
    photo.unlink()
    photo.mkdir()  # a directory where the file was: removing it fails, even for root
    (photo / "keep").write_text("x")
    admin = _signed_in(app, world["admin"])
    response = admin.post(f"/people/{world['person']}/erase", data={"understood": "y"})
    assert "Mitään ei poistettu" in response.get_data(as_text=True)
    with app.app_context():
        person = db.session.get(Participant, world["person"])
        assert (person.first_name, person.erased_at) == ("Zenobia", None)
        assert db.session.get(ParticipantSupport, person.id).notes == "Hiljaisnurkka auttaa"
        assert _events(action="erase") == []


# --- photo consent ----------------------------------------------------------------------------

def test_a_photo_reaches_the_tablet_only_with_consent_and_withdrawal_removes_it(app, world):
    staff = _signed_in(app, world["staff"])
    kiosk = app.test_client()
    kiosk.post(f"/tablet/enroll/{world['token']}")
    photo_url = f"/media/photos/{world['photo']}"
    assert kiosk.get(photo_url).status_code == 200
    with app.app_context():
        new = save_photo(jpeg())
        person = db.session.get(Participant, world["colleague"])
        person.photo_path, person.symbol = new, "moon"
        db.session.commit()
    # Kalle has a photo but no consent: the tablet gets the symbol, never the photo.
    assert kiosk.get(f"/media/photos/{new}").status_code == 404
    assert staff.get(f"/media/photos/{new}").status_code == 200
    tiles = kiosk.get("/tablet/").get_data(as_text=True)
    assert "pin/moon.svg" in tiles and new not in tiles and world["photo"] in tiles
    refused = staff.post(f"/people/{world['colleague']}/consent", data={})
    assert refused.status_code == 302
    with app.app_context():
        assert db.session.get(Participant, world["colleague"]).photo_consent_on is None
    staff.post(f"/people/{world['colleague']}/consent", data={"uses": ["tablet"]})
    assert kiosk.get(f"/media/photos/{new}").status_code == 200
    with app.app_context():
        kalle = db.session.get(Participant, world["colleague"])
        assert (kalle.photo_consent_on, kalle.photo_consent_use, kalle.photo_consent_by_id) == \
            (date.fromisoformat(TODAY), "tablet", world["staff_id"])
        folder = photo_dir()
    staff.post(f"/people/{world['person']}/consent/withdraw")
    assert not (folder / world["photo"]).exists()
    assert kiosk.get(photo_url).status_code == 404
    with app.app_context():
        person = db.session.get(Participant, world["person"])
        assert (person.photo_path, person.photo_consent_on) == (None, None)


# --- retention --------------------------------------------------------------------------------

def test_made_inactive_records_the_day_and_retention_lists_then_anonymises(app, runner, world):
    from workcentre.people.services import _set_active

    with app.app_context():
        person = db.session.get(Participant, world["person"])
        _set_active(person, False)
        assert person.left_on == date.fromisoformat(TODAY)
        person.left_on = date(2025, 10, 1)  # 13 months ago: past the default 12
        colleague = db.session.get(Participant, world["colleague"])
        colleague.active, colleague.left_on = False, date(2026, 1, 10)  # 10 months: not yet
        old = datetime(2024, 10, 1)
        db.session.execute(insert(AuditEvent), [
            {"at": old, "actor": "system", "action": "login", "entity": "user",
             "fields": []}, {"at": old + timedelta(days=1), "actor": "system",
                             "action": "login", "entity": "user", "fields": []}])
        db.session.commit()
        kept_events = db.session.scalar(select(func.count(AuditEvent.id))) - 2
    dry = runner.invoke(args=["retention"])
    assert dry.exit_code == 0, dry.output
    assert f"#{world['person']} left 2025-10-01" in dry.output
    assert f"#{world['colleague']}" not in dry.output and "Dry run" in dry.output
    assert "Zenobia" not in dry.output
    admin = _signed_in(app, world["admin"])
    listed = admin.get("/admin/privacy").get_data(as_text=True)
    assert f"Asiakas {world['person']}" in listed and f"Asiakas {world['colleague']}" not in listed
    with app.app_context():
        assert db.session.get(Participant, world["person"]).erased_at is None
    applied = runner.invoke(args=["retention", "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "Anonymised 1 people; purged 2 audit events" in applied.output
    with app.app_context():
        assert db.session.get(Participant, world["person"]).first_name == \
            f"Osallistuja {world['person']}"
        assert db.session.get(Participant, world["colleague"]).erased_at is None
        assert db.session.scalar(select(func.min(AuditEvent.at))) > datetime(2024, 12, 1)
        assert db.session.scalar(select(func.count(AuditEvent.id))) > kept_events
        assert _events(action="purge_audit")
        assert _events(action="erase", actor="cli")
    assert "Quillfeather" not in _every_text(app)


def test_the_centre_sets_its_retention_periods(app, world):
    admin = _signed_in(app, world["admin"])
    bad = admin.post("/admin/privacy", data={"centre_id": world["centre"],
                                             "retention_months": 0,
                                             "audit_retention_months": 24})
    assert "Anna luku 1–120." in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Centre, world["centre"]).retention_months == 12
    admin.post("/admin/privacy", data={"centre_id": world["centre"], "retention_months": 6,
                                       "audit_retention_months": 36})
    with app.app_context():
        centre = db.session.get(Centre, world["centre"])
        assert (centre.retention_months, centre.audit_retention_months) == (6, 36)
    assert _signed_in(app, world["staff"]).get("/admin/privacy").status_code == 403


def test_only_the_retention_purge_may_delete_audit_events(app, world):
    from sqlalchemy import delete, update

    with app.app_context():
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(delete(AuditEvent))
        db.session.rollback()
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.execute(update(AuditEvent).values(actor="x"))
        db.session.rollback()
        assert db.session.scalar(select(func.count(AuditEvent.id))) > 0


# --- who read what --------------------------------------------------------------------------

def test_the_log_filtered_by_person_lists_reads_of_health_data_and_exports(app, world):
    staff = _signed_in(app, world["staff"])
    staff.get(f"/people/{world['person']}")
    staff.get(f"/people/{world['person']}/export.zip")
    staff.get(f"/planning/{world['centre']}/2026-W47/instance.json")
    admin = _signed_in(app, world["admin"])
    log = admin.get(f"/admin/audit?participant={world['person']}").get_data(as_text=True)
    assert "view_support" in log and "export" in log
    with app.app_context():
        actions = {e.action for e in _events(participant_id=world["person"])}
        assert {"view_support", "export"} <= actions
    assert staff.get(f"/admin/audit?participant={world['person']}").status_code == 403
