"""Week plans in the database and as the contract's plan JSON, both ways.

A centre's week has versions. At most one draft exists at a time (the newest version); saving a
plan replaces the draft's assignments, or opens a new draft when the newest version is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from scheduling import Instance, Triple, load_instance, plan_dict

from .. import audit
from ..extensions import db
from ..models import (
    WEEKDAYS,
    Assignment,
    Centre,
    InstructorPlacement,
    Order,
    OrderStep,
    User,
    WeekPlan,
    utcnow,
)
from ..orders.services import mark_planned, mark_planned_late
from ..weeks import week_slots
from .services import area_key, build_instance, instructor_key, participant_key, step_key


class PlanChanged(Exception):
    """Someone changed the week's plan after this writer read it: nothing of this write is kept."""


@dataclass(frozen=True)
class Seen:
    """The plan version and revision a form (or a solve) was based on."""
    plan_id: int
    revision: int


def seen(plan: WeekPlan | None) -> Seen | None:
    return Seen(plan.id, plan.revision) if plan is not None else None


def claim(centre: Centre, week: str, based_on: Seen | None) -> None:
    """Take the week for one write, if its newest plan is still the one read at `based_on`.

    `UPDATE week_plan SET revision = revision + 1 WHERE id = :id AND revision = :seen`: on
    PostgreSQL a second writer waits for the first to commit and then matches no row; on SQLite
    the write lock does the same. The bump is part of the writer's transaction, so a write that
    is refused or rolled back leaves the revision as it was. Raises PlanChanged.
    """
    current = latest_plan(centre, week)
    if based_on is None:
        if current is not None:
            raise PlanChanged()
        return
    if current is None or current.id != based_on.plan_id:
        raise PlanChanged()
    result = db.session.execute(
        update(WeekPlan).where(WeekPlan.id == based_on.plan_id,
                               WeekPlan.revision == based_on.revision)
        .values(revision=WeekPlan.revision + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise PlanChanged()
    db.session.expire(current, ["revision"])


def latest_plan(centre: Centre, week: str) -> WeekPlan | None:
    return db.session.scalars(
        select(WeekPlan).where(WeekPlan.centre_id == centre.id, WeekPlan.week == week)
        .order_by(WeekPlan.version.desc()).limit(1)).first()


def published_plan(centre: Centre, week: str) -> WeekPlan | None:
    return db.session.scalars(
        select(WeekPlan).where(WeekPlan.centre_id == centre.id, WeekPlan.week == week,
                               WeekPlan.state == "published")).first()


def plan_versions(centre: Centre, week: str) -> list[WeekPlan]:
    return list(db.session.scalars(
        select(WeekPlan).where(WeekPlan.centre_id == centre.id, WeekPlan.week == week)
        .order_by(WeekPlan.version.desc())))


def triple(a: Assignment) -> dict[str, str]:
    return {"participant": participant_key(a.participant_id), "slot": slot_key(a),
            "step": step_key(a.step)}


def triples(plan: WeekPlan) -> list[dict[str, str]]:
    """The plan's assignments in contract ids, in slot order."""
    return [triple(a) for a in _sorted_assignments(plan)]


def placements(plan: WeekPlan) -> list[dict[str, str]]:
    return [{"instructor": instructor_key(p.instructor_id), "slot": slot_key(p),
             "area": area_key(p.area_id)} for p in plan.placements]


def slot_key(row: Assignment | InstructorPlacement) -> str:
    return f"{WEEKDAYS[row.day.weekday()]}-{row.half}"


def planning_instance(centre: Centre, week: str) -> dict[str, Any]:
    """The instance to solve: the week, the newest plan's locks, and the published plan as
    `previous` (what people were told, so that a re-solve keeps it where it can)."""
    data = build_instance(centre, week)
    current = latest_plan(centre, week)
    if current is not None:
        away = _away(data)
        data["locked"] = [t for a, t in _known_rows(current, data)
                          if a.locked and (t["participant"], t["slot"]) not in away]
    told = published_plan(centre, week)
    if told is not None:
        data["previous"] = [t for _, t in _known_rows(told, data)]
    return data


def _away(data: dict) -> set[tuple[str, str]]:
    """(participant, slot) of the instance's people in the slots they do not attend: a lock
    there (made before an absence was recorded) gives way to the absence."""
    slots = [s["id"] for s in data["slots"]]
    return {(p["id"], s) for p in data["participants"] for s in slots if s not in p["attends"]}


def _known_rows(plan: WeekPlan, data: dict) -> list[tuple[Assignment, dict[str, str]]]:
    known = _known_ids(data)
    rows = [(a, triple(a)) for a in _sorted_assignments(plan)]
    return [(a, t) for a, t in rows if _is_known(t, known)]


def split(plan: WeekPlan, data: dict) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """The plan's rows the instance knows, and its history: rows on steps that are finished (or
    of people who have left). History is kept in the stored plan but never solved or judged.
    Rows of people away in that half-day (an absence recorded after the plan, e.g. in the
    register) are neither: that work is not done, and the next stored plan leaves them out."""
    known = _known_ids(data)
    attends = {p["id"]: set(p["attends"]) for p in data["participants"]}
    rows = [(a, triple(a)) for a in _sorted_assignments(plan)]
    return ([t for _, t in rows if _is_known(t, known) and t["slot"] in attends[t["participant"]]],
            [{**t, "locked": a.locked} for a, t in rows if not _is_known(t, known)])


def _sorted_assignments(plan: WeekPlan) -> list[Assignment]:
    order = {s.day: i for i, s in enumerate(week_slots(plan.week))}
    return sorted(plan.assignments,
                  key=lambda a: (order.get(a.day, 0), a.half, a.participant_id))


def _known_ids(data: dict) -> tuple[set[str], set[str], set[str]]:
    people = {p["id"] for p in data["participants"]}
    steps = {s["id"] for o in data["orders"] for s in o["steps"]}
    return people, steps, {s["id"] for s in data["slots"]}


def known_rows(data: dict, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows whose person and step the instance knows (the others are history)."""
    known = _known_ids(data)
    return [_triple_of(t) for t in rows if _is_known(t, known)]


def _triple_of(row: dict) -> dict[str, str]:
    return {"participant": row["participant"], "slot": row["slot"], "step": row["step"]}


def _is_known(triple: dict[str, str], known: tuple[set[str], set[str], set[str]]) -> bool:
    """A lock on a finished step, a person who has left or a day since closed would only make
    the week infeasible."""
    return (triple["participant"] in known[0] and triple["step"] in known[1]
            and triple["slot"] in known[2])


def plan_json(plan: WeekPlan, instance_data: dict | None = None,
              instance: Instance | None = None) -> dict[str, Any]:
    """The stored plan as the contract's plan JSON, its figures and reasons recomputed against
    `instance_data` (by default the instance the version was made from, else the week now).
    Rows on finished steps (history) are not part of it."""
    data = instance_data if instance_data is not None else instance_of(plan)
    instance = instance or load_instance(data)
    known = _known_ids(data)
    rows = [t for t in triples(plan) if _is_known(t, known)]
    body = plan_dict(instance, plan.solve_status or "FEASIBLE", [Triple(**t) for t in rows],
                     [(p["instructor"], p["slot"], p["area"]) for p in placements(plan)],
                     bound=plan.bound, seconds=0.0, solver_name="stored")
    if body["status"] == "OPTIMAL" and body["objective"] != plan.objective:
        body["status"] = "FEASIBLE"  # changed by hand since the solver proved it
    return body


def instance_of(plan: WeekPlan) -> dict[str, Any]:
    """The instance the version was solved or edited against (the week now, for versions
    stored before instances were kept)."""
    return plan.instance if plan.instance is not None else planning_instance(plan.centre,
                                                                             plan.week)


def log_health_read(data: dict[str, Any]) -> None:
    """An instance holds every participant's pace, support points and avoided tags: whoever
    reads it leaves one audit event per participant. Commits."""
    for person in data.get("participants", []):
        number = _number(person["id"], "p")
        audit.record(db.session, "view_support", "participant", number, participant_id=number)
    db.session.commit()


def save_plan(centre: Centre, week: str, plan: dict[str, Any], user: User | None, *,
              instance: dict[str, Any] | None = None,
              history: list[dict[str, Any]] = ()) -> WeekPlan:
    """Store a solved (or edited) plan as the week's draft, with the instance it was made from.
    `history` rows (finished steps, see split) are kept where the new plan leaves the person's
    half-day empty. The caller commits."""
    draft = latest_plan(centre, week)
    if draft is None or draft.state != "draft":
        draft = WeekPlan(centre_id=centre.id, week=week,
                         version=(draft.version + 1) if draft else 1,
                         created_by_id=user.id if user else None)
        db.session.add(draft)
    taken = {(t["participant"], t["slot"]) for t in plan["assignments"]}
    kept = [h for h in history if (h["participant"], h["slot"]) not in taken]
    locked = {(t["participant"], t["slot"], t["step"]) for t in plan.get("locked", [])}
    locked |= {(h["participant"], h["slot"], h["step"]) for h in kept if h.get("locked")}
    replace_rows(draft, list(plan["assignments"]) + kept, plan.get("instructors", []), locked)
    draft.instance = instance
    draft.solve_status = plan.get("status")
    draft.objective = plan.get("objective")
    draft.bound = plan.get("bound")
    draft.terms = plan.get("terms") or {}
    draft.explanations = {"unassigned": plan.get("unassigned", []),
                          "late_steps": plan.get("late_steps", [])}
    return draft


def replace_rows(plan: WeekPlan, assignments: list[dict], instructors: list[dict],
                 locked: set[tuple[str, str, str]]) -> None:
    slots = {s.key: s for s in week_slots(plan.week)}
    steps = steps_by_key(plan.centre_id)
    plan.assignments.clear()
    plan.placements.clear()
    db.session.flush()
    for row in assignments:
        slot = slots[row["slot"]]
        plan.assignments.append(Assignment(
            participant_id=_number(row["participant"], "p"), step=steps[row["step"]],
            day=slot.day, half=slot.half,
            locked=(row["participant"], row["slot"], row["step"]) in locked))
    for row in instructors:
        slot = slots[row["slot"]]
        plan.placements.append(InstructorPlacement(
            instructor_id=_number(row["instructor"], "i"),
            area_id=_number(row["area"], "area-"), day=slot.day, half=slot.half))


def steps_by_key(centre_id: int) -> dict[str, OrderStep]:
    """The centre's order steps by their contract ids ("T-2026-001/1")."""
    steps = db.session.scalars(select(OrderStep).join(Order).where(Order.centre_id == centre_id))
    return {step_key(s): s for s in steps}


def _number(key: str, prefix: str) -> int:
    return int(key.removeprefix(prefix))


def publish(plan: WeekPlan, user: User | None) -> None:
    """Make this version the one tablets and companies see; the old published one is kept."""
    old = published_plan(plan.centre, plan.week)
    if old is not None and old.id != plan.id:
        old.state = "superseded"
    plan.state = "published"
    plan.published_at = utcnow()
    plan.published_by_id = user.id if user else None
    late = {s["step"] for s in (plan.explanations or {}).get("late_steps", []) if s.get("late")}
    for order in {a.step.order for a in plan.assignments}:
        mark_planned(order)
        if any(step_key(step) in late for step in order.steps):
            mark_planned_late(order)


def editable_draft(centre: Centre, week: str, user: User | None) -> WeekPlan | None:
    """The draft to edit: the newest version, copied into a new draft when it is published."""
    current = latest_plan(centre, week)
    if current is None or current.state == "draft":
        return current
    draft = WeekPlan(centre_id=centre.id, week=week, version=current.version + 1,
                     created_by_id=user.id if user else None, solve_status=current.solve_status,
                     objective=current.objective, bound=current.bound, terms=current.terms,
                     explanations=current.explanations)
    for a in current.assignments:
        draft.assignments.append(Assignment(participant_id=a.participant_id, step_id=a.step_id,
                                            day=a.day, half=a.half, locked=a.locked))
    for p in current.placements:
        draft.placements.append(InstructorPlacement(instructor_id=p.instructor_id,
                                                    area_id=p.area_id, day=p.day, half=p.half))
    db.session.add(draft)
    db.session.flush()
    return draft


def diff(old: WeekPlan | None, new: WeekPlan) -> list[dict[str, Any]]:
    """What changed between two versions: one row per participant and slot whose step differs."""
    def table(plan: WeekPlan | None) -> dict[tuple[int, Any, str], Assignment]:
        return {(a.participant_id, a.day, a.half): a for a in plan.assignments} if plan else {}
    before, after = table(old), table(new)
    rows = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[1], k[2], k[0])):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and a.step_id == b.step_id:
            continue
        rows.append({"participant_id": key[0], "day": key[1], "half": key[2],
                     "before": a.step if a else None, "after": b.step if b else None})
    return rows
