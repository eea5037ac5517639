"""The companies' order workbook: one row per product line, checked whole before anything is saved.

Dates may come as real date cells (what Excel and LibreOffice write when a cell is formatted as a
date), as date serial numbers (a date cell that lost its format), or as text in the usual Finnish,
ISO or slashed forms. Text is kept as text: a product name starting with "=" stays a name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from ..closures import delivery_date_error, public_holiday
from ..xlsx import new_workbook, sheet, table, to_bytes
from ..xlsx_upload import UploadRefused, cell_text, read_rows
from .services import LineInput

MAX_LINES = 200
MAX_QUANTITY = 10_000_000
TEXT_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")
EXCEL_EPOCH = date(1899, 12, 30)
WIDTHS = [40, 14, 24, 40]


def header() -> list[str]:
    return [_("Tuote"), _("Määrä (kpl)"), _("Toivottu toimituspäivä"), _("Lisätiedot")]


def order_template(today: date | None = None) -> bytes:
    """The order sheet (only the header: an untouched template is no order) and an example on
    a sheet of its own, dated on a working day three weeks ahead."""
    workbook = new_workbook()
    table(sheet(workbook, _("Tilaus")), header(), [], widths=WIDTHS)
    example = [_("Esitteiden taittelu"), 2000, example_date(today or date.today()),
               _("Esimerkkirivi: kirjoita omat rivisi Tilaus-välilehdelle.")]
    ws = sheet(workbook, _("Esimerkki"))
    table(ws, header(), [example], widths=WIDTHS)
    ws.cell(row=2, column=3).number_format = "DD.MM.YYYY"
    return to_bytes(workbook)


def example_date(today: date) -> date:
    """Three weeks ahead, moved on to the next day that is neither a weekend nor a holiday."""
    day = today + timedelta(days=21)
    while day.weekday() >= 5 or public_holiday(day):
        day += timedelta(days=1)
    return day


@dataclass
class OrderImport:
    lines: list[LineInput] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_order_workbook(data: bytes, today: date | None = None,
                        centre_id: int | None = None) -> OrderImport:
    """The workbook's lines, or row-numbered errors (then no lines at all). A date on a weekend,
    a public holiday or the centre's closure day is refused on its row."""
    today = today or date.today()
    result = OrderImport()
    try:
        rows = read_rows(data, header, MAX_LINES, text_columns=(0, 3))
    except UploadRefused as refused:
        result.errors.append(refused.message)
        return result
    seen: dict[tuple[str, date | None], int] = {}
    for number, cells in rows:
        errors = []
        name = cell_text(cells[0])
        if not name:
            errors.append(_("tuote puuttuu"))
        elif len(name) > 200:
            errors.append(_("tuotteen nimi on liian pitkä (enintään 200 merkkiä)"))
        quantity = _quantity(cells[1], errors)
        wished = _date(cells[2], errors, today, centre_id)
        notes = cell_text(cells[3])[:2000]
        key = (name.lower(), wished)
        if name and key in seen:
            errors.append(_("sama tuote ja päivä kuin rivillä %(row)d", row=seen[key]))
        seen.setdefault(key, number)
        result.errors += [_("Rivi %(row)d: %(message)s", row=number, message=e) for e in errors]
        if not errors:
            result.lines.append(LineInput(name, quantity, wished, notes))
    if not rows:
        result.errors.append(_("Taulukossa ei ole yhtään tilausriviä."))
    if result.errors:
        result.lines = []
    return result


def _quantity(value: object, errors: list[str]) -> int:
    if isinstance(value, bool) or value is None or cell_text(value) == "":
        errors.append(_("määrä puuttuu"))
        return 0
    if isinstance(value, int | float):
        number = value
    else:
        text = cell_text(value).replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            errors.append(_('määrän pitää olla luku, ei "%(value)s"', value=cell_text(value)[:40]))
            return 0
    if isinstance(number, float) and not math.isfinite(number):
        errors.append(_("määrä on liian suuri tai ei ole luku"))
        return 0
    if number != int(number):
        errors.append(_("määrän pitää olla kokonaisluku"))
        return 0
    if number <= 0:
        errors.append(_("määrän pitää olla suurempi kuin 0"))
        return 0
    if number > MAX_QUANTITY:
        errors.append(_("määrä on liian suuri"))
        return 0
    return int(number)


def _date(value: object, errors: list[str], today: date, centre_id: int | None) -> date | None:
    day = parse_date(value)
    if day is False:
        errors.append(_('päivämäärää "%(value)s" ei tunnisteta (käytä muotoa 24.12.2026)',
                        value=cell_text(value)[:40]))
        return None
    if day is not None and day < today:
        errors.append(_("toivottu päivä %(day)s on jo mennyt",
                        day=day.strftime("%-d.%-m.%Y")))
        return None
    closed = delivery_date_error(centre_id, day) if day else None
    if closed:
        errors.append(closed)
        return None
    return day


def parse_date(value: object) -> date | None | bool:
    """A date from a cell; None when empty; False when it is not a date."""
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # a date serial: 1954-2119
            return EXCEL_EPOCH + timedelta(days=int(value))
        return False
    text = cell_text(value)
    for pattern in TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return False
