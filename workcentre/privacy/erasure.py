"""Erasure that keeps the history: the person's data goes, a stable pseudonym stays.

Orders, units, plans and the month's attendance keep their rows (they are the centre's record
of work done), but every row about the person loses what identifies them or describes their
health: name, photo, picture code, support needs, pace, skills, likes, free-text reasons.
`RULES` says, for every table that references a participant, what erasure does to it; the data
map test fails for a table that has no rule, and for a text column a rule neither clears nor
keeps on purpose.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import undefer

from .. import audit
from ..clock import now_local
from ..closures import public_holiday
from ..extensions import db
from ..locks import hold
from ..models import Absence, Assignment, Participant, WeekPlan, utcnow
from ..photos import delete_photo, photo_dir
from ..planning import runs, store
from ..planning.services import participant_key
from ..weeks import iso_week, week_slots
from .datamap import PARTICIPANT_TABLE, participant_tables, referencing_columns


def pseudonym(participant_id: int) -> str:
    """The name an erased person is shown by: stable, the same in every plan and report."""
    return f"Osallistuja {participant_id}"


@dataclass(frozen=True)
class Rule:
    """What erasure does to one table's rows about the person: delete them, or clear the
    columns in `clear` (to the value given). `keep` names the text columns that stay on purpose
    (codes, keys, plan JSON without names): the map test wants every text column in one."""

    delete: bool = False
    clear: dict = field(default_factory=dict)
    keep: frozenset[str] = frozenset()


RULES: dict[str, Rule] = {
    # The participant's own row: the columns erasure clears (first_name gets the pseudonym).
    PARTICIPANT_TABLE: Rule(
        clear={"last_name": "", "avoid_tags": [], "needs_routine": False, "photo_path": None,
               "picture_pin": [], "tablet_language": None, "symbol": "",
               "photo_consent_on": None, "photo_consent_use": "", "photo_consent_by_id": None},
        keep=frozenset({"first_name", "attends"})),
    "participant_support": Rule(delete=True),
    "participant_skill": Rule(delete=True),
    "preference": Rule(delete=True),
    "pin_guard": Rule(delete=True),
    "absence": Rule(clear={"reason": ""}, keep=frozenset({"half"})),
    # reason_code ("sairas"/"muu") stays: the month's attendance counts absences by it.
    "register_mark": Rule(clear={"reason_text": ""},
                          keep=frozenset({"half", "status", "reason_code", "arrived_at"})),
    "assignment": Rule(keep=frozenset({"half"})),
    "progress_report": Rule(keep=frozenset({"idempotency_key", "half"})),
    "help_request": Rule(),
    "units_check": Rule(),
    "plan_edit": Rule(keep=frozenset({"week", "slot", "step", "state", "base", "after",
                                      "before", "proposal", "moves"})),
    # What the person said about their work is theirs: it goes with them.
    "task_feeling": Rule(delete=True),
    "task_wish": Rule(delete=True),
    "training_goal": Rule(delete=True),
    # Pace decisions are health data; standard-time decisions (product rows) are not touched.
    "learning_decision": Rule(delete=True),
}


class ErasureFailed(Exception):
    """Nothing was erased; `message` says why, in Finnish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyErased(ErasureFailed):
    """The person was erased already (perhaps a moment ago, by another admin or run)."""


def work_ahead(participant: Participant, now: datetime | None = None) -> list[Assignment]:
    """The person's rows on this week's published plan in half-days that have not begun."""
    now = now or now_local()
    week = iso_week(now.date())
    plan = store.published_plan(participant.centre, week)
    first = runs.first_open_slot(participant.centre, week, now)
    if plan is None or first is None:
        return []
    keys = [s.key for s in week_slots(week)]
    ahead = set(keys[keys.index(first):])
    return [a for a in plan.assignments
            if a.participant_id == participant.id and store.slot_key(a) in ahead]


