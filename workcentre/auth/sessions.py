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
DEVICE_USERS = 8  # users remembered per browser


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


def _device_pairs(cookie: str | None) -> list[list]:
    if not cookie:
        return []
    try:
        data = _devices().loads(cookie, max_age=DEVICE_DAYS * 24 * 3600)
    except BadSignature:
        return []
    if not isinstance(data, list):
        return []
    return [pair for pair in data if isinstance(pair, list) and len(pair) == 2 and pair[1]]


def known_device(cookie: str | None, user_id: int | None) -> str | None:
    """The device id when the cookie marks this browser as one where the user has signed in
    with the right password, else None."""
    if user_id is None:
        return None
    return next((str(device) for who, device in _device_pairs(cookie) if who == user_id), None)


def device_cookie_with(cookie: str | None, user_id: int) -> str:
    """The browser's device cookie with this user added (a shared computer keeps the last
    few users who signed in on it)."""
    pairs = [pair for pair in _device_pairs(cookie) if pair[0] != user_id]
    return _devices().dumps([[user_id, secrets.token_urlsafe(12)], *pairs][:DEVICE_USERS])
