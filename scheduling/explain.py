"""Why the plan looks as it does: unassigned people, late steps, clashing locks.

Every reason comes with a `detail` sentence an instructor can act on. Reasons and details are in
English here (the contract's codes); the web app shows its own Finnish sentences by reason code.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .figures import area_load, cumulative_given
from .instance import Instance, Participant, Slot, Triple
from .model import build

# The codes of a late step's `bottleneck` (docs/contract-readings.md).
BOTTLENECKS = ("release_date", "trained_people", "seats", "max_workers", "instructor_capacity")


def unassigned_reasons(instance: Instance, assignments: list[Triple],
                       placements: list[tuple[str, str, str]]) -> list[dict]:
    """One entry per attending (participant, slot) pair without a step, with its reason."""
    busy = {(t.participant, t.slot) for t in assignments}
    upto = cumulative_given(instance, assignments)
    load = area_load(instance, assignments)
    per_type: dict[tuple[str, str], int] = defaultdict(int)
    for t in assignments:
        per_type[(instance.step_by_id[t.step].task_type, t.slot)] += 1
    capacity: dict[tuple[str, str], int] = defaultdict(int)
    staff: dict[tuple[str, str], int] = defaultdict(int)
    placed = {(who, slot) for who, slot, _ in placements}
    for who, slot, area in placements:
        capacity[(area, slot)] += instance.instructor_by_id[who].capacity
        staff[(area, slot)] += 1
    context = _Context(instance, upto, load, per_type, capacity, staff, placed)
    result = []
    for slot in instance.slots:
        for p in instance.participants:
            if slot.id in p.attends and (p.id, slot.id) not in busy:
                reason, detail = context.reason(p, slot)
                result.append({"participant": p.id, "slot": slot.id, "reason": reason,
                               "detail": detail})
    return result


class _Context:
    def __init__(self, instance, upto, load, per_type, capacity, staff, placed):
        self.instance = instance
        self.upto = upto
        self.load = load
        self.per_type = per_type
        self.capacity = capacity
        self.staff = staff
        self.placed = placed

    def reason(self, p: Participant, slot: Slot) -> tuple[str, str]:
        inst = self.instance
        index = inst.slot_index[slot.id]
        eligible = [j for j in inst.steps if inst.eligible(p, j, slot)]
        if not eligible:
            return "no_eligible_task", (
                f"nothing {p.id} may do is open in {slot.id}: add a skill, an order of a kind "
                f"{p.id} is trained for, or move a release date")
        open_steps = [j for j in eligible if self.upto[j.id][index] < j.work]
        if not open_steps:
            names = ", ".join(j.id for j in eligible)
            return "no_work_left", (
                f"the steps {p.id} may do ({names}) are complete or finished by others in "
                f"{slot.id}")
        seated = [j for j in open_steps if self._has_seat(j, slot)]
        if not seated:
            kinds = sorted({inst.task_type_by_id[j.task_type].id for j in open_steps})
            areas = sorted({inst.area_of(j) for j in open_steps})
            return "seats_full", (
                f"{', '.join(kinds)} in area {', '.join(areas)} is full in {slot.id}: "
                f"free a seat or give {p.id} another task")
        staffed = [j for j in seated if self._can_staff(inst.area_of(j), slot)]
        if not staffed:
            areas = sorted({inst.area_of(j) for j in seated})
            return "no_instructor", (
                f"no instructor is free to supervise {', '.join(areas)} in {slot.id}: "
                f"add an instructor shift or allow an instructor in that area")
        for j in staffed:
            area = inst.area_of(j)
            free = self.capacity[(area, slot.id)] - self._need(area, slot)
            if free + sum(i.capacity for i in self._free_instructors(area, slot)) \
                    >= p.support_points:
                return "no_work_left", (
                    f"the work {p.id} could do in {slot.id} is planned for others later in the "
                    f"week; adding {p.id} would finish a step before the people planned on it")
        area = inst.area_of(staffed[0])
        free = self.capacity[(area, slot.id)] - self._need(area, slot)
        return "support_capacity", (
            f"area {area} has {free} support points free in {slot.id}, {p.id} needs "
            f"{p.support_points}")

    def _has_seat(self, step, slot: Slot) -> bool:
        kind = self.instance.task_type_by_id[step.task_type]
        return self.instance.has_room(kind.id, len(self.load[(kind.area, slot.id)]),
                                      self.per_type[(kind.id, slot.id)])

    def _need(self, area: str, slot: Slot) -> int:
        return sum(self.instance.participant_by_id[pid].support_points
                   for pid in self.load[(area, slot.id)])

    def _free_instructors(self, area: str, slot: Slot) -> list:
        return self.instance.free_instructors(area, slot, self.placed)

    def _can_staff(self, area: str, slot: Slot) -> bool:
        return bool(self.staff[(area, slot.id)] or self._free_instructors(area, slot))


def late_steps(instance: Instance, assignments: list[Triple]) -> list[dict]:
    """Each step that will be late or unfinished, with its bottleneck and what to do."""
    upto = cumulative_given(instance, assignments)
    result = []
    for step in instance.steps:
        due = instance.due_index(step)
        on_time = min(step.work, upto[step.id][due]) if instance.slots else 0
        total = min(step.work, upto[step.id][-1]) if instance.slots else 0
        if on_time >= step.work and total >= step.work:
            continue
        bottleneck, detail = _bottleneck(instance, step, due)
        result.append({"step": step.id, "missing_minutes": step.work - on_time,
                       "late": step.due_slot is not None and on_time < step.work,
                       "unfinished": total < step.work,
                       "bottleneck": bottleneck, "detail": detail})
    return result


def _bottleneck(instance: Instance, step, due: int) -> tuple[str, str]:
    """The first limit that alone keeps the step from being done on time."""
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
    return "instructor_capacity", (
        f"{step.id} competes with other orders for people and instructor capacity: add an "
        f"instructor shift, move the due date, or raise its priority")


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
