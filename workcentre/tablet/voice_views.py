"""The participant's own voice on the tablet: "Miltä tuntui?" after Valmis, "Haluaisin
kokeilla…" and "Ensi viikolla". Always the chosen person's own: a tablet shows and takes nobody
else's answers."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ..clock import today
from ..extensions import db
from ..models import ProgressReport, TaskType
from ..voice.feelings import AnswerRefused, save_feeling
from ..voice.next_week import next_week
from ..voice.wishes import WishRefused, offered, set_wish, wishes_of
from . import bp
from .views import _chosen, _kind_of, kiosk_only


def _own_report(key: str) -> ProgressReport:
    """The chosen person's report made on this tablet, or 404."""
    report = db.session.scalars(
        db.select(ProgressReport).where(ProgressReport.idempotency_key == key)).first()
    person = _chosen()
    if report is None or report.kiosk_id != current_user.id or person is None \
            or person.id != report.participant_id:
        abort(404)
    return report


@bp.route("/done/<key>/feeling", methods=["POST"])
@kiosk_only
def feeling(key: str):
    """One face for the task just reported; tapped again or changed, still one answer a day."""
    report = _own_report(key)
    person = _chosen()
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("tablet.done", key=key))
    try:
        save_feeling(person, _kind_of(report), report.day,
                     request.form.get("feeling", ""), current_user.id, today())
    except AnswerRefused:
        db.session.rollback()
        return redirect(url_for("tablet.done", key=key, felt="no"))
    db.session.commit()
    return redirect(url_for("tablet.done", key=key, felt="yes"))


@bp.route("/wishes", methods=["GET", "POST"])
@kiosk_only
def wishes():
    """Pictures of the centre's task types; a tap wishes, a tap on a wished one withdraws."""
    person = _chosen()
    if person is None:
        return redirect(url_for("tablet.index"))
    form = FlaskForm()
    if request.method == "POST":
        kind = db.session.get(TaskType, request.form.get("task_type", type=int) or 0)
        want = request.form.get("want")
        # The page names whose wishes it shows: the previous person's page, still on the
        # screen or brought back, saves nothing for the one chosen now.
        theirs = request.form.get("person", type=int, default=person.id) == person.id
        if form.validate_on_submit() and kind is not None and want in ("0", "1") and theirs:
            try:
                set_wish(person, kind, want == "1")
                db.session.commit()
            except WishRefused:
                db.session.rollback()
                abort(404)
        return redirect(url_for("tablet.wishes"))
    wished = {w.task_type_id for w in wishes_of(person.id)}
    return render_template("tablet/wishes.html", person=person, form=form,
                           kinds=offered(person), wished=wished)


@bp.route("/next-week")
@kiosk_only
def next_week_page():
    """Next week's published days in pictures, or a calm "not ready yet"."""
    person = _chosen()
    if person is None:
        return redirect(url_for("tablet.index"))
    week, days = next_week(person, today())
    return render_template("tablet/next_week.html", person=person, week=week, days=days)
