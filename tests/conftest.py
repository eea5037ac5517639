"""Shared fixtures: the app on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from workcentre import create_app
from workcentre.config import database_url as normalise_url
from workcentre.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        os.environ["DATABASE_URL"] = TEST_DATABASE_URL
        try:
            return normalise_url("")
        finally:
            del os.environ["DATABASE_URL"]
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


def _reset_postgres_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """One database per test session, built by the real migrations."""
    url = _database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        _reset_postgres_schema(url)
    app = create_app(app_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


def app_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        # Repeatable solves: one worker and a deterministic budget instead of wall-clock time.
        "SOLVE_WORKERS": 1,
        "SOLVE_DETERMINISTIC_TIME": 0.5,
    }


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            # The audit log refuses deletes but for the retention purge's (models/audit.py).
            db.session.execute(table.delete().execution_options(audit_retention_purge=True))
    db.session.commit()


@pytest.fixture(autouse=True)
def _own_instance_dir(tmp_path, monkeypatch):
    """Uploads and generated files of a test go to its own directory, never to instance/."""
    monkeypatch.setenv("WORKCENTRE_INSTANCE_PATH", str(tmp_path / "instance"))


@pytest.fixture
def app(database_url):
    """A fresh app on empty tables. No app context stays pushed: requests get their own, as in
    production (a shared context would share flask-login's cached user between requests)."""
    app = create_app(app_config(database_url))
    with app.app_context():
        _empty_tables()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly and make no requests."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
