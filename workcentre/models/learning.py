"""An instructor's decision on a figure learned from the tablet reports (docs/reports.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import utcnow


class LearningDecision(db.Model):
    """A suggested standard time (product) or pace (participant), accepted or not.

    The half-days a decision was made on never count again for the same figure: counting
    starts afresh after `last_day`, so a figure declined is not suggested again from the same
    evidence."""

    __tablename__ = "learning_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "standard_time" or "pace"
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True, default=None)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True, default=None)
    old_value: Mapped[int] = mapped_column()
    new_value: Mapped[int] = mapped_column()
    half_days: Mapped[int] = mapped_column()
    # The last half-day the suggestion counted: a new one counts only later half-days.
    last_day: Mapped[date] = mapped_column()
    accepted: Mapped[bool] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                      default=None)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("(product_id IS NULL) <> (participant_id IS NULL)",
                        name="one_subject"),
    )
