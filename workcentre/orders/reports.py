"""The month's work for one company, for invoicing: what was made and delivered, with dates."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..labels import order_status_label
from ..models import Company, Order, OrderEvent, OrderStep, ProgressReport
from ..xlsx import new_workbook, sheet, table, to_bytes


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
        for line in order.lines:
            rows.append([order.reference, line.product_name, line.quantity,
                         month_units.get(line.id, 0),
                         delivered[order.id].strftime("%d.%m.%Y") if order.id in delivered
                         else "", order_status_label(order.status)])
    workbook = new_workbook()
    ws = sheet(workbook, f"{first:%Y-%m}")
    table(ws, [_("Tilaus"), _("Tuote"), _("Tilattu (kpl)"), _("Valmistettu kuussa (kpl)"),
               _("Toimitettu"), _("Tila")], rows)
    workbook.properties.title = f"{company.name} {first:%m/%Y}"
    return to_bytes(workbook)


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
