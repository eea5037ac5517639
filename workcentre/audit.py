"""Writes the audit log: every change to audited rows, recorded at flush time, by whom.

The actor is set once per request (from the signed-in user or kiosk) or per CLI command, and every
flush that creates, changes or deletes an audited row appends one event per row. Nothing has to
remember to call the log, so nothing can forget to.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .models import (
    Absence,
    ActualCount,
    Area,
    Assignment,
    AuditEvent,
    Centre,
    ClosureDay,
    Company,
    Instructor,
    InstructorPlacement,
    Kiosk,
    LearningDecision,
    Order,
    OrderLine,
    OrderStep,
    Participant,
    ParticipantSupport,
    Preference,
    Product,
    TaskType,
    User,
    WeekPlan,
    utcnow,
)

AUDITED = (
    Absence, ActualCount, Area, Assignment, Centre, ClosureDay, Company, Instructor,
    InstructorPlacement, Kiosk, LearningDecision, Order,
    OrderLine, OrderStep, Participant, ParticipantSupport, Preference, Product, TaskType, User,
    WeekPlan,
)
# Never name these in the log: they are secrets, not facts about a change.
HIDDEN_FIELDS = {"password_hash", "session_token", "device_token", "enrol_token_hash"}


@dataclass(frozen=True)
class Actor:
    label: str
    user_id: int | None = None


SYSTEM = Actor("system")
_actor: ContextVar[Actor] = ContextVar("audit_actor", default=SYSTEM)


def set_actor(actor: Actor) -> None:
    _actor.set(actor)


def current_actor() -> Actor:
    return _actor.get()


def _participant_of(obj: object) -> int | None:
    if isinstance(obj, Participant):
        return obj.id
    return getattr(obj, "participant_id", None)


def _changed_fields(obj: object) -> list[str]:
    state = inspect(obj)
    fields = [
        attr.key for attr in state.attrs
        if attr.key not in HIDDEN_FIELDS and attr.history.has_changes()
    ]
    return sorted(fields)


def event_row(action: str, entity: str, entity_id: object, *, fields: list[str] | None = None,
              participant_id: int | None = None) -> dict:
    actor = current_actor()
    return {
        "at": utcnow(), "actor": actor.label, "user_id": actor.user_id, "action": action,
        "entity": entity, "entity_id": None if entity_id is None else str(entity_id),
        "fields": fields or [], "participant_id": participant_id,
    }


def record(session: Session, action: str, entity: str, entity_id: object, *,
           participant_id: int | None = None) -> None:
    """Append an event that is not a row change (a view of support data, a sign-in)."""
    session.execute(insert(AuditEvent), [event_row(action, entity, entity_id,
                                                   participant_id=participant_id)])


def _pending_changes(session: Session) -> list[tuple[str, object]]:
    changes: list[tuple[str, object]] = []
    changes += [("create", o) for o in session.new if isinstance(o, AUDITED)]
    changes += [("delete", o) for o in session.deleted if isinstance(o, AUDITED)]
    changes += [
        ("update", o) for o in session.dirty
        if isinstance(o, AUDITED) and session.is_modified(o, include_collections=True)
    ]
    return changes


def _entity_id(obj: object) -> object:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return key[0] if len(key) == 1 else "/".join(map(str, key))


def _collect(session: Session, flush_context, instances) -> None:  # noqa: ARG001
    pending = session.info.setdefault("audit_pending", [])
    for action, obj in _pending_changes(session):
        fields = _changed_fields(obj) if action == "update" else []
        if action == "update" and not fields:
            continue
        pending.append((action, obj, fields))


def _write(session: Session, flush_context) -> None:  # noqa: ARG001
    pending = session.info.pop("audit_pending", [])
    rows = [
        event_row(action, type(obj).__tablename__, _entity_id(obj), fields=fields,
                  participant_id=_participant_of(obj))
        for action, obj, fields in pending
    ]
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def _forget(session: Session) -> None:
    session.info.pop("audit_pending", None)


_HOOKS = (("before_flush", _collect), ("after_flush", _write), ("after_rollback", _forget))


def install(session_class: type[Session]) -> None:
    """Hook the recorder into every session of the app (once, however many apps are made)."""
    for name, hook in _HOOKS:
        if not event.contains(session_class, name, hook):
            event.listen(session_class, name, hook)
