"""Forms that crashed half way, control characters that broke workbooks, one-day absences."""

from __future__ import annotations

import html
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import (
    Absence,
    Order,
    OrderLine,
    OrderNumber,
    OrderStatus,
    OrderStep,
    Participant,
    ProgressReport,
    Role,
)

from ..factories import (
    login,
    make_centre,
    make_company,
    make_participant,
    make_task_type,
    make_user,
    working_day,
)

SOON = working_day(30).isoformat()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(app):
    with app.app_context():
        centre = make_centre("Keskus")
        fold = make_task_type(centre, "fold")
        person = make_participant(centre)
        company = make_company("A Oy")
        users = {"company": make_user(Role.COMPANY, company=company).email,
                 "staff": make_user(Role.INSTRUCTOR, centre=centre).email}
        db.session.commit()
        return {"centre": centre.id, "company": company.id, "users": users, "fold": fold.id,
                "person": person.id}


def _client(app, world, who):
    client = app.test_client()
    assert login(client, world["users"][who]).status_code == 302
    return client


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _attachments(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads" / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_missing_optional_field_saves_the_order_with_its_attachment(app, world):
    """Without the contact name field the view crashed after the attachment was on disk."""
    company = _client(app, world, "company")
    response = company.post("/company/orders/new", content_type="multipart/form-data", data={
        "centre_id": world["centre"], "product_name": "Esitteet", "quantity": "10",
        "attachment": (io.BytesIO(PDF), "kuva.pdf")})
    assert response.status_code == 302
    with app.app_context():
        order = db.session.scalars(select(Order)).one()
        assert order.contact_name == ""
        assert [p.name for p in _attachments(app)] == [order.attachment_path]


def test_an_order_that_cannot_be_saved_leaves_no_attachment_behind(app, world):
    with app.app_context():
        year = date.today().year
        db.session.add(OrderNumber(year=year, last=0))
        db.session.add(Order(company_id=world["company"], reference=f"T-{year}-001",
                             title="vanha"))
        db.session.commit()
    company = _client(app, world, "company")
    response = company.post("/company/orders/new", content_type="multipart/form-data", data={
        "centre_id": world["centre"], "product_name": "Esitteet", "quantity": "10",
        "contact_name": "Anna", "attachment": (io.BytesIO(PDF), "kuva.pdf")})
    assert response.status_code == 500
    assert _attachments(app) == []
    with app.app_context():
        assert len(db.session.scalars(select(Order)).all()) == 1


def test_control_characters_are_cleaned_from_order_forms(app, world):
    company = _client(app, world, "company")
    response = company.post("/company/orders/new", data={
        "centre_id": world["centre"], "product_name": "Esit\x07teet\x1b", "quantity": "10",
        "contact_name": "An\x0bna", "notes": "rivi 1\nrivi 2\x0c"})
    assert response.status_code == 302
    with app.app_context():
        order = db.session.scalars(select(Order)).one()
        assert order.lines[0].product_name == "Esitteet"
        assert order.contact_name == "Anna"
        assert order.notes == "rivi 1\nrivi 2"


def test_control_characters_in_old_data_cannot_break_the_monthly_workbook(app, world):
    today = date.today()
    with app.app_context():
        order = Order(company_id=world["company"], centre_id=world["centre"],
                      reference="T-vanha-1", title="x", status=OrderStatus.IN_PRODUCTION)
        line = OrderLine(product_name="Tarra\x01t\x1f", quantity=5)
        order.lines = [line]
        db.session.add(order)
        db.session.flush()
        step = OrderStep(order=order, line_id=line.id, task_type_id=world["fold"], quantity=5,
                         seconds_per_unit=10, units_done=2)
        db.session.add(step)
        db.session.flush()
        db.session.add(ProgressReport(step_id=step.id, participant_id=world["person"], units=2,
                                      day=today, half="am", idempotency_key="k1"))
        db.session.commit()
    staff = _client(app, world, "staff")
    response = staff.get(f"/orders/monthly.xlsx?company={world['company']}&month={today:%Y-%m}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[1][1] == "Tarrat"


def test_control_characters_are_cleaned_from_people_forms(app, world):
    staff = _client(app, world, "staff")
    response = staff.post("/people/new", data={
        "first_name": "Ii\x08da", "last_name": "Uu\x00si".replace("\x00", "\x1b"),
        "centre_id": world["centre"], "attends": ["mon-am"], "support_points": "1",
        "productivity": "80", "notes": "huom\x07"})
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalars(select(Participant).where(
            Participant.first_name == "Iida")).one()
        assert person.last_name == "Uusi"


def test_a_one_day_absence_is_saved_with_an_empty_until_field(app, world):
    """The form says "Asti (tyhjä: vain yksi päivä)" but an empty field was refused."""
    staff = _client(app, world, "staff")
    monday = date(2030, 1, 7)
    response = staff.post(f"/people/{world['person']}/absences", follow_redirects=True,
                          data={"first_day": monday.isoformat(), "last_day": "", "half": ""})
    page = _page(response)
    assert "Ei ole kelvollinen" not in page and "Not a valid date" not in page
    assert "Poissaolo merkitty (1 päivä)." in page
    with app.app_context():
        assert [a.day for a in db.session.scalars(select(Absence))] == [monday]
    page = _page(staff.post(f"/people/{world['person']}/absences", follow_redirects=True,
                            data={"first_day": "2030-01-08", "last_day": "2030-01-09"}))
    assert "Poissaolo merkitty (2 päivää)." in page


@pytest.mark.parametrize("seconds", ["²", "99999999", "1e400", "inf", "٣"], ids=lambda v: v[:6])
def test_impossible_numbers_in_the_intake_form_are_refused(app, world, seconds):
    company = _client(app, world, "company")
    company.post("/company/orders/new", data={
        "centre_id": world["centre"], "product_name": "Esitteet", "quantity": "10",
        "contact_name": "Anna"})
    with app.app_context():
        order = db.session.scalars(select(Order)).one()
        line_id = order.lines[0].id
    staff = _client(app, world, "staff")
    response = staff.post(f"/orders/{order.id}/accept", follow_redirects=True, data={
        "centre_id": world["centre"], "confirmed_date": SOON,
        f"line-{line_id}-0-task_type": world["fold"], f"line-{line_id}-0-seconds": seconds})
    assert response.status_code == 200
    assert "anna kokonaisluku" in _page(response)
    with app.app_context():
        assert db.session.get(Order, order.id).status == OrderStatus.RECEIVED


def test_a_participant_that_cannot_be_saved_leaves_no_photo_behind(app, world, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from workcentre.people import views

    def failing_commit():
        db.session.rollback()
        raise IntegrityError("INSERT", {}, Exception("simulated"))

    picture = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (400, 300), (10, 200, 30)).save(picture, "JPEG")
    staff = _client(app, world, "staff")
    monkeypatch.setattr(views.db.session, "commit", failing_commit)
    response = staff.post("/people/new", content_type="multipart/form-data", data={
        "first_name": "Iida", "last_name": "Uusi", "centre_id": world["centre"],
        "attends": ["mon-am"], "support_points": "1", "productivity": "80",
        "photo": (io.BytesIO(picture.getvalue()), "kuva.jpg")})
    assert response.status_code == 500
    folder = Path(app.instance_path) / "uploads" / "photos"
    assert not folder.exists() or list(folder.iterdir()) == []
