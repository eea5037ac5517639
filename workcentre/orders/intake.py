"""Reading the intake forms (one block of fields per order line), with messages per line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..closures import delivery_date_error
from ..hygiene import clean_text
from ..models import Centre, Order
from .services import StepInput

MAX_SECONDS = 24 * 3600
MAX_QUANTITY = 10_000_000


@dataclass
class Accepted:
    centre: Centre | None = None
    steps: list[StepInput] = field(default_factory=list)
    confirmed_date: date | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Changed:
    quantities: dict[int, int] = field(default_factory=dict)
    confirmed_date: date | None = None
    note: str = ""
    errors: list[str] = field(default_factory=list)


def _date(form: MultiDict, key: str, errors: list[str], label: str) -> date | None:
    text = (form.get(key) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(_("%(what)s: päivämäärä ei kelpaa.", what=label))
        return None


def _open_day(centre_id: int | None, day: date | None, errors: list[str]) -> None:
    """A delivery date must be a day the centre works."""
    closed = delivery_date_error(centre_id, day)
    if closed:
        errors.append(closed)


def _int(form: MultiDict, key: str, errors: list[str], label: str, low: int, high: int) -> int:
    text = (form.get(key) or "").strip()
    # ASCII digits only: "²" and other digits int() refuses or reads in surprising ways.
    if not (text.isascii() and text.isdigit() and len(text) <= 12 and low <= int(text) <= high):
        errors.append(_("%(what)s: anna kokonaisluku %(low)d–%(high)d.", what=label, low=low,
                        high=high))
        return 0
    return int(text)


def parse_accept(form: MultiDict, order: Order, centres: list[Centre],
                 steps_per_line: int) -> Accepted:
    result = Accepted()
    centre_id = form.get("centre_id", type=int)
    result.centre = next((c for c in centres if c.id == centre_id), None)
    if result.centre is None:
        result.errors.append(_("Valitse työkeskus."))
        return result
    kinds = {k.id: k for k in result.centre.task_types}
    result.confirmed_date = _date(form, "confirmed_date", result.errors,
                                  _("Vahvistettu toimituspäivä"))
    if result.confirmed_date is None:
        result.errors.append(_("Anna vahvistettu toimituspäivä."))
    _open_day(result.centre.id, result.confirmed_date, result.errors)
    for line in order.lines:
        for n in range(steps_per_line):
            prefix = f"line-{line.id}-{n}-"
            kind_id = form.get(prefix + "task_type", type=int)
            if not kind_id:
                continue
            label = f"{line.product_name} ({n + 1})"
            if kind_id not in kinds:
                result.errors.append(_("%(what)s: valitse tehtävä listasta.", what=label))
                continue
            seconds = _int(form, prefix + "seconds", result.errors, label, 1, MAX_SECONDS)
            release = _date(form, prefix + "release", result.errors, label)
            due = _date(form, prefix + "due", result.errors, label) or result.confirmed_date
            if release and due and release > due:
                result.errors.append(_("%(what)s: aloitus on toimituksen jälkeen.", what=label))
            result.steps.append(StepInput(line.id, kind_id, line.quantity, seconds, release, due))
        if not any(s.line_id == line.id for s in result.steps):
            result.errors.append(_("%(what)s: valitse vähintään yksi tehtävä.",
                                   what=line.product_name))
    return result


def parse_change(form: MultiDict, order: Order) -> Changed:
    result = Changed()
    for line in order.lines:
        key = f"quantity-{line.id}"
        if key in form:
            result.quantities[line.id] = _int(form, key, result.errors, line.product_name, 1,
                                              MAX_QUANTITY)
    result.confirmed_date = _date(form, "confirmed_date", result.errors,
                                  _("Vahvistettu toimituspäivä")) or order.confirmed_date
    if result.confirmed_date != order.confirmed_date:
        _open_day(order.centre_id, result.confirmed_date, result.errors)
    result.note = clean_text(form.get("note") or "").strip()[:500]
    return result
