"""Participants from Excel: the template round trip, every refusal, and nothing half imported."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import Centre, Participant, ParticipantSupport, Role
from workcentre.people.importer import import_participants
from workcentre.xlsx_upload import UploadRefused, check_workbook_bytes

from ..factories import login, make_centre, make_task_type, make_user

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def setup(app):
    with app.app_context():
        centre = make_centre("Koti")
        make_task_type(centre, "pack").name = "Pakkaus"
        make_task_type(centre, "sort").tags = ["noise"]
        user = make_user(Role.INSTRUCTOR, centre=centre)
        db.session.commit()
        return {"centre": centre.id, "email": user.email}


def _template(client) -> Workbook:
    response = client.get("/people/import/template.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def _fill(workbook: Workbook, rows: list[list]) -> bytes:
    ws = workbook.worksheets[0]
    ws.delete_rows(2, ws.max_row)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(first: str, last: str = "Testi", marks=None, skills="Pakkaus", avoid="",
         likes="", dislikes="", support=1, pace=80, routine="ei") -> list:
    marks = marks if marks is not None else ["x", "x", "", "", "x", "", "", "", "", "X"]
    return [first, last, *marks, skills, avoid, likes, dislikes, support, pace, routine]


def _preview(client, data: bytes, centre: int, name: str = "asiakkaat.xlsx"):
    return client.post("/people/import", data={"centre_id": centre,
                                               "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _confirm(client, preview):
    page = preview.get_data(as_text=True)
    fields = dict(re.findall(r'name="(token|centre_id)" type="hidden" value="([^"]*)"', page))
    return client.post("/people/import/confirm", data=fields)


def _upload(client, data: bytes, centre: int, name: str = "asiakkaat.xlsx"):
    """Upload, and save what the preview shows (the preview itself when the file is refused)."""
    preview = _preview(client, data, centre, name)
    if "/people/import/confirm" not in preview.get_data(as_text=True):
        return preview
    return _confirm(client, preview)


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Participant))


def test_the_template_comes_back_as_participants(app, client, setup):
    login(client, setup["email"])
    data = _fill(_template(client), [
        _row("Aino", skills="Pakkaus, sort", avoid="melu", likes="pack", routine="kyllä"),
        _row("Eero", marks=[""] * 9 + ["x"], support="", pace=""),
    ])
    response = _upload(client, data, setup["centre"])
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        aino = db.session.scalars(select(Participant).where(Participant.first_name == "Aino")) \
            .one()
        assert aino.attends == ["mon-am", "mon-pm", "wed-am", "fri-pm"]
        assert sorted(k.code for k in aino.skills) == ["pack", "sort"]
        assert aino.avoid_tags == ["noise"] and aino.needs_routine
        assert [p.task_type.code for p in aino.preferences if p.likes] == ["pack"]
        eero = db.session.scalars(select(Participant).where(Participant.first_name == "Eero")) \
            .one()
        support = db.session.get(ParticipantSupport, eero.id)
        assert (support.support_points, support.productivity) == (0, 100)
    # The same file again updates instead of doubling.
    again = _upload(client, _fill(_template(client), [_row("Aino", pace=55)]), setup["centre"])
    assert again.status_code == 302
    assert _count(app) == 2


def test_a_bad_row_refuses_the_whole_file_with_row_numbers(app, client, setup):
    login(client, setup["email"])
    data = _fill(_template(client), [
        _row("Hyvä"),
        _row("Huono", skills="liimaus"),
        _row("", marks=["joo"] + [""] * 9),
        _row("Tahti", pace=500),
        _row("Hyvä"),
        _row("Luku", support="paljon"),
    ])
    page = html.unescape(_upload(client, data, setup["centre"]).get_data(as_text=True))
    assert "Tiedostoa ei tuotu" in page
    for expected in ('Rivi 3: tuntematon tehtävä "liimaus"', "Rivi 4: etunimi puuttuu",
                     'Rivi 4: sarakkeessa "ma aamupäivä" pitää olla x tai tyhjä',
                     'Rivi 5: sarakkeessa "Työtahti %" luvun pitää olla 1–200',
                     "Rivi 6: sama nimi kuin rivillä 2",
                     'Rivi 7: sarakkeessa "Tuen tarve" pitää olla luku'):
        assert expected in page, expected
    assert _count(app) == 0


def test_wrong_columns_and_empty_sheets_are_refused(app, client, setup):
    login(client, setup["email"])
    workbook = Workbook()
    workbook.active.append(["Nimi", "Päivät"])
    workbook.active.append(["Aino", "ma"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = _upload(client, buffer.getvalue(), setup["centre"]).get_data(as_text=True)
    assert "Sarakkeet eivät vastaa mallipohjaa" in page
    empty = _upload(client, _fill(_template(client), []), setup["centre"])
    assert "Taulukossa ei ole yhtään asiakasta." in empty.get_data(as_text=True)
    assert _count(app) == 0


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _with_entry(data: bytes, name: str, body: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {i.filename: source.read(i.filename) for i in source.infolist()}
    entries[name] = body
    return _zip(entries)


def test_unsafe_or_broken_files_are_refused_before_opening(app, client, setup):
    login(client, setup["email"])
    good = _fill(_template(client), [_row("Aino")])
    cases = {
        "not a workbook": (b"Etunimi;Sukunimi\nAino;Testi\n", "ei ole .xlsx-työkirja"),
        "renamed zip": (_zip({"readme.txt": b"hello"}), "ei ole .xlsx-työkirja"),
        "truncated": (good[: len(good) // 2], "rikki"),
        "zip bomb": (_with_entry(good, "xl/media/big.bin", b"\0" * (60 * 1024 * 1024)),
                     "purkautuu liian suureksi"),
        "macros": (_with_entry(good, "xl/vbaProject.bin", b"macro"), "makroja"),
        "external link": (_with_entry(good, "xl/externalLinks/externalLink1.xml", b"<x/>"),
                          "linkkejä muihin tiedostoihin"),
        "empty": (b"", "Tiedosto on tyhjä."),
    }
    for name, (data, message) in cases.items():
        page = _upload(client, data, setup["centre"]).get_data(as_text=True)
        assert message in page, name
    assert _count(app) == 0
    with pytest.raises(UploadRefused):
        check_workbook_bytes(b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024))


def test_a_workbook_written_by_libreoffice_imports(app, setup):
    """tests/data/participants-libreoffice.xlsx was written by LibreOffice Calc 7.4 (from CSV)."""
    data = (DATA / "participants-libreoffice.xlsx").read_bytes()
    assert b"LibreOffice" in zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml")
    with app.test_request_context():
        centre = db.session.get(Centre, setup["centre"])
        result = import_participants(centre, data)
        assert result.errors == [] and result.created == 2
        db.session.commit()
        people = db.session.scalars(select(Participant).order_by(Participant.first_name)).all()
        assert [p.first_name for p in people] == ["Liisa", "Olli"]
        assert people[0].attends == ["mon-am", "tue-am", "wed-am", "thu-am", "fri-am"]


def test_the_command_line_imports_the_same_way(app, setup, tmp_path):
    runner = app.test_cli_runner()
    good = runner.invoke(args=["import-people", str(DATA / "participants-libreoffice.xlsx")])
    assert good.exit_code == 0, good.output
    assert "2 new, 0 updated" in good.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    bad = runner.invoke(args=["import-people", str(broken)])
    assert bad.exit_code == 1 and "Nothing imported" in bad.output
    missing = runner.invoke(args=["import-people", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 1 and "Cannot read" in missing.output
    assert _count(app) == 2
