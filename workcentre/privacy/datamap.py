"""Which tables hold a participant's (or a user's) data, read from the SQLAlchemy metadata.

The export and the erasure walk these lists instead of naming tables one by one, and the data
map test (tests/web/test_privacy_map.py) holds docs/privacy.md, the export and the erasure rules
to them: a new table that references a participant fails the test until it is mapped.
"""

from __future__ import annotations

from sqlalchemy import Column, Table

from ..extensions import db

PARTICIPANT_TABLE = "participant"
USER_TABLE = "user_account"


def referencing_columns(table: Table, target: str) -> list[Column]:
    """The columns of `table` that are foreign keys to `target`'s rows."""
    return [fk.parent for fk in table.foreign_keys if fk.column.table.name == target]


def tables_referencing(target: str) -> dict[str, Table]:
    """Every table with a foreign key to `target` (by name, in dependency order)."""
    return {t.name: t for t in db.metadata.sorted_tables
            if t.name != target and referencing_columns(t, target)}


def participant_tables() -> dict[str, Table]:
    """The tables holding rows about one participant."""
    return tables_referencing(PARTICIPANT_TABLE)
