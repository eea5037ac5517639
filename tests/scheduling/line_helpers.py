"""Tiny ALWABP lines for the tests, and a brute force that tries every line."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from scheduling.line import Line, Station, cycle_time, violations

ALWABP = Path(__file__).parent / "data" / "alwabp"


def random_line(seed: int, tasks: int = 5, workers: int = 3, stations: int | None = None,
                all_workers: bool = True, every_station_used: bool = False) -> Line:
    """A random small line: times 1-9, a quarter impossible (each task keeps one worker),
    random precedences along a random order."""
    rng = random.Random(seed)
    times = []
    for _ in range(tasks):
        row = [rng.randint(1, 9) if rng.random() > 0.25 else None for _ in range(workers)]
        if all(t is None for t in row):
            row[rng.randrange(workers)] = rng.randint(1, 9)
        times.append(tuple(row))
    order = list(range(tasks))
    rng.shuffle(order)
    pairs = tuple((order[a], order[b]) for a in range(tasks) for b in range(a + 1, tasks)
                  if rng.random() < 0.3)
    return Line(tuple(times), pairs, stations or workers, all_workers=all_workers,
                every_station_used=every_station_used)


def brute_force(line: Line) -> int | None:
    """The least cycle time over every choice of workers in line order and every task's
    station, each checked by the validity checker (None: no valid line)."""
    best = None
    for order in itertools.permutations(range(line.workers), line.stations):
        for where in itertools.product(range(line.stations), repeat=line.tasks):
            stations = [Station(w, tuple(i for i in range(line.tasks) if where[i] == s))
                        for s, w in enumerate(order)]
            if not violations(line, stations):
                c = cycle_time(line, stations)
                best = c if best is None else min(best, c)
    return best
