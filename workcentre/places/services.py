"""Work areas, task types and instructors of a centre."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..locks import hold
from ..models import SLOT_KEYS, Area, Centre, Instructor, Role, TaskInstruction, TaskType, User


def code_taken(centre: Centre, code: str, own: TaskType | None) -> bool:
    """Whether another task type of the centre has the code. Holds the centre's row until
    commit, so two people adding the same code at once see each other's."""
    hold(Centre, Centre.id == centre.id)
    other = db.session.scalars(select(TaskType).where(
        TaskType.centre_id == centre.id, TaskType.code == code)).first()
    return other is not None and other is not own


def area_name_taken(centre: Centre, name: str, own: Area | None) -> bool:
    """Whether another work area of the centre has the name. Holds the centre's row until
    commit, so two people adding the same area at once see each other's."""
    hold(Centre, Centre.id == centre.id)
    other = db.session.scalars(select(Area).where(
        Area.centre_id == centre.id, Area.name == name.strip())).first()
    return other is not None and other is not own


def set_instructions(task_type: TaskType, text: str) -> None:
    """One plain-language step per non-empty line, in order."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    task_type.instructions = [TaskInstruction(position=n, text=line)
                              for n, line in enumerate(lines)]


def centre_instructors(centre: Centre) -> list[Instructor]:
    return sorted((i for i in db.session.scalars(select(Instructor)) if centre in i.centres),
                  key=lambda i: i.name)


def free_instructor_users() -> list[User]:
    """Instructor accounts not yet tied to an instructor's planning record."""
    return list(db.session.scalars(
        select(User).where(User.role == Role.INSTRUCTOR, User.active.is_(True),
                           ~User.instructor.has()).order_by(User.name)))


def save_instructor(instructor: Instructor | None, centre: Centre, *, name: str, capacity: int,
                    attends: list[str], area_ids: list[int], user_id: int | None) -> Instructor:
    if instructor is None:
        instructor = Instructor(name=name, centres=[centre])
        db.session.add(instructor)
    instructor.name = name.strip()
    instructor.capacity = capacity
    instructor.attends = [k for k in SLOT_KEYS if k in set(attends)]
    others = [a for a in instructor.areas if a.centre_id != centre.id]
    instructor.areas = others + [a for a in centre.areas if a.id in set(area_ids)]
    if user_id:
        instructor.user_id = user_id
    return instructor
