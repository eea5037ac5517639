"""Local search on the worker view of a line: a line is an assignment of tasks to workers whose
quotient graph (worker u -> worker v when a precedence leads from a task of u to a task of v)
has no cycle; its topological order is the line. Moves take a task off a worker with the
largest load (relocation or swap), keeping the graph acyclic; a tabu list and random kicks
leave local optima. The CP-SAT search gets its best line as a hint."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from .check import Station
from .problem import Line


class Assignment:
    """Tasks to workers with loads and the quotient graph's arc counts, kept in step."""

    def __init__(self, line: Line, owner: list[int]):
        self.line, self.owner = line, list(owner)
        k = line.workers
        self.load = [0] * k
        self.count = [[0] * k for _ in range(k)]
        self.size = [0] * k
        for i, w in enumerate(owner):
            self.load[w] += line.times[i][w]
            self.size[w] += 1
        for i, j in line.arcs:
            if owner[i] != owner[j]:
                self.count[owner[i]][owner[j]] += 1

    def _arcs(self, i: int, sign: int) -> None:
        owner, count, w = self.owner, self.count, self.owner[i]
        for p in self.line.arc_predecessors[i]:
            if owner[p] != w:
                count[owner[p]][w] += sign
        for s in self.line.arc_successors[i]:
            if owner[s] != w:
                count[w][owner[s]] += sign

    def move(self, i: int, v: int) -> None:
        u, t = self.owner[i], self.line.times
        self._arcs(i, -1)
        self.load[u] -= t[i][u]
        self.size[u] -= 1
        self.owner[i] = v
        self.load[v] += t[i][v]
        self.size[v] += 1
        self._arcs(i, +1)

    def on_cycle(self, w: int) -> bool:
        """Whether worker w can reach itself in the quotient graph."""
        count, k = self.count, self.line.workers
        seen = [False] * k
        stack = [v for v in range(k) if count[w][v]]
        while stack:
            v = stack.pop()
            if v == w:
                return True
            if not seen[v]:
                seen[v] = True
                row = count[v]
                stack.extend(x for x in range(k) if row[x] and not seen[x])
        return False

    def stations(self) -> list[Station]:
        """The line: workers in a topological order of the quotient graph, empty ones last."""
        k, count = self.line.workers, self.count
        used = [w for w in range(k) if self.size[w]]
        indegree = {w: sum(1 for u in used if count[u][w]) for w in used}
        ready = sorted(w for w in used if indegree[w] == 0)
        order = []
        while ready:
            u = ready.pop(0)
            order.append(u)
            for v in used:
                if count[u][v]:
                    indegree[v] -= 1
                    if indegree[v] == 0:
                        ready.append(v)
        assert len(order) == len(used), "the quotient graph has a cycle"
        order += [w for w in range(k) if not self.size[w]]
        out = [Station(w, tuple(i for i in range(self.line.tasks) if self.owner[i] == w))
               for w in order]
        return out[:self.line.stations]


def _allowed(a: Assignment, u: int, v: int) -> bool:
    """Whether a task may move from u to v given the station count rules."""
    line = a.line
    if a.size[u] == 1 and line.every_station_used:
        return False
    if a.size[v] == 0:
        used = sum(1 for s in a.size if s) - (a.size[u] == 1)
        return used < line.stations
    return True


def _try(a: Assignment, i: int, v: int) -> bool:
    """Move i to v if that keeps the graph acyclic; else leave it."""
    u = a.owner[i]
    a.move(i, v)
    if a.on_cycle(v):
        a.move(i, u)
        return False
    return True


