"""The `workcentre` console command: the Flask CLI plus the project's own commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from . import audit
from .cli_support import database_errors_as_messages, pick_centre
from .extensions import db
from .models import Role


def upgrade_database() -> None:
    """Create the database (and instance/ for SQLite) and bring it to the newest migration."""
    from flask_migrate import upgrade

    os.makedirs(current_app.instance_path, exist_ok=True)
    upgrade()


def register_commands(app: Flask) -> None:
    from .orders import commands as order_commands
    from .people import commands as people_commands
    from .planning import commands as planning_commands
    from .privacy import commands as privacy_commands
    from .reports import commands as report_commands
    from .setup import commands as setup_commands

    planning_commands.register(app)
    setup_commands.register(app)
    people_commands.register(app)
    order_commands.register(app)
    privacy_commands.register(app)
    report_commands.register(app)

    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the database to the newest schema."""
        upgrade_database()
        click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(["admin", "instructor", "company"]), required=True)
    @click.option("--company", "company_name", help="Company name, for a company user.")
    @click.option("--centre", "centre_name", help="Work centre name, for an instructor.")
    @click.password_option(help="Asked for when not given.")
    @database_errors_as_messages
    def create_user_command(email: str, name: str, role: str, company_name: str | None,
                            centre_name: str | None, password: str) -> None:
        """Add a user who signs in with email and password (kept as it is when the email
        exists; an instructor is then added to --centre)."""
        from .setup.services import SetupRefused, add_user, find_centre, find_company

        audit.set_actor(audit.Actor("cli"))
        company = centre = None
        if role == "company":
            company = find_company(company_name or "")
            if company is None:
                raise click.ClickException(
                    "A company user needs --company with an existing name "
                    "(add one with: workcentre create-company --name NAME).")
        if centre_name is not None:
            if role != "instructor":
                raise click.ClickException("--centre is for instructors only.")
            centre = find_centre(centre_name)
            if centre is None:
                raise click.ClickException(
                    f"No work centre named {centre_name!r} "
                    "(add one with: workcentre create-centre --name NAME).")
        try:
            user, created = add_user(email, name, password, Role(role), company=company,
                                     centre=centre)
        except SetupRefused as refused:
            raise click.ClickException(refused.message) from None
        db.session.commit()
        where = f" in {centre.name}" if centre else f" of {company.name}" if company else ""
        if created:
            click.echo(f"User {user.email} ({role}{where}) created.")
        else:
            click.echo(f"A user with the email {user.email} exists already ({user.role}); "
                       f"kept as it is{where if role == user.role == 'instructor' else ''}.")

    @app.cli.command("serve")
    @serve_options
    def serve(host: str, port: int, workers: int | None, debug: bool) -> None:
        """Serve the app with gunicorn (several processes); --debug: the development server."""
        start_server(host, port, workers, debug)

    @app.cli.command("worker")
    @click.option("--queue", "queue_name", help="Queue to take solves from (default: "
                  "WORKCENTRE_SOLVE_QUEUE, else workcentre-solves).")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def worker(queue_name: str | None, burst: bool) -> None:
        """Do queued solves one at a time (needs REDIS_URL); start several for parallel solves."""
        from .planning import queue

        if queue.redis_url(current_app) is None:
            raise click.ClickException(
                "REDIS_URL is not set: the web processes solve in their own threads, and no "
                "worker is needed. Set REDIS_URL for both the web processes and the workers.")
        from redis.exceptions import RedisError

        try:
            queue.work(current_app._get_current_object(), burst=burst, queue=queue_name)
        except RedisError as error:
            raise click.ClickException(f"Redis does not answer: {error}") from error

    @app.cli.command("demo")
    @click.option("--no-serve", is_flag=True, help="Only load the demo data.")
    @click.option("--size", type=click.Choice(["centre", "region"]), default="centre",
                  show_default=True,
                  help="region: also a county's centres planned together (300 participants).")
    @serve_options
    @database_errors_as_messages
    def demo(no_serve: bool, size: str, host: str, port: int, workers: int | None,
             debug: bool) -> None:
        """Create the database if missing, load the demo centre once, and serve it."""
        from .demo import DEMO_CENTRE, demo_logins, load_demo
        from .demo_region import REGION_CENTRE, load_region

        upgrade_database()
        audit.set_actor(audit.Actor("cli"))
        created = load_demo(current_app.instance_path)
        click.echo("Demo data loaded." if created
                   else "Demo data was there already; kept as it is.")
        plan_demo_week(DEMO_CENTRE, 10.0)
        if size == "region":
            added = load_region(current_app.instance_path)
            click.echo("Region demo loaded." if added
                       else "Region demo was there already; kept as it is.")
            plan_demo_week(REGION_CENTRE, 30.0)
        click.echo("\nDemo logins (email / password):")
        for role, email, password in demo_logins(current_app.instance_path):
            click.echo(f"  {role:<11} {email:<34} {password}")
        if not no_serve:
            click.echo(f"\nOpen http://{host}:{port}/  (Ctrl+C stops)")
            start_server(host, port, workers, debug)

    @app.cli.command("enroll-kiosk")
    @click.option("--centre", "centre_name", help="Work centre name (may be left out if one).")
    @click.option("--name", required=True, help='The tablet\'s name, e.g. "Pakkaamo 1".')
    @click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
    @database_errors_as_messages
    def enroll_kiosk(centre_name: str | None, name: str, base_url: str) -> None:
        """Print a one-time link that turns the browser opening it into a tablet kiosk."""
        from .tablet.services import ENROL_LINK_HOURS, start_enrolment

        audit.set_actor(audit.Actor("cli"))
        centre = pick_centre(centre_name)
        _, token = start_enrolment(centre, name)
        db.session.commit()
        click.echo(f"{base_url.rstrip('/')}/tablet/enroll/{token}")
        click.echo(f"(valid once, for {ENROL_LINK_HOURS} hours)", err=True)


