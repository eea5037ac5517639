"""Companies' orders: lines as the company sent them, steps as the instructors planned them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ._types import name_key, utcnow
from .org import Centre, TaskType
from .users import Company


class OrderStatus(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    PLANNED = "planned"
    IN_PRODUCTION = "in_production"
    READY = "ready"
    DELIVERED = "delivered"
    DECLINED = "declined"


# Taken in and not yet ready: the orders a week is planned for.
OPEN_STATUSES = (OrderStatus.ACCEPTED, OrderStatus.PLANNED, OrderStatus.IN_PRODUCTION)


class Product(db.Model):
    """The catalogue: standard times remembered for repeat products."""

    __tablename__ = "product"
    __table_args__ = (Index("ix_product_name_key", "centre_id", "name_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), default=None)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # name_key(name): the name to match
    task_type_id: Mapped[int] = mapped_column(ForeignKey("task_type.id"))
    seconds_per_unit: Mapped[int] = mapped_column()
    # Invoicing: a price per unit, or per hour of standard time (units x seconds_per_unit).
    unit_price_cents: Mapped[int | None] = mapped_column(default=None)
    hour_price_cents: Mapped[int | None] = mapped_column(default=None)

    task_type: Mapped[TaskType] = relationship()

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


class OrderNumber(db.Model):
    """The last order number given in a year: raised by one UPDATE per new order, so two
    orders sent at the same moment never get the same number."""

    __tablename__ = "order_number"
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class Order(db.Model):
    """A company's subcontracting order (tilaus)."""

    __tablename__ = "work_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    # Set when an instructor accepts the order into a centre.
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centre.id"), default=None)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.RECEIVED)
    priority: Mapped[int] = mapped_column(default=1)
    wished_date: Mapped[date | None] = mapped_column(default=None)
    confirmed_date: Mapped[date | None] = mapped_column(default=None)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    attachment_path: Mapped[str | None] = mapped_column(String(255), default=None)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)

    company: Mapped[Company] = relationship(back_populates="orders")
    centre: Mapped[Centre | None] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.position"
    )
    steps: Mapped[list[OrderStep]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderStep.position"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.at"
    )

    __table_args__ = (CheckConstraint("priority BETWEEN 1 AND 5", name="priority_range"),)


class OrderLine(db.Model):
    """One product line of an order as the company sent it."""

    __tablename__ = "order_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    product_name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column()
    wished_date: Mapped[date | None] = mapped_column(default=None)
    notes: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[Order] = relationship(back_populates="lines")

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)


class OrderStep(db.Model):
    """A step (työvaihe): one task type with a quantity, release and due dates."""

    __tablename__ = "order_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id", ondelete="CASCADE"))
    line_id: Mapped[int | None] = mapped_column(ForeignKey("order_line.id"), default=None)
    position: Mapped[int] = mapped_column(default=0)
    task_type_id: Mapped[int] = mapped_column(ForeignKey("task_type.id"))
    quantity: Mapped[int] = mapped_column()
    seconds_per_unit: Mapped[int] = mapped_column()
    release_date: Mapped[date | None] = mapped_column(default=None)
    due_date: Mapped[date | None] = mapped_column(default=None)
    units_done: Mapped[int] = mapped_column(default=0)
    done: Mapped[bool] = mapped_column(default=False)

    order: Mapped[Order] = relationship(back_populates="steps")
    task_type: Mapped[TaskType] = relationship()

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("seconds_per_unit > 0", name="seconds_positive"),
        CheckConstraint("units_done >= 0", name="units_done_nonneg"),
    )

    @property
    def units_left(self) -> int:
        return max(0, self.quantity - self.units_done)


class OrderEvent(db.Model):
    """What happened to an order, as the company sees it (accepted, date changed, ...)."""

    __tablename__ = "order_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")

    order: Mapped[Order] = relationship(back_populates="events")
