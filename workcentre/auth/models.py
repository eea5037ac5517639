"""Server-side records of sign-ins, so that signing out ends a session for good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import utcnow


class LoginSession(db.Model):
    """One sign-in of a user on one browser; its key travels in the session and remember
    cookies (only its hash is stored). Signing out ends it; other devices go on."""

    __tablename__ = "login_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
