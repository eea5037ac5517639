"""Order and people workbooks that try to take the server down or sneak past the checks."""

from __future__ import annotations

import html
import io
import time
import zipfile

import holidays
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import Order, Participant, Role
from workcentre.orders.importer import header as order_header
from workcentre.people.importer import header as people_header

from ..factories import login, make_centre, make_company, make_task_type, make_user, working_day

SOON = working_day(30)


@pytest.fixture
def world(app):
    with app.app_context():
        centre = make_centre("Keskus")
        make_task_type(centre, "pack").name = "Pakkaus"
        company = make_company("A Oy")
        users = {"company": make_user(Role.COMPANY, company=company).email,
                 "staff": make_user(Role.INSTRUCTOR, centre=centre).email}
        db.session.commit()
        return {"centre": centre.id, "users": users}


def _client(app, world, who):
    client = app.test_client()
    assert login(client, world["users"][who]).status_code == 302
    return client


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _renumber(data: bytes, old: int, new: int) -> bytes:
    """The workbook with sheet row `old` moved to row `new` (openpyxl will not write a row past
    Excel's 1,048,576, but a crafted file can have one)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            body = archive.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(f'r="{old}"'.encode(), f'r="{new}"'.encode())
                for column in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
                    body = body.replace(f'r="{column}{old}"'.encode(),
                                        f'r="{column}{new}"'.encode())
                    body = body.replace(f':{column}{old}"'.encode(), f':{column}{new}"'.encode())
            out.writestr(info.filename, body)
    return buffer.getvalue()


def _order_book(rows: list[list], at: dict[int, list] | None = None) -> bytes:
    with_header = Workbook()
    ws = with_header.active
    ws.append(["Tuote", "Määrä (kpl)", "Toivottu toimituspäivä", "Lisätiedot"])
    for row in rows:
        ws.append(row)
    for number, values in (at or {}).items():
        for column, value in enumerate(values, start=1):
            ws.cell(row=number, column=column, value=value)
    return _save(with_header)


def _upload_order(client, world, data: bytes):
    return client.post("/company/orders/upload", content_type="multipart/form-data",
                       data={"centre_id": world["centre"],
                             "file": (io.BytesIO(data), "tilaus.xlsx")})


def _people_book(app, rows: list[list]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    with app.test_request_context():
        ws.append(people_header())
    for row in rows:
        ws.append(row)
    return _save(workbook)


def _person(first: str, support="1", pace="80") -> list:
    return [first, "Testi", "x", *[""] * 9, "Pakkaus", "", "", "", support, pace, "ei"]


def _upload_people(client, world, data: bytes):
    return client.post("/people/import", content_type="multipart/form-data",
                       data={"centre_id": world["centre"],
                             "file": (io.BytesIO(data), "asiakkaat.xlsx")})


def _orders(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def _people(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Participant))


def test_a_row_numbered_five_million_is_refused_at_once(app, world):
    """A 5 KB workbook whose one row is numbered 5,000,000 took 29 s and was accepted."""
    data = _renumber(_order_book([["Esitteet", 10, None, ""]]), 2, 5_000_000)
    assert len(data) < 10_000
    company = _client(app, world, "company")
    started = time.monotonic()
    page = _page(_upload_order(company, world, data))
    assert time.monotonic() - started < 3
    assert "Taulukossa on tyhjiä rivejä liikaa" in page
    assert _orders(app) == 0
    people = _renumber(_people_book(app, [_person("Aino")]), 2, 5_000_000)
    staff = _client(app, world, "staff")
    started = time.monotonic()
    page = _page(_upload_people(staff, world, people))
    assert time.monotonic() - started < 3
    assert "Taulukossa on tyhjiä rivejä liikaa" in page
    assert _people(app) == 0


def test_a_row_of_hundreds_of_thousands_of_cells_is_refused_before_parsing(app, world):
    """One row of 800,000 cells (3.2 MB packed) took 32 s and was accepted."""
    data = _order_book([["Esitteet", 10, None, ""]])
    archive = zipfile.ZipFile(io.BytesIO(data))
    cells = b"".join(b'<c r="E2"><v>%d</v></c>' % (n * 7919 % 1_000_003)
                     for n in range(300_000))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            body = archive.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</row></sheetData>", cells + b"</row></sheetData>", 1)
            out.writestr(info.filename, body)
    company = _client(app, world, "company")
    started = time.monotonic()
    page = _page(_upload_order(company, world, buffer.getvalue()))
    assert time.monotonic() - started < 3
    assert "Taulukossa on liikaa soluja" in page
    assert _orders(app) == 0


def test_a_sheet_that_claims_a_million_rows_and_columns_is_read_quickly(app, world):
    data = _order_book([["Esitteet", 10, None, ""]])
    archive = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            body = archive.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<dimension ref="A1:D2"/>',
                                    b'<dimension ref="A1:XFD1048576"/>')
            out.writestr(info.filename, body)
    company = _client(app, world, "company")
    started = time.monotonic()
    assert _upload_order(company, world, buffer.getvalue()).status_code == 302
    assert time.monotonic() - started < 3
    assert _orders(app) == 1


def test_a_few_empty_rows_between_lines_are_fine(app, world):
    data = _order_book([["Esitteet", 10, None, ""]], at={40: ["Kehykset", 5, None, ""]})
    company = _client(app, world, "company")
    assert _upload_order(company, world, data).status_code == 302
    with app.app_context():
        order = db.session.scalars(select(Order)).one()
        assert [line.product_name for line in order.lines] == ["Esitteet", "Kehykset"]


@pytest.mark.parametrize("quantity", [float("inf"), float("nan"), "inf", "nan", "1e400",
                                      "-inf", "9" * 5000], ids=lambda v: str(v)[:8])
def test_impossible_quantities_are_refused_with_a_message(app, world, quantity):
    data = _order_book([["Esitteet", quantity, None, ""]])
    company = _client(app, world, "company")
    response = _upload_order(company, world, data)
    assert response.status_code == 200
    assert "Rivi 2: määrä" in _page(response)
    assert _orders(app) == 0


@pytest.mark.parametrize("value", ["inf", "nan", "1e400", "-inf", "9" * 5000],
                         ids=lambda v: v[:8])
def test_impossible_numbers_in_the_people_workbook_are_refused(app, world, value):
    staff = _client(app, world, "staff")
    for row in (_person("Aino", support=value), _person("Aino", pace=value)):
        response = _upload_people(staff, world, _people_book(app, [row]))
        assert response.status_code == 200
        assert "Rivi 2: sarakkeessa" in _page(response)
    assert _people(app) == 0


@pytest.mark.parametrize("quantity", ["inf", "nan", "1e400", "²"])
def test_impossible_quantities_in_the_forms_are_refused(app, world, quantity):
    company = _client(app, world, "company")
    response = company.post("/company/orders/new", data={
        "centre_id": world["centre"], "product_name": "Esitteet", "quantity": quantity,
        "wished_date": SOON.isoformat(), "contact_name": "Anna"})
    assert response.status_code == 200
    assert "Anna määrä kokonaislukuna." in _page(response)
    assert _orders(app) == 0


def test_a_number_past_what_the_database_holds_is_refused_before_the_form(app, world):
    company = _client(app, world, "company")
    response = company.post("/company/orders/new", data={
        "centre_id": world["centre"], "product_name": "Esitteet", "quantity": "9" * 5000,
        "contact_name": "Anna"})
    assert response.status_code == 400
    assert "Luku on liian suuri" in _page(response)
    assert _orders(app) == 0


def test_an_untouched_template_is_not_an_order(app, world):
    """Issue 29: the template's example row (2,000 brochures) came in as a real order."""
    company = _client(app, world, "company")
    template = company.get("/company/orders/template.xlsx").data
    page = _page(_upload_order(company, world, template))
    assert "Taulukossa ei ole yhtään tilausriviä." in page
    assert _orders(app) == 0


def test_the_example_sits_on_its_own_sheet_on_a_working_day(app, world):
    company = _client(app, world, "company")
    workbook = load_workbook(io.BytesIO(company.get("/company/orders/template.xlsx").data))
    assert workbook.sheetnames == ["Tilaus", "Esimerkki"]
    order, example = workbook.worksheets
    assert order.max_row == 1
    assert [c.value for c in example[1]] == [h for h in _headers(app)]
    day = example.cell(row=2, column=3).value.date()
    assert day.weekday() < 5 and day not in holidays.Finland(years=day.year)


def _headers(app) -> list[str]:
    with app.test_request_context():
        return order_header()
