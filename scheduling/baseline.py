"""The greedy plan an instructor would make by hand: slot by slot, earliest due first, fill what
fits.

Always valid under the contract (locks permitting); the benchmark compares the model against it
and the solver starts from it as a hint.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .instance import Instance, Participant, Slot, Step, Triple
from .placement import place_instructors

NO_DUE = 10**9


@dataclass
class GreedyState:
    instance: Instance
    step_of: dict[tuple[str, str], str] = field(default_factory=dict)
    area_of_instructor: dict[tuple[str, str], str] = field(default_factory=dict)
    workers: dict[tuple[str, int], list[tuple[str, int]]] = field(
        default_factory=lambda: defaultdict(list))  # (step, slot index) -> [(p, cap)]
    per_area: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    per_type: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    need: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    capacity: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    staffed: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    @classmethod
    def of_plan(cls, instance: Instance, assignments: list[Triple],
                placements: list[tuple[str, str, str]]) -> GreedyState:
        """A state holding a plan made elsewhere (the solver's), with every check in it."""
        state = cls(instance)
        for instructor, slot, area in placements:
            state.place(instructor, slot, area)
        for triple in sorted(assignments, key=lambda t: instance.slot_index[t.slot]):
            state.add(instance.participant_by_id[triple.participant],
                      instance.step_by_id[triple.step], instance.slot_by_id[triple.slot])
        return state

    def given_upto(self, step: str, index: int) -> int:
        return sum(cap for i in range(index + 1) for _, cap in self.workers.get((step, i), []))

    def rule7_allows(self, step: Step, index: int, cap: int) -> bool:
        """Adding `cap` at slot `index` keeps everyone on the step needed, now and later."""
        if self.given_upto(step.id, index) >= step.work:
            return False
        for later in range(index, len(self.instance.slots)):
            people = self.workers.get((step.id, later), [])
            if people:
                smallest = min(c for _, c in people)
                if self.given_upto(step.id, later) + cap - smallest >= step.work:
                    return False
        return True

    def fits(self, step: Step, slot: Slot) -> bool:
        kind = self.instance.task_type_by_id[step.task_type]
        return self.instance.has_room(kind.id, self.per_area[(kind.area, slot.id)],
                                      self.per_type[(kind.id, slot.id)])

    def secure_support(self, area: str, slot: Slot, points: int) -> bool:
        """Place free instructors in the area until it has one and enough capacity."""
        key = (area, slot.id)
        while not self.staffed[key] or self.capacity[key] - self.need[key] < points:
            free = self.instance.free_instructors(area, slot, self.area_of_instructor)
            if not free:
                return False
            # Instructors bound to few areas go first; the flexible ones stay free for longer.
            chosen = min(free, key=lambda i: (len(i.areas) or 10**6, -i.capacity, i.id))
            self.place(chosen.id, slot.id, area)
        return True

    def place(self, instructor: str, slot: str, area: str) -> None:
        self.area_of_instructor[(instructor, slot)] = area
        self.capacity[(area, slot)] += self.instance.instructor_by_id[instructor].capacity
        self.staffed[(area, slot)] += 1

    def add(self, p: Participant, step: Step, slot: Slot) -> None:
        inst = self.instance
        kind = inst.task_type_by_id[step.task_type]
        self.step_of[(p.id, slot.id)] = step.id
        self.workers[(step.id, inst.slot_index[slot.id])].append((p.id, inst.cap(p, slot)))
        self.per_area[(kind.area, slot.id)] += 1
        self.per_type[(kind.id, slot.id)] += 1
        self.need[(kind.area, slot.id)] += p.support_points

    def add_locks(self) -> None:
        """Every eligible lock, with instructors placed for them all at once (`placement.py`:
        as few as will do), or the greedy way where no placement supports them all.

        Why not the greedy way always: placed lock by lock, the instructors often could not
        support a solved plan's past half-days, and so the greedy and guided starts of a week
        re-planned mid-week broke rule 5 (centre seeds 1-3 re-planned from Tuesday, Wednesday
        or Thursday: 8 of 9; model notes, item 29)."""
        inst = self.instance
        locks: dict[tuple[str, str], Triple] = {}
        for lock in inst.locked:
            if (lock.participant, lock.slot) not in locks and inst.eligible(
                    inst.participant_by_id[lock.participant], inst.step_by_id[lock.step],
                    inst.slot_by_id[lock.slot]):
                locks[(lock.participant, lock.slot)] = Triple(lock.participant, lock.slot,
                                                              lock.step)
        if not locks:
            return
        placements = place_instructors(inst, list(locks.values()))
        for instructor, slot, area in placements or []:
            self.place(instructor, slot, area)
        for triple in locks.values():
            p = inst.participant_by_id[triple.participant]
            step, slot = inst.step_by_id[triple.step], inst.slot_by_id[triple.slot]
            if placements is None:
                self.secure_support(inst.area_of(step), slot, p.support_points)
            self.add(p, step, slot)

    def given_in(self, step: str, index: int) -> int:
        """The minutes given to `step` in the slot of `index`."""
        return sum(cap for _, cap in self.workers.get((step, index), []))

    def plan(self) -> tuple[list[Triple], list[tuple[str, str, str]]]:
        """The assignments and instructor placements made so far."""
        assignments = [Triple(p, s, j) for (p, s), j in self.step_of.items()]
        placements = [(i, s, a) for (i, s), a in self.area_of_instructor.items()]
        return assignments, placements

    def try_add(self, p: Participant, step: Step, slot: Slot) -> bool:
        inst = self.instance
        if (p.id, slot.id) in self.step_of or not inst.eligible(p, step, slot):
            return False
        if not self.fits(step, slot):
            return False
        if not self.rule7_allows(step, inst.slot_index[slot.id], inst.cap(p, slot)):
            return False
        if not self.secure_support(inst.area_of(step), slot, p.support_points):
            return False
        self.add(p, step, slot)
        return True


def _candidates(state: GreedyState, step: Step, slot: Slot, index: int) -> list[Participant]:
    """Free, eligible people; those who did the same kind of work just before come first."""
    inst = state.instance
    previous_step = {(e.participant, e.slot): e.step for e in inst.previous}
    before = inst.slots[index - 1].id if index else None

    def key(p: Participant) -> tuple:
        prior = state.step_of.get((p.id, before)) if before else None
        same_kind = prior is not None and inst.step_by_id[prior].task_type == step.task_type
        return (not same_kind, previous_step.get((p.id, slot.id)) != step.id,
                step.task_type in p.dislikes, bool(p.prefers) and step.task_type not in p.prefers,
                -p.productivity, p.id)

    free = [p for p in inst.participants
            if (p.id, slot.id) not in state.step_of and inst.eligible(p, step, slot)]
    return sorted(free, key=key)


def greedy(instance: Instance, *, keep_previous: bool = False
           ) -> tuple[list[Triple], list[tuple[str, str, str]]]:
    """Assignments and instructor placements of the hand-made plan.

    With `keep_previous`, the previous plan's assignments are kept where they still fit, and
    only the gaps are filled: what an instructor does when re-planning by hand.
    """
    state = GreedyState(instance)
    state.add_locks()
    if keep_previous:
        for entry in sorted(instance.previous, key=lambda e: instance.slot_index[e.slot]):
            state.try_add(instance.participant_by_id[entry.participant],
                          instance.step_by_id[entry.step], instance.slot_by_id[entry.slot])
    fill(state)
    return state.plan()


def filled(instance: Instance, assignments: list[Triple],
           placements: list[tuple[str, str, str]]
           ) -> tuple[list[Triple], list[tuple[str, str, str]]]:
    """The plan with everyone still without work seated where a step fits, as `fill` seats
    them; nobody is moved."""
    state = GreedyState.of_plan(instance, assignments, placements)
    fill(state)
    return state.plan()


def fill(state: GreedyState) -> None:
    """Fill each slot in turn as an instructor would by hand: the earliest due steps first,
    each with the free people who fit, those who did the same kind of work just before first."""
    instance = state.instance
    order = sorted(instance.steps, key=lambda j: (
        instance.due_index(j) if j.due_slot else NO_DUE, -j.priority, j.id))
    for index, slot in enumerate(instance.slots):
        for step in order:
            for p in _candidates(state, step, slot, index):
                if state.given_upto(step.id, index) >= step.work:
                    break
                state.try_add(p, step, slot)
