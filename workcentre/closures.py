"""Days the work centre is closed: Finnish public holidays, the eves Finnish workplaces keep
closed (jouluaatto, juhannusaatto) and the centre's own closure days (inventory, training).

A closed day has no slots in the week's instance, cannot be a delivery date and needs no
absences. Names come in the interface language where the `holidays` package knows it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models import WEEKDAYS, ClosureDay

LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}
# Closed in Finnish workplaces although not official in every version of `holidays`.
EVES = {"fi": ("Jouluaatto", "Juhannusaatto"), "sv_FI": ("Julafton", "Midsommarafton"),
        "en_US": ("Christmas Eve", "Midsummer Eve")}


def _language() -> str:
    if not has_request_context():
        return "fi"
    return LANGUAGES.get(str(get_locale() or "fi")[:2], "fi")


@lru_cache(maxsize=64)
def _holidays(year: int, language: str) -> dict[date, str]:
    found = dict(holidays.Finland(years=year, language=language).items())
    christmas_eve, midsummer_eve = EVES[language]
    found.setdefault(date(year, 12, 24), christmas_eve)
    # Midsummer Eve is the Friday between 19 and 25 June.
    eve = next(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    found.setdefault(eve, midsummer_eve)
    return found


def public_holiday(day: date) -> str | None:
    """The holiday's name when `day` is a Finnish public holiday or a closed eve."""
    return _holidays(day.year, _language()).get(day)


def closed_days(centre_id: int | None, first: date, last: date) -> dict[date, str]:
    """Weekdays from `first` to `last` on which the centre is closed, with the reason to show."""
    found: dict[date, str] = {}
    day = first
    while day <= last:
        name = public_holiday(day)
        if name and day.weekday() < len(WEEKDAYS):
            found[day] = name
        day += timedelta(days=1)
    if centre_id is not None:
        own = db.session.scalars(select(ClosureDay).where(
            ClosureDay.centre_id == centre_id, ClosureDay.day >= first, ClosureDay.day <= last))
        for row in own:
            found.setdefault(row.day, closure_label(row.reason))
    return found


def closure_label(reason: str) -> str:
    return _("Suljettu: %(reason)s", reason=reason) if reason else _("Suljettu")


def closed_reason(centre_id: int | None, day: date) -> str | None:
    return closed_days(centre_id, day, day).get(day)


def is_working_day(centre_id: int | None, day: date) -> bool:
    return day.weekday() < len(WEEKDAYS) and closed_reason(centre_id, day) is None


def delivery_date_error(centre_id: int | None, day: date | None) -> str | None:
    """Why `day` cannot be a delivery date (a weekend, a holiday, a closure day), or None."""
    if day is None:
        return None
    if day.weekday() >= len(WEEKDAYS):
        return _("%(day)s on viikonloppu: valitse arkipäivä.", day=day.strftime("%-d.%-m.%Y"))
    reason = closed_reason(centre_id, day)
    if reason:
        return _("%(day)s työkeskus on kiinni (%(reason)s): valitse toinen päivä.",
                 day=day.strftime("%-d.%-m.%Y"), reason=reason)
    return None


def upcoming_closures(centre_id: int, today: date) -> list[ClosureDay]:
    return list(db.session.scalars(select(ClosureDay).where(
        ClosureDay.centre_id == centre_id, ClosureDay.day >= today).order_by(ClosureDay.day)))


def add_closure(centre_id: int, day: date, reason: str) -> str | None:
    """Save a closure day; the error to show when the day is already closed."""
    taken = _("%(day)s on jo suljettu päivä.", day=day.strftime("%-d.%-m.%Y"))
    if closed_reason(centre_id, day) is not None:
        return taken
    try:
        # A colleague may save the same day at the same moment: the unique row decides.
        with db.session.begin_nested():
            db.session.add(ClosureDay(centre_id=centre_id, day=day, reason=reason.strip()))
    except IntegrityError:
        return taken
    return None


def remove_closure(centre_id: int, closure_id: int) -> bool:
    row = db.session.get(ClosureDay, closure_id)
    if row is None or row.centre_id != centre_id:
        return False
    db.session.delete(row)
    return True
