"""Request hygiene: values no database column can hold are refused before any view runs.

- An id in the path past the database's bigint is not found (404): the `int` route converter
  stops at 2**63 - 1, so the view never queries with it (PostgreSQL answered with an error, and
  SQLite's driver with an overflow: 500s).
- A NUL byte anywhere in the path, the query or a form field is refused with a 400 that says
  what was wrong: PostgreSQL text cannot hold one, and no person types one.
- A whole number past bigint in the query or a form field is refused the same way: views read
  ids with `type=int` and would hand it to the database.
Uploaded files are not looked at here: their bytes are checked where they are read.
"""

from __future__ import annotations

import re

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

BIGINT_MAX = 2**63 - 1
WHOLE_NUMBER = re.compile(r"\s*[+-]?\d[\d_]*\s*")
MAX_DIGITS = 4000  # Python refuses to turn longer digit strings into int at all


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` that matches only ids the database can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=BIGINT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def install(app: Flask) -> None:
    """Call before the blueprints are registered: their routes pick up the converter."""
    app.url_map.converters["int"] = DatabaseIntConverter
    app.before_request(_refuse_unstorable_values)


def _refuse_unstorable_values():
    problem = _problem()
    if problem is None:
        return None
    return render_template("errors/bad_input.html", message=problem), 400


def _problem() -> str | None:
    fields = list(request.args.items(multi=True))
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        fields += list(request.form.items(multi=True))
    if "\x00" in request.path or any("\x00" in key + value for key, value in fields):
        return _("Lomakkeessa tai osoitteessa on merkki, jota ei voi tallentaa (NUL). "
                 "Kirjoita teksti uudelleen ja lähetä se vielä kerran.")
    if any(_too_large(value) for key, value in fields if not _free_text(key)):
        return _("Luku on liian suuri. Tarkista luvut ja lähetä lomake vielä kerran.")
    return None


def _free_text(field: str) -> bool:
    """Fields that are never numbers to the database, however many digits they hold: passwords
    and the tablets' report keys."""
    return "password" in field or field in {"key", "csrf_token"}


def _too_large(value: str) -> bool:
    if not WHOLE_NUMBER.fullmatch(value):
        return False
    digits = value.strip().lstrip("+-").replace("_", "")
    return len(digits) > MAX_DIGITS or int(digits) > BIGINT_MAX


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str | None) -> str | None:
    """Text without control characters (tabs and line breaks stay): a bell or escape typed or
    pasted into a name cannot be written into a workbook and means nothing to a reader."""
    return CONTROL.sub("", value) if isinstance(value, str) else value
