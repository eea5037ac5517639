"""Importing people again changes only what the workbook says, after a preview."""

from __future__ import annotations

import html
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import AuditEvent, Participant, ParticipantSupport, Preference, Role
from workcentre.people.importer import header
from workcentre.people.services import set_support

from ..factories import login, make_centre, make_task_type, make_user
from .test_people_import import _confirm, _preview


@pytest.fixture
def setup(app):
    with app.app_context():
        centre = make_centre("Koti")
        kinds = {}
        for code, name in (("pack", "Pakkaus"), ("sort", "Lajittelu"), ("build", "Kokoonpano"),
                           ("label", "Tarrat")):
            kinds[code] = make_task_type(centre, code)
            kinds[code].name = name
        aino = Participant(centre=centre, first_name="Aino", last_name="Virtanen",
                           attends=["mon-am", "tue-am"], needs_routine=True,
                           skills=[kinds["pack"], kinds["sort"], kinds["build"]],
                           avoid_tags=["noise"])
        aino.preferences = [Preference(task_type=kinds["pack"], likes=True),
                            Preference(task_type=kinds["build"], likes=False)]
        db.session.add(aino)
        db.session.flush()
        set_support(aino, support_points=3, productivity=70, notes="Tarvitsee taukoja.")
        user = make_user(Role.INSTRUCTOR, centre=centre)
        db.session.commit()
        return {"centre": centre.id, "email": user.email, "aino": aino.id}


def _book(app, columns: list[str], rows: list[list]) -> bytes:
    """A workbook with only some of the template's columns (named as in the template)."""
    with app.test_request_context():
        names = header()
    picked = {"Etunimi": 0, "Sukunimi": 1, "ma aamupäivä": 2, "ma iltapäivä": 3, "Osaa": 12,
              "Välttää": 13, "Mieluisat": 14, "Epämieluisat": 15, "Tuen tarve": 16,
              "Työtahti %": 17, "Tarvitsee rutiinia": 18}
    workbook = Workbook()
    workbook.active.append([names[picked[c]] for c in columns])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _aino(app) -> dict:
    with app.app_context():
        aino = db.session.scalars(select(Participant).where(
            Participant.last_name == "Virtanen")).one()
        support = db.session.get(ParticipantSupport, aino.id)
        return {"skills": sorted(k.name for k in aino.skills),
                "likes": [p.task_type.name for p in aino.preferences if p.likes],
                "dislikes": [p.task_type.name for p in aino.preferences if not p.likes],
                "routine": aino.needs_routine, "attends": aino.attends,
                "avoid": aino.avoid_tags, "notes": support.notes,
                "support": (support.support_points, support.productivity)}


ORIGINAL = {"skills": ["Kokoonpano", "Lajittelu", "Pakkaus"], "likes": ["Pakkaus"],
            "dislikes": ["Kokoonpano"], "routine": True, "attends": ["mon-am", "tue-am"],
            "avoid": ["noise"], "notes": "Tarvitsee taukoja.", "support": (3, 70)}


def test_importing_aino_again_keeps_everything_the_workbook_does_not_carry(app, client, setup):
    """The reported case: support notes wiped, skills cut from 3 to 1, likes and
    needs_routine cleared."""
    login(client, setup["email"])
    data = _book(app, ["Etunimi", "Sukunimi", "Osaa", "Mieluisat", "Tarvitsee rutiinia",
                       "Tuen tarve"],
                 [["Aino", "Virtanen", "Tarrat", "", "", ""]])
    preview = _preview(client, data, setup["centre"])
    page = html.unescape(preview.get_data(as_text=True))
    assert "Aino Virtanen: taidot + Tarrat; ei muita muutoksia" in page
    assert _aino(app) == ORIGINAL  # nothing saved by the preview
    assert _confirm(client, preview).status_code == 302
    assert _aino(app) == {**ORIGINAL, "skills": ["Kokoonpano", "Lajittelu", "Pakkaus", "Tarrat"]}


def test_the_template_with_empty_cells_changes_nothing(app, client, setup):
    login(client, setup["email"])
    with app.test_request_context():
        width = len(header())
    full = _book(app, ["Etunimi", "Sukunimi"], [["Aino", "Virtanen"]])
    preview = _preview(client, full, setup["centre"])
    assert "Aino Virtanen: ei muutoksia" in html.unescape(preview.get_data(as_text=True))
    _confirm(client, preview)
    assert _aino(app) == ORIGINAL
    assert width == 19


def test_markers_take_away_and_set_what_they_say(app, client, setup):
    login(client, setup["email"])
    data = _book(app, ["Etunimi", "Sukunimi", "ma aamupäivä", "ma iltapäivä", "Osaa", "Välttää",
                       "Mieluisat", "Epämieluisat", "Työtahti %", "Tarvitsee rutiinia"],
                 [["Aino", "Virtanen", "-", "x", "-Lajittelu, Tarrat", "-", "Kokoonpano", "",
                   "75", "ei"]])
    preview = _preview(client, data, setup["centre"])
    page = html.unescape(preview.get_data(as_text=True))
    for part in ("viikkorytmi + ma iltapäivä − ma aamupäivä", "taidot + Tarrat − Lajittelu",
                 "vältettävät piirteet − melu", "mieluisat + Kokoonpano",
                 "epämieluisat − Kokoonpano", "tarvitsee rutiinia: kyllä → ei",
                 "työtahti 70 % → 75 %"):
        assert part in page, part
    assert _confirm(client, preview).status_code == 302
    assert _aino(app) == {**ORIGINAL, "skills": ["Kokoonpano", "Pakkaus", "Tarrat"],
                          "likes": ["Pakkaus", "Kokoonpano"], "dislikes": [],
                          "routine": False, "attends": ["mon-pm", "tue-am"], "avoid": [],
                          "support": (3, 75)}
    with app.app_context():
        viewed = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "view_support")).all()
        assert [e.participant_id for e in viewed] == [setup["aino"]]


