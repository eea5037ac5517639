"""Holidays and closure days: no slots, no capacity, no delivery dates, no absences needed."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from scheduling import load_instance
from workcentre.closures import public_holiday
from workcentre.extensions import db
from workcentre.models import (
    SLOT_KEYS,
    AuditEvent,
    ClosureDay,
    Instructor,
    OrderStatus,
    OrderStep,
    Role,
)
from workcentre.orders.estimate import estimate_ready
from workcentre.orders.importer import read_order_workbook
from workcentre.planning.services import build_instance
from workcentre.planning.week_view import demand

from ..factories import (
    login,
    make_centre,
    make_company,
    make_order,
    make_participant,
    make_task_type,
    make_user,
)

CHRISTMAS_WEEK = "2026-W52"  # Mon 21.12 - Fri 25.12: 24.12 and 25.12 are closed
EPIPHANY_WEEK = "2027-W01"  # Mon 4.1 - Fri 8.1: Wednesday 6.1 is Loppiainen


def _next_weekday_christmas_eve() -> date:
    year = date.today().year + (1 if date.today() >= date(date.today().year, 12, 24) else 0)
    while date(year, 12, 24).weekday() >= 5:
        year += 1
    return date(year, 12, 24)


@pytest.fixture
def world(app):
    with app.app_context():
        centre = make_centre("Keskus")
        pack = make_task_type(centre, "pack")
        person = make_participant(centre, attends=list(SLOT_KEYS), productivity=100)
        person.skills = [pack]
        company = make_company("A Oy")
        staff = make_user(Role.INSTRUCTOR, centre=centre)
        db.session.scalars(select(Instructor)).one().attends = list(SLOT_KEYS)
        order = make_order(company, centre, quantity=1000)
        order.status = OrderStatus.ACCEPTED
        order.steps[0].task_type = pack
        order.steps[0].due_date = date(2026, 12, 24)
        users = {"company": make_user(Role.COMPANY, company=company).email,
                 "staff": staff.email}
        db.session.commit()
        return {"centre": centre.id, "pack": pack.id, "users": users,
                "step": order.steps[0].id, "company": company.id}


def _client(app, world, who: str):
    client = app.test_client()
    assert login(client, world["users"][who]).status_code == 302
    return client


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _instance(app, world, week: str) -> dict:
    from workcentre.models import Centre

    with app.app_context():
        return build_instance(db.session.get(Centre, world["centre"]), week)


def test_christmas_eve_and_day_have_no_slots_and_no_capacity(app, world):
    data = _instance(app, world, CHRISTMAS_WEEK)
    days = {s["day"] for s in data["slots"]}
    assert days == {"2026-12-21", "2026-12-22", "2026-12-23"}
    assert all(not key.startswith(("thu", "fri")) for p in data["participants"]
               for key in p["attends"])
    assert all(not key.startswith(("thu", "fri")) for i in data["instructors"]
               for key in i["attends"])
    capacity = {row.label: row.capacity for row in demand(load_instance(data))}
    assert set(capacity) == {"ma", "ti", "ke"} or len(capacity) == 3


def test_a_due_date_on_a_holiday_is_due_by_the_last_working_slot_before_it(app, world):
    data = _instance(app, world, CHRISTMAS_WEEK)
    assert data["orders"][0]["steps"][0]["due_slot"] == "wed-pm"


def test_a_due_date_on_a_closed_friday_is_still_due_this_week(app, world):
    with app.app_context():
        db.session.get(OrderStep, world["step"]).due_date = date(2026, 12, 25)
        db.session.commit()
    data = _instance(app, world, CHRISTMAS_WEEK)
    assert data["orders"][0]["steps"][0]["due_slot"] == "wed-pm"


def test_epiphany_wednesday_is_closed(app, world):
    data = _instance(app, world, EPIPHANY_WEEK)
    assert [s["id"] for s in data["slots"]] == [
        "mon-am", "mon-pm", "tue-am", "tue-pm", "thu-am", "thu-pm", "fri-am", "fri-pm"]


def test_midsummer_eve_is_closed(app, world):
    data = _instance(app, world, "2027-W25")  # Juhannusaatto Friday 25.6.2027
    assert "2027-06-25" not in {s["day"] for s in data["slots"]}


def test_the_centres_own_closure_day_has_no_slots(app, world):
    with app.app_context():
        db.session.add(ClosureDay(centre_id=world["centre"], day=date(2026, 12, 22),
                                  reason="inventaario"))
        db.session.commit()
    data = _instance(app, world, CHRISTMAS_WEEK)
    assert {s["day"] for s in data["slots"]} == {"2026-12-21", "2026-12-23"}
    assert load_instance(data)  # still a valid instance


def test_a_week_closed_all_through_is_a_valid_empty_week(app, world):
    with app.app_context():
        for n in range(3):
            db.session.add(ClosureDay(centre_id=world["centre"],
                                      day=date(2026, 12, 21) + timedelta(days=n),
                                      reason="joululoma"))
        db.session.commit()
    data = _instance(app, world, CHRISTMAS_WEEK)
    assert data["slots"] == [] and data["orders"] == []
    assert load_instance(data)


def test_a_company_cannot_pick_christmas_eve(app, world):
    company = _client(app, world, "company")
    eve = _next_weekday_christmas_eve()
    page = _page(company.post("/company/orders/new", content_type="multipart/form-data", data={
        "centre_id": world["centre"], "product_name": "Esitteet", "quantity": "100",
        "wished_date": eve.isoformat(), "contact_name": "Anna",
        "contact_email": "anna@a.example"}))
    assert f"{eve.day}.{eve.month}.{eve.year} työkeskus on kiinni (Jouluaatto)" in page
    with app.app_context():
        assert db.session.scalars(select(OrderStep)).all()[0].order.title == "Esitteet"
        assert len(db.session.scalars(select(OrderStep)).all()) == 1  # nothing new saved


def test_a_company_cannot_pick_a_closure_day(app, world):
    day = date.today() + timedelta(days=30)
    while day.weekday() >= 5 or public_holiday(day):
        day += timedelta(days=1)
    with app.app_context():
        db.session.add(ClosureDay(centre_id=world["centre"], day=day, reason="inventaario"))
        db.session.commit()
    company = _client(app, world, "company")
    page = _page(company.post("/company/orders/new", content_type="multipart/form-data", data={
        "centre_id": world["centre"], "product_name": "Esitteet", "quantity": "100",
        "wished_date": day.isoformat()}))
    assert "työkeskus on kiinni (Suljettu: inventaario)" in page


def _workbook(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tuote", "Määrä (kpl)", "Toivottu toimituspäivä", "Lisätiedot"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_order_workbook_refuses_a_holiday_on_its_row(app, world):
    data = _workbook([["Esite", 100, date(2026, 12, 23), ""],
                      ["Kalenteri", 50, date(2026, 12, 24), ""],
                      ["Kortti", 10, date(2027, 1, 6), ""]])
    with app.test_request_context():
        result = read_order_workbook(data, today=date(2026, 12, 1), centre_id=world["centre"])
    assert result.lines == []
    assert result.errors == [
        "Rivi 3: 24.12.2026 työkeskus on kiinni (Jouluaatto): valitse toinen päivä.",
        "Rivi 4: 6.1.2027 työkeskus on kiinni (Loppiainen): valitse toinen päivä."]


def test_the_estimate_skips_holidays(app, world):
    from workcentre.models import Centre, TaskType

    with app.app_context():
        centre = db.session.get(Centre, world["centre"])
        pack = db.session.get(TaskType, world["pack"])
        db.session.get(OrderStep, world["step"]).done = True
        db.session.commit()
        # One working day's worth (330 min) after the lead days: Wed 23.12 fits it; with the
        # lead days starting on Thursday 24.12 the next working day is Monday 28.12.
        assert estimate_ready(centre, pack, 330, today=date(2026, 12, 21)) == date(2026, 12, 23)
        assert estimate_ready(centre, pack, 330, today=date(2026, 12, 22)) == date(2026, 12, 28)


def test_instructors_add_and_remove_closure_days_with_audit(app, world):
    staff = _client(app, world, "staff")
    url = f"/centre/{world['centre']}/closures"
    page = _page(staff.get(url))
    assert "Suljetut päivät" in page
    assert "Kerro syy" in _page(staff.post(url, data={"day": "2027-03-15", "reason": ""}))
    assert staff.post(url, data={"day": "2027-03-15", "reason": "inventaario"}).status_code == 302
    again = _page(staff.post(url, data={"day": "2027-03-15", "reason": "toinen"}))
    assert "15.3.2027 on jo suljettu päivä." in again
    with app.app_context():
        row = db.session.scalars(select(ClosureDay)).one()
        assert (row.day, row.reason) == (date(2027, 3, 15), "inventaario")
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "closure_day", AuditEvent.action == "create")).one()
        closure_id = row.id
    assert "inventaario" in _page(staff.get(url))
    staff.post(f"{url}/{closure_id}/delete")
    with app.app_context():
        assert db.session.scalars(select(ClosureDay)).all() == []
        assert db.session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "closure_day", AuditEvent.action == "delete")).one()


def test_a_company_user_cannot_add_closure_days(app, world):
    company = _client(app, world, "company")
    response = company.post(f"/centre/{world['centre']}/closures",
                            data={"day": "2027-03-15", "reason": "x"})
    assert response.status_code in (302, 403, 404)
    with app.app_context():
        assert db.session.scalars(select(ClosureDay)).all() == []


def test_an_absence_over_christmas_needs_no_holiday_rows(app, world):
    from workcentre.models import Absence, Participant
    from workcentre.people.services import add_absences

    with app.app_context():
        person = db.session.scalars(select(Participant)).one()
        added = add_absences(participant_id=person.id, first=date(2026, 12, 21),
                             last=date(2026, 12, 27), half=None, reason="loma")
        db.session.commit()
        days = sorted(a.day.day for a in db.session.scalars(select(Absence)))
    assert added == 3 and days == [21, 22, 23]
