"""Lower bounds of the cycle time from relaxations of the line.

- every task takes at least its best worker's time: C >= max_i min_w t(i, w);
- the assignment relaxation at a trial cycle time C: tasks split fractionally over the workers
  who can do them within C, each worker's load at most C, at most `stations` workers' worth of
  time. It is feasible for every C above the optimum, so the least C where it is feasible is a
  bound. Found by bisection, each trial one small LP (GLOP)."""

from __future__ import annotations

from ortools.linear_solver import pywraplp

from .problem import Line


def trivial(line: Line) -> int:
    """The largest of every task's best time and the best-time total over the stations."""
    total = sum(line.min_time(i) for i in range(line.tasks))
    return max(max(line.min_time(i) for i in range(line.tasks)),
               -(-total // line.stations))


def _lp_feasible(line: Line, c: int) -> bool:
    """Whether the assignment relaxation is feasible at cycle time c."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    k = line.workers
    a = {}
    for i in range(line.tasks):
        row = [(w, t) for w, t in enumerate(line.times[i]) if t is not None and t <= c]
        if not row:
            return False
        for w, _ in row:
            a[i, w] = solver.NumVar(0.0, 1.0, "")
        solver.Add(sum(a[i, w] for w, _ in row) == 1)
    # Stations used: a worker's share u_w in [0, 1], sum u_w <= stations, load_w <= C u_w.
    use = [solver.NumVar(0.0, 1.0, "") for _ in range(k)]
    solver.Add(sum(use) <= line.stations)
    for w in range(k):
        terms = [line.times[i][w] * a[i, w] for i in range(line.tasks) if (i, w) in a]
        if terms:
            solver.Add(sum(terms) <= c * use[w])
    solver.Minimize(0)
    return solver.Solve() == pywraplp.Solver.OPTIMAL


def lp_bound(line: Line, upper: int) -> int:
    """The least cycle time in [trivial, upper] at which the assignment relaxation is
    feasible (`upper` itself when it is never feasible below)."""
    low, high = trivial(line), upper
    while low < high:
        mid = (low + high) // 2
        if _lp_feasible(line, mid):
            high = mid
        else:
            low = mid + 1
    return low
