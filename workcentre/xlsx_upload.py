"""Checks an uploaded workbook passes before openpyxl opens it, and reading it safely.

An .xlsx file is a zip archive. It is refused, with a message for the person who sent it, when it
is too large, not a zip, a zip bomb (too much unpacked data, or too high a packing ratio), carries
macros or links to other files, or is not a workbook at all. Only then is it opened, read-only.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from .hygiene import clean_text

MAX_UPLOAD = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 2000
# Cells in all sheets together: openpyxl parses some 50,000 a second, and one row of 800,000
# cells (a 3.2 MB upload) took 32 s, read twice. The people template's 1000 rows are 19,000 cells.
MAX_CELLS = 50_000
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
# Rows below the last data row that may be empty (a sheet formatted further down), and the time
# one reading of a sheet may take; past either, the workbook is refused.
MAX_EMPTY_ROWS = 2000
READ_SECONDS = 2.0
MACRO_MARKERS = ("vbaproject.bin", "macrosheets/", "activex")
LINK_MARKERS = ("externallinks/",)
MACRO_TYPES = (b"macroEnabled", b"vbaProject")


class UploadRefused(Exception):
    """The upload cannot be read; `message` says why, in the interface language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    upload: int = MAX_UPLOAD
    unpacked: int = MAX_UNPACKED
    ratio: int = MAX_RATIO
    cells: int = MAX_CELLS


def open_workbook(data: bytes, limits: Limits = Limits(), *, values: bool = True) -> Workbook:
    """The workbook in `data`, opened read-only after every check: with the cached values of
    formulas (`values`), or with formulas as the text that was typed."""
    check_workbook_bytes(data, limits)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=values)
    except Exception as error:  # noqa: BLE001 - any parse failure is a broken file to the user
        raise UploadRefused(_("Tiedostoa ei voi lukea: se on rikki tai ei ole Excel-työkirja."
                              )) from error


