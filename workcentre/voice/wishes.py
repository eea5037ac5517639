""""Haluaisin kokeilla…": the task types a person would like to learn or do more, and what an
instructor makes of a wish: a preference (the contract's `prefers`), a training goal, or noted.
Nothing here changes the plan by itself: a preference counts at the next solve."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from .. import audit
from ..extensions import db
from ..locks import hold
from ..models import Participant, Preference, TaskType, TaskWish, TrainingGoal, User, utcnow
from ._upsert import delete_once, insert_missing


class WishRefused(ValueError):
    """The task type is not one of the person's centre, or the person has left or was
    erased."""


def offered(person: Participant) -> list[TaskType]:
    """The task types a person may wish for: those of their own centre."""
    return list(db.session.scalars(select(TaskType).where(
        TaskType.centre_id == person.centre_id).order_by(TaskType.name)))


def _held(person_id: int, task_type_id: int) -> TaskWish | None:
    return db.session.scalars(select(TaskWish).where(
        TaskWish.participant_id == person_id, TaskWish.task_type_id == task_type_id)
        .with_for_update().execution_options(populate_existing=True)).first()


def set_wish(person: Participant, task_type: TaskType, want: bool) -> bool:
    """Wish (`want`) or withdraw; True when that changed anything. The same tap twice is one
    wish: the button says which, so a double tap never withdraws what the first tap wished."""
    if task_type.centre_id != person.centre_id or not person.active \
            or person.erased_at is not None:
        raise WishRefused(task_type.id)
    if want:
        insert_missing(TaskWish, ["participant_id", "task_type_id"], participant_id=person.id,
                       task_type_id=task_type.id, active=False, wished_at=utcnow())
    wish = _held(person.id, task_type.id)
    if wish is None or wish.active == want:
        return False
    wish.active = want
    if want:  # wished again: a fresh wish for an instructor to see, whatever the last one became
        wish.wished_at, wish.outcome, wish.outcome_by_id, wish.outcome_at = \
            utcnow(), None, None, None
    db.session.flush()
    audit.record(db.session, "voice_wish" if want else "voice_wish_withdrawn", "task_wish",
                 wish.id, participant_id=person.id)
    return True


def wishes_of(person_id: int) -> list[TaskWish]:
    """The person's wishes in force (not withdrawn), newest first."""
    return list(db.session.scalars(select(TaskWish).where(
        TaskWish.participant_id == person_id, TaskWish.active.is_(True))
        .order_by(TaskWish.wished_at.desc())))


def open_wishes(centre_id: int) -> list[TaskWish]:
    """Wishes no instructor has acted on yet, of the centre's active people."""
    return list(db.session.scalars(select(TaskWish).join(Participant).where(
        Participant.centre_id == centre_id, Participant.active.is_(True),
        TaskWish.active.is_(True), TaskWish.outcome.is_(None))
        .options(contains_eager(TaskWish.participant), joinedload(TaskWish.task_type))
        .order_by(Participant.first_name, TaskWish.wished_at)))


@dataclass(frozen=True)
class Decision:
    changed: bool
    outcome: str | None


def decide(wish: TaskWish, outcome: str, user: User) -> Decision:
    """An instructor turns a wish into a preference or a training goal, or notes it. A second
    click (or a colleague's at the same moment) finds it decided and changes nothing."""
    hold(Participant, Participant.id == wish.participant_id)  # one decision per person at once
    wish = _held(wish.participant_id, wish.task_type_id)
    if wish is None or not wish.active or wish.outcome is not None:
        return Decision(False, wish.outcome if wish else None)
    if outcome == "preference":
        _prefer(wish.participant_id, wish.task_type_id)
    elif outcome == "goal":
        insert_missing(TrainingGoal, ["participant_id", "task_type_id"],
                       participant_id=wish.participant_id, task_type_id=wish.task_type_id,
                       created_at=utcnow(), created_by_id=user.id)
    elif outcome != "noted":
        raise ValueError(outcome)
    wish.outcome, wish.outcome_by_id, wish.outcome_at = outcome, user.id, utcnow()
    db.session.flush()
    audit.record(db.session, f"wish_to_{outcome}", "task_wish", wish.id,
                 participant_id=wish.participant_id)
    return Decision(True, outcome)


def _prefer(person_id: int, task_type_id: int) -> None:
    """A liked task type: a dislike of it turns into a like (the person said they want it)."""
    rows = list(db.session.scalars(select(Preference).where(
        Preference.participant_id == person_id, Preference.task_type_id == task_type_id)))
    if not rows:
        db.session.add(Preference(participant_id=person_id, task_type_id=task_type_id,
                                  likes=True))
    for row in rows:
        row.likes = True


def goals_of(person_id: int) -> list[TrainingGoal]:
    return list(db.session.scalars(select(TrainingGoal).where(
        TrainingGoal.participant_id == person_id).order_by(TrainingGoal.created_at)))


def remove_goal(goal_id: int) -> bool:
    """The instructor ends a training goal (learnt, or no longer sought); False when it was
    already gone (a double click, or a colleague at the same moment): one removal, one event.
    The caller commits."""
    return delete_once(TrainingGoal, goal_id, "training_goal_removed", "training_goal")
