"""Last week's units as the instructor confirmed them (tablet counts checked, corrected)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import utcnow


class ActualCount(db.Model):
    """The confirmed units of one step in one week; the step's units_done moved by the
    difference to what the tablets reported (or to the previous confirmation)."""

    __tablename__ = "actual_count"
    __table_args__ = (UniqueConstraint("step_id", "week"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"),
                                           index=True)
    week: Mapped[str] = mapped_column(String(8))
    step_id: Mapped[int] = mapped_column(ForeignKey("order_step.id", ondelete="CASCADE"))
    units: Mapped[int] = mapped_column()
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                        default=None)
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
