"""One-time password links: an admin makes one, the user sets a new password with it.

The token is random and shown once; only its hash is stored. A link works once, for
LINK_HOURS, and ends when a newer link is made or the password changes in any other way.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..audit import record
from ..extensions import db
from ..locks import hold
from ..models import User, utcnow
from ..notices.outbox import Notice, send
from .models import PasswordReset
from .services import change_password, end_reset_links

LINK_HOURS = 24
log = logging.getLogger(__name__)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_reset_link(user: User, created_by_id: int | None) -> str:
    """A new one-time token for the user (older links end); the caller builds the URL. The
    account's row is held first: of two links made at the same moment only the newer works."""
    hold(User, User.id == user.id)
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
    link sent twice at once changes the password once, a link used while the admin closes the
    account changes nothing). The account's row is held first, as closing it does, so the
    two wait in turn instead of deadlocking."""
    if not hold(User, User.id == reset.user_id, read=User.active):
        return False
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
    """Mail the link to the user when an SMTP server is set up; True when it was sent. Without
    one (mail would go to the log) nothing is sent: the link is a secret, the admin passes it
    on."""
    if not current_app.config.get("MAIL_SERVER"):
        return False
    with force_locale(user.language or "fi"):
        subject = _("Aseta salasanasi – työkeskuksen suunnittelija")
        body = _("Hei %(name)s,\n\naseta salasanasi tästä linkistä. Linkki toimii kerran ja "
                 "%(hours)d tunnin ajan:\n%(link)s\n\nJos et odottanut tätä viestiä, kerro "
                 "siitä työkeskuksen pääkäyttäjälle.", name=user.name, hours=LINK_HOURS,
                 link=link)
    return send([Notice(user.email, subject, body)]) == 1
