"""The data map (docs/privacy.md) against the models: every table that references a participant
or a user account is mapped, and the export and the erasure cover every participant table."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import JSON, String, Text

from tests.privacy_world import FILLED
from workcentre.extensions import db
from workcentre.privacy.datamap import (
    PARTICIPANT_TABLE,
    USER_TABLE,
    participant_tables,
    referencing_columns,
    tables_referencing,
)
from workcentre.privacy.erasure import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
ROW = re.compile(r"^\| `(\w+)` \| (.*?) \|")


def mapped() -> dict[str, set[str]]:
    """Table name -> the columns the doc's rows name (a table may have several rows)."""
    rows: dict[str, set[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line):
            rows.setdefault(match[1], set()).update(re.findall(r"`(\w+)`", match[2]))
    return rows


def _is_text(column) -> bool:
    return isinstance(column.type, String | Text | JSON)


def test_every_table_about_a_participant_is_mapped_with_every_column(ctx):
    doc = mapped()
    tables = {PARTICIPANT_TABLE: db.metadata.tables[PARTICIPANT_TABLE], **participant_tables()}
    for name, table in tables.items():
        assert name in doc, f"{name} references a participant: add it to docs/privacy.md"
        missing = set(table.columns.keys()) - doc[name]
        assert not missing, f"docs/privacy.md: the row of {name} does not name {missing}"


def test_every_table_about_a_user_is_mapped(ctx):
    doc = mapped()
    for name, table in tables_referencing(USER_TABLE).items():
        assert name in doc, f"{name} references a user account: add it to docs/privacy.md"
        columns = {c.name for c in referencing_columns(table, USER_TABLE)}
        assert columns <= doc[name], f"docs/privacy.md: {name} should name {columns}"


def test_erasure_has_a_rule_for_every_participant_table_and_text_column(ctx):
    tables = {PARTICIPANT_TABLE: db.metadata.tables[PARTICIPANT_TABLE], **participant_tables()}
    for name, table in tables.items():
        assert name in RULES, f"erasure.RULES has no rule for {name}"
        rule = RULES[name]
        if rule.delete:
            continue
        foreign = {c.name for c in table.columns if c.foreign_keys}
        text = {c.name for c in table.columns if _is_text(c)} - foreign
        unruled = text - set(rule.clear) - rule.keep
        assert not unruled, f"{name}: erasure neither clears nor keeps {unruled}"


def test_the_export_world_fills_every_participant_table(ctx):
    """The export test's person has rows in every such table (tests/privacy_world.FILLED)."""
    assert set(participant_tables()) == set(FILLED)
