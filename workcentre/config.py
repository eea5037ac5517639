"""Default settings; instance/config.py and the environment override them."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS = {
    "BABEL_DEFAULT_LOCALE": "fi",
    "LANGUAGES": {"fi": "Suomi", "sv": "Svenska", "en": "English"},
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    # Sign-in: failures of the last 15 minutes count; the first 3 cost nothing, then each
    # makes the account wait 1, 2, 4 ... seconds, never more than a minute.
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    "LOGIN_FREE_FAILURES": 3,
    "LOGIN_LONGEST_WAIT": 60,
    # Failed sign-ins per address (Flask-Limiter syntax); browsers that have signed in to the
    # account before are not counted, so a shared address does not shut the staff out.
    "LOGIN_ADDRESS_LIMIT": "30 per minute",
    # A broken limit store (Redis down) must not stop people signing in.
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    # Behind a TLS-terminating proxy, set to the number of proxies to trust X-Forwarded-*.
    "TRUSTED_PROXIES": 0,
    "SOLVE_TIME_LIMIT": 30.0,
    # SQLite only: how long a writer waits for another before giving up.
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
    # Order notices (docs/notices.md): without MAIL_SERVER they go to the log.
    "MAIL_DEFAULT_SENDER": "Työkeskus <noreply@localhost>",
    "MAIL_TIMEOUT": 5,  # seconds an SMTP server may take before the notice is given up
}

MAIL_ENV = {"MAIL_SERVER": str, "MAIL_PORT": int, "MAIL_USERNAME": str, "MAIL_PASSWORD": str,
            "MAIL_USE_TLS": bool, "MAIL_USE_SSL": bool, "MAIL_DEFAULT_SENDER": str,
            "MAIL_TIMEOUT": float, "PUBLIC_URL": str}


def mail_settings() -> dict:
    """The SMTP settings and the public address (for links in mail) set in the environment."""
    found = {}
    for name, kind in MAIL_ENV.items():
        value = os.environ.get(name)
        if value:
            found[name] = value.strip().lower() in ("1", "true", "yes") if kind is bool \
                else kind(value)
    return found


def database_url(instance_path: str) -> str:
    """DATABASE_URL when set, else the SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; SQLAlchemy 2 with psycopg 3 wants this one.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return "sqlite:///" + str(Path(instance_path) / "workcentre.sqlite")


def rate_limit_storage() -> str:
    """Where the limits count: Redis when configured (shared by all web processes), else memory
    (each process counts on its own)."""
    return (os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL")
            or "memory://")


def ensure_secret_key(instance_path: str) -> str:
    """The secret key from the environment, else from instance/config.py, written on first run."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    config_file = Path(instance_path) / "config.py"
    namespace: dict = {}
    if config_file.exists():
        exec(compile(config_file.read_text(), str(config_file), "exec"), namespace)  # noqa: S102
        if namespace.get("SECRET_KEY"):
            return namespace["SECRET_KEY"]
    key = secrets.token_urlsafe(48)
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    with config_file.open("a", encoding="utf-8") as handle:
        handle.write(f"# Written on first start; keep it secret, keep it out of git.\n"
                     f"SECRET_KEY = {key!r}\n")
    os.chmod(config_file, 0o600)
    return key
