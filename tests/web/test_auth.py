"""Signing in and out, sessions that really end, rate limits, CSRF and security headers."""

from __future__ import annotations

import pytest

from tests.conftest import app_config
from tests.factories import PASSWORD, login, make_centre, make_company, make_user
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


def _fail(client, email: str, times: int) -> None:
    for _ in range(times):
        client.post("/login", data={"email": email, "password": "väärä-salasana"})


class Clock:
    """The sign-in service's clock, moved by hand."""

    def __init__(self) -> None:
        from workcentre.models import utcnow

        self.now = utcnow()

    def __call__(self):
        return self.now

    def passes(self, seconds: int) -> None:
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("workcentre.auth.services.utcnow", clock)
    return clock


def _wait_seconds(response) -> int:
    import re

    page = response.get_data(as_text=True)
    found = re.search(r"Odota hetki[^0-9]*(\d+) s", page)
    assert found, page[:2000]
    return int(found.group(1))


def test_wrong_passwords_slow_down_the_account_but_never_lock_it(app, clock, instructor_email):
    """A wrong password every minute for a quarter of an hour: the account is held for at most
    a minute at a time, the page says how long, and the right password after the wait gets in."""
    attacker, user = app.test_client(), app.test_client()
    for _ in range(15):
        _fail(attacker, instructor_email, 1)
        clock.passes(61)
    clock.passes(-61)
    held = login(user, instructor_email)
    assert held.status_code == 429 and _wait_seconds(held) == 60
    assert held.headers["Retry-After"] == "60"
    assert user.get("/planning/").status_code == 302, "not in while the wait lasts"
    clock.passes(61)
    assert login(user, instructor_email).headers["Location"].endswith("/planning/")


def test_tries_during_the_wait_are_not_even_checked(app, clock, instructor_email):
    from workcentre.models import LoginAttempt

    _fail(app.test_client(), instructor_email, 20)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(LoginAttempt)) == 3
    assert login(app.test_client(), instructor_email).status_code == 429
    clock.passes(2)
    assert login(app.test_client(), instructor_email).status_code == 302


def test_the_first_failures_cost_no_wait(app, clock, instructor_email):
    client = app.test_client()
    _fail(client, instructor_email, 2)
    assert login(client, instructor_email).status_code == 302


def test_the_wait_grows_with_the_failures_up_to_a_minute():
    from workcentre.auth.services import login_wait

    waits = [login_wait(failures, free=3, longest=60) for failures in range(12)]
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_known_device_gets_in_during_an_attack(app, instructor_email):
    """The user's own browser has signed in before: someone else's guessing does not keep
    the right password out there."""
    own = app.test_client()
    assert login(own, instructor_email).status_code == 302
    own.post("/logout")
    _fail(app.test_client(), instructor_email, 30)
    assert login(own, instructor_email).headers["Location"].endswith("/planning/")


def test_wrong_passwords_on_a_known_device_are_slowed_too(app, clock, instructor_email):
    own = app.test_client()
    login(own, instructor_email)
    own.post("/logout")
    _fail(own, instructor_email, 5)
    assert login(own, instructor_email).status_code == 429


def test_the_wait_does_not_tell_whether_the_account_exists(app, clock, instructor_email):
    known, unknown = app.test_client(), app.test_client()
    for _ in range(8):
        _fail(known, instructor_email, 1)
        _fail(unknown, "ei.ole@test.example", 1)
        clock.passes(61)
    clock.passes(-61)
    first = known.post("/login", data={"email": instructor_email, "password": "x" * 12})
    second = unknown.post("/login", data={"email": "ei.ole@test.example", "password": "x" * 12})
    assert first.status_code == second.status_code == 429
    assert _wait_seconds(first) == _wait_seconds(second) == 32
    assert first.headers["Retry-After"] == second.headers["Retry-After"]