def test_a_new_person_and_a_bad_row_save_nothing(app, client, setup):
    login(client, setup["email"])
    data = _book(app, ["Etunimi", "Sukunimi", "Osaa"],
                 [["Aino", "Virtanen", "Tarrat"], ["Eero", "Uusi", "Liimaus"]])
    page = html.unescape(_preview(client, data, setup["centre"]).get_data(as_text=True))
    assert 'Rivi 3: tuntematon tehtävä "Liimaus"' in page
    assert _aino(app) == ORIGINAL
    good = _book(app, ["Etunimi", "Sukunimi", "Osaa"], [["Eero", "Uusi", "Tarrat"]])
    preview = _preview(client, good, setup["centre"])
    assert "Eero Uusi: uusi asiakas" in html.unescape(preview.get_data(as_text=True))
    _confirm(client, preview)
    with app.app_context():
        eero = db.session.scalars(select(Participant).where(Participant.first_name == "Eero")) \
            .one()
        assert [k.name for k in eero.skills] == ["Tarrat"] and eero.attends == []


def test_unknown_or_missing_name_columns_are_refused(app, client, setup):
    login(client, setup["email"])
    page = html.unescape(_preview(client, _book(app, ["Etunimi", "Osaa"], [["Aino", "Tarrat"]]),
                                  setup["centre"]).get_data(as_text=True))
    assert "Puuttuu: Sukunimi" in page


def test_a_preview_cannot_be_saved_by_someone_else_or_after_a_change(app, client, setup):
    login(client, setup["email"])
    data = _book(app, ["Etunimi", "Sukunimi", "Tuen tarve"], [["Aino", "Virtanen", "5"]])
    preview = _preview(client, data, setup["centre"])
    other = app.test_client()
    with app.app_context():
        email = make_user(Role.INSTRUCTOR, centre=db.session.get(
            __import__("workcentre.models", fromlist=["Centre"]).Centre, setup["centre"])).email
        db.session.commit()
    login(other, email)
    assert _confirm(other, preview).status_code == 302
    assert _aino(app)["support"] == (3, 70)
    with app.app_context():
        set_support(db.session.get(Participant, setup["aino"]), support_points=5,
                    productivity=70, notes="Tarvitsee taukoja.")
        db.session.commit()
    again = _confirm(client, preview)
    assert again.status_code == 200
    page = html.unescape(again.get_data(as_text=True))
    assert "Tiedot muuttuivat esikatselun jälkeen" in page
    assert "Aino Virtanen: ei muutoksia" in page


def test_the_command_line_prints_the_changes_and_can_only_look(app, setup, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "asiakkaat.xlsx"
    path.write_bytes(_book(app, ["Etunimi", "Sukunimi", "Osaa"],
                           [["Aino", "Virtanen", "Tarrat"]]))
    dry = runner.invoke(args=["import-people", "--dry-run", str(path)])
    assert dry.exit_code == 0, dry.output
    assert "Row 2: Aino Virtanen: taidot + Tarrat; ei muita muutoksia" in dry.output
    assert "nothing saved" in dry.output
    assert _aino(app) == ORIGINAL
    real = runner.invoke(args=["import-people", str(path)])
    assert real.exit_code == 0, real.output
    assert "0 new, 1 updated (1 changed)" in real.output
    assert _aino(app)["skills"] == ["Kokoonpano", "Lajittelu", "Pakkaus", "Tarrat"]
    assert _aino(app)["notes"] == "Tarvitsee taukoja."


def test_the_preview_speaks_the_interface_language(app, client, setup):
    login(client, setup["email"])
    client.post("/language/en", data={"next": "/people/import"})
    data = _book(app, ["Etunimi", "Sukunimi", "Osaa"], [["Aino", "Virtanen", "Tarrat"]])
    page = html.unescape(_preview(client, data, setup["centre"]).get_data(as_text=True))
    assert "Aino Virtanen: skills + Tarrat; no other changes" in page
    assert "0 new, 1 changing, 0 unchanged." in page


def test_an_untouched_template_imports_nobody(app, client, setup):
    login(client, setup["email"])
    template = client.get("/people/import/template.xlsx").data
    page = html.unescape(_preview(client, template, setup["centre"]).get_data(as_text=True))
    assert "Taulukossa ei ole yhtään asiakasta." in page
    with app.app_context():
        assert db.session.scalars(select(Participant).where(
            Participant.last_name == "Esimerkki")).first() is None


def test_a_preview_file_removed_meanwhile_does_not_break_the_next_upload(app):
    """Another process may remove an old preview between listing the folder and reading its
    age (a link to nowhere stands for it here: listed, but gone when read)."""
    from pathlib import Path

    from workcentre.people import pending

    with app.app_context():
        folder = Path(app.instance_path) / "uploads" / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        gone = folder / ("0" * pending.TOKEN_LENGTH + ".xlsx")
        gone.symlink_to(folder / "removed-meanwhile.xlsx")
        try:
            token = pending.keep(b"workbook")
            assert pending.load(token) == b"workbook"
        finally:
            gone.unlink(missing_ok=True)
