"""Finnish first; English and Swedish selectable; catalogues complete and compiled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "workcentre" / "translations"


def test_finnish_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="fi"' in page and "Kirjaudu sisään" in page


@pytest.mark.parametrize("code, heading", [("en", "Sign in"), ("sv", "Logga in"),
                                           ("fi", "Kirjaudu sisään")])
def test_language_can_be_chosen(client, code, heading):
    response = client.post(f"/language/{code}", data={"next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert f'lang="{code}"' in page and heading in page


def test_unknown_language_is_ignored(client):
    client.post("/language/xx")
    assert 'lang="fi"' in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "sv"])
def test_catalogue_covers_every_message_and_is_compiled(tmp_path, language):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
                    "-o", str(pot), str(ROOT)], check=True, cwd=ROOT, capture_output=True)
    wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    po_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    po = {m.id: m.string for m in read_po(po_path.open("rb")) if m.id}
    missing = sorted(wanted - {k for k, v in po.items() if v})
    assert not missing, f"untranslated in {language}: {missing}"
    mo = {_hashable(m.id): _hashable(m.string)
          for m in read_mo((po_path.with_suffix(".mo")).open("rb")) if m.id}
    compiled = {_hashable(k): _hashable(v) for k, v in po.items() if v}
    assert mo == compiled, "run: pybabel compile -d workcentre/translations"


def _hashable(value):
    """A plural message (ngettext) comes as a list from the .mo file and a tuple from the .po."""
    return tuple(value) if isinstance(value, list | tuple) else value
