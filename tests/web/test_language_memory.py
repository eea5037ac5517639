"""The language picked before sign-in stays after it, and each user's language is remembered."""

from __future__ import annotations

from workcentre.extensions import db
from workcentre.models import Role, User

from ..factories import login, make_centre, make_company, make_user


def _user(app, role: Role = Role.INSTRUCTOR) -> str:
    with app.app_context():
        if role == Role.COMPANY:
            email = make_user(role, company=make_company()).email
        else:
            email = make_user(role, centre=make_centre()).email
        db.session.commit()
        return email


def _lang(client, path: str) -> str:
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_language_picked_before_sign_in_is_kept_after_it(app):
    email = _user(app)
    client = app.test_client()
    client.post("/language/sv", data={"next": "/login"})
    assert _lang(client, "/login") == "sv"
    assert login(client, email).status_code == 302
    assert _lang(client, "/orders/") == "sv"


def test_language_picked_before_sign_in_is_remembered_on_another_device(app):
    email = _user(app, Role.COMPANY)
    first = app.test_client()
    first.post("/language/en", data={"next": "/login"})
    login(first, email)
    with app.app_context():
        assert db.session.query(User).filter_by(email=email).one().language == "en"
    other = app.test_client()
    login(other, email)
    assert _lang(other, "/company/orders") == "en"


def test_language_picked_after_sign_in_is_used_on_the_next_sign_in(app):
    email = _user(app)
    client = app.test_client()
    login(client, email)
    client.post("/language/sv", data={"next": "/orders/"})
    client.post("/logout")
    assert _lang(client, "/login") == "sv"  # signing out keeps the language too
    other = app.test_client()
    login(other, email)
    assert _lang(other, "/orders/") == "sv"


def test_without_a_pick_a_new_user_gets_finnish_and_keeps_their_stored_language(app):
    email = _user(app)
    client = app.test_client()
    login(client, email)
    assert _lang(client, "/orders/") == "fi"
    with app.app_context():
        db.session.query(User).filter_by(email=email).one().language = "en"
        db.session.commit()
    other = app.test_client()
    login(other, email)
    assert _lang(other, "/orders/") == "en"
