"""Photo consent: a photo is shown on tablets or in print only for the uses recorded."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..extensions import db
from ..labels import CONSENT_USES
from ..models import Participant
from ..photos import delete_photo
from .erasure import ErasureFailed


def record_consent(participant: Participant, uses: list[str], *, by_user_id: int | None,
                   on: date) -> None:
    """Record the consent the person (or their guardian) gave. The caller commits."""
    participant.photo_consent_on = on
    participant.photo_consent_use = ",".join(u for u in CONSENT_USES if u in set(uses))
    participant.photo_consent_by_id = by_user_id


def withdraw_consent(participant: Participant) -> None:
    """Withdraw the consent: the photo file goes at once, and the database says so (committed).
    If the file cannot be removed, nothing changes and ErasureFailed says why."""
    photo = participant.photo_path
    participant.photo_consent_on = None
    participant.photo_consent_use = ""
    participant.photo_consent_by_id = None
    participant.photo_path = None
    try:
        db.session.flush()
        delete_photo(photo)
    except OSError as error:
        db.session.rollback()
        raise ErasureFailed(_("Kuvaa ei voitu poistaa (%(error)s). Lupa on yhä voimassa.",
                              error=error.strerror or error)) from error
    db.session.commit()
