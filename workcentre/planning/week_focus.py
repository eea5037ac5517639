"""Which part of the week the page shows: one day or the whole week, one area or everyone.

A small centre sees its whole week as before. A large one (a region: hundreds of people) opens
on today (Monday before the week starts) in the first area where someone works that day; the
other days and areas are links with their counts of people, so nothing is out of reach and
the page stays readable and light.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from ..clock import today
from ..weeks import SlotDay

if TYPE_CHECKING:
    from .week_view import Row, WeekView

WHOLE_WEEK_LIMIT = 40  # people: above this the page opens on one day and one area
ALL, NO_TASK = "all", "none"


@dataclass
class AreaChoice:
    value: str  # an area id, NO_TASK or ALL
    name: str
    count: int  # people with a task there on the days shown


@dataclass
class Focus:
    day: str  # ALL or a weekday key
    area: str  # ALL, NO_TASK or an area id
    days: list[str]  # the weekday keys of the week, for the links
    areas: list[AreaChoice]
    total: int  # everyone on the grid before the area is chosen


def choose_day(slots: list[SlotDay], people: int, day: str | None) -> str:
    """The day asked for, checked (NotFound for one the week does not have), or the default."""
    days = _days(slots)
    if day is None:
        return ALL if people <= WHOLE_WEEK_LIMIT else _today_or_first(slots, days)
    if day != ALL and day not in days:
        raise NotFound()
    return day


def shown_slots(slots: list[SlotDay], day: str) -> list[SlotDay]:
    return [s for s in slots if day == ALL or s.key.startswith(day + "-")]


def apply_focus(view: WeekView, day: str, area: str | None) -> Focus:
    """Keep in `view` only the rows, slots and orders of the chosen day and area; its rows
    hold the cells of that day already. NotFound for an area the centre does not have."""
    where = {id(row): _areas_of(row) for row in view.rows}
    choices = _choices(view, where)
    if area is None:
        area = ALL if len(view.rows) <= WHOLE_WEEK_LIMIT else next(
            (c.value for c in choices if c.count and c.value not in (ALL, NO_TASK)), ALL)
    if area not in {c.value for c in choices}:
        raise NotFound()
    focus = Focus(day, area, _days(view.slots), choices, len(view.rows))
    view.rows = [row for row in view.rows if _in_area(where[id(row)], area)]
    view.slots = shown_slots(view.slots, day)
    if area not in (ALL, NO_TASK):
        view.orders = [o for o in view.orders if str(o.step.task_type.area_id) == area]
    return focus


def _days(slots: list[SlotDay]) -> list[str]:
    return list(dict.fromkeys(s.key.split("-")[0] for s in slots))


def _today_or_first(slots: list[SlotDay], days: list[str]) -> str:
    now = today()
    for slot in slots:
        if slot.day == now:
            return slot.key.split("-")[0]
    return days[0]


def _areas_of(row: Row) -> set[str]:
    return {str(c.step.task_type.area_id) for c in row.cells if c.kind == "task"}


def _in_area(areas: set[str], area: str) -> bool:
    return area == ALL or (area == NO_TASK and not areas) or area in areas


def _choices(view: WeekView, where: dict[int, set[str]]) -> list[AreaChoice]:
    counts: dict[str, int] = {}
    for areas in where.values():
        for area in areas or {NO_TASK}:
            counts[area] = counts.get(area, 0) + 1
    return ([AreaChoice(ALL, _("Kaikki työtilat"), len(where))]
            + [AreaChoice(str(a.id), a.name, counts.get(str(a.id), 0))
               for a in view.centre.areas]
            + [AreaChoice(NO_TASK, _("Ilman tehtävää"), counts.get(NO_TASK, 0))])
