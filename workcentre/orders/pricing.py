"""Prices in the catalogue: per unit or per hour of standard time, in cents (no floats)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

PRICE = re.compile(r"^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*(?:€)?\s*$")


class PriceRefused(ValueError):
    """A price that is not one (the message is shown as it is)."""


def parse_price(text: str | None) -> int | None:
    """"1,25" or "1.25 €" as 125 cents; empty as None; PriceRefused for anything else."""
    if text is None or not text.strip():
        return None
    found = PRICE.match(text)
    if not found:
        raise PriceRefused(_("Anna hinta euroina, esimerkiksi 1,25."))
    return int(found.group(1)) * 100 + int((found.group(2) or "0").ljust(2, "0"))


def euros(cents: int | None) -> str:
    """125 as "1,25" (for forms and pages)."""
    return "" if cents is None else f"{cents // 100},{cents % 100:02d}"
