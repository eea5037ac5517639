"""`workcentre import-people FILE.xlsx`: the same import as the web page, for admins."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from .. import audit
from ..cli import database_errors_as_messages, pick_centre
from ..extensions import db
from .importer import import_participants


def register(app: Flask) -> None:
    @app.cli.command("import-people")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--centre", "centre_name", help="Work centre (if several).")
    @database_errors_as_messages
    def import_people(file: Path, centre_name: str | None) -> None:
        """Participants and attendance from the Excel template: all rows or none."""
        audit.set_actor(audit.Actor("cli"))
        centre = pick_centre(centre_name)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise click.ClickException(f"Cannot read {file}: {error.strerror}.") from error
        result = import_participants(centre, data)
        if result.errors:
            db.session.rollback()
            raise click.ClickException("Nothing imported:\n  " + "\n  ".join(result.errors))
        db.session.commit()
        click.echo(f"Imported into {centre.name}: {result.created} new, "
                   f"{result.updated} updated.")
