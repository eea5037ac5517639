"""Participants and their weekly attendance from an Excel sheet, all or nothing.

The sheet has one row per participant under a header row made of the template's columns
(`participants_template()`); a sheet may leave columns out. Every row is checked first; one bad
row refuses the whole file with a list of row-numbered messages, so nothing is ever half
imported. A row whose first and last name match a participant of the centre updates that
participant, and only in what the row says (see `import_participants`): importing a short list
again never clears skills, likes or support notes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..labels import TAG, slot_label, tag_label
from ..locks import hold
from ..models import SLOT_KEYS, Centre, Participant, ParticipantSupport, TaskType
from ..xlsx import new_workbook, sheet, table, to_bytes
from ..xlsx_upload import UploadRefused, cell_text, read_table
from .services import ParticipantData, save_participant

YES = {"x", "k", "kyllä", "kylla", "1", "yes", "y", "ja", "true", "tosi"}
NO = {"", "ei", "0", "no", "n", "nej", "false", "epätosi", "-"}
MAX_ROWS = 1000
CLEAR = "-"  # in a list cell: "-" alone empties the list, "-Name" takes Name away
# Template columns: names, ten slots, then these.
COL_SLOTS = 2
COL_SKILLS, COL_AVOID, COL_LIKES, COL_DISLIKES, COL_SUPPORT, COL_PACE, COL_ROUTINE = range(12, 19)


def header() -> list[str]:
    return ([_("Etunimi"), _("Sukunimi")] + [slot_label(k) for k in SLOT_KEYS]
            + [_("Osaa"), _("Välttää"), _("Mieluisat"), _("Epämieluisat"), _("Tuen tarve"),
               _("Työtahti %"), _("Tarvitsee rutiinia")])


def participants_template(centre: Centre) -> bytes:
    """The import template: the header to fill in, the centre's task types on a second sheet
    and an example row on a third (an untouched template imports nobody)."""
    workbook = new_workbook()
    example = (["Aino", "Esimerkki"] + ["x" if k.endswith("am") else "" for k in SLOT_KEYS]
               + [", ".join(k.name for k in centre.task_types[:2]), "", "", "", 1, 80, "ei"])
    table(sheet(workbook, _("Asiakkaat")), header(), [])
    table(sheet(workbook, _("Tehtävät")), [_("Tehtävä"), _("Tunnus"), _("Työtila")],
          [[k.name, k.code, k.area.name] for k in centre.task_types])
    table(sheet(workbook, _("Esimerkki")), header(), [example])
    return to_bytes(workbook)


@dataclass(frozen=True)
class ListEdit:
    """A list cell: "Tarrat, -Pakkaus" adds Tarrat and takes Pakkaus away; "-" alone first
    empties the list (so "-, Tarrat" makes it exactly Tarrat)."""

    clear: bool = False
    add: tuple = ()
    remove: tuple = ()

    def apply(self, old: list) -> list:
        base = [] if self.clear else [x for x in old if x not in self.remove]
        return base + [x for x in self.add if x not in base]


@dataclass(frozen=True)
class RowInput:
    """What one row says; None wherever it says nothing (column left out, or cell empty)."""

    first_name: str
    last_name: str
    attends: dict[str, bool] | None = None  # slot -> comes, for the slot cells filled in
    skill_ids: ListEdit | None = None
    avoid_tags: ListEdit | None = None
    liked_ids: ListEdit | None = None
    disliked_ids: ListEdit | None = None
    needs_routine: bool | None = None
    support_points: int | None = None
    productivity: int | None = None


@dataclass
class RowPlan:
    """What saving one row will do: the participant's data after it, and in words."""

    row: int
    name: str
    participant: Participant | None
    data: ParticipantData
    changes: list[str]
    shows_support: bool = False  # the changes tell support points or pace (a logged view)

    @property
    def summary(self) -> str:
        if self.participant is None:
            return _("%(name)s: uusi asiakas", name=self.name)
        if not self.changes:
            return _("%(name)s: ei muutoksia", name=self.name)
        return _("%(name)s: %(changes)s; ei muita muutoksia", name=self.name,
                 changes="; ".join(self.changes))


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def changed(self) -> int:
        return sum(1 for plan in self.plans if plan.participant and plan.changes)


