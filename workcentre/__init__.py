"""The work-centre planner: a Flask application for planning group subcontracting work."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.exc import DatabaseError, DataError, IntegrityError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import audit, notices
from .config import DEFAULTS, database_url, ensure_secret_key, mail_settings, rate_limit_storage
from .extensions import babel, csrf, db, limiter, login_manager, migrate, tune_sqlite
from .header_counts import header_counts
from .hygiene import install as install_hygiene
from .labels import (
    consent_uses,
    grouped,
    local_date,
    local_time,
    order_event_label,
    order_status_label,
    pin_picture_label,
    plan_state_label,
    run_message,
    slot_label,
    tag_label,
    term_label,
    weekday_label,
)
from .security import harden

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config -> extensions -> blueprints -> error pages -> CLI."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("WORKCENTRE_INSTANCE_PATH", str(PROJECT_DIR / "instance")),
        instance_relative_config=True,
        template_folder=str(PROJECT_DIR / "templates"),
    )
    _configure(app, test_config)
    harden(app)
    install_hygiene(app)  # before the blueprints: their routes take its int converter
    _init_extensions(app)
    _register_blueprints(app)
    _register_error_pages(app)
    from .cli import register_commands

    register_commands(app)
    return app


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.update(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.instance_path)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    if test_config is None:
        app.config["RATELIMIT_STORAGE_URI"] = rate_limit_storage()
        app.config.update(mail_settings())
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("WORKCENTRE")
        app.config["SECRET_KEY"] = ensure_secret_key(app.instance_path)
    else:
        app.config.update(test_config)
    if app.config["TRUSTED_PROXIES"]:
        count = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def select_locale() -> str:
    if not has_request_context():
        return "fi"  # command line and background work: the default language
    chosen = session.get("language")
    if not chosen and current_user and current_user.is_authenticated:
        chosen = getattr(current_user, "language", None)
    return chosen if chosen in current_app.config["LANGUAGES"] else "fi"


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(PACKAGE_DIR / "translations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Kirjaudu sisään jatkaaksesi.")
    from .auth.services import load_login

    login_manager.user_loader(load_login)
    audit.install(db.session.session_factory.class_)
    notices.install(db.session.session_factory.class_)
    notices.init_mail(app)

    @app.before_request
    def _set_audit_actor() -> None:
        if current_user.is_authenticated:
            kind = "kiosk" if current_user.role == "kiosk" else "user"
            user_id = None if kind == "kiosk" else current_user.id
            audit.set_actor(audit.Actor(f"{kind}:{current_user.id}", user_id))
        else:
            audit.set_actor(audit.Actor(f"anonymous:{request.remote_addr}"))

    app.add_template_filter(tag_label, "tag_label")
    app.add_template_filter(pin_picture_label, "pin_picture_label")
    app.add_template_filter(consent_uses, "consent_uses")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(grouped, "grouped")

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {
            "languages": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "order_status_label": order_status_label,
            "plan_state_label": plan_state_label,
            "slot_label": slot_label,
            "weekday_label": weekday_label,
            "term_label": term_label,
            "tag_label": tag_label,
            "order_event_label": order_event_label,
            "run_message": run_message,
            "header_counts": header_counts,
        }


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .company import bp as company_bp
    from .floor import bp as floor_bp
    from .media import bp as media_bp
    from .orders import bp as orders_bp
    from .people import bp as people_bp
    from .places import bp as places_bp
    from .planning import bp as planning_bp
    from .register import bp as register_bp
    from .reports import bp as reports_bp
    from .setup import bp as setup_bp
    from .tablet import bp as tablet_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(people_bp, url_prefix="/people")
    app.register_blueprint(orders_bp, url_prefix="/orders")
    app.register_blueprint(planning_bp, url_prefix="/planning")
    app.register_blueprint(places_bp, url_prefix="/centre")
    app.register_blueprint(media_bp, url_prefix="/media")
    app.register_blueprint(company_bp, url_prefix="/company")
    app.register_blueprint(tablet_bp, url_prefix="/tablet")
    app.register_blueprint(setup_bp, url_prefix="/setup")
    app.register_blueprint(floor_bp, url_prefix="/floor")
    app.register_blueprint(register_bp, url_prefix="/register")
    app.register_blueprint(reports_bp, url_prefix="/reports")


def _register_error_pages(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    def page(code: int):
        def handler(error: Exception):
            return render_template("errors/error.html", code=code), code

        return handler

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, page(code))

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_template("errors/error.html", code=400, csrf=True), 400

    @app.errorhandler(DatabaseError)
    def _database(error: DatabaseError):
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()  # no second trip to a broken database
        app.logger.error("database error: %s", error)
        if isinstance(error, IntegrityError | DataError):
            return render_template("errors/error.html", code=500), 500
        return render_template("errors/database.html"), 503
