"""The participant's own voice: how a task felt, what they would like to try, and the training
goals an instructor made of it. What people said is for instructors and admins (and the person's
own tablet) only; see `workcentre.voice`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import utcnow
from .org import TaskType
from .people import Participant

FEELINGS = ("good", "ok", "bad")
OUTCOMES = ("preference", "goal", "noted")


class TaskFeeling(db.Model):
    """How a task type felt to the person on one day ("Miltä tuntui?"): one answer, changeable
    the same day."""

    __tablename__ = "task_feeling"
    __table_args__ = (
        UniqueConstraint("participant_id", "task_type_id", "day"),
        CheckConstraint("feeling IN ('good', 'ok', 'bad')", name="feeling_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    task_type_id: Mapped[int] = mapped_column(ForeignKey("task_type.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    feeling: Mapped[str] = mapped_column(String(4))
    kiosk_id: Mapped[int | None] = mapped_column(
        ForeignKey("kiosk.id", ondelete="SET NULL"), default=None)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant: Mapped[Participant] = relationship()
    task_type: Mapped[TaskType] = relationship()


class TaskWish(db.Model):
    """"Haluaisin kokeilla…": a task type the person would like to learn or do more. One row per
    person and task type; withdrawing and wishing again change `active`. `outcome` is what an
    instructor made of it (a preference, a training goal, or noted as seen), None while it waits."""

    __tablename__ = "task_wish"
    __table_args__ = (
        UniqueConstraint("participant_id", "task_type_id"),
        CheckConstraint("outcome IS NULL OR outcome IN ('preference', 'goal', 'noted')",
                        name="outcome_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    task_type_id: Mapped[int] = mapped_column(ForeignKey("task_type.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(default=True)
    wished_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(12), default=None)
    outcome_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None)
    outcome_at: Mapped[datetime | None] = mapped_column(default=None)

    participant: Mapped[Participant] = relationship()
    task_type: Mapped[TaskType] = relationship()


class TrainingGoal(db.Model):
    """A task type the person is learning, set by an instructor (often from a wish). Shown on the
    person's page; it does not change the plan."""

    __tablename__ = "training_goal"
    __table_args__ = (UniqueConstraint("participant_id", "task_type_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    task_type_id: Mapped[int] = mapped_column(ForeignKey("task_type.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None)

    participant: Mapped[Participant] = relationship()
    task_type: Mapped[TaskType] = relationship()
