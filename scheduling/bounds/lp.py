"""Lower bounds of the work terms (`overdue`, `open`) and of the whole objective: from the
week's capacity, and by LPs.

Why: on the region week CP-SAT bounds `unassigned` well but the work terms hardly at all, and
they are a few per cent of the objective. Each term's least value over every valid plan is a
lower bound of that term alone, so the weighted sum of such bounds is a bound of the objective.

Two bounds, the larger counts:
- `work_term_bounds`, no solver: in a slot, a set of steps gets at most the minutes of its best
  `k` eligible people, `k` the seats of their area (and the task types' max workers); support,
  instructors and locks are left out, which can only make the bound lower, never wrong.
- `work_terms_lp_bound`, a linear programme (GLOP, part of OR-Tools): each person is in at most
  one task type per slot, fractionally; seats, max workers and support (instructors placed
  fractionally, each in one area) hold; the minutes a task type gets in a slot go to its steps
  released by then. Rule 7, locks and whole people are left out. Every valid plan is a point of
  it (its `done` minutes as the flow), so its least weighted `overdue` and `open` bound those
  two terms together. It knows a person works in one place at a time, which the capacity bound
  does not: on the region week of seed 1 it gives 1.69 M where that gives 0.75 M.

`WeekLP` extends that LP to the whole objective: every minute given goes to a step, each step
takes at most one last worker's minutes past its work, and the unassigned half-days are in the
objective. It bounds the whole objective where work runs out over the week, and its solution
guides the starting plan (`guided.py`). `TightWeekLP` holds rule 7 closer, for a higher bound.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.linear_solver import pywraplp

from ..instance import Instance, Step


def _people_limit(instance: Instance, steps: list[Step], area: str) -> int:
    """How many people the steps can have at once: seats, and the task types' max workers."""
    limit = instance.area_by_id[area].seats
    kinds = {instance.task_type_by_id[step.task_type] for step in steps}
    if all(kind.max_workers is not None for kind in kinds):
        limit = min(limit, sum(kind.max_workers for kind in kinds))
    return limit


