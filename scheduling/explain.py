"""Why the plan looks as it does: unassigned people, late steps, clashing locks.

Every reason comes with a `detail` sentence an instructor can act on. Reasons and details are in
English here (the contract's codes); the web app shows its own Finnish sentences by reason code.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .analysis import (
    DONE,
    FREE,
    LATER,
    MACHINES,
    NO_INSTRUCTOR,
    ORDER,
    SEATS,
    SUPPORT,
    Idle,
    PlanAnalysis,
)
from .instance import Instance, Participant, Slot, Step, Triple
from .model import build

# The codes of a late step's `bottleneck` (docs/contract-readings.md).
BOTTLENECKS = ("release_date", "trained_people", "seats", "max_workers", "instructor_capacity",
               "left_idle", "placed_elsewhere")


def explain(instance: Instance, assignments: list[Triple],
            placements: list[tuple[str, str, str]]) -> tuple[list[dict], list[dict]]:
    """The plan's unassigned pairs with their reasons, and its late steps with their
    bottlenecks, both read from one analysis of the plan."""
    analysis = PlanAnalysis(instance, assignments, placements)
    return _unassigned(analysis), _late(analysis)


def unassigned_reasons(instance: Instance, assignments: list[Triple],
                       placements: list[tuple[str, str, str]]) -> list[dict]:
    """One entry per attending (participant, slot) pair without a step, with its reason."""
    return _unassigned(PlanAnalysis(instance, assignments, placements))


def late_steps(instance: Instance, assignments: list[Triple],
               placements: list[tuple[str, str, str]]) -> list[dict]:
    """Each step that will be late or unfinished, with its bottleneck and what to do."""
    return _late(PlanAnalysis(instance, assignments, placements))


def _unassigned(analysis: PlanAnalysis) -> list[dict]:
    inst = analysis.instance
    result = []
    for slot in inst.slots:
        for p in inst.participants:
            if analysis.idle(p, slot):
                reason, detail = _person_reason(analysis, p, slot)
                result.append({"participant": p.id, "slot": slot.id, "reason": reason,
                               "detail": detail})
    return result


def _person_reason(analysis: PlanAnalysis, p: Participant, slot: Slot) -> tuple[str, str]:
    """Why `p` is idle in `slot`. A step he could simply join comes first (`left_idle`); then,
    among the steps not yet complete, a late one before others, and the one he came closest
    to joining (the blocker checked last): its blocker is his reason."""
    inst = analysis.instance
    eligible = [j for j in inst.steps if inst.eligible(p, j, slot)]
    if not eligible:
        return "no_eligible_task", (
            f"nothing {p.id} may do is open in {slot.id}: add a skill, an order of a kind "
            f"{p.id} is trained for, or move a release date")
    blocked = [Idle(p, slot, j, analysis.blocker(p, j, slot)) for j in eligible]
    open_ = [b for b in blocked if b.blocker != DONE]
    if not open_:
        names = ", ".join(j.id for j in eligible)
        return "no_work_left", (
            f"the steps {p.id} may do ({names}) are complete or finished by others in "
            f"{slot.id}")
    free = [b for b in open_ if b.blocker == FREE]
    nearest = max(free or open_, key=lambda b: (analysis.late(b.step), ORDER.index(b.blocker)))
    return _PERSON[nearest.blocker](analysis, nearest)


def _left_idle(analysis: PlanAnalysis, b: Idle) -> tuple[str, str]:
    return "left_idle", (
        f"nothing keeps {b.participant.id} from working on {b.step.id} in {b.slot.id}: assign "
        f"them to it, or plan the week again")


def _seats_full(analysis: PlanAnalysis, b: Idle) -> tuple[str, str]:
    kind = analysis.instance.task_type_by_id[b.step.task_type]
    if b.blocker == MACHINES:
        return "seats_full", (
            f"the {kind.max_workers} work places of {kind.id} are taken in {b.slot.id}, where "
            f"{b.participant.id} could work on {b.step.id}: add a work place or give "
            f"{b.participant.id} another task")
    return "seats_full", (
        f"area {kind.area} is full in {b.slot.id}, where {b.participant.id} could work on "
        f"{b.step.id}: free a seat or give {b.participant.id} another task")


def _no_instructor(analysis: PlanAnalysis, b: Idle) -> tuple[str, str]:
    area = analysis.instance.area_of(b.step)
    return "no_instructor", (
        f"no instructor is free to supervise {area} in {b.slot.id}, where "
        f"{b.participant.id} could work on {b.step.id}: add an instructor shift or allow an "
        f"instructor in that area")


def _support(analysis: PlanAnalysis, b: Idle) -> tuple[str, str]:
    area = analysis.instance.area_of(b.step)
    return "support_capacity", (
        f"area {area} has {analysis.support_left(area, b.slot)} support points free in "
        f"{b.slot.id}, {b.participant.id} needs {b.participant.support_points} to work on "
        f"{b.step.id}: add an instructor shift there")


def _planned_later(analysis: PlanAnalysis, b: Idle) -> tuple[str, str]:
    return "no_work_left", (
        f"the work {b.participant.id} could do on {b.step.id} in {b.slot.id} is planned for "
        f"others; with {b.participant.id} one of them would not be needed: plan the week "
        f"again to move that work to {b.slot.id}")


_PERSON = {FREE: _left_idle, SEATS: _seats_full, MACHINES: _seats_full,
           NO_INSTRUCTOR: _no_instructor, SUPPORT: _support, LATER: _planned_later}


def _late(analysis: PlanAnalysis) -> list[dict]:
    inst = analysis.instance
    last = len(inst.slots) - 1
    result = []
    for step in inst.steps:
        on_time = min(step.work, analysis.given(step, inst.due_index(step)))
        total = min(step.work, analysis.given(step, last))
        if on_time >= step.work and total >= step.work:
            continue
        bottleneck, detail = _bottleneck(analysis, step)
        result.append({"step": step.id, "missing_minutes": step.work - on_time,
                       "late": step.due_slot is not None and on_time < step.work,
                       "unfinished": total < step.work,
                       "bottleneck": bottleneck, "detail": detail})
    return result


def _bottleneck(analysis: PlanAnalysis, step: Step) -> tuple[str, str]:
    """Why the step is late in this plan. People eligible for it who sat idle before its due
    slot come first: what kept them off it is the bottleneck (the plan itself, seats, work
    places or instructors), and it agrees with their own reasons. Only when everyone eligible
    worked does a capacity argument name the release date, too few trained people or seats;
    otherwise they worked on other orders."""
    idle = analysis.idle_on(step)
    if idle:
        return _idle_bottleneck(analysis, step, idle)
    inst = analysis.instance
    if not inst.slots:
        return "trained_people", f"the week has no shifts: nobody can work on {step.id}"
    found = _capacity_bottleneck(inst, step, inst.due_index(step))
    if found is not None:
        return found
    elsewhere = analysis.elsewhere(step)
    names = ", ".join(f"{t.participant} on {t.step} in {t.slot}" for t in elsewhere[:3])
    return "placed_elsewhere", (
        f"the people trained for {step.id} worked on other orders before its due slot "
        f"({names}): raise its priority, move the due date, or plan the week again")


def _idle_bottleneck(analysis: PlanAnalysis, step: Step, idle: list[Idle]) -> tuple[str, str]:
    """The blocker of the idle eligible people that is nearest to letting one of them join."""
    nearest = max(idle, key=lambda b: ORDER.index(b.blocker))
    who = f"{nearest.participant.id} in {nearest.slot.id}"
    more = f" and {len(idle) - 1} more half-days" if len(idle) > 1 else ""
    if nearest.blocker == FREE:
        return "left_idle", (
            f"{who}{more} could have worked on {step.id} and were left idle: assign them, or "
            f"plan the week again")
    if nearest.blocker == LATER:
        return "left_idle", (
            f"people trained for {step.id} were idle before its due slot ({who}{more}) while "
            f"its work was left to others planned on it: plan the week again to move the work "
            f"to them")
    kind = analysis.instance.task_type_by_id[step.task_type]
    if nearest.blocker == SEATS:
        return "seats", (
            f"{who}{more} could have worked on {step.id} but area {kind.area} was full: add "
            f"seats or move the due date")
    if nearest.blocker == MACHINES:
        return "max_workers", (
            f"{who}{more} could have worked on {step.id} but the work places of {kind.id} were "
            f"taken: add a work place or move the due date")
    return "instructor_capacity", (
        f"{who}{more} could have worked on {step.id} but area {kind.area} had no instructor "
        f"or support free: add an instructor shift or move the due date")


def _capacity_bottleneck(instance: Instance, step: Step, due: int) -> tuple[str, str] | None:
    """The first limit that alone keeps the step from being done on time, whatever the plan:
    its release, the people trained for it, the seats or work places of its area."""
    kind = instance.task_type_by_id[step.task_type]
    area = instance.area_by_id[kind.area]
    window = instance.slots[: due + 1]
    start = instance.slot_index[step.release_slot] if step.release_slot else 0
    open_window = window[start:]
    if not open_window:
        return "release_date", f"{step.id} is released after its due slot: move the release date"
    people = [p for p in instance.participants if step.task_type in p.skills
              and not (kind.tags & p.avoid_tags)]
    trained = sum(instance.cap(p, s) for s in open_window for p in people if s.id in p.attends)
    if trained < step.work and start > 0:
        everyone = sum(instance.cap(p, s) for s in window for p in people if s.id in p.attends)
        if everyone >= step.work:
            return "release_date", (f"{step.id} is released too late to finish by its due slot: "
                                    f"release it earlier or move the due date")
    if trained < step.work:
        return "trained_people", (
            f"the people trained for {kind.id} give {trained} of the {step.work} minutes "
            f"{step.id} needs by its due slot: train more people or move the due date")
    seat_limit = min(area.seats, kind.max_workers if kind.max_workers is not None else area.seats)
    best_per_slot = []
    for s in open_window:
        caps = sorted((instance.cap(p, s) for p in people if s.id in p.attends), reverse=True)
        best_per_slot.append(sum(caps[:seat_limit]))
    if sum(best_per_slot) < step.work:
        if kind.max_workers is not None and kind.max_workers < area.seats:
            code, which = "max_workers", f"max workers of {kind.id}"
        else:
            code, which = "seats", f"seats of {area.id}"
        return code, (f"the {which} limit the work to {sum(best_per_slot)} of {step.work} "
                      f"minutes by the due slot: add seats or a second machine")
    return None


def lock_conflicts(instance: Instance, *, time_limit: float = 10.0) -> list[dict]:
    """The locks that cannot all hold, each with a reason (empty if they can)."""
    conflicts = _simple_lock_conflicts(instance)
    if conflicts:
        return conflicts
    wm = build(instance, objective=False, locks_as_assumptions=True)
    literals = list(wm.lock_literals.values())
    wm.model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(wm.model)
    if status != cp_model.INFEASIBLE:
        return []
    core = set(solver.sufficient_assumptions_for_infeasibility())
    clashing = [lock for lock, lit in wm.lock_literals.items() if lit.index in core]
    return [{"participant": lock.participant, "slot": lock.slot, "step": lock.step,
             "reason": "these locks cannot hold together (seats, machines, instructor "
                       "capacity or rule 7): unlock one of them"} for lock in clashing]


def _simple_lock_conflicts(instance: Instance) -> list[dict]:
    """Locks that fail on their own: not eligible, or two steps for one person in one slot."""
    result = []
    seen: dict[tuple[str, str], Triple] = {}
    for lock in instance.locked:
        p = instance.participant_by_id[lock.participant]
        step = instance.step_by_id[lock.step]
        slot = instance.slot_by_id[lock.slot]
        why = _not_eligible_because(instance, p, step, slot)
        if why:
            result.append({**_as_dict(lock), "reason": why})
        other = seen.get((lock.participant, lock.slot))
        if other is not None:
            reason = f"{p.id} is locked to both {other.step} and {lock.step} in {slot.id}"
            result.append({**_as_dict(other), "reason": reason})
            result.append({**_as_dict(lock), "reason": reason})
        seen[(lock.participant, lock.slot)] = lock
    return result


def _not_eligible_because(instance: Instance, p: Participant, step, slot: Slot) -> str:
    if slot.id not in p.attends:
        return f"{p.id} does not attend {slot.id}"
    if step.task_type not in p.skills:
        return f"{p.id} is not trained for {step.task_type}"
    tags = instance.task_type_by_id[step.task_type].tags & p.avoid_tags
    if tags:
        return f"{step.task_type} carries {', '.join(sorted(tags))}, which {p.id} avoids"
    if step.release_slot and instance.slot_index[slot.id] < instance.slot_index[step.release_slot]:
        return f"{step.id} is not released before {step.release_slot}"
    return ""


def _as_dict(triple: Triple) -> dict:
    return {"participant": triple.participant, "slot": triple.slot, "step": triple.step}
