"""Signing in: credentials, waits after failures, ending sessions."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import Kiosk, LoginAttempt, Role, User, utcnow
from .models import LoginSession, PasswordReset
from .passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from .sessions import DEVICE_COOKIE, known_device, session_is_live


class LoginRefused(Exception):
    """Sign-in refused; the message never tells whether the account exists."""


class LoginHeld(LoginRefused):
    """Too many recent failures: try again after `seconds`."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def normalise_email(email: str) -> str:
    return email.strip().lower()


def load_login(login_id: str) -> User | Kiosk | None:
    """flask-login's user loader.

    'u:<id>:<user token>:<session key>' for users (the session must not have ended),
    'k:<id>:<device token>' for kiosks.
    """
    kind, _, rest = login_id.partition(":")
    raw_id, _, rest = rest.partition(":")
    token, _, key = rest.partition(":")
    if not raw_id.isdigit() or not token or kind not in ("u", "k") or bool(key) != (kind == "u"):
        return None
    model = User if kind == "u" else Kiosk
    who = db.session.get(model, int(raw_id))
    if who is None or not who.is_active:
        return None
    stored = who.session_token if isinstance(who, User) else who.device_token
    if stored != token:
        return None
    if isinstance(who, User) and not session_is_live(who.id, key):
        return None
    return who


def login_wait(failures: int, free: int, longest: int) -> int:
    """Seconds to wait after this many recent failures: none for the first few, then a wait
    that doubles with each failure, never longer than `longest`."""
    if failures < free:
        return 0
    return min(longest, 2 ** (failures - free))


def seconds_to_wait(key: str) -> int:
    """How long this account (or known device) must still wait before the next try."""
    config = current_app.config
    now = utcnow()
    since = now - timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    failures, last = db.session.execute(
        select(func.count(), func.max(LoginAttempt.at))
        .where(LoginAttempt.key == key, LoginAttempt.at >= since)).one()
    wait = login_wait(failures, config["LOGIN_FREE_FAILURES"], config["LOGIN_LONGEST_WAIT"])
    if not wait or last is None:
        return 0
    return max(0, math.ceil(wait - (now - last).total_seconds()))


def _record_failure(key: str) -> None:
    """Count a failure; failures older than the window no longer count and are dropped."""
    now = utcnow()
    since = now - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
    db.session.add(LoginAttempt(key=key, at=now))
    db.session.commit()


def authenticate(email: str, password: str, device_cookie: str | None = None) -> User:
    """The user for these credentials, or LoginRefused (LoginHeld while a wait lasts).

    Failures slow down the account: tries during the wait are not checked at all. A browser
    the user has signed in on before has a wait of its own, so guessing elsewhere does not
    keep the right password out there.
    """
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    device = known_device(device_cookie, user.id if user else None)
    key = f"device:{device}" if device else f"account:{email}"
    wait = seconds_to_wait(key)
    if wait:
        raise LoginHeld(wait)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        _record_failure(key)
        raise LoginRefused()
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


def confirm_password(user: User, password: str) -> bool:
    """The signed-in user's own password, asked again (to change it). Checked with the sign-in
    back-off of the account, so a browser left signed in is no place to guess it: LoginHeld
    during a wait; a wrong password counts as a failed sign-in."""
    key = f"account:{user.email}"
    wait = seconds_to_wait(key)
    if wait:
        raise LoginHeld(wait)
    if verify_password(user.password_hash, password):
        return True
    _record_failure(key)
    return False


def posted_by_known_device() -> bool:
    """Whether a sign-in form comes from a browser where that account has signed in before."""
    email = normalise_email(request.form.get("email", ""))[:254]
    if not email:
        return False
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    return known_device(request.cookies.get(DEVICE_COOKIE), user_id) is not None


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


def end_reset_links(user_id: int) -> None:
    """End every open password link of the user."""
    db.session.execute(update(PasswordReset).where(
        PasswordReset.user_id == user_id, PasswordReset.ended_at.is_(None))
        .values(ended_at=utcnow()).execution_options(synchronize_session=False))


def change_password(user: User, new_password: str) -> None:
    """Set a new password, end every other session of the user and any open password link."""
    user.password_hash = hash_password(new_password)
    user.end_sessions()
    end_reset_links(user.id)


def deactivate(user: User) -> None:
    """Close the account: every session ends at once, on the server too, and open password
    links with them."""
    user.active = False
    user.end_sessions()
    db.session.execute(update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow()).execution_options(synchronize_session=False))
    end_reset_links(user.id)


def reactivate(user: User) -> None:
    """Open the account again; old sessions stay ended, so the user signs in afresh."""
    user.active = True
