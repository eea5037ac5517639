"""Exports anyone can check with `python -m scheduling check`, and reads of health data that
leave a trace in the audit log."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from scheduling.__main__ import main as scheduling_main
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import AuditEvent, Centre, Participant, User
from workcentre.planning import store

from ..factories import login, password_hash

WEEK = "2026-W48"


@pytest.fixture
def demo(app, tmp_path):
    app.config["CLOCK_TODAY"] = "2026-11-22"
    with app.app_context():
        load_demo(str(tmp_path), today=date(2026, 11, 23))
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        marja.password_hash = password_hash()
        db.session.commit()
    return app.test_cli_runner()


def _export(runner, tmp_path, version: int | None, name: str) -> tuple:
    extra = ["--version", str(version)] if version is not None else []
    week_file, plan_file = tmp_path / f"{name}-week.json", tmp_path / f"{name}-plan.json"
    result = runner.invoke(args=["export-instance", "--week", WEEK, "-o", str(week_file), *extra])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["export-plan", "--week", WEEK, "-o", str(plan_file), *extra])
    assert result.exit_code == 0, result.output
    return week_file, plan_file


def _checks(week_file, plan_file, capsys) -> dict:
    code = scheduling_main(["check", str(week_file), str(plan_file)])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(plan_file.read_text())


def test_every_exported_pair_passes_the_contract_check(app, client, demo, tmp_path, capsys):
    assert demo.invoke(args=["plan-week", "--week", WEEK, "--time-limit", "10",
                             "--publish"]).exit_code == 0
    plan = _checks(*_export(demo, tmp_path, 1, "v1"), capsys)
    assert plan["unassigned"] and all(row["reason"] and row["detail"]
                                      for row in plan["unassigned"])

    # A re-plan from Wednesday: `previous` is the published plan, so changes to it count.
    result = demo.invoke(args=["plan-week", "--week", WEEK, "--time-limit", "10",
                               "--from-slot", "wed-am"])
    assert result.exit_code == 0, result.output
    week_file, plan_file = _export(demo, tmp_path, 2, "v2")
    replanned = _checks(week_file, plan_file, capsys)
    with app.app_context():
        published = store.triples(store.published_plan(_centre(), WEEK))
    current = json.loads(_export(demo, tmp_path, None, "now")[0].read_text())
    assert current["previous"] == published
    assert json.loads(week_file.read_text())["previous"]
    assert replanned["terms"]["previous_changes"] == _changes(week_file, replanned)

    # A hand edit of the draft: its own instance is stored with it, and the pair still checks.
    with app.app_context():
        draft = store.latest_plan(_centre(), WEEK)
        a = next(a for a in draft.assignments if a.day >= date(2026, 11, 26) and not a.locked)
        cell, seen = (a.participant_id, store.slot_key(a)), store.seen(draft)
    assert login(client, "marja@demo.example").status_code == 302
    response = client.post(f"/planning/{_centre_id(app)}/{WEEK}/cell/{cell[0]}/{cell[1]}",
                           data={"step": "", "plan_id": seen.plan_id, "revision": seen.revision})
    assert response.status_code == 302
    _checks(*_export(demo, tmp_path, 2, "v2-edited"), capsys)
    # ... and version 1 still checks against the instance it was solved from.
    _checks(*_export(demo, tmp_path, 1, "v1-again"), capsys)


def _changes(week_file, plan: dict) -> int:
    held = {(a["participant"], a["slot"]): a["step"] for a in plan["assignments"]}
    data = json.loads(week_file.read_text())
    attends = {p["id"]: set(p["attends"]) for p in data["participants"]}
    return sum(1 for t in data["previous"] if t["slot"] in attends.get(t["participant"], ())
               and held.get((t["participant"], t["slot"])) != t["step"])


def _centre() -> Centre:
    return db.session.scalars(select(Centre)).one()


def _centre_id(app) -> int:
    with app.app_context():
        return _centre().id


def _health_reads(app) -> set[int]:
    with app.app_context():
        return {e.participant_id for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "view_support"))}


def test_the_instance_download_is_logged_for_every_participant(app, client, demo):
    assert login(client, "marja@demo.example").status_code == 302
    assert _health_reads(app) == set()
    response = client.get(f"/planning/{_centre_id(app)}/{WEEK}/instance.json")
    assert response.status_code == 200
    people = {int(p["id"][1:]) for p in response.get_json()["participants"]}
    assert people and _health_reads(app) == people
    with app.app_context():
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        actors = {e.user_id for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "view_support"))}
        assert actors == {marja.id}
        assert db.session.scalar(select(Participant).where(Participant.id.in_(people))) \
            is not None


def test_the_instance_export_on_the_command_line_is_logged(app, demo, tmp_path):
    result = demo.invoke(args=["export-instance", "--week", WEEK, "-o", str(tmp_path / "w.json")])
    assert result.exit_code == 0, result.output
    people = {int(p["id"][1:]) for p in
              json.loads((tmp_path / "w.json").read_text())["participants"]}
    assert people and _health_reads(app) == people
