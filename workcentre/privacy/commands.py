"""`workcentre person-export` and `workcentre retention`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from .. import audit
from ..cli_support import database_errors_as_messages, pick_centre
from ..clock import today
from ..extensions import db
from ..models import Centre, Participant
from . import retention
from .erasure import ErasureFailed
from .export import export_zip


def register(app: Flask) -> None:
    @app.cli.command("person-export")
    @click.option("--participant", "participant_id", type=int, required=True,
                  help="The participant's number (Asiakkaan numero).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                  required=True, help="The .zip to write.")
    @database_errors_as_messages
    def person_export(participant_id: int, output: Path) -> None:
        """Everything stored about one participant, as a .zip (an access request)."""
        audit.set_actor(audit.Actor("cli"))
        participant = db.session.get(Participant, participant_id)
        if participant is None:
            raise click.ClickException(f"No participant number {participant_id}.")
        with current_app.test_request_context():
            body = export_zip(participant)
        try:
            output.write_bytes(body)
        except OSError as error:
            db.session.rollback()
            raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from error
        db.session.commit()
        click.echo(f"Wrote {output} ({len(body)} bytes).")

    @app.cli.command("retention")
    @click.option("--centre", "centre_name", help="One work centre (default: all).")
    @click.option("--apply", "do_apply", is_flag=True,
                  help="Anonymise the people listed and purge the old audit events.")
    @database_errors_as_messages
    def retention_command(centre_name: str | None, do_apply: bool) -> None:
        """People who left longer ago than the centre's retention period (a dry run without
        --apply), and audit events older than the audit period."""
        audit.set_actor(audit.Actor("cli"))
        centres = ([pick_centre(centre_name)] if centre_name else
                   list(db.session.scalars(select(Centre).order_by(Centre.name))))
        day = today()
        for centre in centres:
            people = retention.due(centre, day)
            click.echo(f"{centre.name}: {len(people)} due "
                       f"(left over {centre.retention_months} months ago)")
            for person in people:
                click.echo(f"  #{person.id} left {person.left_on.isoformat()}")
        click.echo(f"Audit events older than {retention.audit_cutoff(day).date()}: "
                   f"{retention.audit_due(day)}")
        if not do_apply:
            click.echo("Dry run: nothing changed (add --apply).")
            return
        try:
            with current_app.test_request_context():
                erased, purged = retention.apply(centres, day)
        except ErasureFailed as failed:
            raise click.ClickException(failed.message) from failed
        click.echo(f"Anonymised {len(erased)} people; purged {purged} audit events.")