def import_participants(centre: Centre, data: bytes, *, save: bool = True) -> ImportResult:
    """Check every row and work out what it changes; then save all of them (the caller
    commits) or none. With `save=False` nothing is saved: the plans are the preview.

    A row changes only what it says: a column the sheet leaves out and an empty cell leave the
    participant's data as it is. A slot cell says x (comes) or ei / - (does not come). A list
    cell adds the tasks or traits it names, takes away those written "-Name", and "-" alone
    empties the list first. Support notes are never in the sheet and never touched."""
    result = ImportResult()
    try:
        table = read_table(data, header, MAX_ROWS, required=(0, 1))
    except UploadRefused as refused:
        result.errors.append(refused.message)
        return result
    reader = _RowReader(centre, table.present)
    inputs: list[tuple[int, RowInput]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        row = reader.read(number, [cell_text(c) for c in cells])
        key = (row.first_name.lower(), row.last_name.lower())
        if row.first_name and key in seen:
            reader.error(number, _("sama nimi kuin rivillä %(row)d", row=seen[key]))
        seen[key] = number
        inputs.append((number, row))
    if not inputs and not reader.errors:
        reader.errors.append(_("Taulukossa ei ole yhtään asiakasta."))
    if save:  # two imports into the centre at the same moment: the second sees the first's
        hold(Centre, Centre.id == centre.id)
    if not reader.errors:
        result.plans = _plans(centre, inputs, reader)
    if reader.errors:
        result.errors = reader.errors
        result.plans = []
        return result
    if save:
        for plan in result.plans:
            save_participant(plan.participant, plan.data)
            result.updated += plan.participant is not None
            result.created += plan.participant is None
    return result


def _plans(centre: Centre, inputs: list[tuple[int, RowInput]],
           reader: _RowReader) -> list[RowPlan]:
    existing = {(p.first_name.lower(), p.last_name.lower()): p for p in db.session.scalars(
        select(Participant).where(Participant.centre_id == centre.id))}
    plans = []
    for number, row in inputs:
        match = existing.get((row.first_name.lower(), row.last_name.lower()))
        before = _current(match, centre) if match else _new(row, centre)
        after = _merge(before, row)
        if set(after.liked_ids) & set(after.disliked_ids):
            reader.error(number, _("sama tehtävä sekä mieluisa että epämieluisa"))
        name = f"{row.first_name} {row.last_name}".strip()
        changes = describe_changes(before, after, reader.kind_names) if match else []
        shows_support = match is not None and (
            (before.support_points, before.productivity) != (after.support_points,
                                                             after.productivity))
        plans.append(RowPlan(number, name, match, after, changes, shows_support))
    return plans


def _new(row: RowInput, centre: Centre) -> ParticipantData:
    return ParticipantData(
        first_name=row.first_name, last_name=row.last_name, centre_id=centre.id, attends=[],
        skill_ids=[], avoid_tags=[], liked_ids=[], disliked_ids=[], needs_routine=False,
        support_points=0, productivity=100, notes="")


def _current(person: Participant, centre: Centre) -> ParticipantData:
    support = db.session.get(ParticipantSupport, person.id)
    return ParticipantData(
        first_name=person.first_name, last_name=person.last_name, centre_id=centre.id,
        attends=list(person.attends), skill_ids=[k.id for k in person.skills],
        avoid_tags=list(person.avoid_tags),
        liked_ids=[p.task_type_id for p in person.preferences if p.likes],
        disliked_ids=[p.task_type_id for p in person.preferences if not p.likes],
        needs_routine=person.needs_routine,
        support_points=support.support_points if support else 0,
        productivity=support.productivity if support else 100,
        notes=support.notes if support else "", active=person.active)


def _merge(before: ParticipantData, row: RowInput) -> ParticipantData:
    attends = set(before.attends)
    for slot, comes in (row.attends or {}).items():
        (attends.add if comes else attends.discard)(slot)
    empty = ListEdit()
    likes, dislikes = row.liked_ids or empty, row.disliked_ids or empty
    # A task named as liked stops being disliked, and the other way round.
    liked = [i for i in (likes.apply(before.liked_ids)) if i not in dislikes.add]
    disliked = [i for i in dislikes.apply(before.disliked_ids) if i not in likes.add]

    def pick(new, old):
        return old if new is None else new

    return replace(
        before, attends=[k for k in SLOT_KEYS if k in attends],
        skill_ids=(row.skill_ids or empty).apply(before.skill_ids),
        avoid_tags=(row.avoid_tags or empty).apply(before.avoid_tags),
        liked_ids=liked, disliked_ids=disliked,
        needs_routine=pick(row.needs_routine, before.needs_routine),
        support_points=pick(row.support_points, before.support_points),
        productivity=pick(row.productivity, before.productivity))


def describe_changes(before: ParticipantData, after: ParticipantData,
                     kind_names: dict[int, str]) -> list[str]:
    """What saving `after` over `before` changes, in words for the instructor."""
    changes = []
    lists = [
        (_("viikkorytmi"), before.attends, after.attends, slot_label),
        (_("taidot"), before.skill_ids, after.skill_ids, kind_names.get),
        (_("vältettävät piirteet"), before.avoid_tags, after.avoid_tags, tag_label),
        (_("mieluisat"), before.liked_ids, after.liked_ids, kind_names.get),
        (_("epämieluisat"), before.disliked_ids, after.disliked_ids, kind_names.get),
    ]
    for label, old, new, name in lists:
        added = [str(name(x)) for x in new if x not in old]
        removed = [str(name(x)) for x in old if x not in new]
        if added or removed:
            changes.append(" ".join([label, *(f"+ {a}" for a in added),
                                     *(f"− {r}" for r in removed)]))
    yes_no = {True: _("kyllä"), False: _("ei")}
    if before.needs_routine != after.needs_routine:
        changes.append(_("tarvitsee rutiinia: %(old)s → %(new)s",
                         old=yes_no[before.needs_routine], new=yes_no[after.needs_routine]))
    if before.support_points != after.support_points:
        changes.append(_("tuen tarve %(old)d → %(new)d", old=before.support_points,
                         new=after.support_points))
    if before.productivity != after.productivity:
        changes.append(_("työtahti %(old)d %% → %(new)d %%", old=before.productivity,
                         new=after.productivity))
    return changes


class _RowReader:
    def __init__(self, centre: Centre, present: frozenset[int]):
        self.centre = centre
        self.present = present
        self.errors: list[str] = []
        self.kinds: dict[str, TaskType] = {}
        self.kind_names = {kind.id: kind.name for kind in centre.task_types}
        for kind in centre.task_types:
            self.kinds[kind.code.lower()] = kind
            self.kinds[kind.name.lower()] = kind
        self.tags = {code: code for code in TAG} | {str(label).lower(): code
                                                    for code, label in TAG.items()}
        for kind in centre.task_types:
            self.tags.update({t: t for t in kind.tags})

    def error(self, row: int, message: str) -> None:
        self.errors.append(_("Rivi %(row)d: %(message)s", row=row, message=message))

    def read(self, row: int, cells: list[str]) -> RowInput:
        first, last = cells[0], cells[1]
        if not first:
            self.error(row, _("etunimi puuttuu"))
        if len(first) > 80 or len(last) > 80:
            self.error(row, _("nimi on liian pitkä"))
        liked = self._kinds(row, cells[COL_LIKES])
        disliked = self._kinds(row, cells[COL_DISLIKES])
        if liked and disliked and set(liked.add) & set(disliked.add):
            self.error(row, _("sama tehtävä sekä mieluisa että epämieluisa"))
        routine = cells[COL_ROUTINE]
        return RowInput(
            first_name=first[:80], last_name=last[:80], attends=self._week(row, cells),
            skill_ids=self._kinds(row, cells[COL_SKILLS]),
            avoid_tags=self._tags(row, cells[COL_AVOID]), liked_ids=liked,
            disliked_ids=disliked,
            needs_routine=self._yes(row, routine, _("Tarvitsee rutiinia")) if routine else None,
            support_points=self._number(row, cells[COL_SUPPORT], _("Tuen tarve"), 0, 50),
            productivity=self._number(row, cells[COL_PACE], _("Työtahti %"), 1, 200))

    def _week(self, row: int, cells: list[str]) -> dict[str, bool] | None:
        """x: comes; ei, - or 0: does not come; empty: as before (a new person: not)."""
        week = {key: self._yes(row, cells[COL_SLOTS + n], key)
                for n, key in enumerate(SLOT_KEYS)
                if COL_SLOTS + n in self.present and cells[COL_SLOTS + n]}
        return week or None

    def _yes(self, row: int, mark: str, column: str) -> bool:
        value = mark.lower()
        if value in YES:
            return True
        if value not in NO:
            label = slot_label(column) if column in SLOT_KEYS else column
            self.error(row, _('sarakkeessa "%(col)s" pitää olla x tai tyhjä, ei "%(value)s"',
                              col=label, value=mark[:40]))
        return False

    def _kinds(self, row: int, text: str) -> ListEdit | None:
        return self._edit(row, text, self.kinds, _('tuntematon tehtävä "%(name)s"'),
                          key=lambda kind: kind.id)

    def _tags(self, row: int, text: str) -> ListEdit | None:
        return self._edit(row, text, self.tags, _('tuntematon piirre "%(name)s"'))

    def _edit(self, row: int, text: str, known: dict, unknown: str,
              key=lambda item: item) -> ListEdit | None:
        if text == "":
            return None
        clear, add, remove = False, [], []
        for name in _items(text):
            if name == CLEAR:
                clear = True
                continue
            taken = name.startswith(CLEAR)
            item = known.get(name.removeprefix(CLEAR).strip().lower())
            if item is None:
                self.error(row, unknown % {"name": name.removeprefix(CLEAR).strip()[:40]})
            elif key(item) not in (remove if taken else add):
                (remove if taken else add).append(key(item))
        return ListEdit(clear, tuple(add), tuple(remove))

    def _number(self, row: int, text: str, column: str, low: int, high: int) -> int | None:
        if text == "":
            return None
        try:
            number = float(text.replace(",", "."))
            if not math.isfinite(number) or number != int(number):
                raise ValueError(text)
            value = int(number)
        except ValueError:
            self.error(row, _('sarakkeessa "%(col)s" pitää olla luku, ei "%(value)s"',
                              col=column, value=text[:40]))
            return None
        if not low <= value <= high:
            self.error(row, _('sarakkeessa "%(col)s" luvun pitää olla %(low)d–%(high)d',
                              col=column, low=low, high=high))
        return value


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