def check_workbook_bytes(data: bytes, limits: Limits = Limits()) -> None:
    if not data:
        raise UploadRefused(_("Tiedosto on tyhjä."))
    if len(data) > limits.upload:
        raise UploadRefused(_("Tiedosto on liian suuri (enintään %(mb)d Mt).",
                              mb=limits.upload // (1024 * 1024)))
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRefused(_("Tiedosto ei ole .xlsx-työkirja. Tallenna se Excelissä tai "
                              "LibreOfficessa muodossa .xlsx."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise UploadRefused(_("Tiedosto on rikki.")) from error
    _check_sizes(entries, limits)
    names = {e.filename.lower() for e in entries}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRefused(_("Tiedosto ei ole .xlsx-työkirja."))
    if any(marker in name for name in names for marker in MACRO_MARKERS) or any(
            marker in archive.read("[Content_Types].xml") for marker in MACRO_TYPES):
        raise UploadRefused(_("Työkirjassa on makroja. Tallenna se ilman makroja (.xlsx)."))
    if any(marker in name for name in names for marker in LINK_MARKERS):
        raise UploadRefused(_("Työkirjassa on linkkejä muihin tiedostoihin. Poista linkit ja "
                              "tallenna uudelleen."))
    sheets = [e for e in entries if e.filename.lower().startswith("xl/worksheets/")
              and e.filename.lower().endswith(".xml")]
    if _cells(archive, sheets, limits.cells) > limits.cells:
        raise UploadRefused(_("Taulukossa on liikaa soluja (yli %(n)d). Kopioi tiedot uuteen "
                              "mallipohjaan.", n=limits.cells))


def _check_sizes(entries: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(entries) > MAX_ENTRIES:
        raise UploadRefused(_("Tiedosto on liian monimutkainen."))
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if unpacked > limits.unpacked or unpacked / packed > limits.ratio:
        raise UploadRefused(_("Tiedosto purkautuu liian suureksi, joten sitä ei avata."))


def _cells(archive: zipfile.ZipFile, sheets: list[zipfile.ZipInfo], limit: int) -> int:
    """The cells in the sheets' XML, counted in chunks (and no further than past `limit`)
    before openpyxl spends its time on them."""
    count = 0
    for entry in sheets:
        carry = b""
        with archive.open(entry) as stream:
            while chunk := stream.read(1 << 20):
                # The last bytes go round again: a tag may be cut between two chunks.
                text = carry + chunk
                count += len(CELL_TAG.findall(text, 0, len(text) - 16))
                carry = text[len(text) - 16:]
                if count > limit:
                    return count
        count += len(CELL_TAG.findall(carry))
    return count


def cell_text(value: object) -> str:
    """A cell as plain text, stripped; formulas never come through as formulas."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def read_rows(data: bytes, header: Callable[[], list[str]], max_rows: int = 1000,
              text_columns: tuple[int, ...] = ()) -> list[tuple[int, list]]:
    """The first sheet's non-empty rows under the template's header (in any interface
    language), as (row number, raw cell values). UploadRefused for any other sheet.

    In `text_columns` a formula comes as the text that was typed ("=HYPERLINK(...)"), kept as
    text and never evaluated; elsewhere as the value the spreadsheet last computed."""
    known = headers_in_every_language(header)
    rows = _read_rows(data, known, header(), max_rows, values=True)
    if text_columns:
        typed = dict(_read_rows(data, known, header(), max_rows, values=False))
        for number, cells in rows:
            for column in text_columns:
                if isinstance(typed[number][column], str):
                    cells[column] = typed[number][column]
    return rows


@contextmanager
def _first_sheet(data: bytes, *, values: bool) -> Iterator:
    """The workbook's first sheet; whatever openpyxl cannot parse while it is read is a broken
    file, refused with a message."""
    workbook = open_workbook(data, values=values)
    try:
        yield workbook.worksheets[0]
    except UploadRefused:
        raise
    except Exception as error:  # noqa: BLE001 - a cell openpyxl cannot parse is a broken file
        raise UploadRefused(_("Tiedostoa ei voi lukea: se on rikki tai ei ole Excel-työkirja."
                              )) from error
    finally:
        workbook.close()


def _read_rows(data: bytes, known_headers: list[list[str]], header: list[str], max_rows: int,
               *, values: bool) -> list[tuple[int, list]]:
    with _first_sheet(data, values=values) as sheet:
        width = len(header)
        lines = sheet.iter_rows(max_col=width, values_only=True)
        found = [cell_text(c).lower() for c in next(lines, ())]
        if not any(found[:width] == known for known in known_headers):
            missing = [h for h in header if h.lower() not in found]
            raise UploadRefused(_("Sarakkeet eivät vastaa mallipohjaa. Puuttuu: %(cols)s. "
                                  "Lataa mallipohja ja käytä sen sarakkeita.",
                                  cols=", ".join(missing) or "—"))
        return _data_rows(lines, width, max_rows)


def _data_rows(lines: Iterator[tuple], width: int, max_rows: int) -> list[tuple[int, list]]:
    """The non-empty rows, read within a row and a time budget: openpyxl hands out every
    empty row up to the last one, so a single row numbered 5,000,000 would cost half a minute."""
    deadline = time.monotonic() + READ_SECONDS
    last_row = max_rows + MAX_EMPTY_ROWS
    rows = []
    for number, line in enumerate(lines, start=2):
        if number > last_row:
            raise UploadRefused(_("Taulukossa on tyhjiä rivejä liikaa: se jatkuu rivin %(n)d "
                                  "yli. Poista tyhjät rivit tietojen alta tai kopioi rivit "
                                  "uuteen mallipohjaan.", n=last_row))
        cells = list(line[:width]) + [None] * (width - len(line[:width]))
        if any(cell_text(c) for c in cells):
            rows.append((number, cells))
        if len(rows) > max_rows:
            raise UploadRefused(_("Enintään %(n)d riviä kerrallaan.", n=max_rows))
        if time.monotonic() > deadline:
            raise UploadRefused(_("Taulukon lukeminen kesti liian kauan. Kopioi rivit uuteen "
                                  "mallipohjaan ja yritä uudelleen."))
    return rows


@dataclass(frozen=True)
class Table:
    """A sheet read by its header: `present` holds the template columns the sheet has; each row
    is aligned to the template, with None in the columns it does not have."""

    present: frozenset[int]
    rows: list[tuple[int, list]]


def read_table(data: bytes, header: Callable[[], list[str]], max_rows: int = 1000, *,
               required: tuple[int, ...] = (0,), max_columns: int = 60) -> Table:
    """The first sheet's non-empty rows under a header made of any of the template's columns
    (in any order and interface language): a column the sheet leaves out is left out of the
    rows too. UploadRefused for a column the template does not know, a column twice, or a
    missing required column."""
    names = header()
    index: dict[str, int] = {}
    for language in headers_in_every_language(header):
        for number, name in enumerate(language):
            index.setdefault(name, number)
    with _first_sheet(data, values=True) as sheet:
        lines = sheet.iter_rows(max_col=max_columns, values_only=True)
        positions = _positions([cell_text(c).lower() for c in next(lines, ())], index, names,
                               required)
        aligned = ([line[positions[n]] if n in positions and positions[n] < len(line) else None
                    for n in range(len(names))] for line in lines)
        return Table(frozenset(positions), _data_rows(aligned, len(names), max_rows))


def _positions(found: list[str], index: dict[str, int], names: list[str],
               required: tuple[int, ...]) -> dict[int, int]:
    """Template column -> sheet column, from the sheet's header row."""
    positions: dict[int, int] = {}
    unknown, twice = [], []
    for column, text in enumerate(found):
        number = index.get(text)
        if not text:
            continue
        if number is None:
            unknown.append(text)
        elif number in positions:
            twice.append(names[number])
        else:
            positions[number] = column
    if unknown:
        raise UploadRefused(_("Sarakkeet eivät vastaa mallipohjaa. Tuntematon sarake: "
                              "%(cols)s. Lataa mallipohja ja käytä sen sarakkeita.",
                              cols=", ".join(f'"{u[:40]}"' for u in unknown[:5])))
    if twice:
        raise UploadRefused(_("Sarake on taulukossa kahdesti: %(cols)s.", cols=", ".join(twice)))
    missing = [names[n] for n in required if n not in positions]
    if missing:
        raise UploadRefused(_("Sarakkeet eivät vastaa mallipohjaa. Puuttuu: %(cols)s. "
                              "Lataa mallipohja ja käytä sen sarakkeita.",
                              cols=", ".join(missing)))
    return positions


def headers_in_every_language(header: Callable[[], list[str]]) -> list[list[str]]:
    """A template's header row as each interface language writes it: any of them may come back."""
    known = []
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            known.append([h.lower() for h in header()])
    return known
