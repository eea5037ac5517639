"""How far the centre's promises were from what happened, month by month.

For every order of the centre with a confirmed date that was finished: planned = the confirmed
delivery date (set at intake from the estimate), actual = the Finnish day of its last `ready`
event (of its `delivered` event when it never was marked ready). Error = actual - planned in
days: positive late, negative early. A month counts the orders finished in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Centre, Order, OrderEvent
from .centre import local_day
from .period import Period, month_end


@dataclass(frozen=True)
class MonthError:
    month: Period
    errors: tuple[int, ...]  # days, one per order finished in the month

    @property
    def orders(self) -> int:
        return len(self.errors)

    @property
    def mean_abs(self) -> float | None:
        return round(sum(map(abs, self.errors)) / len(self.errors), 1) if self.errors else None

    @property
    def mean(self) -> float | None:
        return round(sum(self.errors) / len(self.errors), 1) if self.errors else None


def _finished(centre: Centre) -> dict[int, tuple[date, date]]:
    """Order id -> (confirmed date, finished day)."""
    ready: dict[int, date] = {}
    delivered: dict[int, date] = {}
    confirmed: dict[int, date] = {}
    for order_id, due, kind, at in db.session.execute(
            select(Order.id, Order.confirmed_date, OrderEvent.kind, OrderEvent.at)
            .join(OrderEvent).where(Order.centre_id == centre.id,
                                    Order.confirmed_date.is_not(None),
                                    OrderEvent.kind.in_(("ready", "delivered")))
            .order_by(OrderEvent.at)):
        confirmed[order_id] = due
        (ready if kind == "ready" else delivered)[order_id] = local_day(at)
    return {oid: (confirmed[oid], ready.get(oid) or delivered[oid]) for oid in confirmed}


def estimate_errors(centre: Centre, last: date, months: int = 12) -> list[MonthError]:
    """The `months` calendar months ending with `last`'s month, oldest first."""
    firsts = []
    year, month = last.year, last.month
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    finished = _finished(centre)
    out = []
    for first in reversed(firsts):
        period = Period(first, month_end(first))
        out.append(MonthError(period, tuple(
            (done - due).days for due, done in finished.values()
            if period.first <= done <= period.last)))
    return out
