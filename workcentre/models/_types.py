"""Shared column helpers for the models."""

from datetime import UTC, datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import mapped_column


def utcnow() -> datetime:
    """A naive UTC timestamp: the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def name_key(name: str) -> str:
    """What makes two names the same name: letter case and spacing do not ("Saimaan  Paino" is
    "SAIMAAN PAINO"). Folded in Python, as SQLite's lower() leaves Ä and Ö as they are."""
    return " ".join(name.split()).casefold()


def name_key_column():
    """A unique column holding `name_key(name)`, kept by a `validates("name")` on the model."""
    return mapped_column(String(200), unique=True)


def json_list():
    """A JSON column holding a list of strings (tags, slot keys)."""
    return mapped_column(JSON, default=list, nullable=False)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
HALVES = ("am", "pm")
SLOT_KEYS = tuple(f"{d}-{h}" for d in WEEKDAYS for h in HALVES)
