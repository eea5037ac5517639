"""What waits for the staff, shown in the header of every page: orders not yet taken in and help
calls nobody has answered, in the centres the user works in. One query, once per request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g
from flask_login import current_user
from sqlalchemy import func, select

from .extensions import db
from .models import HelpRequest, Instructor, Order, OrderStatus, Participant, Role
from .models.users import instructor_centre
from .weeks import planning_week


@dataclass(frozen=True)
class HeaderCounts:
    new_orders: int
    help_calls: int
    help_centre_id: int | None  # where the oldest open call is: its floor view lists the calls
    week: str


def header_counts() -> HeaderCounts | None:
    """The counts for an instructor or admin (None for anyone else), cached for the request."""
    if "header_counts" not in g:
        g.header_counts = _counts() if _is_staff() else None
    return g.header_counts


def _is_staff() -> bool:
    return bool(current_user and current_user.is_authenticated
                and current_user.role in (Role.ADMIN, Role.INSTRUCTOR))


def _counts() -> HeaderCounts:
    # As the intake desk and the week page show them: an admin sees every centre, an
    # instructor the centres they work in; an order not yet in any centre is everyone's.
    orders = Order.status == OrderStatus.RECEIVED
    calls = HelpRequest.acknowledged_at.is_(None)
    if current_user.role != Role.ADMIN:
        mine = (select(instructor_centre.c.centre_id)
                .join(Instructor, Instructor.id == instructor_centre.c.instructor_id)
                .where(Instructor.user_id == current_user.id))
        orders = orders & (Order.centre_id.in_(mine) | Order.centre_id.is_(None))
        calls = calls & Participant.centre_id.in_(mine)
    open_calls = select(HelpRequest.id).join(Participant).where(calls)
    new_orders, help_calls, centre_id = db.session.execute(select(
        select(func.count()).select_from(Order).where(orders).scalar_subquery(),
        select(func.count()).select_from(open_calls.subquery()).scalar_subquery(),
        select(Participant.centre_id).join(HelpRequest).where(calls)
        .order_by(HelpRequest.created_at).limit(1).scalar_subquery())).one()
    return HeaderCounts(new_orders, help_calls, centre_id, planning_week(date.today()))
