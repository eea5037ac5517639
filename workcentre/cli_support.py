"""What every `workcentre` command shares: database errors as messages, picking a centre.

A leaf module: `cli.py` registers the commands of each part of the app, and those commands
import their helpers from here, never from `cli.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import click
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError, DataError, IntegrityError

from .extensions import db
from .models import Centre, name_key

NO_DATABASE = (
    "The database is missing, out of date or unreadable ({url}).\n"
    "Create or upgrade it with:  workcentre init-db\n"
    "or load the demo with:      workcentre demo"
)


def database_errors_as_messages(command: Callable) -> Callable:
    """A missing or broken database ends the command with a message, never a traceback."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DatabaseError as error:
            if isinstance(error, IntegrityError | DataError):
                raise
            db.session.rollback()
            url = db.engine.url.render_as_string(hide_password=True)
            raise click.ClickException(NO_DATABASE.format(url=url)) from error

    return wrapped


def pick_centre(name: str | None) -> Centre:
    if name:
        centre = db.session.scalar(select(Centre).where(Centre.name_key == name_key(name)))
        if centre is None:
            raise click.ClickException(f"No work centre named {name!r}.")
        return centre
    centres = list(db.session.scalars(select(Centre).order_by(Centre.name)))
    if len(centres) == 1:
        return centres[0]
    if not centres:
        raise click.ClickException("There is no work centre yet: add one with `workcentre "
                                   "create-centre --name NAME`, or load the demo with "
                                   "`workcentre demo`.")
    names = ", ".join(c.name for c in centres)
    raise click.ClickException(f"Several work centres ({names}): choose one with --centre.")
