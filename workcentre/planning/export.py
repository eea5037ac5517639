"""The week as an .xlsx workbook: a sheet per day, a sheet per area, and the orders."""

from __future__ import annotations

from flask_babel import gettext as _

from ..labels import HALF, slot_label
from ..models import Centre, WeekPlan
from ..xlsx import new_workbook, sheet, table, to_bytes
from .week_view import week_view


def week_workbook(centre: Centre, week: str, plan: WeekPlan) -> bytes:
    view = week_view(centre, week, plan)
    workbook = new_workbook()
    _day_sheets(workbook, view)
    _area_sheets(workbook, view)
    _orders_sheet(workbook, view)
    workbook.properties.title = f"{centre.name} {week}"
    return to_bytes(workbook)


def _task_text(cell) -> str:
    if cell.kind == "task":
        return f"{cell.step.task_type.name} ({cell.step.order.reference})"
    return "—" if cell.kind == "away" else ""


def _day_sheets(workbook, view) -> None:
    slots = view.slots
    for first in range(0, len(slots), 2):
        day = slots[first]
        ws = sheet(workbook, f"{slot_label(day.key).split(' ')[0]} {day.day:%d.%m.}")
        header = [_("Asiakas")] + [str(HALF[s.half]) for s in slots[first:first + 2]]
        rows = [[f"{r.participant.first_name} {r.participant.last_name}".strip()]
                + [_task_text(c) for c in r.cells[first:first + 2]] for r in view.rows]
        table(ws, header, rows)


def _area_sheets(workbook, view) -> None:
    for area, by_slot in view.areas:
        ws = sheet(workbook, area)
        rows = [[slot_label(s.key), f"{s.day:%d.%m.%Y}", ", ".join(by_slot.get(s.key, []))]
                for s in view.slots]
        table(ws, [_("Vuoro"), _("Päivä"), _("Ohjaajat")], rows)


def _orders_sheet(workbook, view) -> None:
    ws = sheet(workbook, _("Tilaukset"))
    rows = [[o.step.order.reference, o.step.order.company.name, o.step.task_type.name,
             o.needed, o.planned, o.on_time,
             o.step.due_date.strftime("%d.%m.%Y") if o.step.due_date else "",
             _("myöhässä") if o.late else _("ajallaan")] for o in view.orders]
    table(ws, [_("Tilaus"), _("Asiakasyritys"), _("Tehtävä"), _("Tarvitaan (kpl)"),
               _("Suunniteltu (kpl)"), _("Ajallaan (kpl)"), _("Toimituspäivä"), _("Tila")], rows)

