"""Units a tablet could not book alone: an instructor confirms them (they count) or not."""

from __future__ import annotations

from sqlalchemy import select, update

from ..audit import record
from ..extensions import db
from ..models import OrderStep, Participant, ProgressReport, UnitsCheck, User, utcnow
from ..orders.services import add_units, lock_order


def waiting_checks(centre_id: int) -> list[UnitsCheck]:
    return list(db.session.scalars(
        select(UnitsCheck).join(Participant).where(Participant.centre_id == centre_id,
                                                   UnitsCheck.decided_at.is_(None))
        .order_by(UnitsCheck.created_at)))


def decide(check: UnitsCheck, user: User, confirm: bool) -> bool:
    """Confirm or reject once: a second click, or a second instructor at the same moment, finds
    it decided (False). Confirmed units are added to the report and the step's total.

    The order is held first, as a tablet's report and correction hold it, so that a correction
    at the same moment waits instead of deadlocking on the check's row."""
    step = db.session.get(OrderStep, check.step_id)
    status = lock_order(step.order_id)
    claimed = db.session.execute(
        update(UnitsCheck).where(UnitsCheck.id == check.id, UnitsCheck.decided_at.is_(None))
        .values(decided_at=utcnow(), decided_by_id=user.id, confirmed=confirm)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    if confirm:
        db.session.execute(update(ProgressReport).where(ProgressReport.id == check.report_id)
                           .values(units=ProgressReport.units + check.units)
                           .execution_options(synchronize_session=False))
        add_units(step, check.units, held=status)
    action = "tablet_units_confirmed" if confirm else "tablet_units_rejected"
    record(db.session, action, "units_check", check.id, participant_id=check.participant_id)
    return True
