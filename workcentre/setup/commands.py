"""`workcentre create-centre` and `create-company`: scripted set-up from an empty database."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click
from flask import Flask
from sqlalchemy import select

from .. import audit
from ..cli_support import database_errors_as_messages, pick_centre
from ..extensions import db

T = TypeVar("T")
KEPT = "exists already; kept as it is."


def _create(make: Callable[[], tuple[T, bool]], said: Callable[[T, bool], str]) -> None:
    """Run a set-up service for the command line: a refusal ends the command with its message;
    what it made or found is committed and said."""
    from .services import SetupRefused

    audit.set_actor(audit.Actor("cli"))
    try:
        thing, created = make()
    except SetupRefused as refused:
        raise click.ClickException(refused.message) from None
    db.session.commit()
    click.echo(said(thing, created))


def register(app: Flask) -> None:
    @app.cli.command("create-centre")
    @click.option("--name", required=True, help="The work centre's name.")
    @click.option("--address", default="", help="Street address (optional).")
    @click.option("--slots", help='Morning and afternoon, e.g. "08:30-11:30,12:15-14:45".')
    @database_errors_as_messages
    def create_centre_command(name: str, address: str, slots: str | None) -> None:
        """Add a work centre (kept as it is when one of that name exists)."""
        from .services import create_centre, parse_half_days

        def make():
            half_days = parse_half_days(slots) if slots is not None else None
            return create_centre(name, address=address, half_days=half_days)

        _create(make, lambda centre, created: f"Work centre {centre.name!r} "
                + ("created." if created else KEPT))

    @app.cli.command("create-company")
    @click.option("--name", required=True, help="The customer company's name.")
    @database_errors_as_messages
    def create_company_command(name: str) -> None:
        """Add a customer company (kept as it is when one of that name exists)."""
        from .services import create_company

        _create(lambda: create_company(name), lambda company, created: f"Company "
                f"{company.name!r} " + ("created." if created else KEPT))

    @app.cli.command("create-area")
    @click.option("--centre", "centre_name", help="Work centre (may be left out if one).")
    @click.option("--name", required=True, help="The work area's (room's) name.")
    @click.option("--seats", required=True, type=int, help="Places to work in the area.")
    @database_errors_as_messages
    def create_area_command(centre_name: str | None, name: str, seats: int) -> None:
        """Add a work area to a centre (kept as it is when one of that name exists)."""
        from .services import create_area

        _create(lambda: create_area(pick_centre(centre_name), name, seats),
                lambda area, created: f"Work area {area.name!r} ({area.seats} seats) created."
                if created else f"Work area {area.name!r} {KEPT}")

    @app.cli.command("create-task-type")
    @click.option("--centre", "centre_name", help="Work centre (may be left out if one).")
    @click.option("--area", "area_name", required=True, help="The work area it is done in.")
    @click.option("--name", required=True, help='The task name, e.g. "Pakkaus".')
    @click.option("--code", required=True, help='A short code, e.g. "pack".')
    @database_errors_as_messages
    def create_task_type_command(centre_name: str | None, area_name: str, name: str,
                                 code: str) -> None:
        """Add a task type to a centre (kept as it is when its code exists)."""
        from .services import create_task_type

        _create(lambda: create_task_type(pick_centre(centre_name), area_name, name, code),
                lambda kind, created: f"Task type {kind.code!r} ({kind.name}) created."
                if created else f"Task type {kind.code!r} {KEPT}")

    @app.cli.command("accept-order")
    @click.argument("reference")
    @click.option("--task-type", "code", required=True, help="Task type code for every line.")
    @click.option("--seconds-per-unit", required=True, type=click.IntRange(1, 36_000),
                  help="Standard time of one unit.")
    @database_errors_as_messages
    def accept_order_command(reference: str, code: str, seconds_per_unit: int) -> None:
        """Take a received order in: each line becomes one step of the task type, due on the
        date the company wished."""
        from ..models import Order, OrderStatus
        from ..orders.services import StepInput, accept_order

        audit.set_actor(audit.Actor("cli"))
        order = db.session.scalar(select(Order).where(Order.reference == reference.strip()))
        if order is None:
            raise click.ClickException(f"No order {reference!r}.")
        if order.status != OrderStatus.RECEIVED:
            click.echo(f"Order {order.reference} is {order.status} already; kept as it is.")
            return
        centre = order.centre
        kind = next((k for k in centre.task_types if k.code == code.strip().lower()), None) \
            if centre else None
        if kind is None:
            raise click.ClickException(f"No task type {code!r} in the order's work centre.")
        accept_order(order, centre, [
            StepInput(line.id, kind.id, line.quantity, seconds_per_unit, None, line.wished_date)
            for line in order.lines], None, None)
        db.session.commit()
        click.echo(f"Order {order.reference} accepted: {len(order.lines)} steps of {kind.name}.")
