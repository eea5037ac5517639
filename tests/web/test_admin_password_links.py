"""One-time password links: an admin makes one, the user sets a new password with it once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, login, make_user
from workcentre.auth.models import PasswordReset
from workcentre.extensions import db
from workcentre.models import AuditEvent, Role, User

NEW_PASSWORD = "uusi-salasana-789"


@pytest.fixture
def accounts(app):
    with app.app_context():
        make_user(Role.ADMIN, email="paa@test.example")
        user = make_user(Role.INSTRUCTOR, email="ohjaaja@test.example")
        db.session.commit()
        return {"user": user.id}


def _admin(app):
    client = app.test_client()
    login(client, "paa@test.example")
    return client


def _make_link(app, user_id: int) -> str:
    response = _admin(app).post(f"/admin/users/{user_id}/password-link")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Anna tämä linkki käyttäjälle" in page
    return re.search(r'id="reset-link">([^<]+)<', page).group(1)


def _path(link: str) -> str:
    return link.split("localhost", 1)[1]


def _set(client, link: str, password: str = NEW_PASSWORD, again: str | None = None):
    return client.post(_path(link), data={"new": password, "again": again or password})


def test_the_link_sets_a_new_password_once(app, accounts):
    signed_in = app.test_client()
    login(signed_in, "ohjaaja@test.example")
    link = _make_link(app, accounts["user"])
    user = app.test_client()
    form = user.get(_path(link))
    assert form.status_code == 200 and "Uusi salasana" in form.get_data(as_text=True)
    response = _set(user, link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert login(app.test_client(), "ohjaaja@test.example", NEW_PASSWORD).status_code == 302
    assert login(app.test_client(), "ohjaaja@test.example", PASSWORD).status_code == 200
    assert signed_in.get("/planning/").status_code == 302  # old sessions ended
    again = user.get(_path(link))
    assert again.status_code == 404
    assert "Tämä linkki ei enää toimi" in again.get_data(as_text=True)
    assert _set(user, link, "kolmas-salasana-000").status_code == 404
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"password_link_created", "password_set_by_link"} <= actions


def test_only_the_hash_of_the_token_is_stored(app, accounts):
    link = _make_link(app, accounts["user"])
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(PasswordReset.token_hash)).one()
        assert token not in stored and len(stored) == 64
        logged = " ".join(str(e.fields) + (e.entity_id or "")
                          for e in db.session.scalars(select(AuditEvent)))
        assert token not in logged


def test_a_short_or_mismatched_password_keeps_the_link(app, accounts):
    link = _make_link(app, accounts["user"])
    client = app.test_client()
    short = _set(client, link, "lyhyt")
    assert short.status_code == 400 and "Vähintään 10 merkkiä." in short.get_data(as_text=True)
    mismatch = _set(client, link, NEW_PASSWORD, "toinen-salasana-1")
    assert "Salasanat eivät täsmää." in mismatch.get_data(as_text=True)
    assert _set(client, link).status_code == 302


def test_the_link_expires_after_a_day(app, accounts, monkeypatch):
    link = _make_link(app, accounts["user"])
    with app.app_context():
        reset = db.session.scalars(select(PasswordReset)).one()
        reset.expires_at = reset.created_at - timedelta(seconds=1)
        db.session.commit()
    assert app.test_client().get(_path(link)).status_code == 404


def test_a_newer_link_or_a_password_change_ends_the_old_link(app, accounts):
    first = _make_link(app, accounts["user"])
    second = _make_link(app, accounts["user"])
    assert app.test_client().get(_path(first)).status_code == 404
    client = app.test_client()
    login(client, "ohjaaja@test.example")
    client.post("/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD,
                                            "again": NEW_PASSWORD})
    assert app.test_client().get(_path(second)).status_code == 404


def test_deactivation_ends_the_link(app, accounts):
    link = _make_link(app, accounts["user"])
    _admin(app).post(f"/admin/users/{accounts['user']}/deactivate")
    assert app.test_client().get(_path(link)).status_code == 404
    refused = _admin(app).post(f"/admin/users/{accounts['user']}/password-link",
                               follow_redirects=True)
    assert "Ota käyttäjä ensin käyttöön." in refused.get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(User, accounts["user"]).active


def test_the_link_is_used_once_even_when_sent_twice(app, accounts):
    """Two requests that both opened the link: only the first to save changes the password."""
    from workcentre.auth.reset import open_reset, use_reset

    token = _make_link(app, accounts["user"]).rsplit("/", 1)[1]
    with app.app_context():
        late = open_reset(token)
        with app.app_context():
            assert use_reset(open_reset(token), NEW_PASSWORD)
            db.session.commit()
        assert not use_reset(late, "toinen-salasana-1")
        db.session.rollback()
    assert login(app.test_client(), "ohjaaja@test.example", NEW_PASSWORD).status_code == 302


def test_a_new_user_without_a_password_gets_a_link(app, accounts):
    admin = _admin(app)
    response = admin.post("/admin/users", data={
        "name": "Uusi Ohjaaja", "email": "uusi@test.example", "role": "instructor",
        "company_id": 0, "password": ""})
    assert response.status_code == 200
    link = re.search(r'id="reset-link">([^<]+)<', response.get_data(as_text=True)).group(1)
    assert _set(app.test_client(), link).status_code == 302
    assert login(app.test_client(), "uusi@test.example", NEW_PASSWORD).status_code == 302
