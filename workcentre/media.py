"""Uploaded photos, served only to the staff and tablets of the photo's own centre."""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from flask_login import current_user
from sqlalchemy import select

from .centres import visible_centres
from .extensions import db
from .models import Participant, Role, TaskType
from .photos import is_photo_name, photo_dir
from .security import roles_required

bp = Blueprint("media", __name__)


def _owner_centre(name: str, kiosk: bool) -> int | None:
    """The centre whose photo this is; for a tablet, a person's photo only with consent."""
    for model in (Participant, TaskType):
        row = db.session.scalars(select(model).where(model.photo_path == name)).first()
        if row is None:
            continue
        if kiosk and isinstance(row, Participant) and not row.photo_allowed("tablet"):
            return None
        return row.centre_id
    return None


@bp.route("/photos/<name>")
@roles_required(Role.INSTRUCTOR, Role.ADMIN, Role.KIOSK)
def photo(name: str):
    if not is_photo_name(name):
        abort(404)
    centre_id = _owner_centre(name, current_user.role == Role.KIOSK)
    if current_user.role == Role.KIOSK:
        allowed = centre_id == current_user.centre_id
    else:
        allowed = centre_id in {c.id for c in visible_centres(current_user)}
    if centre_id is None or not allowed:
        abort(404)
    response = send_from_directory(photo_dir(), name, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