def test_staff_behind_one_address_are_not_shut_out(app, instructor_email):
    """A centre's staff share one address: failures on other accounts from it do not keep a
    colleague out, and a flood of them costs an untrusted browser at most a minute's wait."""
    for number in range(25):
        app.test_client().post("/login", data={"email": f"x{number}@test.example",
                                               "password": "y" * 12})
    assert login(app.test_client(), instructor_email).status_code == 302
    own = app.test_client()
    login(own, instructor_email)
    own.post("/logout")
    app.config["LOGIN_ADDRESS_LIMIT"] = "10 per minute"
    for number in range(12):
        app.test_client().post("/login", data={"email": f"z{number}@test.example",
                                               "password": "y" * 12})
    stranger = login(app.test_client(), instructor_email)
    assert stranger.status_code == 429 and 0 < _wait_seconds(stranger) <= 60
    assert login(own, instructor_email).status_code == 302, "a known device is not held"


def test_logout_ends_the_session_on_the_server(app, instructor_email):
    """The session cookie copied before signing out no longer signs anyone in."""
    client = app.test_client()
    login(client, instructor_email)
    old_cookie = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/planning/").status_code == 302


def test_logout_ends_the_remember_cookie_on_the_server(app, instructor_email):
    client = app.test_client()
    client.post("/login", data={"email": instructor_email, "password": PASSWORD,
                                "remember": "y"})
    remembered = client.get_cookie("remember_token").value
    before = app.test_client()
    before.set_cookie("remember_token", remembered)
    assert before.get("/planning/").status_code == 200, "remember me works until sign-out"
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    assert replay.get("/planning/").status_code == 302


def test_logout_leaves_the_users_other_devices_signed_in(app, instructor_email):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, instructor_email)
    login(phone, instructor_email)
    laptop.post("/logout")
    assert laptop.get("/planning/").status_code == 302
    assert phone.get("/planning/").status_code == 200


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


@pytest.fixture
def company_user(app):
    with app.app_context():
        make_centre("Arviokeskus")
        user = make_user(Role.COMPANY, company=make_company("Kyselijä Oy"))
        other = make_user(Role.COMPANY, company=make_company("Toinen Oy"))
        db.session.commit()
        return user.email, other.email


def test_the_delivery_estimate_is_limited_per_user(app, company_user):
    app.config["RATELIMIT_ESTIMATE"] = "3 per minute"
    asking, other = app.test_client(), app.test_client()
    login(asking, company_user[0])
    login(other, company_user[1])
    answers = [asking.get("/company/estimate?centre=1&product=x&quantity=1").status_code
               for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert other.get("/company/estimate?centre=1&product=x&quantity=1").status_code == 200


def test_workbook_uploads_are_limited_per_user(app, company_user):
    import io

    app.config["RATELIMIT_UPLOAD"] = "2 per minute"
    client = app.test_client()
    login(client, company_user[0])
    assert client.get("/company/orders/upload").status_code == 200
    answers = [client.post("/company/orders/upload", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"not a workbook"), "t.xlsx")}).status_code
               for _ in range(3)]
    assert answers[-1] == 429 and 429 not in answers[:2]
    assert "Liian monta pyyntöä" in client.post("/company/orders/upload").get_data(as_text=True)
    assert client.get("/company/orders/upload").status_code == 200, "only sending is limited"


def test_a_shared_computer_is_known_for_each_of_its_users(app, clock, instructor_email):
    with app.app_context():
        colleague = make_user(Role.INSTRUCTOR, email="kollega@test.example").email
        db.session.commit()
    shared = app.test_client()
    for email in (instructor_email, colleague):
        login(shared, email)
        shared.post("/logout")
    _fail(app.test_client(), instructor_email, 6)
    _fail(app.test_client(), colleague, 6)
    assert login(shared, instructor_email).status_code == 302
    shared.post("/logout")
    assert login(shared, colleague).status_code == 302


def test_the_wait_said_is_never_longer_than_the_limits_window():
    from workcentre.auth.views import wait_seconds

    now = 1_000_000.4
    assert wait_seconds(1_000_061, now, 60) == 60  # the limiter's reset time, one past
    assert wait_seconds(1_000_030, now, 60) == 30
    assert wait_seconds(1_000_000, now, 60) == 1
