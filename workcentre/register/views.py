"""The register's pages: today's half-day, one tap per person, and the re-plan an absence offers."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..access import centre_or_404, past_day_or_404
from ..centres import visible_centres
from ..clock import now_local
from ..extensions import db
from ..labels import weekday_date
from ..models import HALVES, Participant
from ..planning.runs import RunRefused
from ..security import staff_only
from . import bp, replan, services
from .services import MarkInput, MarkRefused


@bp.route("/")
@staff_only
def index():
    centres = visible_centres(current_user)
    if not centres:
        return render_template("register/no_centre.html")
    return redirect(url_for("register.sheet", centre_id=centres[0].id))


@bp.route("/<int:centre_id>")
@staff_only
def sheet(centre_id: int):
    centre = centre_or_404(current_user, centre_id)
    now = now_local()
    day = past_day_or_404(request.args.get("day"))
    half = request.args.get("half") or services.current_half(centre, now)
    if half not in HALVES:
        abort(404)
    return render_template(
        "register/sheet.html", centre=centre, centres=visible_centres(current_user),
        sheet=services.sheet(centre, day, half), today=now.date(),
        offer=replan.offer(centre, day, now), form=FlaskForm(),
        weekday_date=weekday_date)


@bp.route("/<int:centre_id>/<day>/<half>/<int:participant_id>", methods=["POST"])
@staff_only
def mark(centre_id: int, day: str, half: str, participant_id: int):
    centre = centre_or_404(current_user, centre_id)
    when = past_day_or_404(day)
    person = db.session.get(Participant, participant_id)
    if half not in HALVES or person is None or person.centre_id != centre.id:
        abort(404)
    back = url_for("register.sheet", centre_id=centre.id, day=when.isoformat(), half=half,
                   _anchor=f"p{person.id}")
    if not FlaskForm().validate_on_submit():
        flash(_("Lomake vanheni. Yritä uudelleen."), "error")
        return redirect(back)
    if not services.expected(centre, person, when, half):
        flash(_("%(name)s ei ole tämän vuoron listalla.", name=person.first_name), "error")
        return redirect(back)
    form = request.form
    try:
        data = services.checked(MarkInput(
            form.get("status", ""), form.get("reason_code", ""), form.get("reason_text", ""),
            form.get("arrived_at")), now_local())
    except MarkRefused as refused:
        flash(str(refused), "error")
        return redirect(back)
    halves = [half]
    if data.status == "absent":
        halves = services.halves_to_mark(centre, person, when, half,
                                         form.get("whole_day") == "1")
    for each in halves:
        services.mark(person, when, each, data, current_user)
    db.session.commit()
    flash(_mark_words(person, data, halves), "info")
    if data.status == "absent" and replan.offer(centre, when, now_local()) is not None:
        # The offer sits above the list: show it rather than the row.
        back = url_for("register.sheet", centre_id=centre.id, day=when.isoformat(), half=half,
                       _anchor="offer")
    return redirect(back)


def _mark_words(person: Participant, data: MarkInput, halves: list[str]) -> str:
    if data.status == "present":
        return _("%(name)s: paikalla.", name=person.first_name)
    if data.status == "late":
        return _("%(name)s: tuli myöhässä klo %(time)s.", name=person.first_name,
                 time=data.arrived_at)
    if len(halves) > 1:
        return _("%(name)s: poissa koko päivän.", name=person.first_name)
    return _("%(name)s: poissa.", name=person.first_name)


@bp.route("/<int:centre_id>/replan", methods=["POST"])
@staff_only
def start_replan(centre_id: int):
    """Start the re-plan that today's absences offer; the week page follows it."""
    centre = centre_or_404(current_user, centre_id)
    now = now_local()
    offer = replan.offer(centre, now.date(), now)
    if not FlaskForm().validate_on_submit() or offer is None:
        flash(_("Uudelleensuunnittelua ei tarvita: poissa olevilla ei ole enää työtä tänään."),
              "info")
        return redirect(url_for("register.sheet", centre_id=centre.id))
    try:
        replan.start(centre, offer, current_user, current_app._get_current_object())
    except RunRefused as refused:
        if str(refused) == "busy":
            flash(_("Suunnitelmaa tehdään jo. Odota, että se valmistuu."), "error")
        else:
            flash(_("Päivän puolipäivät ovat jo alkaneet: alkanutta työtä ei suunnitella "
                    "uudelleen."), "error")
        return redirect(url_for("register.sheet", centre_id=centre.id))
    flash(_("Loppupäivän suunnittelu alkoi. Tarkista uusi suunnitelma ja julkaise se, niin "
            "tabletit näyttävät sen."), "info")
    return redirect(url_for("planning.week", centre_id=centre.id, week=offer.week))
