"""All a person has said, for their page: instructors and admins only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..models import TaskFeeling, TaskWish, TrainingGoal
from .feelings import recent_feelings
from .wishes import goals_of, wishes_of

FEELING_DAYS = 28  # the page shows four weeks of answers


@dataclass(frozen=True)
class Voice:
    feelings: list[TaskFeeling]
    wishes: list[TaskWish]
    goals: list[TrainingGoal]


def voice_of(person_id: int, today: date) -> Voice:
    return Voice(recent_feelings(person_id, today - timedelta(days=FEELING_DAYS)),
                 wishes_of(person_id), goals_of(person_id))
