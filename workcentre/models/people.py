"""Participants: the members of the group, their attendance, skills and likes.

Support needs and productivity are health-related personal data. They live in their own table,
`ParticipantSupport`, which no relationship loads implicitly (``lazy="raise"``): the only way to
read them is `workcentre.people.services.read_support`, which checks the role and writes the
audit log.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import json_list, utcnow
from .org import Centre, TaskType

participant_skill = Table(
    "participant_skill",
    db.Model.metadata,
    Column("participant_id", ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True),
    Column("task_type_id", ForeignKey("task_type.id", ondelete="CASCADE"), primary_key=True),
)


class Participant(db.Model):
    """A member of the group who works in the centre."""

    __tablename__ = "participant"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), default="")
    # Weekly attendance pattern as slot keys ("mon-am", "mon-pm", ...).
    attends: Mapped[list[str]] = json_list()
    avoid_tags: Mapped[list[str]] = json_list()
    needs_routine: Mapped[bool] = mapped_column(default=False)
    photo_path: Mapped[str | None] = mapped_column(String(255), default=None)
    # Optional picture-PIN for the tablet: a short sequence of pictogram names.
    picture_pin: Mapped[list[str]] = json_list()
    # The tablet's language for this person (workcentre.tablet.language); None: selkokieli.
    tablet_language: Mapped[str | None] = mapped_column(String(8), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The day the person was made inactive ("left"): retention counts from it.
    left_on: Mapped[date | None] = mapped_column(default=None)
    # Set when the person's data was erased; first_name then holds the pseudonym.
    erased_at: Mapped[datetime | None] = mapped_column(default=None)
    # The pictogram the tablet shows instead of a photo (labels.PERSON_SYMBOLS); "": the initial.
    symbol: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Photo consent: when, by whom it was recorded, and for which uses ("tablet,print").
    photo_consent_on: Mapped[date | None] = mapped_column(default=None)
    photo_consent_use: Mapped[str] = mapped_column(String(60), default="", server_default="")
    photo_consent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), default=None)

    centre: Mapped[Centre] = relationship()
    skills: Mapped[list[TaskType]] = relationship(secondary=participant_skill)
    preferences: Mapped[list[Preference]] = relationship(
        back_populates="participant", cascade="all, delete-orphan"
    )
    absences: Mapped[list[Absence]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="Absence.day"
    )
    support: Mapped[ParticipantSupport | None] = relationship(
        back_populates="participant", cascade="all, delete-orphan", lazy="raise"
    )

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def photo_allowed(self, use: str) -> bool:
        """Whether the photo may be shown for `use` ("tablet", "print"): only with consent."""
        return bool(self.photo_path and self.photo_consent_on
                    and use in self.photo_consent_use.split(","))

    @property
    def tablet_photo(self) -> str | None:
        """The photo a tablet may show, or None (the tablet shows the symbol instead)."""
        return self.photo_path if self.photo_allowed("tablet") else None


class ParticipantSupport(db.Model):
    """Health-related data: read only through the audited service, by instructors and admins."""

    __tablename__ = "participant_support"
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    support_points: Mapped[int] = mapped_column(default=0)
    productivity: Mapped[int] = mapped_column(default=100)
    notes: Mapped[str] = mapped_column(Text, default="")

    participant: Mapped[Participant] = relationship(back_populates="support")

    __table_args__ = (
        CheckConstraint("support_points >= 0", name="support_points_nonneg"),
        CheckConstraint("productivity BETWEEN 1 AND 200", name="productivity_range"),
    )


class Preference(db.Model):
    """A participant likes (prefers) or dislikes a task type."""

    __tablename__ = "preference"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    task_type_id: Mapped[int] = mapped_column(ForeignKey("task_type.id", ondelete="CASCADE"))
    likes: Mapped[bool] = mapped_column()

    participant: Mapped[Participant] = relationship(back_populates="preferences")
    task_type: Mapped[TaskType] = relationship()


class Absence(db.Model):
    """A day or half-day when a participant or an instructor is away."""

    __tablename__ = "absence"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True, default=None
    )
    instructor_id: Mapped[int | None] = mapped_column(
        ForeignKey("instructor.id", ondelete="CASCADE"), index=True, default=None
    )
    day: Mapped[date] = mapped_column()
    # "am", "pm" or None for the whole day.
    half: Mapped[str | None] = mapped_column(String(2), default=None)
    reason: Mapped[str] = mapped_column(String(200), default="")

    participant: Mapped[Participant | None] = relationship(back_populates="absences")

    __table_args__ = (
        CheckConstraint(
            "(participant_id IS NULL) <> (instructor_id IS NULL)", name="one_person"
        ),
    )
