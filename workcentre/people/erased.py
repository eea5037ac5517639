"""Erasure is final: what the person's pages answer to a change of an erased person's data.

A leaf module (flask and the models only), so the person's views and the privacy views can both
use it without importing each other."""

from flask import Response, flash, redirect, url_for
from flask_babel import gettext as _

from ..models import Participant


def erased_refusal(participant: Participant) -> Response | None:
    """For an erased person, the answer to any change of their data (so no name, photo or
    pace is typed back in by mistake); None for everyone else."""
    if participant.erased_at is None:
        return None
    flash(_("Henkilötiedot on poistettu: niitä ei voi enää muuttaa."), "error")
    return redirect(url_for("people.detail", participant_id=participant.id))
