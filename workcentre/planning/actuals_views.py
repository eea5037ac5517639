"""The page where an instructor confirms last week's actuals before planning this week."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ..access import centre_or_404, week_or_404
from ..security import staff_only
from . import actuals, bp


@bp.route("/<int:centre_id>/<week>/actuals", methods=["GET", "POST"])
@staff_only
def actuals_page(centre_id: int, week: str):
    """`week` is the week being planned; the figures are those of the week before it."""
    centre = centre_or_404(current_user, centre_id)
    week = week_or_404(week)
    last = actuals.previous_week(week)
    rows = actuals.actual_rows(centre, last)
    form = FlaskForm()
    errors: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        figures, errors = actuals.read_figures(request.form, rows)
        if not errors:
            try:
                changed = actuals.confirm(centre, last, figures, current_user)
            except actuals.ConfirmConflict:
                flash(_("Toinen ohjaaja vahvisti luvut juuri. Tarkista ne ja vahvista "
                        "uudelleen."), "error")
                return redirect(url_for("planning.actuals_page", centre_id=centre.id, week=week))
            flash(_("Toteuma vahvistettu (%(n)d lukua korjattu).", n=changed), "info")
            return redirect(url_for("planning.week", centre_id=centre.id, week=week))
    return render_template("planning/actuals.html", centre=centre, week=week, last=last,
                           rows=rows, form=form, errors=errors,
                           entered=request.form if errors else None)
