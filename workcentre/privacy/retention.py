"""Retention: people who left long enough ago are anonymised, old audit events purged.

`due` is the dry run (the command without --apply, and the admin page); `apply` erases the due
people and purges the audit log. The purge is the one statement the append-only audit log lets
through (models/audit.py, RETENTION_PURGE).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from sqlalchemy import delete, func, select

from .. import audit
from ..extensions import db
from ..models import AuditEvent, Centre, Participant
from ..models.audit import RETENTION_PURGE
from .erasure import AlreadyErased, erase

DEFAULT_AUDIT_MONTHS = 24


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due(centre: Centre, today: date) -> list[Participant]:
    """The centre's people who left on or before the retention cut-off and are not erased."""
    cutoff = months_before(today, centre.retention_months)
    return list(db.session.scalars(select(Participant).where(
        Participant.centre_id == centre.id, Participant.active.is_(False),
        Participant.erased_at.is_(None), Participant.left_on <= cutoff)
        .order_by(Participant.left_on, Participant.id)))


def audit_cutoff(today: date) -> datetime:
    """Audit events before this moment are past every centre's audit period (the longest)."""
    months = db.session.scalar(select(func.max(Centre.audit_retention_months)))
    return datetime.combine(months_before(today, months or DEFAULT_AUDIT_MONTHS), time())


def audit_due(today: date) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.at < audit_cutoff(today))) or 0


def purge_audit(today: date) -> int:
    """Delete the audit events past the audit period, log the purge, commit; the count."""
    cutoff = audit_cutoff(today)
    result = db.session.execute(delete(AuditEvent).where(AuditEvent.at < cutoff)
                                .execution_options(**{RETENTION_PURGE: True}))
    audit.record(db.session, "purge_audit", "audit_event", cutoff.date().isoformat())
    db.session.commit()
    return result.rowcount or 0


def apply(centres: list[Centre], today: date) -> tuple[list[int], int]:
    """Erase everyone due in `centres`, then purge the audit log: (erased ids, events purged)."""
    erased = []
    for centre in centres:
        for participant in due(centre, today):
            try:
                erase(participant, absent_rest_of_week=False)
            except AlreadyErased:
                continue  # another run at the same moment got there first
            erased.append(participant.id)
    return erased, purge_audit(today)
