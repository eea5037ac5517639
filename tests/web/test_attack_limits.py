"""Attack pass: every form that takes a file counts toward the per-user upload limit (the
decoding of pictures is the costly part); forms sent without a file are not limited."""

from __future__ import annotations

import io

from PIL import Image

from .test_company_orders import _client, _submit_form, world  # noqa: F401 - the fixture


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_order_attachments_count_toward_the_upload_limit(app, world):  # noqa: F811
    app.config["RATELIMIT_UPLOAD"] = "2 per minute"
    company = _client(app, world, "a")
    answers = [_submit_form(company, world, attachment=(io.BytesIO(_png()), "kuva.png"))
               .status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert _submit_form(company, world).status_code == 302, "an order without a file is free"


def test_photos_of_people_count_toward_the_upload_limit(app, world):  # noqa: F811
    app.config["RATELIMIT_UPLOAD"] = "2 per minute"
    staff = _client(app, world, "staff")
    form = {"first_name": "Kuva", "centre_id": str(world["centre"]), "support_points": "0",
            "productivity": "100"}
    answers = [staff.post("/people/new", content_type="multipart/form-data",
                          data={**form, "photo": (io.BytesIO(_png()), "k.png")}).status_code
               for _ in range(3)]
    assert answers == [302, 302, 429]
    assert staff.post("/people/new", data=form).status_code == 302
    answer = staff.post(f"/people/{world['person']}/edit", content_type="multipart/form-data",
                        data={**form, "photo": (io.BytesIO(_png()), "k.png")})
    assert answer.status_code == 429
    answer = staff.post(f"/centre/{world['centre']}/task-types/{world['fold']}",
                        content_type="multipart/form-data",
                        data={"name": "Taittelu", "code": "fold",
                              "photo": (io.BytesIO(_png()), "k.png")})
    assert answer.status_code == 429


def test_the_current_password_cannot_be_guessed_on_the_change_page(app, world):  # noqa: F811
    """Someone at a signed-in browser guessing the current password meets the sign-in back-off,
    and cannot take the account over by changing its password."""
    from workcentre.auth.passwords import verify_password
    from workcentre.extensions import db
    from workcentre.models import User

    from ..factories import PASSWORD

    staff = _client(app, world, "staff")
    new = "uusi-salasana-456"
    answers = [staff.post("/account/password", data={"current": f"arvaus-{n}", "new": new,
                                                     "again": new}).status_code
               for n in range(4)]
    held = staff.post("/account/password", data={"current": PASSWORD, "new": new, "again": new})
    assert held.status_code == 429, answers
    assert "Odota hetki" in held.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalars(db.select(User).where(
            User.email == world["users"]["staff"])).one()
        assert verify_password(user.password_hash, PASSWORD)
