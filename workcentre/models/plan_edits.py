"""Hand edits of a week's plan: the proposal shown before saving, and what undo restores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import utcnow


class PlanEdit(db.Model):
    """One hand edit of one cell (a person in a half-day), from proposal to save or undo.

    `base` and `after` are fingerprints of the week's newest plan (`planning.edits.fingerprint`):
    a proposal is saved only onto the plan it was made from, and undone only while the draft
    is still as the edit left it, so nobody else's change is overwritten.
    """

    __tablename__ = "plan_edit"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(10))
    step: Mapped[str | None] = mapped_column(String(60), default=None)  # contract id; None: no task
    locked: Mapped[bool] = mapped_column(default=False)
    # proposed | saved | cancelled | undone
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    base: Mapped[str] = mapped_column(String(64))
    after: Mapped[str | None] = mapped_column(String(64), default=None)
    # The newest plan before the edit and the plan the edit stores, as contract JSON plus locks.
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    proposal: Mapped[dict] = mapped_column(JSON, default=dict)
    # The other cells the edit changes: [{"participant", "slot", "before", "after"}] (step ids).
    moves: Mapped[list] = mapped_column(JSON, default=list)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("week_plan.id", ondelete="CASCADE"), default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
