"""The audit log: every change to people, orders and plans, every view of support data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import (
    login,
    make_centre,
    make_company,
    make_order,
    make_participant,
    make_user,
)
from workcentre.extensions import db
from workcentre.models import AuditEvent, AuditLogIsAppendOnly, Role
from workcentre.people.services import NotAllowed, read_support, set_support


@pytest.fixture
def setup(app):
    with app.app_context():
        centre = make_centre()
        instructor = make_user(Role.INSTRUCTOR, centre=centre)
        participant = make_participant(centre, support_points=3, productivity=65)
        db.session.commit()
        return {"instructor": instructor.email, "instructor_id": instructor.id,
                "participant": participant.id}


def events(**where) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(query))


def test_viewing_support_data_is_logged_with_who(app, client, setup):
    login(client, setup["instructor"])
    page = client.get(f"/people/{setup['participant']}").get_data(as_text=True)
    assert "65 %" in page
    with app.app_context():
        views = events(action="view_support", participant_id=setup["participant"])
        assert len(views) == 1
        assert views[0].user_id == setup["instructor_id"]
        assert views[0].actor == f"user:{setup['instructor_id']}"


def test_support_data_is_not_readable_by_other_roles(app, setup):
    from workcentre.models import Participant

    with app.app_context():
        participant = db.session.get(Participant, setup["participant"])
        for role in ("company", "kiosk"):
            with pytest.raises(NotAllowed):
                read_support(participant, role)
        assert events(action="view_support") == []


def test_support_data_never_loads_implicitly(app, setup):
    from sqlalchemy.exc import InvalidRequestError

    from workcentre.models import Participant

    with app.app_context():
        participant = db.session.get(Participant, setup["participant"])
        with pytest.raises(InvalidRequestError):
            participant.support  # noqa: B018


def test_changes_are_logged_with_field_names_only(app, setup):
    from workcentre import audit
    from workcentre.models import Participant

    with app.app_context():
        audit.set_actor(audit.Actor("user:99", 99))
        participant = db.session.get(Participant, setup["participant"])
        set_support(participant, support_points=5, productivity=40)
        participant.needs_routine = True
        db.session.commit()
        updates = events(action="update", participant_id=setup["participant"])
        by_entity = {e.entity: e for e in updates}
        assert by_entity["participant_support"].fields == ["productivity", "support_points"]
        assert by_entity["participant"].fields == ["needs_routine"]
        assert all(e.user_id == 99 for e in updates)
        assert "40" not in str([e.fields for e in updates])


def test_orders_and_deletions_are_logged(app):
    with app.app_context():
        order = make_order(make_company(), make_centre())
        db.session.commit()
        order_id = order.id
        assert [e.action for e in events(entity="work_order")] == ["create"]
        db.session.delete(order)
        db.session.commit()
        assert [e.action for e in events(entity="work_order", entity_id=str(order_id))] == [
            "create", "delete"]


def test_audit_log_is_append_only(app, setup):
    with app.app_context():
        event = events()[0]
        event.action = "changed"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.delete(events()[0])
            db.session.commit()


def test_admin_sees_who_handled_a_participant(app, client, setup):
    with app.app_context():
        admin = make_user(Role.ADMIN)
        db.session.commit()
        admin_email = admin.email
    instructor = app.test_client()
    login(instructor, setup["instructor"])
    instructor.get(f"/people/{setup['participant']}")
    login(client, admin_email)
    page = client.get(f"/admin/audit?participant={setup['participant']}").get_data(as_text=True)
    assert f"user:{setup['instructor_id']}" in page and "view_support" in page


def test_secrets_never_enter_the_log(app):
    with app.app_context():
        user = make_user(Role.ADMIN)
        db.session.commit()
        user.end_sessions()
        db.session.commit()
        assert all("session_token" not in e.fields and "password_hash" not in e.fields
                   for e in events(entity="user_account"))
