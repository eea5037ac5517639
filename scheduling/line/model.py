"""The CP-SAT model of ALWABP-2 (minimise the cycle time given the workers), station-indexed.

Variables: a[i, w] task i to worker w; y[w, s] worker w at station s; x[i, s] task i at
station s; C the cycle time. The model is described in docs/line-balancing.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .check import Station, cycle_time
from .problem import Line


@dataclass
class LineModel:
    line: Line
    lower: int
    upper: int
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    a: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    used: list[cp_model.IntVar] = field(default_factory=list)  # station s has a task
    cross: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    linked: list[cp_model.IntVar] = field(default_factory=list)  # stations s, s+1 linked by an arc
    upto: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    load: list[cp_model.IntVar] = field(default_factory=list)  # per worker
    cycle: cp_model.IntVar | None = None
    swaps: bool = False

    def index(self, s: int):
        """The (0-based) index of the worker at station s, as a linear expression."""
        return sum(w * self.y[w, s] for w in range(self.line.workers))

    def stations_of(self, value) -> list[Station]:
        """The stations of a solution, in line order (`value` reads a variable)."""
        line, out = self.line, []
        for s in range(line.stations):
            worker = next(w for w in range(line.workers) if value(self.y[w, s]))
            tasks = tuple(i for i in range(line.tasks) if value(self.x[i, s]))
            out.append(Station(worker, tasks))
        return out


def build(line: Line, lower: int, upper: int, *, maximal: bool = True,
          swaps: bool = False) -> LineModel:
    """The model with the cycle time in [lower, upper].

    `maximal`: the dominance rule of full stations (no task that could move to an earlier
    station fits there); `swaps`: neighbouring stations that no precedence links have their
    workers in increasing order. The two are not combined (their proofs of validity are not)."""
    lm = LineModel(line, lower, upper)
    m, n, k, model = line.stations, line.tasks, line.workers, lm.model
    lm.cycle = model.new_int_var(lower, upper, "C")
    for i in range(n):
        for w in range(k):
            t = line.times[i][w]
            if t is not None and t <= upper:
                lm.a[i, w] = model.new_bool_var(f"a{i}_{w}")
                if t > lower:  # a worker may take a task only if it fits in the cycle time
                    model.add(lm.cycle >= t).only_enforce_if(lm.a[i, w])
        model.add_exactly_one(lm.a[i, w] for w in range(k) if (i, w) in lm.a)
        for s in range(m):
            lm.x[i, s] = model.new_bool_var(f"x{i}_{s}")
        model.add_exactly_one(lm.x[i, s] for s in range(m))
        _order_encode(lm, i)
    for w in range(k):
        for s in range(m):
            lm.y[w, s] = model.new_bool_var(f"y{w}_{s}")
        at = [lm.y[w, s] for s in range(m)]
        if line.all_workers:
            model.add_exactly_one(at)
        else:
            model.add_at_most_one(at)
        tasks = [i for i in range(n) if (i, w) in lm.a]
        load = model.new_int_var(0, upper, f"load{w}")
        model.add(load == sum(line.times[i][w] * lm.a[i, w] for i in tasks))
        model.add(load <= lm.cycle)
        lm.load.append(load)
    for s in range(m):
        model.add_exactly_one(lm.y[w, s] for w in range(k))
        if line.every_station_used:
            model.add_bool_or([lm.x[i, s] for i in range(n)])
    # Linking the three views: task i at worker w and w at station s <=> i at s.
    for i in range(n):
        for w in range(k):
            for s in range(m):
                if (i, w) in lm.a:
                    model.add_bool_or([lm.a[i, w].Not(), lm.y[w, s].Not(), lm.x[i, s]])
                    model.add_bool_or([lm.x[i, s].Not(), lm.y[w, s].Not(), lm.a[i, w]])
                else:
                    model.add_bool_or([lm.x[i, s].Not(), lm.y[w, s].Not()])
    # Precedences, order-encoded: j at a station <= s only if i is too.
    for i, j in line.arcs:
        for s in range(m - 1):
            model.add_implication(lm.upto[j, s], lm.upto[i, s])
    _empty_last(lm)
    if maximal and not line.every_station_used:
        _full_stations(lm)
    elif swaps:
        _break_swaps(lm)
    model.minimize(lm.cycle)
    return lm


def _order_encode(lm: LineModel, i: int) -> None:
    """upto[i, s]: task i is at station s or earlier."""
    model, m = lm.model, lm.line.stations
    for s in range(m):
        if s == m - 1:
            lm.upto[i, s] = model.new_constant(1)
            continue
        lm.upto[i, s] = model.new_bool_var(f"upto{i}_{s}")
        model.add(lm.upto[i, s] == sum(lm.x[i, r] for r in range(s + 1)))


def _full_stations(lm: LineModel) -> None:
    """Dominance: in some optimal line, a task at a later station whose predecessors are all
    at station s or earlier does not fit at s (moving it there would keep every load within
    the cycle time and every precedence)."""
    line, model = lm.line, lm.model
    for s in range(line.stations - 1):
        for i in range(line.tasks):
            ready = [lm.upto[p, s] for p in line.predecessors[i]]
            for w in range(line.workers):
                if (i, w) not in lm.a:
                    continue
                model.add(lm.load[w] + line.times[i][w] >= lm.cycle + 1).only_enforce_if(
                    [lm.y[w, s], lm.upto[i, s].Not(), *ready])


def _empty_last(lm: LineModel) -> None:
    """The stations with tasks come first, the empty stations' workers in increasing order."""
    line, model, m = lm.line, lm.model, lm.line.stations
    for s in range(m):
        used = model.new_bool_var(f"used{s}")
        tasks = [lm.x[i, s] for i in range(line.tasks)]
        model.add_bool_or(tasks).only_enforce_if(used)
        for var in tasks:
            model.add_implication(var, used)
        lm.used.append(used)
    for s in range(m - 1):
        model.add_implication(lm.used[s + 1], lm.used[s])
        model.add(lm.index(s) < lm.index(s + 1)).only_enforce_if(lm.used[s].Not())


