""""Miltä tuntui?": one answer per person, task type and day, changeable the same day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Participant, TaskFeeling, utcnow
from ..models.voice import FEELINGS
from ._upsert import delete_once, insert_missing

KEYS = ["participant_id", "task_type_id", "day"]


class AnswerRefused(ValueError):
    """Nothing was saved: an unknown face, a day that is over, or a person who has left or
    whose data was erased."""


def save_feeling(person: Participant, task_type_id: int, day: date, feeling: str,
                 kiosk_id: int | None, today: date) -> TaskFeeling:
    """Store the person's answer (or change today's); a second tap stores no second row.
    The caller commits."""
    if not person.active or person.erased_at is not None:
        raise AnswerRefused("person")
    if feeling not in FEELINGS:
        raise AnswerRefused("feeling")
    if day != today:
        raise AnswerRefused("day")
    now = utcnow()
    insert_missing(TaskFeeling, KEYS, participant_id=person.id, task_type_id=task_type_id,
                   day=day, feeling=feeling, kiosk_id=kiosk_id, answered_at=now)
    row = db.session.scalars(select(TaskFeeling).where(
        TaskFeeling.participant_id == person.id, TaskFeeling.task_type_id == task_type_id,
        TaskFeeling.day == day).with_for_update().execution_options(populate_existing=True)).one()
    if row.answered_at == now or row.feeling != feeling:  # new, or changed: one event each
        row.feeling, row.kiosk_id, row.answered_at = feeling, kiosk_id, now
        db.session.flush()
        audit.record(db.session, "voice_feeling", "task_feeling", row.id,
                     participant_id=person.id)
    return row


def feeling_of(person_id: int, task_type_id: int, day: date) -> str | None:
    return db.session.scalar(select(TaskFeeling.feeling).where(
        TaskFeeling.participant_id == person_id, TaskFeeling.task_type_id == task_type_id,
        TaskFeeling.day == day))


def recent_feelings(person_id: int, since: date) -> list[TaskFeeling]:
    """The person's answers from `since` on, newest first (for instructors and admins)."""
    return list(db.session.scalars(select(TaskFeeling).where(
        TaskFeeling.participant_id == person_id, TaskFeeling.day >= since)
        .order_by(TaskFeeling.day.desc(), TaskFeeling.answered_at.desc())))



def remove_feeling(feeling_id: int) -> bool:
    """An instructor removes an answer at the person's request (a correction); one removal and
    one event however many click at once. The caller commits."""
    return delete_once(TaskFeeling, feeling_id, "voice_feeling_removed", "task_feeling")
