"""Signing in and out, sessions that really end, rate limits, CSRF and security headers."""

from __future__ import annotations

import pytest

from tests.conftest import app_config
from tests.factories import PASSWORD, login, make_company, make_user
from workcentre import create_app
from workcentre.auth.services import deactivate
from workcentre.extensions import db
from workcentre.models import Role, User


@pytest.fixture
def instructor_email(app):
    with app.app_context():
        user = make_user(Role.INSTRUCTOR, email="ohjaaja@test.example")
        db.session.commit()
        return user.email


def test_wrong_password_and_unknown_user_get_the_same_answer(client, instructor_email):
    wrong = client.post("/login", data={"email": instructor_email, "password": "väärä-salasana"})
    unknown = client.post("/login", data={"email": "ei.ole@test.example", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 200
    message = "Sähköposti tai salasana on väärin."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_login_then_logout(client, instructor_email):
    assert login(client, instructor_email).headers["Location"].endswith("/planning/")
    assert client.get("/planning/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/planning/").status_code == 302


def test_email_is_case_insensitive(client, instructor_email):
    assert login(client, instructor_email.upper()).status_code == 302


@pytest.mark.parametrize("target, lands_on", [
    ("https://evil.example/", "/planning/"),
    ("//evil.example/", "/planning/"),
    ("/people/", "/people/"),
])
def test_login_follows_only_local_next(app, instructor_email, target, lands_on):
    response = app.test_client().post("/login", query_string={"next": target},
                                      data={"email": instructor_email, "password": PASSWORD})
    assert response.headers["Location"] == lands_on


def test_failures_are_rate_limited_per_account(app, client, instructor_email):
    for _ in range(app.config["LOGIN_MAX_PER_ACCOUNT"]):
        client.post("/login", data={"email": instructor_email, "password": "väärä-salasana"})
    blocked = login(client, instructor_email)
    assert blocked.status_code == 200
    assert "Liian monta" in blocked.get_data(as_text=True)
    assert client.get("/planning/").status_code == 302


def test_failures_are_rate_limited_per_address(app, client, instructor_email):
    for number in range(app.config["LOGIN_MAX_PER_ADDRESS"]):
        client.post("/login", data={"email": f"x{number}@test.example", "password": "y" * 12})
    assert "Liian monta" in login(client, instructor_email).get_data(as_text=True)


def test_password_change_ends_other_sessions(app, instructor_email):
    first, second = app.test_client(), app.test_client()
    login(first, instructor_email)
    login(second, instructor_email)
    response = first.post("/account/password", data={
        "current": PASSWORD, "new": "uusi-salasana-456", "again": "uusi-salasana-456"})
    assert response.status_code == 302
    assert first.get("/planning/").status_code == 200, "the changing session goes on"
    assert second.get("/planning/").status_code == 302, "every other session has ended"
    assert login(app.test_client(), instructor_email, "uusi-salasana-456").status_code == 302


def test_password_change_needs_the_current_password(client, instructor_email):
    login(client, instructor_email)
    response = client.post("/account/password", data={
        "current": "väärä", "new": "uusi-salasana-456", "again": "uusi-salasana-456"})
    assert "Nykyinen salasana on väärin." in response.get_data(as_text=True)


def test_deactivation_ends_sessions_and_blocks_login(app, client, instructor_email):
    login(client, instructor_email)
    with app.app_context():
        deactivate(db.session.scalar(db.select(User).where(User.email == instructor_email)))
        db.session.commit()
    assert client.get("/planning/").status_code == 302
    assert "Sähköposti tai salasana on väärin." in login(client, instructor_email).get_data(
        as_text=True)


def test_remember_cookie_ends_with_the_session_token(app, instructor_email):
    client = app.test_client()
    client.post("/login", data={"email": instructor_email, "password": PASSWORD,
                                "remember": "y"})
    cookie = client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == instructor_email))
        user.end_sessions()
        db.session.commit()
    fresh = app.test_client()
    fresh.set_cookie("remember_token", cookie.value)
    assert fresh.get("/planning/").status_code == 302


def test_passwords_are_stored_as_argon2id(app, instructor_email):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == instructor_email))
        assert user.password_hash.startswith("$argon2id$")
        params = dict(p.split("=") for p in user.password_hash.split("$")[3].split(","))
        assert int(params["m"]) >= 19456 and int(params["t"]) >= 2  # OWASP's minimum


def test_csrf_is_required_on_forms(database_url):
    app = create_app({**app_config(database_url), "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    response = client.post("/login", data={"email": "a@test.example", "password": "x" * 12})
    assert response.status_code == 400
    assert "Lomake vanheni" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_flags_and_secure_over_https(client, instructor_email):
    response = client.post("/login", data={"email": instructor_email, "password": PASSWORD,
                                           "remember": "y"}, base_url="https://localhost")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered and "secure" in lowered


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/ei-tallaista-sivua")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Sivua ei löydy" in page and "app.css" in page


def test_company_user_needs_a_company(app):
    from workcentre.auth.services import create_user

    with app.app_context(), pytest.raises(ValueError):
        create_user("c@test.example", "C", "x" * 12, Role.COMPANY, None)


def test_admin_adds_a_company_user(app, client):
    with app.app_context():
        admin = make_user(Role.ADMIN)
        company = make_company("Lisättävä Oy")
        db.session.commit()
        admin_email, company_id = admin.email, company.id
    login(client, admin_email)
    response = client.post("/admin/users", data={
        "name": "Tilaaja", "email": "tilaaja@test.example", "role": "company",
        "company_id": company_id, "password": "tilaajan-salasana"})
    assert response.status_code == 302
    other = app.test_client()
    assert login(other, "tilaaja@test.example", "tilaajan-salasana").headers[
        "Location"].endswith("/company/orders")