class _Capacity:
    """The most minutes a set of steps of one area can be given up to a slot."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.eligible: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for triple in instance.eligible_triples:
            self.eligible[triple.slot][triple.participant].add(triple.step)

    def most_minutes(self, steps: list[Step], area: str, last_slot: int) -> int:
        inst = self.instance
        ids = {step.id for step in steps}
        limit = _people_limit(inst, steps, area)
        total = 0
        for slot in inst.slots[:last_slot + 1]:
            caps = sorted((inst.cap(inst.participant_by_id[person], slot)
                           for person, eligible in self.eligible[slot.id].items()
                           if eligible & ids), reverse=True)
            total += sum(caps[:limit])
        return total

    def shortfall(self, steps: list[Step], area: str, last_slot: int) -> int:
        return max(0, sum(step.work for step in steps) - self.most_minutes(steps, area, last_slot))


def _overdue_of_area(capacity: _Capacity, area: str, steps: list[Step]) -> int:
    """The larger of: each step alone, summed; or the steps due by some slot, together."""
    inst = capacity.instance
    due = [step for step in steps if step.due_slot is not None]
    one_by_one = sum(step.priority * capacity.shortfall([step], area, inst.due_index(step))
                     for step in due)
    together = 0
    for last in sorted({inst.due_index(step) for step in due}):
        group = [step for step in due if inst.due_index(step) <= last]
        # Each group member weighs at least the least priority among them.
        together = max(together, min(step.priority for step in group)
                       * capacity.shortfall(group, area, last))
    return max(one_by_one, together)


def _open_of_area(capacity: _Capacity, area: str, steps: list[Step]) -> int:
    last = len(capacity.instance.slots) - 1
    one_by_one = sum(capacity.shortfall([step], area, last) for step in steps)
    return max(one_by_one, capacity.shortfall(steps, area, last))


def work_term_bounds(instance: Instance) -> dict[str, int]:
    """Lower bounds of `overdue` and `open` that hold for every valid plan of the week."""
    capacity = _Capacity(instance)
    by_area: dict[str, list[Step]] = defaultdict(list)
    for step in instance.steps:
        by_area[instance.area_of(step)].append(step)
    # The areas' steps are disjoint and each term is a sum over steps, so the bounds add up.
    return {
        "overdue": sum(_overdue_of_area(capacity, area, steps) for area, steps in by_area.items()),
        "open": sum(_open_of_area(capacity, area, steps) for area, steps in by_area.items()),
    }



# -- the LP bound ----------------------------------------------------------------------------
class _WorkLP:
    """The relaxation of the week described in the module docstring, built row by row."""

    def __init__(self, instance: Instance):
        self.inst = instance
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        # share[(participant, slot, task type)]: the part of p's slot spent on that task type
        self.share: dict[tuple[str, str, str], pywraplp.Variable] = {}
        for triple in instance.eligible_triples:
            key = (triple.participant, triple.slot, instance.step_by_id[triple.step].task_type)
            if key not in self.share:
                self.share[key] = self.lp.NumVar(0, 1, "")

    def people_rows(self) -> None:
        """One task type per person and slot; seats; max workers; support."""
        inst, lp = self.inst, self.lp
        by_person: dict[tuple[str, str], list] = defaultdict(list)
        by_kind: dict[tuple[str, str], list] = defaultdict(list)
        by_area: dict[tuple[str, str], list] = defaultdict(list)
        for (person, slot, kind), var in self.share.items():
            by_person[(person, slot)].append(var)
            by_kind[(kind, slot)].append(var)
            by_area[(inst.task_type_by_id[kind].area, slot)].append((person, var))
        for shares in by_person.values():
            lp.Add(lp.Sum(shares) <= 1)
        for (kind, _slot), shares in by_kind.items():
            limit = inst.task_type_by_id[kind].max_workers
            if limit is not None:
                lp.Add(lp.Sum(shares) <= limit)
        placed = self._placements()
        for (area, slot), shares in by_area.items():
            lp.Add(lp.Sum([var for _, var in shares]) <= inst.area_by_id[area].seats)
            need = [inst.participant_by_id[p].support_points * var for p, var in shares]
            lp.Add(lp.Sum(need) <= lp.Sum(placed.get((area, slot), [])))

    def _placements(self) -> dict[tuple[str, str], list]:
        """Capacity * placement per (area, slot); each instructor in at most one area."""
        inst, lp = self.inst, self.lp
        placed: dict[tuple[str, str], list] = defaultdict(list)
        for slot in inst.slots:
            for instructor in inst.instructors:
                if slot.id not in instructor.attends:
                    continue
                where = [(area.id, lp.NumVar(0, 1, "")) for area in inst.areas
                         if instructor.may_supervise(area.id)]
                lp.Add(lp.Sum([var for _, var in where]) <= 1)
                for area, var in where:
                    placed[(area, slot.id)].append(instructor.capacity * var)
        return placed

    def work_objective(self) -> None:
        """Minutes flow from task types to their released steps; minimise weighted shortfalls."""
        lp = self.lp
        flow: dict[str, list[tuple[int, pywraplp.Variable]]] = defaultdict(list)
        for (kind, index), given in self._minutes().items():
            released = self._released(kind, index)
            to_steps = [lp.NumVar(0, step.work, "") for step in released]
            lp.Add(lp.Sum(to_steps) <= lp.Sum(given))
            for step, var in zip(released, to_steps, strict=True):
                flow[step.id].append((index, var))
        lp.Minimize(lp.Sum(self._work_terms(flow)))

    def _minutes(self) -> dict[tuple[str, int], list]:
        """The minutes each task type is given in each slot (by index), as terms of the LP."""
        inst = self.inst
        minutes: dict[tuple[str, int], list] = defaultdict(list)
        for (person, slot, kind), var in self.share.items():
            cap = inst.cap(inst.participant_by_id[person], inst.slot_by_id[slot])
            minutes[(kind, inst.slot_index[slot])].append(cap * var)
        return minutes

    def _released(self, kind: str, index: int) -> list[Step]:
        """The steps of task type `kind` released by the slot of `index`."""
        inst = self.inst
        return [step for step in inst.steps if step.task_type == kind and (
            step.release_slot is None or inst.slot_index[step.release_slot] <= index)]

    def _work_terms(self, flow: dict[str, list[tuple[int, pywraplp.Variable]]]) -> list:
        """The weighted `open` and `overdue` of each step, given the minutes `flow` gives it."""
        inst, weights = self.inst, self.inst.weights
        terms = []
        for step in inst.steps:
            terms.append(weights["open"] * self._shortfall(step, flow[step.id]))
            if step.due_slot is not None:
                on_time = [(i, var) for i, var in flow[step.id] if i <= inst.due_index(step)]
                terms.append(weights["overdue"] * step.priority * self._shortfall(step, on_time))
        return terms

    def _shortfall(self, step: Step, flow: list) -> pywraplp.Variable:
        """W(j) minus the minutes of `flow`, where positive."""
        short = self.lp.NumVar(0, self.lp.infinity(), "")
        self.lp.Add(short >= step.work - self.lp.Sum([var for _, var in flow]))
        return short

    def least(self) -> int:
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return 0
        return self.solved_least()

    def solved_least(self) -> int:
        """The bound from the LP just solved to optimality."""
        value = self.lp.Objective().Value()
        # A margin for the LP's tolerances: the bound must never exceed the true least.
        return max(0, math.floor(value * (1 - 1e-6)) - 1)


class WeekLP(_WorkLP):
    """The same relaxation with the whole week's minutes accounted for: the minutes a task type
    gets in a slot all go to its steps released by then, and a step gets at most `W - 1` plus
    the most minutes one of its people gives in a slot (rule 7 lets only the last worker take
    it past `W`). It minimises the weighted `unassigned`, `overdue` and `open` together, which
    bounds the whole objective, since every other term is at least 0.

    Why: it knows that work runs out. On region seed 3 it bounds the unassigned half-days at
    175 where CP-SAT's bound search reached 105-118 in 60 s, in about 1.4 s (model notes,
    item 28). Its solutions with the steps held near their work (`hold_steps`) guide the
    starting plans (`guided.py`)."""

    def __init__(self, instance: Instance):
        super().__init__(instance)
        self.people_rows()
        # Every valid plan keeps the locks (rule 6): when re-planning mid-week, the past slots
        # are locked as they happened, and the LP plans the rest of the week around them.
        self.locked_minutes: dict[str, int] = defaultdict(int)  # per step
        for lock in instance.locked:
            key = (lock.participant, lock.slot, instance.step_by_id[lock.step].task_type)
            if key in self.share:  # a lock that is not eligible makes the week infeasible
                self.share[key].SetLb(1)
                self.locked_minutes[lock.step] += instance.cap(
                    instance.participant_by_id[lock.participant], instance.slot_by_id[lock.slot])
        # flow[step] = [(slot index, minutes given to the step in that slot)]
        self.flow: dict[str, list[tuple[int, pywraplp.Variable]]] = defaultdict(list)
        self.step_rows: list[tuple[Step, pywraplp.Constraint]] = []
        self._whole_objective()

    def _whole_objective(self) -> None:
        inst, lp = self.inst, self.lp
        for (kind, index), given in self._minutes().items():
            to_steps = []
            for step in self._released(kind, index):
                var = lp.NumVar(0, lp.infinity(), "")
                self.flow[step.id].append((index, var))
                to_steps.append(var)
            lp.Add(lp.Sum(to_steps) == lp.Sum(given))
        self._past_work_rows()
        unassigned = inst.half_days_attended - lp.Sum(list(self.share.values()))
        lp.Minimize(inst.weights["unassigned"] * unassigned + lp.Sum(self._work_terms(self.flow)))

    def _past_work_rows(self) -> None:
        """Rule 7, relaxed: a step gets at most `W - 1` plus its largest worker's minutes."""
        lp = self.lp
        for step in self.inst.steps:
            if self.flow[step.id]:
                row = lp.Add(lp.Sum([var for _, var in self.flow[step.id]])
                             <= step.work - 1 + self.inst.cap_range[step.id][1])
                self.step_rows.append((step, row))

    def hold_steps(self, past_work: str) -> None:
        """Let no step go further past `W - 1` than: `"none"`, nothing; `"smallest"`, the
        smallest minutes one of its people gives in a slot, less one; `"quarter"`, a quarter of
        the largest. Not a relaxation any more, so only for guidance.

        Why: with a whole last worker's minutes allowed, the LP completes many steps early and
        gives each a last worker's minutes more on Friday afternoon, which rule 7 forbids once
        the step is complete (rounded, 110 people of region seed 3 then had no work there).
        Held to nothing, the rounded plans keep no one busy on a step's last minutes, which a
        plan can: held a little less, some weeks round better (region seed 3: 305 unassigned
        held to nothing, 288 to the smallest worker, 282 to a quarter; centre seed 3: 72, 77,
        81). A step the locks take further (the past of a week re-planned mid-week) keeps the
        locks' minutes."""
        for step, row in self.step_rows:
            smallest, largest = self.inst.cap_range[step.id]
            extra = {"none": 0, "smallest": smallest - 1, "quarter": largest // 4}[past_work]
            row.SetUb(max(step.work - 1 + extra, self.locked_minutes[step.id]))

    def solved(self, seconds: float | None = None) -> bool:
        """Solve (warm after the first time); a limit of `seconds` holds for later solves too."""
        if seconds is not None:
            self.lp.SetTimeLimit(max(1, int(seconds * 1000)))
        return self.lp.Solve() == pywraplp.Solver.OPTIMAL

    def task_types(self) -> dict[tuple[str, str], str]:
        """(participant, slot) -> the task type of more than half their slot in the LP just
        solved; a person the LP leaves mostly without work is not in it."""
        return {(person, slot): kind for (person, slot, kind), var in self.share.items()
                if var.solution_value() > 0.5}


class TightWeekLP(WeekLP):
    """`WeekLP` with rule 7 held closer: a step gets at most `W - 1` plus the minutes of one of
    its workers, who works on it that slot. For the bound only: rounded, its solutions give
    worse plans than `WeekLP`'s held ones (region seed 3: 322 unassigned against 280-307).

    Every valid plan is a point of it: in the last slot with work on a step, rule 7 holds for
    the worker who gives least there, so the step gets at most `W - 1` plus that worker's
    minutes (`last` is 1 for that worker, in that slot, on that step; 0 elsewhere).

    Why: `WeekLP` lets a step go past `W - 1` by its largest worker's minutes whoever works
    there, and fills that room with slower people's shares: several half-days at work for
    the price of one. Here the room is one worker's half-day. Region seeds 1-3: 738 / 369 /
    190 unassigned against 714 / 349 / 175 (CP-SAT's bound search: 726 / 363 in 60 s, 187 in
    300 s on seed 3); GLOP takes 2.5-6 s there, under 0.3 s on a centre week
    (model notes, item 30)."""

    def _past_work_rows(self) -> None:
        inst, lp = self.inst, self.lp
        given_in = {(step, index): var for step, pairs in self.flow.items()
                    for index, var in pairs}
        by_share: dict[tuple[str, str, str], list] = defaultdict(list)
        by_step: dict[str, list] = defaultdict(list)
        by_step_slot: dict[tuple[str, int], list] = defaultdict(list)
        for triple in inst.eligible_triples:
            step = inst.step_by_id[triple.step]
            cap = inst.cap(inst.participant_by_id[triple.participant],
                           inst.slot_by_id[triple.slot])
            last = lp.NumVar(0, 1, "")
            by_share[(triple.participant, triple.slot, step.task_type)].append(last)
            by_step[step.id].append((cap, last))
            by_step_slot[(step.id, inst.slot_index[triple.slot])].append(cap * last)
        for key, lasts in by_share.items():  # the worker is on one step, of that task type
            lp.Add(lp.Sum(lasts) <= self.share[key])
        for (step, index), minutes in by_step_slot.items():  # and gives their minutes to it
            if (step, index) in given_in:
                lp.Add(given_in[(step, index)] >= lp.Sum(minutes))
        for step in inst.steps:
            if self.flow[step.id]:
                lasts = by_step[step.id]
                lp.Add(lp.Sum([last for _, last in lasts]) <= 1)
                lp.Add(lp.Sum([var for _, var in self.flow[step.id]])
                       - lp.Sum([cap * last for cap, last in lasts]) <= step.work - 1)


def work_terms_lp_bound(instance: Instance) -> int:
    """A lower bound of `weight(overdue) * overdue + weight(open) * open` in every valid plan."""
    if not instance.steps:
        return 0
    relaxation = _WorkLP(instance)
    relaxation.people_rows()
    relaxation.work_objective()
    return relaxation.least()
