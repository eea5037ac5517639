"""The factory, the demo, the command line and a missing or broken database."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from scheduling import evaluate, load_instance
from tests.conftest import app_config
from workcentre import create_app
from workcentre.extensions import db
from workcentre.models import (
    Centre,
    Order,
    Participant,
    ParticipantSupport,
    TaskType,
    User,
    WeekPlan,
)
from workcentre.planning import store


def counts() -> dict[str, int]:
    models = (Centre, Participant, ParticipantSupport, TaskType, User, Order, WeekPlan)
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def test_factory_reads_test_config(app):
    assert app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fi"


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKCENTRE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "config.py").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKCENTRE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "config.py").exists()


def test_demo_loads_once_and_keeps_data(app, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKCENTRE_INSTANCE_PATH", str(tmp_path))
    demo_app = create_app(app_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    runner = demo_app.test_cli_runner()
    first = runner.invoke(args=["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.example" in first.output
    with demo_app.app_context():
        after_first = counts()
    assert after_first["Participant"] == 16 and after_first["Centre"] == 1
    assert after_first["ParticipantSupport"] == 16
    assert after_first["TaskType"] >= 5 and after_first["Order"] == 6
    # The planning week comes planned and published, and the plan is valid.
    assert after_first["WeekPlan"] == 1 and "planned and published" in first.output
    with demo_app.app_context():
        plan = db.session.scalars(select(WeekPlan)).one()
        assert plan.state == "published" and plan.assignments
        data = store.planning_instance(plan.centre, plan.week)
        assert evaluate(load_instance(data), store.plan_json(plan, data)).valid
    second = runner.invoke(args=["demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    assert "kept as it is" in second.output
    with demo_app.app_context():
        assert counts() == after_first
    # The printed logins work.
    line = next(x for x in second.output.splitlines() if "marja@demo.example" in x)
    password = line.split()[-1]
    client = demo_app.test_client()
    response = client.post("/login", data={"email": "marja@demo.example", "password": password})
    assert response.headers["Location"].endswith("/planning/")
    assert "Lappeenrannan työkeskus" in client.get("/planning/").get_data(as_text=True)


def test_create_user_command(app, runner):
    result = runner.invoke(args=["create-user", "--email", "Uusi@Test.example", "--name", "Uusi",
                                 "--role", "admin", "--password", "pitka-salasana"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "uusi@test.example"))
    again = runner.invoke(args=["create-user", "--email", "uusi@test.example", "--name", "Uusi",
                                "--role", "admin", "--password", "pitka-salasana"])
    # Idempotent: the same command again keeps the account and says so.
    assert again.exit_code == 0 and "exists already" in again.output


def test_enroll_kiosk_prints_a_one_time_link(app, runner):
    with app.app_context():
        db.session.add(Centre(name="Ainoa keskus"))
        db.session.commit()
    result = runner.invoke(args=["enroll-kiosk", "--name", "Pakkaamo 1"])
    assert result.exit_code == 0, result.output
    url = result.stdout.strip().splitlines()[0]
    path = url.removeprefix("http://127.0.0.1:5000")
    client = app.test_client()
    assert client.post(path).headers["Location"].endswith("/tablet/")
    assert client.get("/tablet/").status_code == 200


@pytest.fixture
def broken_app(tmp_path):
    def make(contents: bytes | None):
        path = tmp_path / "workcentre.sqlite"
        if contents is not None:
            path.write_bytes(contents)
        return create_app(app_config(f"sqlite:///{path}"))

    return make


@pytest.mark.parametrize("contents", [None, b"this is not a database" * 100])
def test_missing_or_corrupt_database_gives_a_clear_page(broken_app, contents):
    client = broken_app(contents).test_client()
    response = client.post("/login", data={"email": "a@test.example", "password": "x" * 12})
    assert response.status_code == 503
    assert "workcentre init-db" in response.get_data(as_text=True)


@pytest.mark.parametrize("contents", [None, b"this is not a database" * 100])
def test_missing_or_corrupt_database_gives_a_clear_command_error(broken_app, contents):
    runner = broken_app(contents).test_cli_runner()
    result = runner.invoke(args=["create-user", "--email", "a@test.example", "--name", "A",
                                 "--role", "admin", "--password", "pitka-salasana"])
    assert result.exit_code == 1
    assert "workcentre init-db" in result.output and "Traceback" not in result.output


def test_console_script_lists_commands():
    result = subprocess.run([sys.executable, "-c", "from workcentre.cli import main; main()",
                             "--help"], capture_output=True, text=True, check=False)
    for command in ("init-db", "create-user", "serve", "demo", "enroll-kiosk"):
        assert command in result.stdout


def test_scheduling_imports_no_web_stack():
    code = ("import sys, scheduling; "
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'workcentre') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_the_planning_week_turns_at_the_weekend():
    from datetime import date

    from workcentre.weeks import planning_week, week_slots

    assert planning_week(date(2026, 11, 20)) == "2026-W47"  # Friday: this week
    assert planning_week(date(2026, 11, 22)) == "2026-W48"  # Sunday: the coming week
    slots = week_slots("2026-W48")
    assert [s.key for s in slots[:3]] == ["mon-am", "mon-pm", "tue-am"]
    assert slots[0].day == date(2026, 11, 23) and len(slots) == 10


def test_sqlite_takes_tablet_reports_from_many_tablets_at_once(tmp_path):
    """Tablets report and reload their page at the same moment on the embedded SQLite database
    while a long read (an export, a backup) holds it for six seconds: every report is saved, no
    answer is "database is locked" (503)."""
    import sqlite3
    import threading
    import time

    from flask_migrate import upgrade

    from tests.tablet_world import WORKDAY, tablet_world
    from workcentre.models import ProgressReport
    from workcentre.tablet.services import start_enrolment

    app = create_app({**app_config(f"sqlite:///{tmp_path / 'load.sqlite'}"),
                      "CLOCK_TODAY": WORKDAY})
    tablets, reports = 8, 10
    with app.app_context():
        upgrade()
        world = tablet_world()
        centre = db.session.get(Centre, world["centre"])
        tokens = [start_enrolment(centre, f"Tabletti {n}")[1] for n in range(tablets)]
        db.session.commit()
    clients = [app.test_client() for _ in range(tablets)]
    for client, token in zip(clients, tokens, strict=True):
        assert client.post(f"/tablet/enroll/{token}").status_code == 302
        assert client.post(f"/tablet/me/{world['aino']}").status_code == 302
    start, answers = threading.Barrier(tablets + 1), []

    def long_read() -> None:
        reader = sqlite3.connect(tmp_path / "load.sqlite", isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM progress_report").fetchall()
        start.wait()
        time.sleep(6)
        reader.execute("COMMIT")
        reader.close()

    def send(number: int) -> None:
        client = clients[number]
        start.wait()
        for index in range(reports):
            form = {"key": f"{number:02d}{index:030d}", "step": world["step"], "half": "am",
                    "units": "1", "person": world["aino"]}
            response = client.post("/tablet/report", data=form)
            answers.append(("report", response.status_code,
                            "/tablet/done/" in response.headers.get("Location", "")))
            answers.append(("page", client.get("/tablet/work").status_code, True))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(tablets)]
    threads.append(threading.Thread(target=long_read))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(answers) == {("report", 302, True), ("page", 200, True)}, [
        a for a in answers if a[1] == 503]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgressReport)) == (
            tablets * reports)
        db.engine.dispose()


def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'pragmas.sqlite'}"))
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_builds_a_gunicorn_command():
    import os

    from workcentre.cli import gunicorn_command

    command = gunicorn_command("0.0.0.0", 8000, None)
    assert command[1:3] == ["-m", "gunicorn"] and command[-1] == "workcentre:create_app()"
    assert command[command.index("--bind") + 1] == "0.0.0.0:8000"
    assert command[command.index("--workers") + 1] == str(2 * (os.cpu_count() or 1) + 1)
    assert gunicorn_command("127.0.0.1", 5000, 3)[command.index("--workers") + 1] == "3"


def test_serve_starts_gunicorn_and_answers(tmp_path):
    """`workcentre serve` in a real process: a production server answers on the chosen port."""
    import os
    import time
    import urllib.request

    port = _free_port()
    env = {**os.environ, "WORKCENTRE_INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "serve-test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}"}
    server = subprocess.Popen(
        [sys.executable, "-c", "from workcentre.cli import main; main()", "serve",
         "--port", str(port), "--workers", "2"], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, response = time.monotonic() + 60, None
        while response is None and time.monotonic() < deadline:
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5)
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                time.sleep(0.3)
        assert response is not None and response.status == 200
        assert response.headers["Server"].startswith("gunicorn")
        assert "Kirjaudu" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_region_demo_is_grown_once_through_the_models(app, tmp_path):
    from datetime import date

    from workcentre.demo_region import REGION_CENTRE, load_region
    from workcentre.models import Instructor, OrderStep
    from workcentre.weeks import planning_week

    with app.app_context():
        assert load_region(str(tmp_path)) is True
        region = db.session.scalar(select(Centre).where(Centre.name == REGION_CENTRE))
        count = lambda model, *where: db.session.scalar(  # noqa: E731
            select(func.count()).select_from(model).where(*where))
        sizes = (count(Participant, Participant.centre_id == region.id),
                 count(ParticipantSupport), count(Instructor),
                 count(OrderStep, OrderStep.order_id.in_(
                     select(Order.id).where(Order.centre_id == region.id))))
        assert sizes == (300, 300, 40, 120)
        assert load_region(str(tmp_path)) is False
        assert count(Participant) == 300
        # The optimiser gets the whole region week: every person and every step.
        data = store.planning_instance(region, planning_week(date.today()))
        assert len(data["participants"]) == 300 and len(data["instructors"]) == 40
        assert sum(len(order["steps"]) for order in data["orders"]) == 120
    assert "alue@demo.example" in (tmp_path / "demo-logins.txt").read_text()
