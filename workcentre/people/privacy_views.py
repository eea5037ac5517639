"""One person's data: download it (access request), erase it, record or withdraw photo consent.
The work is in workcentre.privacy; see docs/privacy.md."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import participant_or_403
from ..clock import today
from ..extensions import db, personal_data_limit
from ..models import Participant, Role
from ..privacy.consent import record_consent, withdraw_consent
from ..privacy.erasure import ErasureFailed, erase, pseudonym, work_ahead
from ..privacy.export import export_zip, file_name
from ..security import roles_required, staff_only
from . import bp
from .erased import erased_refusal
from .forms import ConfirmForm, ConsentForm, EraseForm


def _detail(participant: Participant, anchor: str = ""):
    return redirect(url_for("people.detail", participant_id=participant.id) + anchor)


@bp.route("/<int:participant_id>/export.zip")
@personal_data_limit
@staff_only
def export(participant_id: int):
    """Everything stored about the person, as one .zip (the export is audit-logged)."""
    participant = participant_or_403(participant_id)
    body = export_zip(participant)
    db.session.commit()
    return Response(body, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{file_name(participant)}"'})


@bp.route("/<int:participant_id>/erase", methods=["GET", "POST"])
@personal_data_limit
@roles_required(Role.ADMIN)
def erase_person(participant_id: int):
    """Poista henkilötiedot: what goes and what stays, then the erasure."""
    participant = participant_or_403(participant_id)
    if participant.erased_at is not None:
        flash(_("Henkilötiedot on jo poistettu."), "info")
        return _detail(participant)
    ahead = work_ahead(participant)
    form = EraseForm()
    if form.validate_on_submit():
        if ahead and not form.remove_from_plan.data:
            form.remove_from_plan.errors = [_(
                "Hänellä on työtä tämän viikon julkaistussa suunnitelmassa. Vahvista, että hänet "
                "merkitään poissaolevaksi viikon loppuun.")]
        else:
            try:
                erase(participant)
            except ErasureFailed as failed:
                flash(failed.message, "error")
                return render_template("privacy/erase.html", participant=participant,
                                       form=form, ahead=ahead,
                                       pseudonym=pseudonym(participant.id))
            flash(_("Henkilötiedot poistettu. Hän näkyy nyt nimellä %(name)s.",
                    name=pseudonym(participant.id)), "info")
            return _detail(participant)
    return render_template("privacy/erase.html", participant=participant, form=form,
                           ahead=ahead, pseudonym=pseudonym(participant.id))


@bp.route("/<int:participant_id>/consent", methods=["POST"])
@staff_only
def consent(participant_id: int):
    participant = participant_or_403(participant_id)
    if (refused := erased_refusal(participant)) is not None:
        return refused
    form = ConsentForm()
    if form.validate_on_submit():
        record_consent(participant, form.uses.data, by_user_id=current_user.id, on=today())
        db.session.commit()
        flash(_("Kuvalupa kirjattu."), "info")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return _detail(participant, "#photo")


@bp.route("/<int:participant_id>/consent/withdraw", methods=["POST"])
@staff_only
def withdraw(participant_id: int):
    participant = participant_or_403(participant_id)
    if ConfirmForm().validate_on_submit():
        try:
            withdraw_consent(participant)
        except ErasureFailed as failed:
            flash(failed.message, "error")
        else:
            flash(_("Kuvalupa peruttu ja kuva poistettu."), "info")
    return _detail(participant, "#photo")
