"""The app-facing API: a line for the people present, from operations in standard seconds.

A person's time on an operation is its standard time divided by their pace; an operation is
impossible for a person who lacks its skill, avoids one of its tags, or is marked unable. A
person may be left out. Support needs and instructor capacity are the app's (week plan)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .problem import Line, LineError
from .solve import ProgressCallback, solve

SCALE = 10  # the model counts tenths of a second


@dataclass(frozen=True)
class Operation:
    id: str
    seconds: float  # standard seconds per unit
    skill: str | None = None  # the skill (task type) it needs, if any
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Person:
    id: str
    pace: float = 1.0  # 1.0: the standard time; 0.5: takes twice as long
    skills: frozenset[str] | None = None  # None: every skill
    avoids: frozenset[str] = frozenset()
    cannot: frozenset[str] = frozenset()  # operation ids ruled out otherwise


@dataclass(frozen=True)
class PlannedStation:
    person: str
    operations: tuple[str, ...]  # in a precedence-respecting order
    seconds: float  # the station's load per unit


@dataclass
class LinePlan:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE (no line possible) or UNKNOWN
    stations: list[PlannedStation] = field(default_factory=list)  # in line order
    cycle_seconds: float | None = None
    bound_seconds: float | None = None
    left_out: list[str] = field(default_factory=list)  # people without a station
    messages: list[str] = field(default_factory=list)

    @property
    def units_per_hour(self) -> float | None:
        return None if not self.cycle_seconds else 3600 / self.cycle_seconds

    def expected_output(self, seconds: float) -> int:
        """Units finished in `seconds` of running (the first unit fills the line first)."""
        if not self.cycle_seconds or not self.stations:
            return 0
        fill = sum(s.seconds for s in self.stations)
        return 0 if seconds < fill else 1 + int((seconds - fill) // self.cycle_seconds)


def able(person: Person, operation: Operation) -> bool:
    if operation.id in person.cannot or operation.tags & person.avoids:
        return False
    return operation.skill is None or person.skills is None or operation.skill in person.skills


def plan_line(people: list[Person], operations: list[Operation],
              precedences: list[tuple[str, str]], stations: int | None = None, *,
              time_limit: float = 10.0, workers: int = 2,
              on_progress: ProgressCallback | None = None,
              stop: threading.Event | None = None) -> LinePlan:
    """Stations in line order with their person and operations, minimising the cycle time.
    `stations`: that many stations, each with work; None: as many as help (at most one per
    person and operation)."""
    problems = _problems(people, operations, precedences, stations)
    if problems:
        return LinePlan("INFEASIBLE", messages=problems)
    index = {op.id: i for i, op in enumerate(operations)}
    times = tuple(tuple(round(op.seconds * SCALE / p.pace) if able(p, op) else None
                        for p in people) for op in operations)
    count = stations or min(len(people), len(operations))
    try:
        line = Line(times, tuple((index[a], index[b]) for a, b in precedences), count,
                    all_workers=False, every_station_used=stations is not None)
    except LineError as error:
        return LinePlan("INFEASIBLE", messages=[str(error)])
    result = solve(line, time_limit, workers=workers, on_progress=on_progress, stop=stop)
    if not result.stations:
        return LinePlan(result.status, messages=["no line fits these people and operations"])
    planned = [PlannedStation(people[s.worker].id,
                              tuple(operations[i].id for i in _ordered(line, s.tasks)),
                              sum(times[i][s.worker] for i in s.tasks) / SCALE)
               for s in result.stations if s.tasks]
    placed = {p.person for p in planned}
    return LinePlan(result.status, planned, result.cycle_time / SCALE, result.bound / SCALE,
                    [p.id for p in people if p.id not in placed])


def _ordered(line: Line, tasks: tuple[int, ...]) -> list[int]:
    position = {t: k for k, t in enumerate(line.topological)}
    return sorted(tasks, key=position.__getitem__)


def _problems(people, operations, precedences, stations) -> list[str]:
    out = []
    if not people:
        out.append("no people")
    if not operations:
        out.append("no operations")
    ids = [op.id for op in operations]
    if len(set(ids)) != len(ids):
        out.append("two operations have the same id")
    if any(op.seconds <= 0 for op in operations):
        out.append("every operation needs a standard time above zero")
    if any(p.pace <= 0 for p in people):
        out.append("every pace must be above zero")
    known = set(ids)
    out += [f"precedence {a} -> {b}: unknown operation" for a, b in precedences
            if a not in known or b not in known]
    if stations is not None and not 1 <= stations <= min(len(people), len(operations)):
        out.append("the station count must be between 1 and the number of people and of "
                   "operations")
    for op in operations:
        if people and not any(able(p, op) for p in people):
            out.append(f"nobody present can do operation {op.id}")
    return out
