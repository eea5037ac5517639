"""One reading of a plan: what keeps an idle person off a step he is eligible for.

The people's reasons and the late steps' bottlenecks (`explain.py`) are both read from it, so
they explain the same plan the same way. A `blocker` is the first hard rule that adding the
person to the step would break, with every free instructor allowed to join the step's area;
`FREE` means the plan could simply take him (the independent evaluator agrees: tested).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .figures import cumulative_given
from .instance import Instance, Participant, Slot, Step, Triple

# Blockers, in the order they are checked.
DONE = "done"  # the step is complete at the end of the slot without him (rule 7)
SEATS = "seats"  # the area's seats are taken (rule 2)
MACHINES = "max_workers"  # the task type's work places are taken (rule 3)
NO_INSTRUCTOR = "no_instructor"  # nobody supervises the area and nobody free may (rules 4-5)
SUPPORT = "support"  # the area's instructors, and those free, cannot cover his points (rule 5)
LATER = "later"  # someone planned on the step, in that slot or later, would not be needed (rule 7)
FREE = ""  # nothing: the plan could take him
ORDER = (DONE, SEATS, MACHINES, NO_INSTRUCTOR, SUPPORT, LATER, FREE)


@dataclass(frozen=True)
class Idle:
    """An idle person in a slot, and what keeps him off one step."""

    participant: Participant
    slot: Slot
    step: Step
    blocker: str


class PlanAnalysis:
    """The plan's load per slot (seats, work places, support, instructors) and the work each
    step has had, read once; `blocker` answers for any idle person and eligible step."""

    def __init__(self, instance: Instance, assignments: list[Triple],
                 placements: list[tuple[str, str, str]]):
        self.instance = instance
        self.upto = cumulative_given(instance, assignments)
        self.step_of = {(t.participant, t.slot): t.step for t in assignments}
        self.in_area: dict[tuple[str, str], int] = defaultdict(int)
        self.on_type: dict[tuple[str, str], int] = defaultdict(int)
        self.need: dict[tuple[str, str], int] = defaultdict(int)
        workers: dict[tuple[str, int], list[int]] = defaultdict(list)
        for t in assignments:
            step, p = instance.step_by_id[t.step], instance.participant_by_id[t.participant]
            self.in_area[(instance.area_of(step), t.slot)] += 1
            self.on_type[(step.task_type, t.slot)] += 1
            self.need[(instance.area_of(step), t.slot)] += p.support_points
            workers[(t.step, instance.slot_index[t.slot])].append(
                instance.cap(p, instance.slot_by_id[t.slot]))
        self.capacity: dict[tuple[str, str], int] = defaultdict(int)
        self.staff: dict[tuple[str, str], int] = defaultdict(int)
        self.placed = {(who, slot) for who, slot, _ in placements}
        for who, slot, area in placements:
            self.capacity[(area, slot)] += instance.instructor_by_id[who].capacity
            self.staff[(area, slot)] += 1
        self.tightest = self._tightest(workers)

    def _tightest(self, workers: dict[tuple[str, int], list[int]]) -> dict[str, list[int]]:
        """Per step and slot index: the most `G(j, t') - cap(q)` over the people q planned on
        the step in that slot or later. One more person with `cap` minutes makes one of them
        unneeded (rule 7) exactly when `cap + tightest >= W(j)`."""
        count = len(self.instance.slots)
        result = {}
        for step in self.instance.steps:
            running, row = -(10**12), [0] * count
            for index in reversed(range(count)):
                caps = workers.get((step.id, index))
                if caps:
                    running = max(running, self.upto[step.id][index] - min(caps))
                row[index] = running
            result[step.id] = row
        return result

    def given(self, step: Step, index: int) -> int:
        """Minutes given to the step up to and including slot `index` (0 with no slots)."""
        return self.upto[step.id][index] if index >= 0 and self.instance.slots else 0

    def late(self, step: Step) -> bool:
        """Late or unfinished: less than its work done by its due slot (or by the week's end)."""
        return self.given(step, self.instance.due_index(step)) < step.work

    def idle(self, p: Participant, slot: Slot) -> bool:
        return slot.id in p.attends and (p.id, slot.id) not in self.step_of

    def blocker(self, p: Participant, step: Step, slot: Slot) -> str:
        """What keeps idle `p` off eligible `step` in `slot` (see the module's docstring)."""
        inst = self.instance
        index = inst.slot_index[slot.id]
        if self.given(step, index) >= step.work:
            return DONE
        kind = inst.task_type_by_id[step.task_type]
        key = (kind.area, slot.id)
        if self.in_area[key] >= inst.area_by_id[kind.area].seats:
            return SEATS
        if kind.max_workers is not None and self.on_type[(kind.id, slot.id)] >= kind.max_workers:
            return MACHINES
        free = self.free_instructors(kind.area, slot)
        if not self.staff[key] and not free:
            return NO_INSTRUCTOR
        if self.need[key] + p.support_points > self.capacity[key] + sum(i.capacity for i in free):
            return SUPPORT
        if inst.cap(p, slot) + self.tightest[step.id][index] >= step.work:
            return LATER
        return FREE

    def free_instructors(self, area: str, slot: Slot) -> list:
        return self.instance.free_instructors(area, slot, self.placed)

    def support_left(self, area: str, slot: Slot) -> int:
        """Support points the area could still cover in the slot, free instructors included."""
        key = (area, slot.id)
        return self.capacity[key] + sum(i.capacity for i in self.free_instructors(area, slot)) \
            - self.need[key]

    def idle_on(self, step: Step) -> list[Idle]:
        """Everyone idle in a slot up to the step's due slot while eligible for it, with what
        kept them off it (nobody when the step is complete by then)."""
        inst = self.instance
        result = []
        for slot in inst.slots[: inst.due_index(step) + 1]:
            for p in inst.participants:
                if self.idle(p, slot) and inst.eligible(p, step, slot):
                    result.append(Idle(p, slot, step, self.blocker(p, step, slot)))
        return result

    def elsewhere(self, step: Step) -> list[Triple]:
        """People eligible for the step, up to its due slot, planned on other steps."""
        inst = self.instance
        result = []
        for slot in inst.slots[: inst.due_index(step) + 1]:
            for p in inst.participants:
                other = self.step_of.get((p.id, slot.id))
                if other is not None and other != step.id and inst.eligible(p, step, slot):
                    result.append(Triple(p.id, slot.id, other))
        return result
