"""What a company user's pages ask of the database: their own orders, the catalogue they may
order from, and the delivery estimate. Always by the company's id: another company's orders
and products are never in the answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Centre, Company, Order, Product, User
from ..orders.estimate import estimate_ready
from ..orders.services import catalogue_product


def order_centres() -> list[Centre]:
    """The centres a company may send an order to, by name."""
    return list(db.session.scalars(select(Centre).order_by(Centre.name)))


def catalogue(company_id: int, centre_ids: list[int]) -> list[Product]:
    """The products the company may pick on the order form: its own and the centres' shared
    ones, by name."""
    return list(db.session.scalars(select(Product).where(
        Product.centre_id.in_(centre_ids),
        (Product.company_id == company_id) | Product.company_id.is_(None))
        .order_by(Product.name)))


def company_orders(company_id: int) -> list[Order]:
    """The company's own orders, newest first."""
    return list(db.session.scalars(
        select(Order).where(Order.company_id == company_id)
        .order_by(Order.created_at.desc(), Order.id.desc())))


def default_contact(company: Company, user: User) -> tuple[str, str]:
    """The order form's contact (name, email): the company's, else the user's own."""
    return company.contact_name or user.name, company.contact_email or user.email


@dataclass(frozen=True)
class Estimate:
    """The earliest delivery a product's quantity allows.

    `kind`: "ready" (with `day`), "new_product" (not in the catalogue), "too_large" (no day
    within the horizon), or "" (the question was incomplete)."""

    kind: str
    day: date | None = None


def delivery_estimate(company_id: int, centre_id: int | None, product_name: str,
                      quantity: int) -> Estimate:
    """When the centre's free capacity could have `quantity` of the product ready."""
    centre = db.session.get(Centre, centre_id or 0)
    name = product_name.strip()
    if centre is None or quantity <= 0 or not name:
        return Estimate("")
    product = catalogue_product(company_id, centre.id, name)
    if product is None:
        return Estimate("new_product")
    minutes = -(-quantity * product.seconds_per_unit // 60)
    ready = estimate_ready(centre, product.task_type, minutes)
    if ready is None:
        return Estimate("too_large")
    return Estimate("ready", ready)
