from datetime import date

from flask import redirect, render_template, session, url_for
from flask_login import current_user, login_user
from flask_wtf import FlaskForm

from ..extensions import db
from ..models import Role
from ..security import roles_required
from . import bp
from .services import complete_enrolment, expected_today, pending_enrolment


@bp.route("/")
@roles_required(Role.KIOSK)
def index():
    """Who am I: a big tile for each person expected today (first names and photos only)."""
    people = expected_today(current_user.centre_id, date.today())
    return render_template("tablet/index.html", people=people)


@bp.route("/not-enrolled")
def not_enrolled():
    """What a tablet shows before it is enrolled, or after it has been revoked."""
    return render_template("tablet/not_enrolled.html")


@bp.route("/enroll/<token>", methods=["GET", "POST"])
def enroll(token: str):
    """Open a one-time enrolment link and turn this browser into a kiosk of the centre."""
    kiosk = pending_enrolment(token)
    if kiosk is None:
        return render_template("tablet/not_enrolled.html", link_used=True), 404
    form = FlaskForm()
    if form.validate_on_submit():
        complete_enrolment(kiosk)
        db.session.commit()
        session.clear()
        login_user(kiosk, remember=True)
        return redirect(url_for("tablet.index"))
    return render_template("tablet/enroll.html", kiosk=kiosk, form=form)
