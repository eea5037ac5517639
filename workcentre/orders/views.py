from flask import render_template
from sqlalchemy import select

from ..extensions import db
from ..models import Order
from ..security import staff_only
from . import bp


@bp.route("/")
@staff_only
def index():
    """Every company's orders, newest first: the instructors' intake desk."""
    orders = db.session.scalars(select(Order).order_by(Order.created_at.desc(), Order.id.desc()))
    return render_template("orders/index.html", orders=orders)
