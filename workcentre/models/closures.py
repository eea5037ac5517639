"""A centre's own closure days (inventory, training day): no work is planned on them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class ClosureDay(db.Model):
    __tablename__ = "closure_day"
    __table_args__ = (UniqueConstraint("centre_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"),
                                           index=True)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(120), default="")
