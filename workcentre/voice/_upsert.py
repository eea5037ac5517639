"""Insert a row unless its unique key exists, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db


def insert_missing(model: Any, keys: list[str], **values: Any) -> None:
    """A double tap, or two tablets at the same moment, find the row instead of failing on the
    unique key (the caller then holds and changes it)."""
    insert = postgres_insert if db.session.get_bind().dialect.name == "postgresql" \
        else sqlite_insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))
