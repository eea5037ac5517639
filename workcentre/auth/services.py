"""Signing in: credentials, rate limits, ending sessions."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import Kiosk, LoginAttempt, Role, User, utcnow
from .passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password


class LoginRefused(Exception):
    """Sign-in refused; the message never tells whether the account exists."""


class RateLimited(LoginRefused):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def load_login(login_id: str) -> User | Kiosk | None:
    """flask-login's user loader: 'u:<id>:<token>' for users, 'k:<id>:<token>' for kiosks."""
    kind, _, rest = login_id.partition(":")
    raw_id, _, token = rest.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    model = {"u": User, "k": Kiosk}.get(kind)
    if model is None:
        return None
    who = db.session.get(model, int(raw_id))
    if who is None or not who.is_active:
        return None
    stored = who.session_token if isinstance(who, User) else who.device_token
    return who if stored == token else None


def _recent_failures(key: str) -> int:
    since = utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    query = select(func.count()).where(LoginAttempt.key == key, LoginAttempt.at >= since)
    return db.session.scalar(query) or 0


def authenticate(email: str, password: str, address: str) -> User:
    """The user for these credentials, or LoginRefused.

    Failures count against both the account and the address.
    """
    email = normalise_email(email)
    keys = (f"account:{email}", f"address:{address}")
    limits = (current_app.config["LOGIN_MAX_PER_ACCOUNT"],
              current_app.config["LOGIN_MAX_PER_ADDRESS"])
    if any(_recent_failures(key) >= limit for key, limit in zip(keys, limits, strict=True)):
        raise RateLimited()
    user = db.session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        db.session.add_all([LoginAttempt(key=key) for key in keys])
        db.session.commit()
        raise LoginRefused()
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


def check_new_password(password: str) -> str | None:
    """A reason to refuse a new password, or None."""
    if len(password) < MIN_LENGTH:
        return "short"
    return None


def create_user(email: str, name: str, password: str, role: Role,
                company_id: int | None = None) -> User:
    if role == Role.COMPANY and company_id is None:
        raise ValueError("a company user needs a company")
    user = User(email=normalise_email(email), name=name, password_hash=hash_password(password),
                role=role.value, company_id=company_id if role == Role.COMPANY else None)
    db.session.add(user)
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of the user."""
    user.password_hash = hash_password(new_password)
    user.end_sessions()


def deactivate(user: User) -> None:
    user.active = False
    user.end_sessions()
