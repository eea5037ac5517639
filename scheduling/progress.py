"""What a solve reports while it runs: the best plan so far, in figures a person understands.

The figures are computed from the reported plan's assignments (not from the score), with the
contract's definitions, so that the web app can say "3 people without work, 1 order late".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .figures import cumulative_given
from .instance import Instance, Triple


@dataclass(frozen=True)
class Progress:
    objective: int
    bound: int | None  # None for the starting plan, reported before the solver has a bound
    elapsed: float
    # The reported plan's figures (None when a caller made a Progress without a plan):
    unassigned: int | None = None  # the `unassigned` term: half-days attended without work
    idle_people: int | None = None  # people with at least one such half-day
    late_steps: int | None = None  # steps with a due slot and work missing by it
    late_orders: int | None = None  # orders with at least one late step
    late_minutes: int | None = None  # standard minutes of those steps missing by their due slot
    # The reported plan itself, so that a reader can check the figures.
    assignments: tuple[Triple, ...] = field(default=(), repr=False, compare=False)


def progress_of(instance: Instance, assignments: Iterable[Triple], objective: int,
                bound: int | None, elapsed: float) -> Progress:
    """A progress report of the plan of these assignments."""
    plan = tuple(assignments)
    busy = {(t.participant, t.slot) for t in plan}
    idle = [(p.id, s.id) for p in instance.participants for s in instance.attended_slots(p)
            if (p.id, s.id) not in busy]
    upto = cumulative_given(instance, list(plan))
    late = []
    for step in instance.steps:
        if step.due_slot is None or not instance.slots:
            continue
        missing = step.work - min(step.work, upto[step.id][instance.due_index(step)])
        if missing > 0:
            late.append((step, missing))
    return Progress(objective, bound, elapsed, unassigned=len(idle),
                    idle_people=len({pid for pid, _ in idle}), late_steps=len(late),
                    late_orders=len({step.order for step, _ in late}),
                    late_minutes=sum(missing for _, missing in late), assignments=plan)
