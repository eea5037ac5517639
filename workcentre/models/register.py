"""The daily register ("who came"): one mark per participant and half-day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import utcnow
from .people import Absence, Participant

STATUSES = ("present", "absent", "late")
REASONS = ("sairas", "muu")


class RegisterMark(db.Model):
    """Whether a participant came in one half-day. An absent mark owns the `Absence` it made,
    so that the planner and every page see the same absence, and undoing the mark removes it."""

    __tablename__ = "register_mark"
    __table_args__ = (
        UniqueConstraint("participant_id", "day", "half"),
        CheckConstraint("status IN ('present', 'absent', 'late')", name="status_known"),
        CheckConstraint("half IN ('am', 'pm')", name="half_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    half: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(8), default="present")
    # "sairas" or "muu" for an absence, with an optional free text.
    reason_code: Mapped[str] = mapped_column(String(12), default="")
    reason_text: Mapped[str] = mapped_column(String(200), default="")
    arrived_at: Mapped[str | None] = mapped_column(String(5), default=None)  # "09:10"
    absence_id: Mapped[int | None] = mapped_column(
        ForeignKey("absence.id", ondelete="SET NULL"), default=None)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant: Mapped[Participant] = relationship()
    absence: Mapped[Absence | None] = relationship()
