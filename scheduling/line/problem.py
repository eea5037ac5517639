"""An ALWABP instance: tasks with a time per worker (None: the worker cannot do it) and
precedences; and the reader of the public format (Chaves et al. / Borba & Ritt 2014)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


class LineError(ValueError):
    """Bad input: the message says what and where."""


@dataclass(frozen=True)
class Line:
    """Tasks 0..n-1, workers 0..k-1 (0-based inside; the files and the CLI are 1-based).

    `times[i][w]` is worker w's time on task i, None where w cannot do it. `precedences` are
    pairs (i, j): task i at the same or an earlier station than task j. `stations` is the
    number of stations; every station has one worker. `all_workers`: every worker runs a station
    (the benchmark); otherwise a worker may be left out (the app). A station may have no task
    unless `every_station_used`."""

    times: tuple[tuple[int | None, ...], ...]
    precedences: tuple[tuple[int, int], ...]
    stations: int
    all_workers: bool = True
    every_station_used: bool = False  # each station gets at least one task (app: a set count)
    name: str = ""
    workers: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "workers", len(self.times[0]) if self.times else 0)
        problems = validate(self)
        if problems:
            raise LineError("; ".join(problems))

    @property
    def tasks(self) -> int:
        return len(self.times)

    def can(self, task: int, worker: int) -> bool:
        return self.times[task][worker] is not None

    @cached_property
    def successors(self) -> tuple[tuple[int, ...], ...]:
        out: list[set[int]] = [set() for _ in range(self.tasks)]
        for i, j in self.precedences:
            out[i].add(j)
        return tuple(tuple(sorted(s)) for s in out)

    @cached_property
    def predecessors(self) -> tuple[tuple[int, ...], ...]:
        out: list[set[int]] = [set() for _ in range(self.tasks)]
        for i, j in self.precedences:
            out[j].add(i)
        return tuple(tuple(sorted(s)) for s in out)

    @cached_property
    def topological(self) -> tuple[int, ...]:
        order = _topological(self.tasks, self.precedences)
        assert order is not None  # validate() refused cycles
        return tuple(order)

    @cached_property
    def ancestors(self) -> tuple[frozenset[int], ...]:
        """Every task that must be at the same or an earlier station (transitively)."""
        out: list[frozenset[int]] = [frozenset()] * self.tasks
        for j in self.topological:
            acc: set[int] = set()
            for i in self.predecessors[j]:
                acc.add(i)
                acc |= out[i]
            out[j] = frozenset(acc)
        return tuple(out)

    @cached_property
    def descendants(self) -> tuple[frozenset[int], ...]:
        out: list[set[int]] = [set() for _ in range(self.tasks)]
        for j in range(self.tasks):
            for i in self.ancestors[j]:
                out[i].add(j)
        return tuple(frozenset(s) for s in out)

    @cached_property
    def arcs(self) -> tuple[tuple[int, int], ...]:
        """The precedences without those implied by others (the transitive reduction)."""
        keep = []
        for i, j in sorted(set(self.precedences)):
            if not any(i in self.ancestors[m] for m in self.predecessors[j] if m != i):
                keep.append((i, j))
        return tuple(keep)

    @cached_property
    def arc_successors(self) -> tuple[tuple[int, ...], ...]:
        out: list[list[int]] = [[] for _ in range(self.tasks)]
        for i, j in self.arcs:
            out[i].append(j)
        return tuple(tuple(s) for s in out)

    @cached_property
    def arc_predecessors(self) -> tuple[tuple[int, ...], ...]:
        out: list[list[int]] = [[] for _ in range(self.tasks)]
        for i, j in self.arcs:
            out[j].append(i)
        return tuple(tuple(s) for s in out)

    def min_time(self, task: int) -> int:
        return min(t for t in self.times[task] if t is not None)


def _topological(n: int, pairs) -> list[int] | None:
    indegree = [0] * n
    after: list[list[int]] = [[] for _ in range(n)]
    for i, j in pairs:
        after[i].append(j)
        indegree[j] += 1
    ready = [i for i in range(n) if indegree[i] == 0]
    order = []
    while ready:
        i = ready.pop()
        order.append(i)
        for j in after[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                ready.append(j)
    return order if len(order) == n else None


def validate(line: Line) -> list[str]:
    """What makes the instance unusable, in words (empty when fine)."""
    problems = []
    n, k = len(line.times), line.workers
    if n == 0:
        problems.append("no tasks")
    if k == 0:
        problems.append("no workers")
    for i, row in enumerate(line.times):
        if len(row) != k:
            problems.append(f"task {i + 1}: {len(row)} times for {k} workers")
        elif all(t is None for t in row):
            problems.append(f"task {i + 1}: no worker can do it")
        elif any(t is not None and (not isinstance(t, int) or t < 0) for t in row):
            problems.append(f"task {i + 1}: times must be whole numbers >= 0")
    for i, j in line.precedences:
        if not (0 <= i < n and 0 <= j < n) or i == j:
            problems.append(f"precedence {i + 1} {j + 1}: not two different tasks")
    if not problems and _topological(n, line.precedences) is None:
        problems.append("the precedences form a cycle")
    if line.stations < 1:
        problems.append("at least one station is needed")
    if line.stations > k:
        problems.append(f"{line.stations} stations but only {k} workers")
    if line.every_station_used and line.stations > n:
        problems.append(f"{line.stations} stations but only {n} tasks")
    if line.all_workers and line.stations != k:
        problems.append("every worker runs a station: stations must equal workers")
    return problems


def parse(text: str, name: str = "") -> Line:
    """The public format: n; n lines of worker times (`Inf`: cannot); pairs `i j` (1-based),
    optionally ended by `-1,-1`."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise LineError(f"{name}: empty file")
    try:
        n = int(lines[0])
    except ValueError:
        raise LineError(f"{name} line 1: the number of tasks, not {lines[0]!r}") from None
    if len(lines) < n + 1:
        raise LineError(f"{name}: {n} tasks announced, {len(lines) - 1} lines follow")
    times = []
    for number, line in enumerate(lines[1:n + 1], start=2):
        row = []
        for word in line.split():
            if word.lower() in ("inf", "-1"):
                row.append(None)
                continue
            try:
                row.append(int(word))
            except ValueError:
                raise LineError(f"{name} line {number}: not a time: {word!r}") from None
        times.append(tuple(row))
    pairs = []
    for number, line in enumerate(lines[n + 1:], start=n + 2):
        words = line.replace(",", " ").split()
        try:
            i, j = (int(w) for w in words)
        except ValueError:
            raise LineError(f"{name} line {number}: not a pair 'i j': {line!r}") from None
        if (i, j) == (-1, -1):
            break
        pairs.append((i - 1, j - 1))
    k = len(times[0]) if times else 0
    return Line(tuple(times), tuple(pairs), stations=k, all_workers=True, name=name)


def read(path: str | Path) -> Line:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LineError(f"{path}: cannot read ({error.strerror})") from None
    return parse(text, name=str(path))
