from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Order, Role
from ..security import roles_required
from . import bp


def own_order_or_404(order_id: int) -> Order:
    """The order if it belongs to the user's company; else 404, never 403 (ids tell nothing)."""
    order = db.session.scalar(
        select(Order).where(Order.id == order_id, Order.company_id == current_user.company_id)
    )
    if order is None:
        abort(404)
    return order


@bp.route("/orders")
@roles_required(Role.COMPANY)
def orders():
    """The company's own orders and their status."""
    rows = db.session.scalars(
        select(Order).where(Order.company_id == current_user.company_id)
        .order_by(Order.created_at.desc(), Order.id.desc())
    )
    return render_template("company/orders.html", orders=rows)


@bp.route("/orders/<int:order_id>")
@roles_required(Role.COMPANY)
def order(order_id: int):
    """One of the company's orders: lines, status and progress (never anything about people)."""
    return render_template("company/order.html", order=own_order_or_404(order_id))
