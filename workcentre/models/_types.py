"""Shared column helpers for the models."""

from datetime import UTC, datetime

from sqlalchemy import JSON
from sqlalchemy.orm import mapped_column


def utcnow() -> datetime:
    """A naive UTC timestamp: the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def json_list():
    """A JSON column holding a list of strings (tags, slot keys)."""
    return mapped_column(JSON, default=list, nullable=False)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
HALVES = ("am", "pm")
SLOT_KEYS = tuple(f"{d}-{h}" for d in WEEKDAYS for h in HALVES)
