"""`workcentre import-people FILE.xlsx`: the same import as the web page, for admins."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from .. import audit
from ..cli_support import database_errors_as_messages, pick_centre
from ..extensions import db
from .importer import import_participants


def register(app: Flask) -> None:
    @app.cli.command("import-people")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--centre", "centre_name", help="Work centre (if several).")
    @click.option("--dry-run", is_flag=True, help="Print what would change; save nothing.")
    @database_errors_as_messages
    def import_people(file: Path, centre_name: str | None, dry_run: bool) -> None:
        """Participants and attendance from the Excel template: all rows or none.

        A row changes only what it says; the changes are printed row by row."""
        audit.set_actor(audit.Actor("cli"))
        centre = pick_centre(centre_name)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise click.ClickException(f"Cannot read {file}: {error.strerror}.") from error
        result = import_participants(centre, data, save=not dry_run)
        if result.errors:
            db.session.rollback()
            raise click.ClickException("Nothing imported:\n  " + "\n  ".join(result.errors))
        for plan in result.plans:
            click.echo(f"Row {plan.row}: {plan.summary}")
        new = sum(plan.participant is None for plan in result.plans)
        if dry_run:
            db.session.rollback()
            click.echo(f"Dry run, nothing saved: {new} new, {result.changed} would change.")
            return
        db.session.commit()
        click.echo(f"Imported into {centre.name}: {result.created} new, "
                   f"{result.updated} updated ({result.changed} changed).")
