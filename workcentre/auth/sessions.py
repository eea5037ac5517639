"""Sign-ins that end on the server, and the browsers a user has signed in on before.

A user's login id is 'u:<user id>:<user token>:<session key>'. The user token ends every session
of the user at once (password change, deactivation); the session key ends one sign-in (sign-out).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import User, utcnow
from .models import LoginSession

DEVICE_COOKIE = "wc_device"
DEVICE_DAYS = 180


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _longest_life() -> timedelta:
    config = current_app.config
    return timedelta(seconds=max(int(config["REMEMBER_COOKIE_DURATION"]),
                                 int(config["PERMANENT_SESSION_LIFETIME"])))


def sign_in(user: User, remember: bool = False) -> None:
    """Start a server-side session for the user and sign this browser in with it."""
    key = secrets.token_urlsafe(24)
    # Sessions past any cookie's life can go: nothing can present them any more.
    db.session.execute(delete(LoginSession).where(
        LoginSession.created_at < utcnow() - _longest_life()))
    db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key)))
    login_user(user, remember=remember)
    # flask-login stored user.get_id(); the session and remember cookies carry this key too.
    session["_user_id"] = f"{user.get_id()}:{key}"


def end_session(login_id: str | None) -> None:
    """End the sign-in behind this login id (the user's other devices stay signed in)."""
    key = (login_id or "").rpartition(":")[2]
    if key:
        db.session.execute(update(LoginSession).where(
            LoginSession.key_hash == _hash(key), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow()))


def session_is_live(user_id: int, key: str) -> bool:
    found = db.session.scalar(select(LoginSession.id).where(
        LoginSession.key_hash == _hash(key), LoginSession.user_id == user_id,
        LoginSession.ended_at.is_(None),
        LoginSession.created_at >= utcnow() - _longest_life()))
    return found is not None


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def new_device_cookie(user_id: int) -> str:
    """A signed mark for a browser where the user has signed in with the right password."""
    return _devices().dumps({"u": user_id, "d": secrets.token_urlsafe(12)})


def known_device(cookie: str | None, user_id: int | None) -> str | None:
    """The device id when the cookie marks this browser as the user's own, else None."""
    if not cookie or user_id is None:
        return None
    try:
        data = _devices().loads(cookie, max_age=DEVICE_DAYS * 24 * 3600)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id or not data.get("d"):
        return None
    return str(data["d"])
