"""Companies send and follow orders; instructors take them in; progress and papers flow back."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import Order, OrderStatus, Product, ProgressReport, Role, TaskType
from workcentre.orders import services

from ..factories import (
    login,
    make_centre,
    make_company,
    make_participant,
    make_task_type,
    make_user,
    working_day,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SOON = working_day(30).isoformat()


@pytest.fixture
def world(app):
    with app.app_context():
        centre = make_centre("Keskus")
        fold = make_task_type(centre, "fold")
        fold.name = "Taittelu"
        person = make_participant(centre, attends=["mon-am", "tue-am", "wed-am", "thu-am"])
        person.skills = [fold]
        a, b = make_company("A Oy"), make_company("B Oy")
        users = {"a": make_user(Role.COMPANY, company=a).email,
                 "b": make_user(Role.COMPANY, company=b).email,
                 "staff": make_user(Role.INSTRUCTOR, centre=centre).email}
        db.session.commit()
        return {"centre": centre.id, "fold": fold.id, "a": a.id, "users": users,
                "person": person.id}


def _client(app, world, who: str):
    client = app.test_client()
    assert login(client, world["users"][who]).status_code == 302
    return client


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _order(app, reference: str | None = None) -> Order:
    query = select(Order).order_by(Order.id.desc())
    if reference:
        query = select(Order).where(Order.reference == reference)
    return db.session.scalars(query).first()


def _submit_form(client, world, **extra):
    data = {"centre_id": world["centre"], "product_name": "Esitteet", "quantity": "1200",
            "wished_date": SOON, "contact_name": "Anna", "contact_email": "anna@a.example",
            "notes": "Kiitos"}
    data.update(extra)
    return client.post("/company/orders/new", data=data, content_type="multipart/form-data")


def test_a_company_orders_and_an_instructor_takes_it_in(app, world):
    company, staff = _client(app, world, "a"), _client(app, world, "staff")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = _submit_form(company, world, attachment=(io.BytesIO(pdf), "kuva.pdf"))
    assert response.status_code == 302
    with app.app_context():
        order = _order(app)
        assert order.status == OrderStatus.RECEIVED and order.lines[0].quantity == 1200
        order_id, line_id = order.id, order.lines[0].id
    assert company.get(f"/company/orders/{order_id}/attachment").data == pdf
    assert "Uudet tilaukset (1)" in _page(staff.get("/orders/"))
    assert staff.get(f"/orders/{order_id}/attachment").data == pdf

    prefix = f"line-{line_id}-0-"
    bad = staff.post(f"/orders/{order_id}/accept", data={
        "centre_id": world["centre"], "confirmed_date": SOON, prefix + "task_type": world["fold"],
        prefix + "seconds": "0"}, follow_redirects=True)
    assert "anna kokonaisluku 1–86400" in _page(bad)
    staff.post(f"/orders/{order_id}/accept", data={
        "centre_id": world["centre"], "confirmed_date": SOON, prefix + "task_type": world["fold"],
        prefix + "seconds": "6"})
    with app.app_context():
        order = db.session.get(Order, order_id)
        assert order.status == OrderStatus.ACCEPTED and order.confirmed_date.isoformat() == SOON
        assert [(s.task_type_id, s.quantity, s.seconds_per_unit) for s in order.steps] == \
            [(world["fold"], 1200, 6)]
        product = db.session.scalars(select(Product)).one()
        assert (product.name, product.seconds_per_unit) == ("Esitteet", 6)

    # The catalogue now knows the product: the next order is suggested its standard time and the
    # company gets an estimated date while typing.
    estimate = company.get(f"/company/estimate?centre={world['centre']}&product=esitteet"
                           f"&quantity=500").get_json()
    assert estimate["date"] and "Arvioitu aikaisin valmistuminen" in estimate["text"]
    unknown = company.get(f"/company/estimate?centre={world['centre']}&product=uusi"
                          f"&quantity=5").get_json()
    assert unknown["date"] is None and "ohjaaja arvioi" in unknown["text"]

    # A change after acceptance is logged and shown to the company.
    later = working_day(40).isoformat()
    staff.post(f"/orders/{order_id}/change", data={f"quantity-{line_id}": "1500",
                                                   "confirmed_date": later, "note": "Lisäerä"})
    page = _page(company.get(f"/company/orders/{order_id}"))
    assert "1200 → 1500" in page and "Lisäerä" in page and "Tilausta muutettu" in page


def test_progress_rolls_up_to_ready_and_the_papers_show_it(app, world):
    company, staff = _client(app, world, "a"), _client(app, world, "staff")
    _submit_form(company, world, quantity="100")
    with app.app_context():
        order = _order(app)
        line_id, order_id = order.lines[0].id, order.id
    staff.post(f"/orders/{order_id}/accept", data={
        "centre_id": world["centre"], "confirmed_date": SOON,
        f"line-{line_id}-0-task_type": world["fold"], f"line-{line_id}-0-seconds": "10"})
    with app.app_context():
        step = _order(app).steps[0]
        services.add_units(step, 40)
        db.session.add(ProgressReport(idempotency_key="r1", participant_id=world["person"],
                                      step_id=step.id, day=date.today(), half="am", units=40))
        db.session.commit()
        assert _order(app).status == OrderStatus.IN_PRODUCTION
    assert "40 / 100" in _page(company.get(f"/company/orders/{order_id}"))
    with app.app_context():
        services.add_units(_order(app).steps[0], 60)
        db.session.add(ProgressReport(idempotency_key="r2", participant_id=world["person"],
                                      step_id=_order(app).steps[0].id, day=date.today(),
                                      half="pm", units=60))
        db.session.commit()
        assert _order(app).status == OrderStatus.READY
    page = _page(company.get(f"/company/orders/{order_id}"))
    assert "Valmis" in page and "100 / 100" in page
    note = _page(staff.get(f"/orders/{order_id}/delivery-note"))
    assert "Lähete" in note and "Esitteet" in note and "A Oy" in note
    assert staff.post(f"/orders/{order_id}/delivered").status_code == 302
    month = date.today().strftime("%Y-%m")
    workbook = load_workbook(io.BytesIO(staff.get(
        f"/orders/monthly.xlsx?company={world['a']}&month={month}").data))
    rows = [r for r in workbook.active.iter_rows(min_row=2, values_only=True) if any(r)]
    assert rows[0][:6] == (_ref(app), "Esitteet", 100, 100,
                           datetime.combine(date.today(), time()), "Toimitettu")
    assert rows[-1][0] == "Yhteensä"
    # No participant is named anywhere the company looks.
    for url in ("/company/orders", f"/company/orders/{order_id}"):
        assert "Aino" not in _page(company.get(url))


def _ref(app) -> str:
    with app.app_context():
        return _order(app).reference


def test_a_declined_order_shows_the_reason(app, world):
    company, staff = _client(app, world, "a"), _client(app, world, "staff")
    _submit_form(company, world)
    with app.app_context():
        order_id = _order(app).id
    empty = staff.post(f"/orders/{order_id}/decline", data={"reason": " "},
                       follow_redirects=True)
    assert "Kirjoita yritykselle syy" in _page(empty)
    staff.post(f"/orders/{order_id}/decline", data={"reason": "Ei kapasiteettia joulukuussa."})
    page = _page(company.get(f"/company/orders/{order_id}"))
    assert "Hylätty" in page and "Ei kapasiteettia joulukuussa." in page


def test_form_input_is_checked(app, world):
    company = _client(app, world, "a")
    past = (date.today() - timedelta(days=1)).isoformat()
    for extra, message in (({"quantity": "0"}, "Määrän pitää olla 1–10 000 000."),
                           ({"quantity": "kolme"}, "Anna määrä kokonaislukuna."),
                           ({"wished_date": past}, "Päivä on jo mennyt."),
                           ({"contact_email": "ei-osoite"}, "Tarkista sähköposti."),
                           ({"attachment": (io.BytesIO(b"MZ\x90\x00"), "virus.exe")},
                            "Liitteen pitää olla PDF tai kuva")):
        response = _submit_form(company, world, **extra)
        assert response.status_code == 200 and message in _page(response), message
    with app.app_context():
        assert _order(app) is None


def _template(client) -> bytes:
    return client.get("/company/orders/template.xlsx").data


def _workbook_with(rows: list[list], template: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    ws = workbook.active
    ws.delete_rows(2, ws.max_row)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, world, data: bytes):
    return client.post("/company/orders/upload", content_type="multipart/form-data",
                       data={"centre_id": world["centre"],
                             "file": (io.BytesIO(data), "tilaus.xlsx")})


def test_an_order_workbook_comes_in_whole(app, world):
    company = _client(app, world, "a")
    future = working_day(20)
    data = _workbook_with([["Esitteet", 500, future, ""],
                           ["=HYPERLINK(\"http://x\")", "1 200", future.strftime("%d.%m.%Y"),
                            "+kiire"],
                           ["Kehykset", 30.0, None, ""]], _template(company))
    assert _upload(company, world, data).status_code == 302
    with app.app_context():
        order = _order(app)
        assert [(line.product_name, line.quantity, line.wished_date) for line in order.lines] == [
            ("Esitteet", 500, future), ('=HYPERLINK("http://x")', 1200, future),
            ("Kehykset", 30, None)]
        assert order.lines[1].notes == "+kiire"


def test_a_workbook_written_by_libreoffice_comes_in(app, world):
    company = _client(app, world, "a")
    data = (DATA / "order-libreoffice.xlsx").read_bytes()
    assert b"LibreOffice" in zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml")
    assert _upload(company, world, data).status_code == 302
    with app.app_context():
        lines = _order(app).lines
        assert [(line.product_name, line.quantity, line.wished_date) for line in lines] == [
            ("Esitteiden taittelu", 2500, date(2030, 3, 15)),
            ("Kehysten kokoonpano", 400, date(2030, 3, 20))]


def test_every_bad_workbook_is_refused_with_row_numbers_and_nothing_saved(app, world):
    company = _client(app, world, "a")
    template = _template(company)
    past = date.today() - timedelta(days=3)
    data = _workbook_with([
        ["Esitteet", "paljon", None, ""],
        ["Kehykset", 0, None, ""],
        ["Tarrat", 12.5, None, ""],
        ["Laatikot", 10, past, ""],
        ["Kansiot", 10, "ensi viikolla", ""],
        ["Esitteet", 10, None, ""],
        ["Esitteet", 10, None, ""],
        ["", 5, None, ""],
    ], template)
    page = _page(_upload(company, world, data))
    for expected in ('Rivi 2: määrän pitää olla luku, ei "paljon"',
                     "Rivi 3: määrän pitää olla suurempi kuin 0",
                     "Rivi 4: määrän pitää olla kokonaisluku",
                     f"Rivi 5: toivottu päivä {past:%-d.%-m.%Y} on jo mennyt",
                     'Rivi 6: päivämäärää "ensi viikolla" ei tunnisteta',
                     "Rivi 7: sama tuote ja päivä kuin rivillä 2",
                     "Rivi 8: sama tuote ja päivä kuin rivillä 2",
                     "Rivi 9: tuote puuttuu"):
        assert expected in page, expected
    good = _workbook_with([["Esitteet", 10, None, ""]], template)
    archive = zipfile.ZipFile(io.BytesIO(good))
    entries = {i.filename: archive.read(i.filename) for i in archive.infolist()}

    def rezip(extra: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for name, body in {**entries, **extra}.items():
                out.writestr(name, body)
        return buffer.getvalue()

    cases = {
        "csv": (b"Tuote;M\xe4\xe4r\xe4\nEsitteet;10\n", "ei ole .xlsx-työkirja"),
        "bomb": (rezip({"xl/media/x.bin": b"\0" * (60 * 1024 * 1024)}), "purkautuu liian"),
        "macro": (rezip({"xl/vbaProject.bin": b"x"}), "makroja"),
        "link": (rezip({"xl/externalLinks/externalLink1.xml": b"<x/>"}), "linkkejä"),
        "big": (b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), "liian suuri"),
        "columns": (_workbook_with([], _plain_workbook(["Nimi", "Kpl"])), "Sarakkeet eivät"),
    }
    for name, (body, message) in cases.items():
        assert message in _page(_upload(company, world, body)), name
    with app.app_context():
        assert _order(app) is None


def _plain_workbook(header: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_another_company_finds_none_of_the_order_urls(app, world):
    company = _client(app, world, "a")
    pdf = b"%PDF-1.4\n%%EOF\n"
    _submit_form(company, world, attachment=(io.BytesIO(pdf), "a.pdf"))
    with app.app_context():
        order_id = _order(app).id
    other = _client(app, world, "b")
    for url in (f"/company/orders/{order_id}", f"/company/orders/{order_id}/attachment"):
        assert company.get(url).status_code == 200, url
        assert other.get(url).status_code == 404, url
    for url in (f"/orders/{order_id}", f"/orders/{order_id}/delivery-note",
                f"/orders/{order_id}/attachment"):
        assert other.get(url).status_code == 403, url
    for url in (f"/orders/{order_id}/accept", f"/orders/{order_id}/decline",
                f"/orders/{order_id}/change", f"/orders/{order_id}/delivered"):
        assert other.post(url).status_code == 403, url
    assert "A Oy" not in _page(other.get("/company/orders"))


def test_the_command_line_takes_the_same_template(app, world, tmp_path):
    runner = app.test_cli_runner()
    template = tmp_path / "pohja.xlsx"
    assert runner.invoke(args=["order-template", "-o", str(template)]).exit_code == 0
    data = _workbook_with([["Esitteet", 300, None, ""], ["Kehykset", 20, None, ""]],
                          template.read_bytes())
    filled = tmp_path / "tilaus.xlsx"
    filled.write_bytes(data)
    result = runner.invoke(args=["import-orders", "--company", "a oy", str(filled)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 lines" in result.output
    bad = tmp_path / "huono.xlsx"
    bad.write_bytes(_workbook_with([["Esitteet", -1, None, ""]], template.read_bytes()))
    refused = runner.invoke(args=["import-orders", "--company", "A Oy", str(bad)])
    assert refused.exit_code == 1 and "Rivi 2" in refused.output
    nobody = runner.invoke(args=["import-orders", "--company", "Ei Oy", str(filled)])
    assert nobody.exit_code == 1 and "No company" in nobody.output
    with app.app_context():
        assert len(db.session.scalars(select(Order)).all()) == 1
        assert db.session.scalars(select(TaskType)).first() is not None


def test_dates_come_in_every_form_the_spreadsheets_write(app):
    from datetime import datetime

    from workcentre.orders.importer import parse_date

    day = date(2030, 12, 24)
    for value in (datetime(2030, 12, 24, 0, 0), day, 47841, 47841.0, "24.12.2030", "24.12.30",
                  "2030-12-24", "24/12/2030", "24-12-2030", " 24.12.2030 "):
        assert parse_date(value) == day, value
    for value in ("joulukuussa", "31.2.2030", 12, True):
        assert parse_date(value) is False, value
    assert parse_date(None) is None and parse_date("") is None
