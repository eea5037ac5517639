"""Week plans, their solver runs and assignments; tablet reports and help calls."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import utcnow
from .orders import OrderStep
from .org import Area, Centre
from .people import Participant
from .users import Instructor


class WeekPlan(db.Model):
    """One version of a centre's plan for an ISO week ("2026-W48").

    Editing a published plan makes a new version; published versions are kept. `revision` counts
    the writes to this row: a writer names the revision it read, and the conditional UPDATE that
    bumps it (store.claim) refuses a write based on a stale read.
    """

    __tablename__ = "week_plan"
    __table_args__ = (UniqueConstraint("centre_id", "week", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    # draft | published | superseded
    state: Mapped[str] = mapped_column(String(12), default="draft")
    solve_status: Mapped[str | None] = mapped_column(String(12), default=None)
    objective: Mapped[int | None] = mapped_column(default=None)
    bound: Mapped[int | None] = mapped_column(default=None)
    terms: Mapped[dict] = mapped_column(JSON, default=dict)
    explanations: Mapped[dict] = mapped_column(JSON, default=dict)
    # The contract instance this version was solved or edited against (export-instance --version).
    instance: Mapped[dict | None] = mapped_column(JSON, default=None, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), default=None
    )

    centre: Mapped[Centre] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )
    placements: Mapped[list[InstructorPlacement]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class PlanRun(db.Model):
    """One solve of a week, run in the background; its status lives here for every web process."""

    __tablename__ = "plan_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    # queued | running | done | failed | stopped
    state: Mapped[str] = mapped_column(String(10), default="queued")
    from_slot: Mapped[str | None] = mapped_column(String(10), default=None)
    # The last slot planned again; the slots after it stay as they were (None: to the week's end).
    until_slot: Mapped[str | None] = mapped_column(String(10), default=None)
    time_limit: Mapped[float] = mapped_column(default=30.0)
    solve_status: Mapped[str | None] = mapped_column(String(12), default=None)
    objective: Mapped[int | None] = mapped_column(default=None)
    bound: Mapped[int | None] = mapped_column(default=None)
    elapsed: Mapped[float | None] = mapped_column(default=None)
    message: Mapped[str] = mapped_column(Text, default="")
    # The locks that clash when the week is infeasible: [{"participant", "slot", "step", "reason"}]
    details: Mapped[list | None] = mapped_column(JSON, default=None)
    stop_requested: Mapped[bool] = mapped_column(default=False)
    result_plan_id: Mapped[int | None] = mapped_column(ForeignKey("week_plan.id"), default=None)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    # Written by the solving process every half second; a running run without a fresh heartbeat
    # belongs to a process that died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class Assignment(db.Model):
    """A participant works on a step in one slot (day + half)."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("plan_id", "participant_id", "day", "half"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("week_plan.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    step_id: Mapped[int] = mapped_column(ForeignKey("order_step.id"))
    day: Mapped[date] = mapped_column()
    half: Mapped[str] = mapped_column(String(2))
    locked: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[WeekPlan] = relationship(back_populates="assignments")
    participant: Mapped[Participant] = relationship()
    step: Mapped[OrderStep] = relationship()


class InstructorPlacement(db.Model):
    """An instructor supervises an area in one slot."""

    __tablename__ = "instructor_placement"
    __table_args__ = (UniqueConstraint("plan_id", "instructor_id", "day", "half"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("week_plan.id", ondelete="CASCADE"), index=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("instructor.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    day: Mapped[date] = mapped_column()
    half: Mapped[str] = mapped_column(String(2))

    plan: Mapped[WeekPlan] = relationship(back_populates="placements")
    instructor: Mapped[Instructor] = relationship()
    area: Mapped[Area] = relationship()


class ProgressReport(db.Model):
    """Units reported done on a tablet; the idempotency key absorbs double taps and resends."""

    __tablename__ = "progress_report"
    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("order_step.id"), index=True)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"), default=None)
    day: Mapped[date] = mapped_column()
    half: Mapped[str] = mapped_column(String(2))
    units: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    corrected_at: Mapped[datetime | None] = mapped_column(default=None)


class HelpRequest(db.Model):
    """'Tarvitsen apua': visible to the area's instructors until acknowledged."""

    __tablename__ = "help_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), default=None)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), default=None
    )

    participant: Mapped[Participant] = relationship()
    area: Mapped[Area | None] = relationship()