def _break_swaps(lm: LineModel) -> None:
    """Two neighbouring stations with tasks that no precedence links could be swapped: their
    workers are in increasing order."""
    line, model, m = lm.line, lm.model, lm.line.stations
    for s in range(m - 1):
        linked = model.new_bool_var(f"linked{s}")
        crossing = []
        for i, j in line.arcs:
            var = model.new_bool_var(f"cross{i}_{j}_{s}")
            model.add_implication(var, lm.x[i, s])
            model.add_implication(var, lm.x[j, s + 1])
            lm.cross[i, j, s] = var
            crossing.append(var)
        model.add_bool_or(crossing).only_enforce_if(linked)
        lm.linked.append(linked)
        model.add(lm.index(s) < lm.index(s + 1)).only_enforce_if(lm.used[s + 1], linked.Not())


def canonical(line: Line, stations: list[Station], swaps: bool = False) -> list[Station]:
    """The same line (no load above its cycle time) rearranged to meet the model's rules:
    stations full (`_full_stations`) or, with `swaps`, unlinked neighbours ordered by worker
    (bubble sort: each swap removes an inversion, so it ends); then the empty stations last,
    their workers in order."""
    stations = _swapped(line, stations) if swaps else _filled(line, stations)
    used = [s for s in stations if s.tasks]
    return used + sorted((s for s in stations if not s.tasks), key=lambda s: s.worker)


def _filled(line: Line, stations: list[Station]) -> list[Station]:
    """Each station in turn takes every later task that is ready and fits (one pass: moving a
    task to station s changes nothing for the stations before s)."""
    c = cycle_time(line, stations)
    tasks = [list(st.tasks) for st in stations]
    where = {i: s for s, st in enumerate(stations) for i in st.tasks}
    for s, st in enumerate(stations):
        load = sum(line.times[i][st.worker] for i in tasks[s])
        moved = True
        while moved:
            moved = False
            for i in sorted(where, key=line.topological.index):
                t = line.times[i][st.worker]
                if where[i] > s and t is not None and load + t <= c and all(
                        where[p] <= s for p in line.predecessors[i]):
                    tasks[where[i]].remove(i)
                    tasks[s].append(i)
                    where[i], load, moved = s, load + t, True
    return [Station(st.worker, tuple(sorted(tasks[s]))) for s, st in enumerate(stations)]


def _swapped(line: Line, stations: list[Station]) -> list[Station]:
    used = [s for s in stations if s.tasks]
    arcs = set(line.arcs)
    changed = True
    while changed:
        changed = False
        for s in range(len(used) - 1):
            first, second = used[s], used[s + 1]
            if first.worker > second.worker and not any(
                    (i, j) in arcs for i in first.tasks for j in second.tasks):
                used[s], used[s + 1] = second, first
                changed = True
    return used + [s for s in stations if not s.tasks]


def hint(lm: LineModel, stations: list[Station]) -> None:
    """A complete hint of every variable from a valid line (in canonical order)."""
    line, model = lm.line, lm.model
    model.clear_hints()
    full = list(stations) + [Station(w, ()) for w in range(line.workers)
                             if w not in {s.worker for s in stations}]
    full = full[:line.stations]
    station_of = {i: s for s, st in enumerate(full) for i in st.tasks}
    worker_at = {s: st.worker for s, st in enumerate(full)}
    for (i, w), var in lm.a.items():
        model.add_hint(var, worker_at[station_of[i]] == w)
    for (w, s), var in lm.y.items():
        model.add_hint(var, worker_at[s] == w)
    for (i, s), var in lm.x.items():
        model.add_hint(var, station_of[i] == s)
    for (i, s), var in lm.upto.items():
        if s < line.stations - 1:
            model.add_hint(var, station_of[i] <= s)
    for w, var in enumerate(lm.load):
        model.add_hint(var, sum(line.times[i][w] for i, ws in station_of.items()
                                if worker_at[ws] == w))
    for s, var in enumerate(lm.used):
        model.add_hint(var, bool(full[s].tasks))
    for (i, j, s), var in lm.cross.items():
        model.add_hint(var, station_of[i] == s and station_of[j] == s + 1)
    for s, var in enumerate(lm.linked):
        model.add_hint(var, any(station_of[i] == s and station_of[j] == s + 1
                                for i, j in line.arcs))
    model.add_hint(lm.cycle, max(sum(line.times[i][st.worker] for i in st.tasks)
                                 for st in full))
