"""Participants and their weekly attendance from an Excel sheet, all or nothing.

The sheet has one row per participant under a header row (the template from
`participants_template()`). Every row is checked first; one bad row refuses the whole file with a
list of row-numbered messages, so nothing is ever half imported. A row whose first and last name
match an existing participant of the centre updates that participant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..labels import TAG, slot_label
from ..models import SLOT_KEYS, Centre, Participant, TaskType
from ..xlsx import new_workbook, sheet, table, to_bytes
from ..xlsx_upload import UploadRefused, cell_text, read_rows
from .services import ParticipantData, save_participant

YES = {"x", "k", "kyllä", "kylla", "1", "yes", "y", "ja", "true", "tosi"}
NO = {"", "ei", "0", "no", "n", "nej", "false", "epätosi", "-"}
MAX_ROWS = 1000


def header() -> list[str]:
    return ([_("Etunimi"), _("Sukunimi")] + [slot_label(k) for k in SLOT_KEYS]
            + [_("Osaa"), _("Välttää"), _("Mieluisat"), _("Epämieluisat"), _("Tuen tarve"),
               _("Työtahti %"), _("Tarvitsee rutiinia")])


def participants_template(centre: Centre) -> bytes:
    """The import template, with the centre's task types listed on a second sheet."""
    workbook = new_workbook()
    example = (["Aino", "Esimerkki"] + ["x" if k.endswith("am") else "" for k in SLOT_KEYS]
               + [", ".join(k.name for k in centre.task_types[:2]), "", "", "", 1, 80, "ei"])
    table(sheet(workbook, _("Asiakkaat")), header(), [example])
    table(sheet(workbook, _("Tehtävät")), [_("Tehtävä"), _("Tunnus"), _("Työtila")],
          [[k.name, k.code, k.area.name] for k in centre.task_types])
    return to_bytes(workbook)


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0


def import_participants(centre: Centre, data: bytes) -> ImportResult:
    """Check every row, then save all of them (the caller commits) or none."""
    result = ImportResult()
    try:
        rows = _rows(data)
    except UploadRefused as refused:
        result.errors.append(refused.message)
        return result
    reader = _RowReader(centre)
    parsed = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        person = reader.read(number, row)
        key = (person.first_name.lower(), person.last_name.lower())
        if person.first_name and key in seen:
            reader.error(number, _("sama nimi kuin rivillä %(row)d", row=seen[key]))
        seen[key] = number
        parsed.append(person)
    if not parsed and not reader.errors:
        reader.errors.append(_("Taulukossa ei ole yhtään asiakasta."))
    if reader.errors:
        result.errors = reader.errors
        return result
    existing = {(p.first_name.lower(), p.last_name.lower()): p for p in db.session.scalars(
        select(Participant).where(Participant.centre_id == centre.id))}
    for person in parsed:
        match = existing.get((person.first_name.lower(), person.last_name.lower()))
        save_participant(match, person)
        result.updated += match is not None
        result.created += match is None
    return result


def _rows(data: bytes) -> list[tuple[int, list[str]]]:
    rows = read_rows(data, header, MAX_ROWS)
    return [(number, [cell_text(c) for c in cells]) for number, cells in rows]


class _RowReader:
    def __init__(self, centre: Centre):
        self.centre = centre
        self.errors: list[str] = []
        self.kinds: dict[str, TaskType] = {}
        for kind in centre.task_types:
            self.kinds[kind.code.lower()] = kind
            self.kinds[kind.name.lower()] = kind
        self.tags = {code: code for code in TAG} | {str(label).lower(): code
                                                    for code, label in TAG.items()}
        for kind in centre.task_types:
            self.tags.update({t: t for t in kind.tags})

    def error(self, row: int, message: str) -> None:
        self.errors.append(_("Rivi %(row)d: %(message)s", row=row, message=message))

    def read(self, row: int, cells: list[str]) -> ParticipantData:
        first, last = cells[0], cells[1]
        if not first:
            self.error(row, _("etunimi puuttuu"))
        if len(first) > 80 or len(last) > 80:
            self.error(row, _("nimi on liian pitkä"))
        marks = cells[2:12]
        attends = [k for k, mark in zip(SLOT_KEYS, marks, strict=True) if self._yes(row, mark, k)]
        skills, avoid, likes, dislikes = (cells[12], cells[13], cells[14], cells[15])
        liked = self._kinds(row, likes)
        disliked = self._kinds(row, dislikes)
        if set(liked) & set(disliked):
            self.error(row, _("sama tehtävä sekä mieluisa että epämieluisa"))
        return ParticipantData(
            first_name=first[:80], last_name=last[:80], centre_id=self.centre.id,
            attends=attends, skill_ids=self._kinds(row, skills),
            avoid_tags=self._tags(row, avoid), liked_ids=liked, disliked_ids=disliked,
            needs_routine=self._yes(row, cells[18], _("Tarvitsee rutiinia")),
            support_points=self._number(row, cells[16], _("Tuen tarve"), 0, 50, 0),
            productivity=self._number(row, cells[17], _("Työtahti %"), 1, 200, 100),
            notes="")

    def _yes(self, row: int, mark: str, column: str) -> bool:
        value = mark.lower()
        if value in YES:
            return True
        if value not in NO:
            label = slot_label(column) if column in SLOT_KEYS else column
            self.error(row, _('sarakkeessa "%(col)s" pitää olla x tai tyhjä, ei "%(value)s"',
                              col=label, value=mark[:40]))
        return False

    def _kinds(self, row: int, text: str) -> list[int]:
        found = []
        for name in _items(text):
            kind = self.kinds.get(name.lower())
            if kind is None:
                self.error(row, _('tuntematon tehtävä "%(name)s"', name=name[:40]))
            elif kind.id not in found:
                found.append(kind.id)
        return found

    def _tags(self, row: int, text: str) -> list[str]:
        found = []
        for name in _items(text):
            tag = self.tags.get(name.lower())
            if tag is None:
                self.error(row, _('tuntematon piirre "%(name)s"', name=name[:40]))
            else:
                found.append(tag)
        return found

    def _number(self, row: int, text: str, column: str, low: int, high: int,
                default: int) -> int:
        if text == "":
            return default
        try:
            number = float(text.replace(",", "."))
            if not math.isfinite(number) or number != int(number):
                raise ValueError(text)
            value = int(number)
        except ValueError:
            self.error(row, _('sarakkeessa "%(col)s" pitää olla luku, ei "%(value)s"',
                              col=column, value=text[:40]))
            return default
        if not low <= value <= high:
            self.error(row, _('sarakkeessa "%(col)s" luvun pitää olla %(low)d–%(high)d',
                              col=column, low=low, high=high))
        return value


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
