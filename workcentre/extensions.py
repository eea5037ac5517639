"""Flask extensions: created here, bound to the app in create_app."""

from collections.abc import Callable

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Storage: RATELIMIT_STORAGE_URI (from REDIS_URL or RATELIMIT_STORAGE_URI), else memory.
limiter = Limiter(key_func=get_remote_address)

# Named limits, per signed-in user or kiosk (per address for anonymous requests). The settings
# RATELIMIT_<NAME> override them, e.g. RATELIMIT_UPLOAD = "5 per minute".
LIMITS = {
    "picture_code": "60 per minute",  # each tapped picture is one request
    "upload": "20 per minute",  # workbooks and files sent
    "estimate": "60 per minute",  # the delivery estimate asked while typing
    "personal_data": "10 per minute",  # one person's data exported or erased
}


def requester_key() -> str:
    """Who is asking: the signed-in user or kiosk, else the address."""
    if current_user and current_user.is_authenticated:
        return f"{current_user.role}:{current_user.id}"
    return f"address:{get_remote_address()}"


def named_limit(name: str, methods: list[str] | None = None,
                exempt_when: Callable[[], bool] | None = None) -> Callable:
    """A decorator applying the named limit; every view it decorates shares one count."""

    def value() -> str:
        return current_app.config.get(f"RATELIMIT_{name.upper()}") or LIMITS[name]

    return limiter.shared_limit(value, scope=name, key_func=requester_key, methods=methods,
                                exempt_when=exempt_when)


def _no_file_sent() -> bool:
    return not any(upload.filename for upload in request.files.values())


picture_code_limit = named_limit("picture_code", methods=["POST"])
upload_limit = named_limit("upload", methods=["POST"])
# Forms where a file is optional (a photo, an attachment): only a form carrying one counts.
file_upload_limit = named_limit("upload", methods=["POST"], exempt_when=_no_file_sent)
estimate_limit = named_limit("estimate")
personal_data_limit = named_limit("personal_data")


def tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Settings every new SQLite connection gets (nothing for other databases).

    WAL lets the tablets' writes go on while a page or an export reads; the busy timeout makes a
    writer wait for another writer instead of answering "database is locked"; SQLite checks
    foreign keys only when asked to.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
