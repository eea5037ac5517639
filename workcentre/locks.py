"""Row locks that work the same on PostgreSQL and SQLite, for decisions made on database values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select, update

from .extensions import db


def hold(model: Any, *criteria: Any, read: Any = None) -> Any:
    """Hold the matching rows until commit before reading them for a decision; with `read` (a
    column), return its value in the first row as it is now.

    FOR UPDATE on PostgreSQL. SQLite has no row locks: its writers take the whole database in
    turn, so a write that changes nothing takes that lock now, and what is read after it stays
    true until commit."""
    key = inspect(model).primary_key[0]
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.scalar(select(read if read is not None else key).where(*criteria)
                                 .with_for_update())
    db.session.execute(update(model).where(*criteria).values({key.name: key})
                       .execution_options(synchronize_session=False))
    return db.session.scalar(select(read).where(*criteria)) if read is not None else None
