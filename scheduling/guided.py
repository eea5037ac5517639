"""Starting plans guided by the week's LP (`bounds.WeekLP`, its steps held near their work).

Slot by slot, each person goes to the task type the LP gives them, the people it is surest of
first, on the step of that type the LP's minutes flow to and the plan has given least of so far
in the slot; seats, rule 7 and instructor capacity are checked as the greedy plan checks them.
Last, the week is filled as the greedy plan fills it, for those the LP left without work.

Why: the greedy plan fills each slot with the fastest people on the earliest-due steps, as an
instructor does by hand, and so uses up work that later slots needed: on a region week most of
its half-days without work are on Friday. The LP sees the whole week. Measured on region seeds
1-3: 770 / 430 / 308 half-days without work in about 1 s, where the greedy plan has 1 000 / 648
/ 467 and 60 s of search from it reached 801 / 457 / 305 (model notes, item 28). The fill
at the end: region seeds 2 / 3 412 / 272 instead of 417 / 288, centre seeds 1 / 3 122 / 70
instead of 125 / 72, in under 0.1 s (item 31).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator

from .baseline import NO_DUE, GreedyState, fill
from .bounds import WeekLP
from .instance import Instance, Step, Triple

SMALLEST_SHARE = 1e-6  # of a half-day: below, the LP gives the person no work of that type
PAST_WORK = ("none", "smallest", "quarter")  # how far past its work the LP lets a step go

Plan = tuple[list[Triple], list[tuple[str, str, str]]]


def guided_plans(instance: Instance, week_lp: WeekLP, seconds: float | None = None,
                 stop: threading.Event | None = None) -> Iterator[Plan]:
    """The plans rounded from `week_lp` held each way of `PAST_WORK` (`WeekLP.hold_steps`),
    each solved within `seconds`; none more once `stop` is set."""
    for past_work in PAST_WORK:
        if stop is not None and stop.is_set():
            return
        week_lp.hold_steps(past_work)
        if week_lp.solved(seconds):
            yield guided_plan(instance, week_lp)


def guided_plan(instance: Instance, week_lp: WeekLP) -> Plan:
    """Assignments and instructor placements rounded from `week_lp`'s solution."""
    state = GreedyState(instance)
    state.add_locks()
    flow = {(step, index): var.solution_value()
            for step, pairs in week_lp.flow.items() for index, var in pairs}
    choices: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    for (person, slot, kind), var in week_lp.share.items():
        share = var.solution_value()
        if share > SMALLEST_SHARE:
            choices[slot].append((share, person, kind))
    steps_of: dict[str, list[Step]] = defaultdict(list)
    for step in instance.steps:
        steps_of[step.task_type].append(step)
    people = instance.participant_by_id
    for index, slot in enumerate(instance.slots):
        # Among equal shares, those who need most support first, while instructors have room.
        for _share, person, kind in sorted(choices[slot.id], key=lambda c: (
                -c[0], -people[c[1]].support_points, c[1])):
            if (person, slot.id) not in state.step_of:
                for step in _steps_by_unplanned_flow(state, steps_of[kind], flow, index):
                    if state.try_add(people[person], step, slot):
                        break
    # Then, as the greedy plan fills the week, everyone still without work where a step fits:
    # the LP's shares leave some people out whom whole people's minutes leave room for.
    fill(state)
    return state.plan()


def _steps_by_unplanned_flow(state: GreedyState, steps: list[Step],
                             flow: dict[tuple[str, int], float], index: int) -> list[Step]:
    """The steps by the LP's minutes in the slot of `index` not yet given to them, most first;
    then earliest due."""
    due_index = state.instance.due_index
    return sorted(steps, key=lambda j: (
        state.given_in(j.id, index) - flow.get((j.id, index), 0.0),
        due_index(j) if j.due_slot else NO_DUE, j.id))
