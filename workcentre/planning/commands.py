"""Planning on the command line, for admins and automation (`workcentre plan-week` etc.)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app

from .. import audit
from ..cli_support import database_errors_as_messages, pick_centre
from ..extensions import db
from ..models import Centre, WeekPlan
from ..weeks import planning_week, week_monday
from . import export, runs, store


def _week(value: str | None) -> str:
    if value is None:
        return planning_week(date.today())
    try:
        week_monday(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO week such as 2026-W48.",
                                 param_hint="--week") from None
    return value


def _write(text: str | bytes, output: str | None) -> None:
    if output is None:
        click.echo(text)
        return
    path = Path(output)
    try:
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, "utf-8")
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from error
    click.echo(f"Wrote {output}", err=True)


def _stored(centre: Centre, week: str, version: int | None) -> WeekPlan:
    versions = store.plan_versions(centre, week)
    plan = next((v for v in versions if version is None or v.version == version), None)
    if plan is None:
        raise click.ClickException(f"No stored plan for {centre.name}, {week}"
                                   + (f", version {version}" if version else "")
                                   + ". Make one with: workcentre plan-week")
    return plan


def plan_now(app: Flask, centre: Centre, week: str, time_limit: float,
             from_slot: str | None = None) -> runs.PlanRun:
    """Solve the week in this process and store the plan as its draft."""
    try:
        run = runs.create_run(centre, week, None, time_limit=time_limit, from_slot=from_slot)
    except runs.RunRefused as refused:
        reason = {"busy": "another solve of this week is running",
                  "past": "the week is over and its published plan stays as it is"}.get(
            str(refused), f"unknown slot {from_slot!r}")
        raise click.ClickException(f"Cannot plan {week}: {reason}.") from None
    run_id = run.id
    runs.execute_run(app, run_id)
    db.session.expire_all()
    return db.session.get(runs.PlanRun, run_id)


centre_option = click.option("--centre", "centre_name", help="Work centre (if several).")
week_option = click.option("--week", help="ISO week, e.g. 2026-W48 (default: the planning week).")


def register(app: Flask) -> None:
    @app.cli.command("export-instance")
    @centre_option
    @week_option
    @click.option("--version", type=int,
                  help="The instance this plan version was made from (default: the week now).")
    @click.option("-o", "--output", help="File to write (default: standard output).")
    @database_errors_as_messages
    def export_instance(centre_name: str | None, week: str | None, version: int | None,
                        output: str | None) -> None:
        """The week's planning data as the contract's instance JSON (logged: it holds every
        participant's pace and support points)."""
        audit.set_actor(audit.Actor("cli"))
        centre, week = pick_centre(centre_name), _week(week)
        data = store.planning_instance(centre, week) if version is None \
            else store.instance_of(_stored(centre, week, version))
        store.log_health_read(data)
        _write(json.dumps(data, ensure_ascii=False, indent=1), output)

    @app.cli.command("plan-week")
    @centre_option
    @week_option
    @click.option("--time-limit", default=30.0, show_default=True, type=click.FloatRange(1, 600))
    @click.option("--from-slot", help="Re-plan from this slot on (e.g. wed-am).")
    @click.option("--publish", is_flag=True, help="Publish the new plan right away.")
    @database_errors_as_messages
    def plan_week(centre_name: str | None, week: str | None, time_limit: float,
                  from_slot: str | None, publish: bool) -> None:
        """Solve the week, store the plan as its draft, and print the summary."""
        audit.set_actor(audit.Actor("cli"))
        centre, week = pick_centre(centre_name), _week(week)
        run = plan_now(current_app._get_current_object(), centre, week, time_limit, from_slot)
        if run.state != "done":
            raise click.ClickException(f"No plan stored ({run.state}: {run.message or '-'}); "
                                       f"the previous plan is unchanged.")
        plan = db.session.get(WeekPlan, run.result_plan_id)
        if publish:
            store.publish(plan, None)
            db.session.commit()
        body = store.plan_json(plan)
        click.echo(f"{centre.name} {week}: version {plan.version} ({plan.state}), "
                   f"{run.solve_status}, objective {body['objective']}, bound {run.bound}")
        click.echo(f"  assignments {len(body['assignments'])}, "
                   f"unassigned half-days {body['terms']['unassigned']}, "
                   f"late steps {len(plan.explanations.get('late_steps', []))}")

    @app.cli.command("export-plan")
    @centre_option
    @week_option
    @click.option("--version", type=int, help="Plan version (default: the newest).")
    @click.option("-o", "--output", help="File to write (default: standard output).")
    @database_errors_as_messages
    def export_plan(centre_name: str | None, week: str | None, version: int | None,
                    output: str | None) -> None:
        """The stored plan as the contract's plan JSON, its figures recomputed by the evaluator."""
        centre, week = pick_centre(centre_name), _week(week)
        body = store.plan_json(_stored(centre, week, version))
        _write(json.dumps(body, ensure_ascii=False, indent=1), output)

    @app.cli.command("export-week")
    @centre_option
    @week_option
    @click.option("--version", type=int, help="Plan version (default: the newest).")
    @click.option("-o", "--output", required=True, help="The .xlsx file to write.")
    @database_errors_as_messages
    def export_week(centre_name: str | None, week: str | None, version: int | None,
                    output: str) -> None:
        """The stored plan as an Excel workbook (a sheet per day and area, and the orders)."""
        centre, week = pick_centre(centre_name), _week(week)
        _write(export.week_workbook(centre, week, _stored(centre, week, version)), output)
