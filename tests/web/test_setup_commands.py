"""From an empty database to a published, evaluator-checked plan with the commands only; each
set-up command is idempotent and refuses bad input with a message, never a traceback."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from scheduling import evaluate, load_instance
from workcentre.extensions import db
from workcentre.models import SLOT_KEYS, AuditEvent, Centre, Company, Instructor, Order, User
from workcentre.people.importer import header

PASSWORD = "pitka-salasana-1"


def run(runner, *args: str, ok: bool = True):
    result = runner.invoke(args=list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def people_workbook(app, rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    with app.test_request_context():
        sheet.append(header())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def order_workbook(runner, tmp_path, rows: list[list]):
    template = tmp_path / "pohja.xlsx"
    run(runner, "order-template", "-o", str(template))
    workbook = load_workbook(template)
    workbook.active.delete_rows(2, workbook.active.max_row)
    for row in rows:
        workbook.active.append(row)
    filled = tmp_path / "tilaus.xlsx"
    workbook.save(filled)
    return filled


def test_from_an_empty_database_to_a_checked_plan_with_commands(app, runner, tmp_path):
    run(runner, "create-centre", "--name", "Kivikon työkeskus",
        "--slots", "08:00-11:00,12:00-15:00")
    run(runner, "create-user", "--email", "admin@kivikko.example", "--name", "Pää Käyttäjä",
        "--role", "admin", "--password", PASSWORD)
    run(runner, "create-user", "--email", "ohjaaja@kivikko.example", "--name", "Olli Ohjaaja",
        "--role", "instructor", "--centre", "kivikon työkeskus", "--password", PASSWORD)
    run(runner, "create-area", "--name", "Pakkaamo", "--seats", "4")
    run(runner, "create-area", "--name", "Kokoonpano", "--seats", "3")
    run(runner, "create-task-type", "--area", "Pakkaamo", "--name", "Pakkaus", "--code", "pack")
    every = ["x"] * len(SLOT_KEYS)
    people = tmp_path / "ihmiset.xlsx"
    people.write_bytes(people_workbook(app, [
        ["Aino", "Aalto", *every, "Pakkaus", "", "", "", 1, 100, "ei"],
        ["Eero", "Eskola", *every, "Pakkaus", "", "", "", 2, 80, "ei"],
        ["Helmi", "Honka", *every, "Pakkaus", "", "", "", 0, 120, "ei"],
    ]))
    assert "3 new" in run(runner, "import-people", str(people)).output
    run(runner, "create-company", "--name", "Saimaan Kartonki Oy")
    run(runner, "create-user", "--email", "tilaaja@kartonki.example", "--name", "Tiina Tilaaja",
        "--role", "company", "--company", "saimaan kartonki oy", "--password", PASSWORD)
    filled = order_workbook(runner, tmp_path, [["Lahjapakkaukset", 600, None, ""]])
    imported = run(runner, "import-orders", "--company", "Saimaan Kartonki Oy", str(filled))
    with app.app_context():
        reference = db.session.scalars(select(Order)).one().reference
    assert reference in imported.output
    run(runner, "accept-order", reference, "--task-type", "pack", "--seconds-per-unit", "30")
    planned = run(runner, "plan-week", "--time-limit", "5", "--publish")
    assert "(published)" in planned.output
    run(runner, "export-instance", "-o", str(tmp_path / "week.json"))
    run(runner, "export-plan", "-o", str(tmp_path / "plan.json"))
    instance = load_instance(json.loads((tmp_path / "week.json").read_text()))
    plan = json.loads((tmp_path / "plan.json").read_text())
    verdict = evaluate(instance, plan)
    assert verdict.valid, verdict.violations
    assert plan["assignments"], "the three people got work"
    with app.app_context():
        centre = db.session.scalars(select(Centre)).one()
        assert (centre.am_start, centre.am_minutes, centre.pm_start, centre.pm_minutes) == \
            ("08:00", 180, "12:00", 180)
        company_user = db.session.scalar(select(User).where(User.role == "company"))
        assert company_user.company.name == "Saimaan Kartonki Oy"


def test_every_set_up_command_is_idempotent(app, runner):
    commands = [
        ["create-centre", "--name", "Kivikko"],
        ["create-company", "--name", "Kartonki Oy"],
        ["create-area", "--name", "Halli", "--seats", "5"],
        ["create-task-type", "--area", "Halli", "--name", "Pakkaus", "--code", "pack"],
        ["create-user", "--email", "o@kivikko.example", "--name", "O", "--role", "instructor",
         "--centre", "Kivikko", "--password", PASSWORD],
        ["create-user", "--email", "t@kartonki.example", "--name", "T", "--role", "company",
         "--company", "Kartonki Oy", "--password", PASSWORD],
    ]
    for command in commands:
        assert "created" in run(runner, *command).output
        again = run(runner, *command)
        assert "exists already" in again.output and "kept as it is" in again.output
    same_in_capitals = run(runner, "create-centre", "--name", "  KIVIKKO ")
    assert "exists already" in same_in_capitals.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Centre)) == 1
        assert db.session.scalar(select(func.count()).select_from(Company)) == 1
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
        instructor = db.session.scalars(select(Instructor)).one()
        assert [c.name for c in instructor.centres] == ["Kivikko"]
        assert instructor.attends == list(SLOT_KEYS)
        # Each thing's creation is in the audit log once, by the command line.
        created = db.session.execute(select(AuditEvent.entity, AuditEvent.actor).where(
            AuditEvent.action == "create")).all()
        for entity in ("centre", "company", "area", "task_type", "user_account"):
            assert created.count((entity, "cli")) == (2 if entity == "user_account" else 1)


def test_an_existing_instructor_joins_another_centre(app, runner):
    run(runner, "create-centre", "--name", "Kivikko")
    run(runner, "create-centre", "--name", "Myllypuro")
    account = ["create-user", "--email", "o@kivikko.example", "--name", "O", "--role",
               "instructor", "--password", PASSWORD, "--centre"]
    run(runner, *account, "Kivikko")
    run(runner, *account, "Myllypuro")
    with app.app_context():
        instructor = db.session.scalars(select(Instructor)).one()
        assert sorted(c.name for c in instructor.centres) == ["Kivikko", "Myllypuro"]


@pytest.mark.parametrize(("args", "message"), [
    (["create-centre", "--name", "   "], "Anna nimi"),
    (["create-centre", "--name", "K" * 121], "liian pitkä"),
    (["create-centre", "--name", "K", "--slots", "8-11"], "08:30-11:30,12:15-14:45"),
    (["create-centre", "--name", "K", "--slots", "08:30-11:30,25:00-26:00"], "25:00"),
    (["create-centre", "--name", "K", "--slots", "11:30-08:30,12:15-14:45"], "loppuu ennen"),
    (["create-centre", "--name", "K", "--slots", "08:30-13:00,12:15-14:45"], "Iltapäivä alkaa"),
    (["create-company", "--name", ""], "Anna nimi"),
    (["create-area", "--name", "Halli", "--seats", "5"], "no work centre yet"),
    (["create-user", "--email", "x@y.example", "--name", "X", "--role", "company",
      "--company", "Ei Oy", "--password", PASSWORD], "create-company"),
    (["create-user", "--email", "x@y.example", "--name", "X", "--role", "instructor",
      "--centre", "Ei keskus", "--password", PASSWORD], "create-centre"),
    (["create-user", "--email", "x@y.example", "--name", "X", "--role", "admin",
      "--centre", "Ei keskus", "--password", PASSWORD], "instructors only"),
    (["create-user", "--email", "ei-osoite", "--name", "X", "--role", "admin",
      "--password", PASSWORD], "Sähköpostiosoite ei kelpaa"),
    (["create-user", "--email", "x@y.example", "--name", "X", "--role", "admin",
      "--password", "lyhyt"], "vähintään 10"),
    (["accept-order", "2026-999", "--task-type", "pack", "--seconds-per-unit", "5"],
     "No order"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_saved(app, runner, args, message):
    result = run(runner, *args, ok=False)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    with app.app_context():
        for model in (Centre, Company, User):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_bad_area_and_task_type_input(app, runner):
    run(runner, "create-centre", "--name", "Kivikko")
    run(runner, "create-area", "--name", "Halli", "--seats", "5")
    for args, message in [
        (["create-area", "--name", "Piha", "--seats", "-1"], "0–500"),
        (["create-task-type", "--area", "Ei ole", "--name", "P", "--code", "p"], "Ei ole"),
        (["create-task-type", "--area", "Halli", "--name", "P", "--code", "ä ö"], "Tunnus"),
    ]:
        result = run(runner, *args, ok=False)
        assert result.exit_code == 1 and message in result.output, result.output
    with app.app_context():
        centre = db.session.scalars(select(Centre)).one()
        assert [a.name for a in centre.areas] == ["Halli"] and centre.task_types == []
