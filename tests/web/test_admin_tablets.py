"""The admin's tablet page: a revoked tablet is signed out at its next request."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import login, make_centre, make_user
from workcentre.extensions import db
from workcentre.models import AuditEvent, Centre, Kiosk, Role
from workcentre.tablet.services import start_enrolment


def _tablet(app, centre_id: int, name: str):
    with app.app_context():
        token = start_enrolment(db.session.get(Centre, centre_id), name)[1]
        db.session.commit()
    client = app.test_client()
    assert client.post(f"/tablet/enroll/{token}").status_code == 302
    assert client.get("/tablet/").status_code == 200
    return client


def _world(app):
    with app.app_context():
        north, south = make_centre("Pohjoinen"), make_centre("Eteläinen")
        make_user(Role.ADMIN, email="paa@test.example")
        db.session.commit()
        return north.id, south.id


def _signed_out(client) -> bool:
    response = client.get("/tablet/")
    return response.status_code == 302 and response.headers["Location"].endswith(
        "/tablet/not-enrolled")


def test_admin_sees_every_centres_tablets(app):
    north, south = _world(app)
    _tablet(app, north, "Pakkaamo 1")
    _tablet(app, south, "Kokoonpano")
    admin = app.test_client()
    login(admin, "paa@test.example")
    page = admin.get("/admin/tablets").get_data(as_text=True)
    assert "Pakkaamo 1" in page and "Kokoonpano" in page and "Pohjoinen" in page


def test_revoking_a_centres_tablets_signs_them_out_and_leaves_others(app):
    north, south = _world(app)
    first, second = _tablet(app, north, "Pakkaamo 1"), _tablet(app, north, "Pakkaamo 2")
    elsewhere = _tablet(app, south, "Kokoonpano")
    admin = app.test_client()
    login(admin, "paa@test.example")
    response = admin.post(f"/admin/tablets/centre/{north}/revoke", follow_redirects=True)
    assert "2 tablettia poistettu käytöstä" in response.get_data(as_text=True)
    assert _signed_out(first) and _signed_out(second)
    assert elsewhere.get("/tablet/").status_code == 200
    with app.app_context():
        revoked = db.session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "kiosk", AuditEvent.action == "update")).all()
        assert len(revoked) == 2 and all("revoked_at" in e.fields for e in revoked)


def test_revoking_one_tablet(app):
    north, _ = _world(app)
    tablet = _tablet(app, north, "Pakkaamo 1")
    other = _tablet(app, north, "Pakkaamo 2")
    admin = app.test_client()
    login(admin, "paa@test.example")
    with app.app_context():
        kiosk_id = db.session.scalar(select(Kiosk.id).where(Kiosk.name == "Pakkaamo 1"))
    assert admin.post(f"/admin/tablets/{kiosk_id}/revoke").status_code == 302
    assert _signed_out(tablet)
    assert other.get("/tablet/").status_code == 200
    again = admin.post(f"/admin/tablets/{kiosk_id}/revoke", follow_redirects=True)
    assert "oli jo poistettu käytöstä" in again.get_data(as_text=True)
    assert admin.post("/admin/tablets/9999/revoke").status_code == 404
