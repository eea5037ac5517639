"""What the tablets may not decide alone: picture-code tries and units an instructor checks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import utcnow
from .orders import OrderStep
from .people import Participant
from .plans import ProgressReport


class PinGuard(db.Model):
    """Wrong picture codes of one person on one tablet, counted on the server (not a cookie)."""

    __tablename__ = "pin_guard"
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosk.id", ondelete="CASCADE"),
                                          primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)

    participant: Mapped[Participant] = relationship()


class UnitsCheck(db.Model):
    """Units a tablet reported beyond what it may book alone; an instructor confirms or not."""

    __tablename__ = "units_check"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_report.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("order_step.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    units: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"),
                                                      default=None)
    confirmed: Mapped[bool | None] = mapped_column(default=None)

    report: Mapped[ProgressReport] = relationship()
    step: Mapped[OrderStep] = relationship()
    participant: Mapped[Participant] = relationship()
