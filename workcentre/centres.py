"""Which work centres a signed-in user works in."""

from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import Centre, Role


def visible_centres(user) -> list[Centre]:
    """Admins see every centre; instructors the centres they work in; others none."""
    if user.role == Role.ADMIN:
        return list(db.session.scalars(select(Centre).order_by(Centre.name)))
    if user.role == Role.INSTRUCTOR and user.instructor is not None:
        return sorted(user.instructor.centres, key=lambda c: c.name)
    return []
