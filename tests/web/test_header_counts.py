"""Instructors see in the header of every page how many orders wait to be taken in and how many
help calls nobody has answered; company users and tablets never do."""

from __future__ import annotations

import html

import pytest
from flask_login import login_user
from sqlalchemy import event

from workcentre.extensions import db
from workcentre.header_counts import header_counts
from workcentre.models import HelpRequest, OrderStatus, Role, User, utcnow

from ..factories import login, make_centre, make_company, make_order, make_participant, make_user


@pytest.fixture
def world(app):
    with app.app_context():
        mine, other = make_centre("Oma"), make_centre("Muu")
        company = make_company("A Oy")
        for centre, status in ((mine, OrderStatus.RECEIVED), (None, OrderStatus.RECEIVED),
                               (mine, OrderStatus.ACCEPTED), (other, OrderStatus.RECEIVED)):
            order = make_order(company)
            order.centre_id, order.status = centre.id if centre else None, status
        aino, eero = make_participant(mine), make_participant(other, first_name="Eero")
        db.session.add_all([HelpRequest(participant_id=aino.id),
                            HelpRequest(participant_id=aino.id, acknowledged_at=utcnow()),
                            HelpRequest(participant_id=eero.id)])
        users = {"staff": make_user(Role.INSTRUCTOR, centre=mine).email,
                 "admin": make_user(Role.ADMIN).email,
                 "company": make_user(Role.COMPANY, company=company).email,
                 "idle": make_user(Role.INSTRUCTOR, centre=make_centre("Hiljainen")).email}
        db.session.commit()
        return {"mine": mine.id, "other": other.id, "users": users}


def _page(app, email: str, path: str = "/people/") -> str:
    client = app.test_client()
    assert login(client, email).status_code == 302
    return html.unescape(client.get(path, follow_redirects=True).get_data(as_text=True))


def _header(page: str) -> str:
    return page.split("<main", 1)[0]


def test_an_instructor_sees_the_new_orders_and_help_calls_of_their_centres(app, world):
    header = _header(_page(app, world["users"]["staff"]))
    # Received in their centre and not yet in any centre: 2; the other centre's is not theirs.
    assert '<span class="count">2 uutta</span>' in header
    assert 'href="/orders/"' in header
    assert "Apua pyydetty" in header and '<span class="count">1</span>' in header
    assert f'href="/floor/{world["mine"]}"' in header


def test_an_admin_counts_every_centre(app, world):
    header = _header(_page(app, world["users"]["admin"], "/admin/users"))
    assert '<span class="count">3 uutta</span>' in header
    assert '<span class="count">2</span>' in header


def test_nothing_waiting_shows_no_counts(app, world):
    header = _header(_page(app, world["users"]["idle"]))
    assert '<span class="count">1 uusi</span>' in header  # only the order in no centre yet
    assert "Apua pyydetty" not in header


def test_company_users_see_no_counts(app, world):
    header = _header(_page(app, world["users"]["company"], "/company/orders"))
    assert 'class="count"' not in header and "Apua pyydetty" not in header


def test_the_counts_take_one_query_once_per_request(app, world):
    statements: list[str] = []
    with app.test_request_context("/people/"):
        user = db.session.query(User).filter_by(email=world["users"]["staff"]).one()
        login_user(user)
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            first = header_counts()
            again = header_counts()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert (first.new_orders, first.help_calls, first.help_centre_id) == (2, 1, world["mine"])
    assert again is first and len(statements) == 1


def test_in_swedish_the_count_is_swedish(app, world):
    client = app.test_client()
    client.post("/language/sv", data={"next": "/login"})
    login(client, world["users"]["staff"])
    header = _header(html.unescape(client.get("/people/").get_data(as_text=True)))
    assert '<span class="count">2 nya</span>' in header
