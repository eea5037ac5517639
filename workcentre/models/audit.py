"""The append-only audit log: who changed or viewed what, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from ..extensions import db
from ._types import utcnow


class AuditEvent(db.Model):
    """One change to people, orders or plans, or one view of a participant's support data."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # "user:3", "kiosk:2", "cli", "system"
    actor: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int | None] = mapped_column(default=None, index=True)
    # create | update | delete | view_support | login | login_failed | logout | ...
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    # Which fields changed (names only: values of health data never enter the log).
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The participant the event concerns, so a client can ask who handled their data.
    participant_id: Mapped[int | None] = mapped_column(default=None, index=True)


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditLogIsAppendOnly("audit events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditLogIsAppendOnly("audit events cannot be deleted")


# The one statement allowed to delete audit events: the retention command's purge of events
# older than the centres' audit period (workcentre.privacy.retention.purge_audit).
RETENTION_PURGE = "audit_retention_purge"


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) != AuditEvent.__tablename__:
        return
    if state.is_delete and state.execution_options.get(RETENTION_PURGE):
        return
    raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