def plan_demo_week(centre_name: str, seconds: float) -> None:
    """A demo centre's planning week, planned and published once, so every page has something
    real."""
    from .planning import store
    from .planning.commands import plan_now
    from .weeks import planning_week

    centre = pick_centre(centre_name)
    week = planning_week(date.today())
    if store.latest_plan(centre, week) is not None:
        return
    click.echo(f"Planning {week} of {centre.name} (about {seconds:.0f} seconds)...")
    run = plan_now(current_app._get_current_object(), centre, week, seconds)
    if run.state == "done":
        store.publish(store.latest_plan(centre, week), None)
        db.session.commit()
        click.echo(f"{week} planned and published.")
    else:
        click.echo(f"Could not plan {week} ({run.message}); plan it on the planning page.")


def serve_options(command: Callable) -> Callable:
    """--host, --port, --workers and --debug, shared by `serve` and `demo`."""
    options = [
        click.option("--host", default="127.0.0.1", show_default=True),
        click.option("--port", default=5000, show_default=True),
        click.option("--workers", type=click.IntRange(min=1),
                     help="Web processes (default: 2 x CPU cores + 1)."),
        click.option("--debug", is_flag=True,
                     help="Flask's development server with the debugger (never in production)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_command(host: str, port: int, workers: int | None) -> list[str]:
    """The gunicorn invocation that serves the app: each worker builds its own app."""
    return [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers or default_workers()),
        # Threads let a worker answer while another request waits on the database or a file.
        "--worker-class", "gthread", "--threads", "4",
        "--timeout", "120", "--graceful-timeout", "30",
        "--access-logfile", "-",
        "--config", "python:workcentre.gunicorn_conf",
        "workcentre:create_app()",
    ]


def start_server(host: str, port: int, workers: int | None, debug: bool) -> None:
    """Replace this process with gunicorn; with debug, run the development server instead."""
    if debug:
        current_app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    db.engine.dispose()  # no connection of this process lives on in the server
    command = gunicorn_command(host, port, workers)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


def main() -> None:
    from . import create_app

    cli = FlaskGroup(
        create_app=lambda: create_app(),
        add_version_option=False,
        help="The work-centre planner. Start with `workcentre demo`.",
    )
    sys.exit(cli.main(prog_name="workcentre"))
