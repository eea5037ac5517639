"""An instructor accepts a suggested figure or not. Nothing changes without this.

The suggestion is worked out again at the moment of the decision and must still be the figure
the instructor saw (`seen`); accepting writes the figure (the catalogue's standard time or the
person's pace) and both leave a `LearningDecision` row, so both are audit events.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..extensions import db
from ..models import Centre, LearningDecision, Participant, ParticipantSupport, Product, User
from .suggest import Suggestion, pace_suggestions, standard_time_suggestions


class DecisionRefused(Exception):
    """Nothing was decided; the message (Finnish) says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _still(suggestion: Suggestion | None, seen: int | None) -> Suggestion:
    if suggestion is None:
        raise DecisionRefused(_("Ehdotusta ei enää ole: joku on jo päättänyt siitä tai "
                                "raportit ovat muuttuneet."))
    if suggestion.suggested != seen:
        raise DecisionRefused(_("Ehdotus on muuttunut uusien raporttien myötä. Katso luvut "
                                "uudelleen ennen päätöstä."))
    return suggestion


def _record(suggestion: Suggestion, accepted: bool, user: User | None,
            **subject: int) -> LearningDecision:
    decision = LearningDecision(
        kind=suggestion.kind, old_value=suggestion.current, new_value=suggestion.suggested,
        half_days=suggestion.half_days, last_day=suggestion.last, accepted=accepted,
        decided_by_id=user.id if user else None, **subject)
    db.session.add(decision)
    return decision


def decide_standard_time(product: Product, seen: int | None, accept: bool, user: User | None,
                         today: date | None = None) -> LearningDecision:
    """Accept (the catalogue takes the figure) or decline the product's suggestion. The caller
    commits."""
    suggestion = _still(standard_time_suggestions(db.session.get(Centre, product.centre_id), today)
                        .get(product.id), seen)
    if accept:
        product.seconds_per_unit = suggestion.suggested
    return _record(suggestion, accept, user, product_id=product.id)


def decide_pace(participant: Participant, seen: int | None, accept: bool, user: User | None,
                today: date | None = None) -> LearningDecision:
    """Accept (the person's pace takes the figure) or decline. The caller has checked that the
    user is an instructor or admin of the person's centre, and commits."""
    suggestion = _still(pace_suggestions(participant.centre, today).get(participant.id), seen)
    if accept:
        row = db.session.get(ParticipantSupport, participant.id)
        if row is None:
            row = ParticipantSupport(participant_id=participant.id)
            db.session.add(row)
        row.productivity = suggestion.suggested
    return _record(suggestion, accept, user, participant_id=participant.id)
