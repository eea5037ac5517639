"""The instructors' side of the tablets: units to check, picture codes to open."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..access import centre_item_or_404, centre_or_404
from ..audit import record
from ..extensions import db
from ..models import Participant, UnitsCheck
from ..security import staff_only
from . import bp
from .checks import decide, waiting_checks
from .guard import locked_people, reset_code


@bp.route("/checks/<int:centre_id>")
@staff_only
def checks(centre_id: int):
    """Units to check and picture codes that wait, for the centre's instructors."""
    centre = centre_or_404(current_user, centre_id)
    return render_template("tablet/checks.html", centre=centre, checks=waiting_checks(centre.id),
                           locked=locked_people(centre.id), form=FlaskForm())


@bp.route("/checks/<int:centre_id>/<int:check_id>", methods=["POST"])
@staff_only
def decide_check(centre_id: int, check_id: int):
    centre = centre_or_404(current_user, centre_id)
    check = db.session.get(UnitsCheck, check_id)
    if check is None or check.participant.centre_id != centre.id:
        abort(404)
    decision = request.form.get("decision")
    if FlaskForm().validate_on_submit() and decision in ("confirm", "reject"):
        if decide(check, current_user, decision == "confirm"):
            db.session.commit()
            flash(_("Kirjattu.") if decision == "confirm" else _("Hylätty."), "info")
        else:
            flash(_("Tämä oli jo käsitelty."), "info")
    return redirect(url_for("tablet.checks", centre_id=centre.id))


@bp.route("/checks/<int:centre_id>/pin/<int:participant_id>/reset", methods=["POST"])
@staff_only
def reset_pin(centre_id: int, participant_id: int):
    centre = centre_or_404(current_user, centre_id)
    person = centre_item_or_404(Participant, participant_id, centre)
    if FlaskForm().validate_on_submit():
        reset_code(person.id)
        record(db.session, "picture_code_opened", "participant", person.id,
               participant_id=person.id)
        db.session.commit()
        flash(_("Kuvakoodi avattu: %(name)s.", name=person.first_name), "info")
    return redirect(url_for("tablet.checks", centre_id=centre.id))
