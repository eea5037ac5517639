"""Suggested standard times (per catalogue product) and paces (per participant).

Each suggestion counts only the half-days after the last decision on the same figure, and
within the rule's window; `rule.judge` decides whether they are enough and stable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ..clock import today as local_today
from ..extensions import db
from ..models import Centre, LearningDecision, Participant, ParticipantSupport, Product
from .evidence import HalfDay, half_days, job_of, product_of
from .rule import PACE, STANDARD_TIME, Enough, judge

STANDARD = "standard_time"
PACE_KIND = "pace"


@dataclass(frozen=True)
class Suggestion:
    kind: str  # STANDARD or PACE_KIND
    subject_id: int  # the product or the participant
    current: int
    suggested: int
    half_days: int
    sources: int  # people (standard time) or jobs (pace)
    spread: float
    first: date
    last: date

    @property
    def change_percent(self) -> int:
        return round(100 * (self.suggested - self.current) / self.current)

    @property
    def spread_percent(self) -> int:
        return round(100 * self.spread)


def _last_decisions(column) -> dict[int, date]:
    """Subject id -> the last half-day a decision on it counted."""
    rows = db.session.execute(select(column, func.max(LearningDecision.last_day))
                              .where(column.is_not(None)).group_by(column))
    return {subject: day for subject, day in rows}


def _fresh(rows: list[HalfDay], decided: date | None) -> list[HalfDay]:
    return [r for r in rows if decided is None or r.day > decided]


def standard_time_suggestions(centre: Centre, today: date | None = None,
                              rule: Enough = STANDARD_TIME) -> dict[int, Suggestion]:
    """Product id -> the standard time the centre's reports suggest for it."""
    today = today or local_today()
    by_product: dict[int, list[HalfDay]] = defaultdict(list)
    products: dict[int, Product] = {}
    for row in half_days(centre, today - timedelta(days=rule.days), today):
        product = product_of(row.step)
        if product is not None:
            products[product.id] = product
            by_product[product.id].append(row)
    decided = _last_decisions(LearningDecision.product_id)
    out = {}
    for product_id, rows in by_product.items():
        rows = _fresh(rows, decided.get(product_id))
        product = products[product_id]
        verdict = judge([r.standard_seconds for r in rows],
                        len({r.participant_id for r in rows}), product.seconds_per_unit, rule)
        if verdict is not None:
            out[product_id] = Suggestion(STANDARD, product_id, product.seconds_per_unit,
                                         max(1, round(verdict.median)), verdict.half_days,
                                         verdict.sources, verdict.spread, rows[0].day,
                                         rows[-1].day)
    return out


def pace_suggestions(centre: Centre, today: date | None = None,
                     rule: Enough = PACE) -> dict[int, Suggestion]:
    """Participant id -> the pace their own reports suggest. Health data: the caller shows it
    to instructors and admins only and logs the read."""
    today = today or local_today()
    by_person: dict[int, list[HalfDay]] = defaultdict(list)
    for row in half_days(centre, today - timedelta(days=rule.days), today):
        by_person[row.participant_id].append(row)
    decided = _last_decisions(LearningDecision.participant_id)
    out = {}
    for person, rows in by_person.items():
        rows = _fresh(rows, decided.get(person))
        current = rows[0].pace if rows else 100
        verdict = judge([r.pace_shown for r in rows], len({job_of(r.step) for r in rows}),
                        current, rule)
        if verdict is not None:
            out[person] = Suggestion(PACE_KIND, person, current,
                                     min(200, max(1, round(verdict.median))), verdict.half_days,
                                     verdict.sources, verdict.spread, rows[0].day, rows[-1].day)
    return out


def pace_suggestion(participant: Participant, today: date | None = None,
                    rule: Enough = PACE) -> Suggestion | None:
    return pace_suggestions(participant.centre, today, rule).get(participant.id)


def current_pace(participant: Participant) -> int:
    row = db.session.get(ParticipantSupport, participant.id)
    return row.productivity if row else 100
