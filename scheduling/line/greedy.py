"""A greedy line: stations filled one after the other for a target cycle time, the target
found by bisection. The CP-SAT search starts from it (a complete hint)."""

from __future__ import annotations

import random

from .check import Station, cycle_time
from .problem import Line


def _fill(line: Line, worker: int, done: set[int], target: int,
          noise: random.Random | None) -> list[int]:
    """The tasks one worker takes at the next station: available tasks it can do that still
    fit, those it does relatively best first (its time against the task's best time), then the
    tasks with more work after them."""
    chosen: list[int] = []
    load = 0
    taken = set(done)
    while True:
        best, best_key = None, None
        for i in range(line.tasks):
            t = line.times[i][worker]
            if i in taken or t is None or load + t > target:
                continue
            if any(p not in taken for p in line.predecessors[i]):
                continue
            key = (line.min_time(i) / t if t else 2.0, len(line.descendants[i]), t)
            if noise is not None:
                key = (key[0] * (1 + 0.3 * noise.random()),) + key[1:]
            if best_key is None or key > best_key:
                best, best_key = i, key
        if best is None:
            return chosen
        chosen.append(best)
        taken.add(best)
        load += line.times[best][worker]


def build(line: Line, target: int, noise: random.Random | None = None) -> list[Station] | None:
    """A line whose loads are all <= target, or None when the greedy finds none."""
    done: set[int] = set()
    free = list(range(line.workers))
    stations: list[Station] = []
    for index in range(line.stations):
        last = index == line.stations - 1
        options = []
        for w in free:
            tasks = _fill(line, w, done, target, noise)
            rest = [v for v in free if v != w]
            left = set(range(line.tasks)) - done - set(tasks)
            if last and left:
                continue
            if any(not any(line.can(i, v) for v in rest) for i in left):
                continue
            work = sum(line.min_time(i) for i in tasks)
            options.append((work, -sum(line.times[i][w] for i in tasks), -w, w, tasks))
        if not options:
            return None
        *_, w, tasks = max(options)
        stations.append(Station(w, tuple(tasks)))
        done |= set(tasks)
        free.remove(w)
    if line.every_station_used and not all(s.tasks for s in stations):
        return None
    return stations if len(done) == line.tasks else None


def greedy(line: Line, lower: int = 0, restarts: int = 0, seed: int = 0) -> list[Station] | None:
    """The best greedy line: bisection on the target between `lower` and the sum of the
    slowest times; then `restarts` randomised passes trying one below the best."""
    high = sum(max(t for t in row if t is not None) for row in line.times)
    best = build(line, high)
    if best is None:
        return None
    low = max(lower, 0)
    upper = cycle_time(line, best)
    while low < upper:
        mid = (low + upper) // 2
        found = build(line, mid)
        if found is None:
            low = mid + 1
        else:
            best, upper = found, cycle_time(line, found)
    rng = random.Random(seed)
    for _ in range(restarts):
        found = build(line, cycle_time(line, best) - 1, rng)
        if found is not None:
            best = found
    return best
