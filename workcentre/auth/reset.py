"""One-time password links: an admin makes one, the user sets a new password with it.

The token is random and shown once; only its hash is stored. A link works once, for
LINK_HOURS, and ends when a newer link is made or the password changes in any other way.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from ..audit import record
from ..extensions import db
from ..models import User, utcnow
from .models import PasswordReset
from .services import change_password, end_reset_links

LINK_HOURS = 24
log = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_reset_link(user: User, created_by_id: int | None) -> str:
    """A new one-time token for the user (older links end); the caller builds the URL."""
    end_reset_links(user.id)
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=_digest(token),
                                 created_by_id=created_by_id,
                                 expires_at=utcnow() + timedelta(hours=LINK_HOURS)))
    record(db.session, "password_link_created", "user_account", user.id)
    return token


def open_reset(token: str) -> PasswordReset | None:
    """The link's record while it can still be used, else None."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == _digest(token)))
    if reset is None or reset.ended_at is not None or reset.expires_at < utcnow():
        return None
    user = db.session.get(User, reset.user_id)
    return reset if user is not None and user.active else None


def use_reset(reset: PasswordReset, new_password: str) -> bool:
    """Set the new password through the link: True for the one request that uses it (the same
    link sent twice at once changes the password once)."""
    used = db.session.execute(update(PasswordReset).where(
        PasswordReset.id == reset.id, PasswordReset.ended_at.is_(None))
        .values(ended_at=utcnow()).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        return False
    user = db.session.get(User, reset.user_id)
    change_password(user, new_password)
    record(db.session, "password_set_by_link", "user_account", user.id)
    return True


def deliver_reset_link(user: User, link: str) -> bool:
    """Hook for sending the link by mail; True when it was sent. Until mail is set up the
    admin passes the link on, so nothing is sent and the link is not logged (it is a secret)."""
    log.info("password link made for user %s; not mailed (no mail hook)", user.id)
    return False
