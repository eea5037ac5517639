"""Who signs in: users with a role, companies, instructors and tablet kiosks."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ._types import json_list, name_key, name_key_column, utcnow
from .org import Area, Centre, instructor_area

if TYPE_CHECKING:
    from .orders import Order


class Role(StrEnum):
    ADMIN = "admin"
    INSTRUCTOR = "instructor"
    COMPANY = "company"
    KIOSK = "kiosk"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(db.Model):
    """A person who signs in with email and password: admin, instructor or company user."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(5), default=None)
    # Part of the login id (flask-login's alternative token): changing it ends every session.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised by every admin edit, so a second admin saving an older form is told, not obeyed.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    company: Mapped[Company | None] = relationship(back_populates="users")
    instructor: Mapped[Instructor | None] = relationship(back_populates="user")

    # flask-login's user protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"u:{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        self.session_token = new_session_token()


class Company(db.Model):
    """A local firm that orders subcontracting work from the service."""

    __tablename__ = "company"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    name_key: Mapped[str] = name_key_column()
    business_id: Mapped[str] = mapped_column(String(20), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")

    users: Mapped[list[User]] = relationship(back_populates="company")
    orders: Mapped[list[Order]] = relationship(back_populates="company")

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


instructor_centre = Table(
    "instructor_centre",
    db.Model.metadata,
    Column("instructor_id", ForeignKey("instructor.id", ondelete="CASCADE"), primary_key=True),
    Column("centre_id", ForeignKey("centre.id", ondelete="CASCADE"), primary_key=True),
)


class Instructor(db.Model):
    """Staff who supervise an area and give support; may work in several centres."""

    __tablename__ = "instructor"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(default=6)
    # Weekly pattern as slot keys ("mon-am", "mon-pm", ...).
    attends: Mapped[list[str]] = json_list()
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User | None] = relationship(back_populates="instructor")
    centres: Mapped[list[Centre]] = relationship(secondary=instructor_centre)
    areas: Mapped[list[Area]] = relationship(
        secondary=instructor_area, back_populates="instructors"
    )


class Kiosk(db.Model):
    """A tablet enrolled by an instructor; it can reach only its own centre's tablet pages."""

    __tablename__ = "kiosk"
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # Only hashes are stored: a token is shown once, in the enrolment URL.
    enrol_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    enrol_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    device_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enrolled_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)

    centre: Mapped[Centre] = relationship()

    role = Role.KIOSK
    is_authenticated = True
    is_anonymous = False
    company_id = None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.enrolled_at is not None

    def get_id(self) -> str:
        return f"k:{self.id}:{self.device_token}"


class LoginAttempt(db.Model):
    """Failed sign-ins, kept in the database so the limit holds across web processes."""

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