def improve(line: Line, stations: list[Station], deadline: float, *, seed: int = 0,
            stop: threading.Event | None = None, lower: int = 0, stall: float | None = None,
            on_better: Callable[[list[Station], int], None] | None = None) -> list[Station]:
    """The best line found from `stations` until `deadline` (time.monotonic()), `lower`, or
    `stall` seconds without a better line."""
    rng = random.Random(seed)
    owner = [0] * line.tasks
    for st in stations:
        for i in st.tasks:
            owner[i] = st.worker
    a = Assignment(line, owner)
    k = line.workers
    best_c, best_owner = max(a.load), list(a.owner)
    tabu: dict[tuple[int, int], int] = {}
    iteration, stale, gained = 0, 0, time.monotonic()
    while best_c > lower and time.monotonic() < deadline and not (stop and stop.is_set()):
        if stall is not None and time.monotonic() - gained > stall:
            break
        iteration += 1
        c = max(a.load)
        critical = [w for w in range(k) if a.load[w] == c]
        moved = _relocate(a, critical, c, tabu, iteration, rng) or \
            _swap(a, critical, c, tabu, iteration, rng) or \
            _balance(a, c, tabu, iteration, rng)
        now_c = max(a.load)
        if now_c < best_c:
            best_c, best_owner, stale, gained = now_c, list(a.owner), 0, time.monotonic()
            if on_better is not None:
                on_better(a.stations(), best_c)
        else:
            stale += 1
        if not moved or stale > 50 + 5 * line.tasks:
            if stale > 50 + 5 * line.tasks:
                a = Assignment(line, best_owner)
                stale = 0
            _kick(a, rng, 2 + rng.randrange(3))
    return Assignment(line, best_owner).stations()


def _relocate(a: Assignment, critical: list[int], c: int, tabu, iteration: int,
              rng: random.Random) -> bool:
    """The relocation off a critical worker that leaves the target's load lowest."""
    times, k = a.line.times, a.line.workers
    options = []
    for u in critical:
        for i in range(a.line.tasks):
            if a.owner[i] != u:
                continue
            for v in range(k):
                t = times[i][v]
                if v == u or t is None or a.load[v] + t >= c or tabu.get((i, v), 0) > iteration:
                    continue
                if _allowed(a, u, v):
                    options.append((a.load[v] + t, rng.random(), i, v))
    options.sort()
    for _, _, i, v in options:
        u = a.owner[i]
        if _try(a, i, v):
            tabu[i, u] = iteration + 5 + rng.randrange(10)
            return True
    return False


def _swap(a: Assignment, critical: list[int], c: int, tabu, iteration: int,
          rng: random.Random) -> bool:
    """A swap of a critical worker's task with another worker's that lowers both below c."""
    times, n = a.line.times, a.line.tasks
    options = []
    for u in critical:
        mine = [i for i in range(n) if a.owner[i] == u]
        for j in range(n):
            v = a.owner[j]
            if v == u or times[j][u] is None:
                continue
            for i in mine:
                if times[i][v] is None:
                    continue
                new_u = a.load[u] - times[i][u] + times[j][u]
                new_v = a.load[v] - times[j][v] + times[i][v]
                if new_u < c and new_v < c and tabu.get((i, v), 0) <= iteration:
                    options.append((max(new_u, new_v), rng.random(), i, j))
    options.sort()
    for _, _, i, j in options[:50]:
        u, v = a.owner[i], a.owner[j]
        a.move(i, v)
        a.move(j, u)
        if a.on_cycle(u) or a.on_cycle(v):
            a.move(j, v)
            a.move(i, u)
            continue
        tabu[i, u] = tabu[j, v] = iteration + 5 + rng.randrange(10)
        return True
    return False


def _balance(a: Assignment, c: int, tabu, iteration: int, rng: random.Random) -> bool:
    """No move off a critical worker: the non-tabu relocation, kept below c, that lowers the
    sum of squared loads most (or raises it least), to make room for one."""
    times, k, load = a.line.times, a.line.workers, a.load
    options = []
    for i in range(a.line.tasks):
        u = a.owner[i]
        if load[u] == c:
            continue
        for v in range(k):
            t = times[i][v]
            if v == u or t is None or load[v] + t >= c or tabu.get((i, v), 0) > iteration:
                continue
            after_u = load[u] - times[i][u]
            delta = after_u * after_u - load[u] * load[u] + (load[v] + t) ** 2 - load[v] ** 2
            options.append((delta, rng.random(), i, v))
    options.sort()
    for _, _, i, v in options[:30]:
        u = a.owner[i]
        if _allowed(a, u, v) and _try(a, i, v):
            tabu[i, u] = iteration + 5 + rng.randrange(10)
            return True
    return False


def _kick(a: Assignment, rng: random.Random, moves: int) -> None:
    """A few random relocations that keep the graph acyclic (the largest load may rise)."""
    times, k = a.line.times, a.line.workers
    for _ in range(moves * 10):
        if moves <= 0:
            return
        i = rng.randrange(a.line.tasks)
        v = rng.randrange(k)
        u = a.owner[i]
        if v != u and times[i][v] is not None and _allowed(a, u, v) and _try(a, i, v):
            moves -= 1