def _absent_for_rest_of_week(participant: Participant, now: datetime) -> int:
    """Absences from the first half-day not begun to the week's end, as an instructor would
    mark them (half-days already marked are left as they are)."""
    week = iso_week(now.date())
    first = runs.first_open_slot(participant.centre, week, now)
    if first is None:
        return 0
    slots = week_slots(week)
    start = [s.key for s in slots].index(first)
    marked = {(a.day, a.half) for a in participant.absences}
    added = 0
    for slot in slots[start:]:
        if public_holiday(slot.day) or (slot.day, None) in marked \
                or (slot.day, slot.half) in marked:
            continue
        db.session.add(Absence(participant_id=participant.id, day=slot.day, half=slot.half,
                               reason=""))
        added += 1
    return added


def _scrub_tables(participant_id: int) -> None:
    for name, table in participant_tables().items():
        rule = RULES[name]
        where = or_(*(c == participant_id for c in referencing_columns(table, PARTICIPANT_TABLE)))
        if rule.delete:
            db.session.execute(delete(table).where(where))
        elif rule.clear:
            db.session.execute(update(table).where(where).values(**rule.clear))


# What a stored instance keeps of an erased person: neutral values, the plan still checks.
NEUTRAL = {"productivity": 100, "support_points": 0, "avoid_tags": [], "prefers": [],
           "dislikes": [], "needs_routine": False}


def _scrub_instances(participant: Participant) -> None:
    """The person's pace and support data in the stored plan instances of their centre."""
    key = participant_key(participant.id)
    for plan in db.session.scalars(select(WeekPlan).where(
            WeekPlan.centre_id == participant.centre_id, WeekPlan.instance.is_not(None))
            .options(undefer(WeekPlan.instance))):
        people = (plan.instance or {}).get("participants", [])
        if not any(p.get("id") == key for p in people):
            continue
        plan.instance = {**plan.instance, "participants": [
            {**p, **NEUTRAL} if p.get("id") == key else p for p in people]}


def _check_uploads_writable(participant: Participant) -> None:
    if participant.photo_path and not os.access(photo_dir(), os.W_OK | os.X_OK):
        raise ErasureFailed(_("Kuvakansioon ei voi kirjoittaa, joten kuvaa ei voi poistaa. "
                              "Mitään ei poistettu. Pyydä ylläpitäjää korjaamaan kansion "
                              "oikeudet ja yritä uudelleen."))


def erase(participant: Participant, *, now: datetime | None = None,
          absent_rest_of_week: bool = True) -> None:
    """Erase the person's data and commit. The photo file goes last before the commit: if it
    cannot be removed, the database is rolled back and ErasureFailed says so. Two erasures at
    once (two admins, an admin and the retention run) erase once: the person's row is held and
    read again first, so the later one finds it erased."""
    hold(Participant, Participant.id == participant.id)
    db.session.refresh(participant)
    if participant.erased_at is not None:
        db.session.rollback()
        raise AlreadyErased(_("Henkilötiedot on jo poistettu."))
    _check_uploads_writable(participant)
    now = now or now_local()
    photo = participant.photo_path
    if absent_rest_of_week and work_ahead(participant, now):
        _absent_for_rest_of_week(participant, now)
    db.session.flush()
    participant_id = participant.id
    _scrub_tables(participant_id)
    _scrub_instances(participant)
    db.session.expire(participant)
    participant.first_name = pseudonym(participant_id)
    for column, value in RULES[PARTICIPANT_TABLE].clear.items():
        setattr(participant, column, value)
    # No longer taking part: with the picture code gone, an active person's tile would open the
    # tablet without one, and the register and the planner would go on listing them.
    participant.active = False
    participant.left_on = participant.left_on or now.date()
    participant.erased_at = utcnow()
    audit.record(db.session, "erase", "participant", participant_id,
                 participant_id=participant_id)
    try:
        db.session.flush()
        delete_photo(photo)
    except OSError as error:
        db.session.rollback()
        raise ErasureFailed(_("Kuvaa ei voitu poistaa (%(error)s). Mitään ei poistettu.",
                              error=error.strerror or error)) from error
    db.session.commit()

