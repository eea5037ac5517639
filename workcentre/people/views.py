from flask import render_template
from flask_login import current_user

from ..centres import visible_centres
from ..extensions import db
from ..models import Participant
from ..security import staff_only
from . import bp
from .services import participants_of, read_support


@bp.route("/")
@staff_only
def index():
    """The participants of the centres the instructor works in."""
    centres = visible_centres(current_user)
    people = participants_of([c.id for c in centres])
    return render_template("people/index.html", people=people, centres=centres)


@bp.route("/<int:participant_id>")
@staff_only
def detail(participant_id: int):
    """One participant, with support needs and productivity (the view is audit-logged)."""
    participant = db.get_or_404(Participant, participant_id)
    if participant.centre_id not in {c.id for c in visible_centres(current_user)}:
        return render_template("errors/error.html", code=404), 404
    support = read_support(participant, current_user.role)
    return render_template("people/detail.html", participant=participant, support=support)
