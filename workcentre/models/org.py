"""The service's work centres, their areas (rooms with seats) and task types."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ._types import json_list, name_key, name_key_column

if TYPE_CHECKING:
    from .users import Instructor


class Centre(db.Model):
    """A work centre (unit) of the service; areas, task types, people and plans belong to one."""

    __tablename__ = "centre"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_key: Mapped[str] = name_key_column()
    municipality: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    am_start: Mapped[str] = mapped_column(String(5), default="08:30")
    am_minutes: Mapped[int] = mapped_column(default=180)
    pm_start: Mapped[str] = mapped_column(String(5), default="12:15")
    pm_minutes: Mapped[int] = mapped_column(default=150)
    # Instructors may change the objective's weights for their centre (the contract's term names).
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    # Months after leaving before a participant's data is anonymised, and the audit log's age
    # limit (workcentre.privacy.retention).
    retention_months: Mapped[int] = mapped_column(default=12, server_default="12")
    audit_retention_months: Mapped[int] = mapped_column(default=24, server_default="24")

    areas: Mapped[list[Area]] = relationship(back_populates="centre", order_by="Area.name")
    task_types: Mapped[list[TaskType]] = relationship(
        back_populates="centre", order_by="TaskType.name"
    )

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


instructor_area = Table(
    "instructor_area",
    db.Model.metadata,
    Column("instructor_id", ForeignKey("instructor.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
)


class Area(db.Model):
    """A work room (työtila) with a number of seats."""

    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("centre_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    seats: Mapped[int] = mapped_column(default=0)

    centre: Mapped[Centre] = relationship(back_populates="areas")
    task_types: Mapped[list[TaskType]] = relationship(back_populates="area")
    instructors: Mapped[list[Instructor]] = relationship(
        secondary=instructor_area, back_populates="areas"
    )


class TaskType(db.Model):
    """A kind of work (työtehtävä) done in one area, with plain-language steps."""

    __tablename__ = "task_type"
    __table_args__ = (UniqueConstraint("centre_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    easy_name: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list[str]] = json_list()
    max_workers: Mapped[int | None] = mapped_column(default=None)
    pictogram: Mapped[str] = mapped_column(String(40), default="")
    photo_path: Mapped[str | None] = mapped_column(String(255), default=None)

    centre: Mapped[Centre] = relationship(back_populates="task_types")
    area: Mapped[Area] = relationship(back_populates="task_types")
    instructions: Mapped[list[TaskInstruction]] = relationship(
        back_populates="task_type", order_by="TaskInstruction.position",
        cascade="all, delete-orphan",
    )


class TaskInstruction(db.Model):
    """One step of a task type's instructions, in plain language (selkokieli)."""

    __tablename__ = "task_instruction"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_type_id: Mapped[int] = mapped_column(ForeignKey("task_type.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(String(300))
    pictogram: Mapped[str] = mapped_column(String(40), default="")

    task_type: Mapped[TaskType] = relationship(back_populates="instructions")
