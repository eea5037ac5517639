"""Bulk intake for admins: `workcentre order-template` and `workcentre import-orders`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from .. import audit
from ..cli_support import database_errors_as_messages, pick_centre
from ..extensions import db
from ..setup.services import find_company
from . import services
from .importer import order_template, read_order_workbook


def register(app: Flask) -> None:
    @app.cli.command("order-template")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
    def order_template_command(output: Path) -> None:
        """Write the companies' order template (.xlsx)."""
        try:
            output.write_bytes(order_template())
        except OSError as error:
            raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from error
        click.echo(f"Wrote {output}")

    @app.cli.command("import-orders")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--company", "company_name", required=True, help="The ordering company.")
    @click.option("--centre", "centre_name", help="Work centre (if several).")
    @database_errors_as_messages
    def import_orders(file: Path, company_name: str, centre_name: str | None) -> None:
        """One order from the template, through the same checks as the portal: all or nothing."""
        audit.set_actor(audit.Actor("cli"))
        company = find_company(company_name)
        if company is None:
            raise click.ClickException(f"No company named {company_name!r}.")
        centre = pick_centre(centre_name)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise click.ClickException(f"Cannot read {file}: {error.strerror}.") from error
        result = read_order_workbook(data, centre_id=centre.id)
        if result.errors:
            raise click.ClickException("Nothing imported:\n  " + "\n  ".join(result.errors))
        order = services.submit_order(company, None, centre, result.lines)
        db.session.commit()
        click.echo(f"Imported {len(result.lines)} lines as order {order.reference} "
                   f"for {company.name}.")
