"""A company's own record on its portal: per month, its orders delivered, how many on time, and
the units delivered. Only the company's own orders, and nothing about the people who made them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models import Order
from ..orders.services import progress
from .centre import delivered_orders, percent
from .period import Period, month_end


@dataclass
class CompanyMonth:
    period: Period
    delivered: int
    with_due: int
    on_time: int
    units: int

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.on_time, self.with_due)


def last_months(today: date, count: int) -> list[Period]:
    """The `count` calendar months up to and including today's, oldest first."""
    out, first = [], date(today.year, today.month, 1)
    for _ in range(count):
        out.append(Period(first, month_end(first)))
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return out[::-1]


def company_record(company_id: int, today: date, months: int = 12) -> list[CompanyMonth]:
    rows = []
    for period in last_months(today, months):
        delivered = delivered_orders(period, Order.company_id == company_id)
        dated = [row for row, _ in delivered if row.delay_days is not None]
        rows.append(CompanyMonth(period, len(delivered), len(dated),
                                 sum(1 for row in dated if row.on_time),
                                 sum(progress(order).done for _, order in delivered)))
    return rows
