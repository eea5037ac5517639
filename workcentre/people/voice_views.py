"""What an instructor does with a participant's wishes: a preference, a training goal, or noted;
and ending a training goal. Each is one click and an audit event; none changes the plan itself."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from ..access import participant_or_404
from ..extensions import db
from ..models import TaskFeeling, TaskWish, TrainingGoal
from ..models.voice import OUTCOMES
from ..security import staff_only
from ..voice.feelings import remove_feeling
from ..voice.wishes import decide, remove_goal
from . import bp

DONE = {
    "preference": _l("Toive lisätty mieluisiin töihin. Se otetaan huomioon seuraavassa "
                    "suunnittelussa."),
    "goal": _l("Toiveesta tehtiin harjoittelutavoite."),
    "noted": _l("Toive merkitty nähdyksi."),
}


def _back(participant_id: int):
    return redirect(url_for("people.detail", participant_id=participant_id) + "#voice")


@bp.route("/<int:participant_id>/wishes/<int:wish_id>/<outcome>", methods=["POST"])
@staff_only
def decide_wish(participant_id: int, wish_id: int, outcome: str):
    person = participant_or_404(participant_id)
    wish = db.session.get(TaskWish, wish_id)
    if wish is None or wish.participant_id != person.id or outcome not in OUTCOMES:
        abort(404)
    if FlaskForm().validate_on_submit():
        decision = decide(wish, outcome, current_user)
        db.session.commit()
        flash(str(DONE[outcome]) if decision.changed
              else _("Toive oli jo käsitelty tai peruttu."), "info")
    return _back(person.id)


@bp.route("/<int:participant_id>/goals/<int:goal_id>/remove", methods=["POST"])
@staff_only
def remove_training_goal(participant_id: int, goal_id: int):
    person = participant_or_404(participant_id)
    goal = db.session.get(TrainingGoal, goal_id)
    if goal is not None and goal.participant_id != person.id:
        abort(404)
    if FlaskForm().validate_on_submit():
        removed = goal is not None and remove_goal(goal.id)
        db.session.commit()
        flash(_("Harjoittelutavoite poistettu.") if removed
              else _("Harjoittelutavoite oli jo poistettu."), "info")
    return _back(person.id)


@bp.route("/<int:participant_id>/feelings/<int:feeling_id>/remove", methods=["POST"])
@staff_only
def remove_feeling_answer(participant_id: int, feeling_id: int):
    """A correction at the person's request: their "Miltä tuntui?" answer is removed."""
    person = participant_or_404(participant_id)
    answer = db.session.get(TaskFeeling, feeling_id)
    if answer is not None and answer.participant_id != person.id:
        abort(404)
    if FlaskForm().validate_on_submit():
        removed = answer is not None and remove_feeling(answer.id)
        db.session.commit()
        flash(_("Vastaus poistettu.") if removed else _("Vastaus oli jo poistettu."), "info")
    return _back(person.id)
