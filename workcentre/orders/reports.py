"""The month's work for one company, for invoicing: what was made and delivered, with dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..labels import order_status_label
from ..models import Company, Order, OrderEvent, OrderStep, ProgressReport
from ..xlsx import new_workbook, sheet, table, to_bytes, write_row
from .services import catalogue_product


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def monthly_workbook(company: Company, first: date, centre_ids: list[int]) -> bytes:
    end = _next_month(first)
    orders = list(db.session.scalars(select(Order).where(
        Order.company_id == company.id, Order.centre_id.in_(centre_ids)).order_by(Order.reference)))
    made = dict(db.session.execute(
        select(ProgressReport.step_id, func.sum(ProgressReport.units))
        .join(OrderStep).join(Order)
        .where(Order.company_id == company.id, ProgressReport.day >= first,
               ProgressReport.day < end)
        .group_by(ProgressReport.step_id)).all())
    delivered = _delivered_on(orders, first, end)
    rows = []
    for order in orders:
        month_units = _finished_units(order, made)
        if not month_units and order.id not in delivered:
            continue
        hours = _standard_hours(order, made)
        for line in order.lines:
            units = month_units.get(line.id, 0)
            price, unit, amount = _priced(order, line.product_name, units, hours.get(line.id, 0))
            rows.append([order.reference, line.product_name, line.quantity, units,
                         delivered.get(order.id), order_status_label(order.status),
                         hours.get(line.id, 0.0), price, unit, amount])
    workbook = new_workbook()
    ws = sheet(workbook, f"{first:%Y-%m}")
    table(ws, [_("Tilaus"), _("Tuote"), _("Tilattu (kpl)"), _("Valmistettu kuussa (kpl)"),
               _("Toimitettu"), _("Tila"), _("Vakioaika kuussa (h)"), _("Hinta (€)"),
               _("Hintayksikkö"), _("Summa (€)")], rows)
    total = round(sum(r[9] for r in rows if r[9] is not None), 2)
    write_row(ws, len(rows) + 3, [_("Yhteensä"), company.name, None, None, None, None, None,
                                  None, None, total], bold=True)
    for row in ws.iter_rows(min_row=2):
        if row[4].is_date:
            row[4].number_format = "D.M.YYYY"
    workbook.properties.title = f"{company.name} {first:%m/%Y}"
    return to_bytes(workbook)


def workbook_name(company: Company, first: date) -> str:
    """"2027-02-alfa-oy.xlsx": the month and the company's name, safe as a file name."""
    return f"{first:%Y-%m}-{slug(company.name) or company.id}.xlsx"


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60]


def _standard_hours(order: Order, made: dict[int, int]) -> dict[int, float]:
    """Per line, the standard hours of every step's units reported in the month."""
    seconds: dict[int, int] = {}
    for step in order.steps:
        if step.line_id is not None:
            seconds[step.line_id] = (seconds.get(step.line_id, 0)
                                     + int(made.get(step.id, 0)) * step.seconds_per_unit)
    return {line_id: round(value / 3600, 2) for line_id, value in seconds.items()}


def _priced(order: Order, name: str, units: int,
            hours: float) -> tuple[float | None, str, float | None]:
    """The catalogue's price of the product, its unit, and the month's amount (None without a
    price: the invoicer fills it in)."""
    product = catalogue_product(order.company_id, order.centre_id, name) \
        if order.centre_id else None
    if product is not None and product.unit_price_cents is not None:
        return (product.unit_price_cents / 100, _("€/kpl"),
                round(units * product.unit_price_cents / 100, 2))
    if product is not None and product.hour_price_cents is not None:
        return (product.hour_price_cents / 100, _("€/h"),
                round(hours * product.hour_price_cents / 100, 2))
    return None, "", None


def _finished_units(order: Order, made: dict[int, int]) -> dict[int, int]:
    """Per line, the units of its last step reported in the month (the finished products)."""
    last: dict[int, OrderStep] = {}
    for step in sorted(order.steps, key=lambda s: s.position):
        if step.line_id is not None:
            last[step.line_id] = step
    return {line_id: int(made.get(step.id, 0)) for line_id, step in last.items()
            if made.get(step.id)}


def _delivered_on(orders: list[Order], first: date, end: date) -> dict[int, date]:
    start, stop = datetime.combine(first, time()), datetime.combine(end, time())
    rows = db.session.execute(select(OrderEvent.order_id, func.max(OrderEvent.at)).where(
        OrderEvent.order_id.in_([o.id for o in orders]), OrderEvent.kind == "delivered",
        OrderEvent.at >= start, OrderEvent.at < stop).group_by(OrderEvent.order_id)).all()
    return {order_id: at.date() for order_id, at in rows}
