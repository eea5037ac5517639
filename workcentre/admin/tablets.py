"""Tablets seen from the admin's side: every centre's kiosks, and taking them out of use.

A revoked kiosk is signed out at its next request (its login no longer loads), and its device
token changes so that no cookie it kept can bring it back.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Centre, Kiosk
from ..models.users import new_session_token
from ..tablet.services import revoke


def kiosks_by_centre() -> list[tuple[Centre, list[Kiosk]]]:
    """Every centre with its tablets, newest first; centres without tablets too."""
    centres = db.session.scalars(select(Centre).order_by(Centre.name)).all()
    kiosks = db.session.scalars(select(Kiosk).options(selectinload(Kiosk.centre))
                                .order_by(Kiosk.created_at.desc(), Kiosk.id.desc())).all()
    return [(c, [k for k in kiosks if k.centre_id == c.id]) for c in centres]


def revoke_kiosk(kiosk: Kiosk) -> bool:
    """Take one tablet out of use; False when it already was."""
    if kiosk.revoked_at is not None:
        return False
    revoke(kiosk)
    kiosk.device_token = new_session_token()
    return True


def revoke_centre(centre: Centre) -> int:
    """Take every tablet of the centre out of use; how many were still in use or waiting."""
    kiosks = db.session.scalars(select(Kiosk).where(Kiosk.centre_id == centre.id,
                                                    Kiosk.revoked_at.is_(None))).all()
    return sum(revoke_kiosk(k) for k in kiosks)
