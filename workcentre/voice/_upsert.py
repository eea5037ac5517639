"""A row inserted or deleted once however many ask at the same moment (a double tap, two
tablets, two instructors), on PostgreSQL and SQLite alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import audit
from ..extensions import db


def insert_missing(model: Any, keys: list[str], **values: Any) -> None:
    """A double tap, or two tablets at the same moment, find the row instead of failing on the
    unique key (the caller then holds and changes it)."""
    insert = postgres_insert if db.session.get_bind().dialect.name == "postgresql" \
        else sqlite_insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


def delete_once(model: Any, row_id: int, action: str, entity: str) -> bool:
    """Delete the row and write the audit event `action` once: False when it was already gone
    (a double click, or a colleague at the same moment). The caller commits."""
    row = db.session.get(model, row_id)
    if row is None:
        return False
    participant_id = row.participant_id
    gone = db.session.execute(delete(model).where(model.id == row_id)
                              .execution_options(synchronize_session=False)).rowcount
    db.session.expunge(row)
    if gone != 1:
        return False
    audit.record(db.session, action, entity, row_id, participant_id=participant_id)
    return True
