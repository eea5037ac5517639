"""Participants' data; health-related fields only through `read_support`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Participant, ParticipantSupport, Role


class NotAllowed(Exception):
    """The caller's role may not read this data."""


@dataclass(frozen=True)
class SupportView:
    support_points: int
    productivity: int
    notes: str


STAFF_ROLES = (Role.INSTRUCTOR, Role.ADMIN)


def read_support(participant: Participant, viewer_role: str) -> SupportView:
    """Support points, productivity and notes of one participant; the view is audit-logged."""
    if viewer_role not in STAFF_ROLES:
        raise NotAllowed(viewer_role)
    row = db.session.get(ParticipantSupport, participant.id)
    audit.record(db.session, "view_support", "participant", participant.id,
                 participant_id=participant.id)
    db.session.commit()
    if row is None:
        return SupportView(support_points=0, productivity=100, notes="")
    return SupportView(row.support_points, row.productivity, row.notes)


def set_support(participant: Participant, *, support_points: int, productivity: int,
                notes: str = "") -> None:
    """Create or change a participant's support data (the flush writes the audit event)."""
    row = db.session.get(ParticipantSupport, participant.id)
    if row is None:
        row = ParticipantSupport(participant_id=participant.id)
        db.session.add(row)
    row.support_points = support_points
    row.productivity = productivity
    row.notes = notes


def participants_of(centre_ids: list[int]) -> list[Participant]:
    query = (select(Participant)
             .where(Participant.centre_id.in_(centre_ids), Participant.active.is_(True))
             .order_by(Participant.first_name, Participant.last_name))
    return list(db.session.scalars(query))
