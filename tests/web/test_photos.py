"""Photos: checked, stripped of metadata, re-encoded, and shown only inside their own centre."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import Participant, Role, TaskType
from workcentre.photos import photo_dir
from workcentre.tablet.services import start_enrolment

from ..factories import login, make_centre, make_participant, make_task_type, make_user


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (3000, 2000), (200, 120, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (61.0, 3.0, 30.0)}  # GPS position of the photographer
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def setup(app):
    with app.app_context():
        centre, other = make_centre("Koti"), make_centre("Muu")
        person = make_participant(centre)
        kind = make_task_type(centre, "pack")
        instructor = make_user(Role.INSTRUCTOR, centre=centre)
        outsider = make_user(Role.INSTRUCTOR, centre=other)
        _, own_kiosk = start_enrolment(centre, "Oma")
        _, other_kiosk = start_enrolment(other, "Vieras")
        db.session.commit()
        return {"person": person.id, "kind": kind.id, "centre": centre.id,
                "email": instructor.email, "outsider": outsider.email,
                "own_kiosk": own_kiosk, "other_kiosk": other_kiosk}


def _edit_form(setup, **extra) -> dict:
    return {"first_name": "Aino", "last_name": "Testinen", "centre_id": setup["centre"],
            "attends": ["mon-am"], "support_points": "2", "productivity": "70",
            "active": "y", **extra}


def test_a_photo_is_stored_small_and_without_metadata(app, client, setup):
    login(client, setup["email"])
    response = client.post(f"/people/{setup['person']}/edit", content_type="multipart/form-data",
                           data=_edit_form(setup, photo=(io.BytesIO(_jpeg_with_gps()), "a.jpg")))
    assert response.status_code == 302
    with app.app_context():
        name = db.session.get(Participant, setup["person"]).photo_path
        stored = Image.open(photo_dir() / name)
        assert max(stored.size) == 1200 and stored.format == "JPEG"
        assert not stored.getexif()
    served = client.get(f"/media/photos/{name}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "no-store" in served.headers["Cache-Control"]


def test_a_bad_picture_is_refused_and_the_old_photo_kept(app, client, setup):
    login(client, setup["email"])
    client.post(f"/people/{setup['person']}/edit", content_type="multipart/form-data",
                data=_edit_form(setup, photo=(io.BytesIO(_jpeg_with_gps()), "a.jpg")))
    with app.app_context():
        before = db.session.get(Participant, setup["person"]).photo_path
    for body, name in ((b"<svg onload=alert(1)>", "x.svg"), (b"GIF89a" + b"\0" * 50, "x.gif"),
                       (_jpeg_with_gps()[:200], "broken.jpg")):
        response = client.post(f"/people/{setup['person']}/edit",
                               content_type="multipart/form-data",
                               data=_edit_form(setup, first_name="Muutettu",
                                               photo=(io.BytesIO(body), name)))
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "kuva" in page.lower() and "field-error" in page
    with app.app_context():
        person = db.session.get(Participant, setup["person"])
        assert person.photo_path == before and person.first_name == "Aino"
    # Removing the photo deletes the file.
    client.post(f"/people/{setup['person']}/edit", data=_edit_form(setup, remove_photo="y"))
    with app.app_context():
        assert db.session.get(Participant, setup["person"]).photo_path is None
        assert not (photo_dir() / before).exists()


def test_photos_stay_inside_their_centre(app, client, setup):
    login(client, setup["email"])
    client.post(f"/centre/{setup['centre']}/task-types/{setup['kind']}",
                content_type="multipart/form-data",
                data={"name": "Pakkaus", "code": "pack", "area_id": _area(app, setup),
                      "pictogram": "box", "photo": (io.BytesIO(_jpeg_with_gps()), "t.jpg")})
    with app.app_context():
        name = db.session.get(TaskType, setup["kind"]).photo_path
    assert name and client.get(f"/media/photos/{name}").status_code == 200
    outsider = app.test_client()
    login(outsider, setup["outsider"])
    assert outsider.get(f"/media/photos/{name}").status_code == 404
    kiosk = app.test_client()
    kiosk.post(f"/tablet/enroll/{setup['own_kiosk']}")
    assert kiosk.get(f"/media/photos/{name}").status_code == 200
    stranger = app.test_client()
    stranger.post(f"/tablet/enroll/{setup['other_kiosk']}")
    assert stranger.get(f"/media/photos/{name}").status_code == 404
    assert client.get("/media/photos/..%2Fconfig.py").status_code == 404
    assert app.test_client().get(f"/media/photos/{name}").status_code == 302


def _area(app, setup) -> int:
    with app.app_context():
        return db.session.scalars(select(TaskType.area_id).where(
            TaskType.id == setup["kind"])).one()
