"""The instructor's phone on the floor: the page, its live part (polled), and "Tulen"."""

from __future__ import annotations

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..access import centre_or_404
from ..clock import now_local, today
from ..extensions import db
from ..labels import HALF, weekday_date
from ..models import HelpRequest
from ..security import staff_only
from ..tablet.work import current_half
from ..weeks import iso_week
from . import bp
from .services import answer_call, floor_now, floor_stamp


def _moment(centre) -> tuple:
    return today(), current_half(centre, now_local())


def _etag(centre) -> str:
    day, half = _moment(centre)
    return f"{floor_stamp(centre.id, day, half)}-{get_locale()}"


def _live_context(centre) -> dict:
    day, half = _moment(centre)
    return {"floor": floor_now(centre, day, half), "day_label": weekday_date(day),
            "half_label": HALF[half], "week": iso_week(day)}


@bp.route("/<int:centre_id>")
@staff_only
def floor(centre_id: int):
    """Today's half-day on one page for a phone; the live part updates itself."""
    centre = centre_or_404(current_user, centre_id)
    return render_template("floor/floor.html", centre=centre, etag=_etag(centre),
                           **_live_context(centre))


@bp.route("/<int:centre_id>/live")
@staff_only
def live(centre_id: int):
    """The live part alone, for polling: 304 when nothing shown has changed."""
    centre = centre_or_404(current_user, centre_id)
    etag = _etag(centre)
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        response = make_response(render_template("floor/_live.html", centre=centre,
                                                 **_live_context(centre)))
    response.set_etag(etag)
    return response


@bp.route("/<int:centre_id>/calls/<int:call_id>/answer", methods=["POST"])
@staff_only
def answer(centre_id: int, call_id: int):
    """"Tulen": the call leaves every instructor's screen and the tablet shows "Ohjaaja tulee"."""
    centre = centre_or_404(current_user, centre_id)
    call = db.session.get(HelpRequest, call_id)
    if call is None or call.participant.centre_id != centre.id:
        abort(404)
    answered = answer_call(call, current_user)
    db.session.commit()
    message = _("Merkitty: olet menossa.") if answered else _("Joku on jo menossa.")
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=True, answered=answered, message=message)
    flash(message, "info")
    return redirect(url_for("floor.floor", centre_id=centre.id))
