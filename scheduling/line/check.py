"""The validity checker of a line: its own, independent of the model that made the line."""

from __future__ import annotations

from dataclasses import dataclass

from .problem import Line


@dataclass(frozen=True)
class Station:
    """One station of the line: its worker and its tasks (0-based)."""

    worker: int
    tasks: tuple[int, ...]


def loads(line: Line, stations: list[Station]) -> list[int]:
    """Each station's load: the sum of its worker's times (a task they cannot do counts 0 here;
    `violations` reports it)."""
    return [sum(line.times[i][s.worker] or 0 for i in s.tasks) for s in stations]


def violations(line: Line, stations: list[Station], cycle_time: int | None = None) -> list[str]:
    """Everything wrong with `stations` (in line order) as a solution of `line`; [] if valid.

    Checks: the number of stations, each with a task when the line says so; one worker per
    station, no worker twice, every worker placed when the line says so; workers and tasks
    exist; every task exactly once; no task at a worker who cannot do it; every precedence
    i -> j has i at the same or an earlier station; and the claimed cycle time, when given,
    is the largest load."""
    out = []
    if len(stations) != line.stations:
        out.append(f"{len(stations)} stations, the line has {line.stations}")
    workers = [s.worker for s in stations]
    for w in workers:
        if not 0 <= w < line.workers:
            out.append(f"worker {w + 1} does not exist")
    for w in sorted({w for w in workers if workers.count(w) > 1}):
        out.append(f"worker {w + 1} runs more than one station")
    if line.all_workers:
        for w in sorted(set(range(line.workers)) - set(workers)):
            out.append(f"worker {w + 1} runs no station")
    if line.every_station_used:
        out += [f"station {s + 1} has no task" for s, st in enumerate(stations) if not st.tasks]
    where: dict[int, int] = {}
    for index, station in enumerate(stations):
        for task in station.tasks:
            if not 0 <= task < line.tasks:
                out.append(f"task {task + 1} does not exist")
                continue
            if task in where:
                out.append(f"task {task + 1} is at more than one station")
            where.setdefault(task, index)
            if 0 <= station.worker < line.workers and not line.can(task, station.worker):
                out.append(f"worker {station.worker + 1} cannot do task {task + 1}")
    for task in range(line.tasks):
        if task not in where:
            out.append(f"task {task + 1} is at no station")
    for i, j in line.precedences:
        if i in where and j in where and where[i] > where[j]:
            out.append(f"task {i + 1} must come before task {j + 1} "
                       f"(stations {where[i] + 1} and {where[j] + 1})")
    if cycle_time is not None and not out:
        largest = max(loads(line, stations), default=0)
        if cycle_time != largest:
            out.append(f"cycle time {cycle_time} is not the largest load {largest}")
    return out


def cycle_time(line: Line, stations: list[Station]) -> int:
    return max(loads(line, stations), default=0)
