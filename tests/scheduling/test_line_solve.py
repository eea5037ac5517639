"""The line solver: tiny lines match brute force, shipped public instances reach their proven
optimum, the app API, progress and stop. Every line is checked by the validity checker."""

from __future__ import annotations

import threading
import time

import pytest

from scheduling.line import read, solve, violations
from scheduling.line.app import Operation, Person, plan_line
from scheduling.line.greedy import greedy
from scheduling.line.local import improve
from scheduling.line.model import canonical

from .line_helpers import ALWABP, brute_force, random_line


def assert_valid(line, result) -> None:
    assert violations(line, result.stations, result.cycle_time) == []


@pytest.mark.parametrize("seed", range(12))
def test_tiny_lines_match_brute_force(seed):
    line = random_line(seed, tasks=5, workers=3)
    result = solve(line, time_limit=20, workers=1, seed=seed)
    assert result.status == "OPTIMAL"
    assert_valid(line, result)
    assert result.cycle_time == brute_force(line)


@pytest.mark.parametrize("seed", range(6))
def test_tiny_app_lines_with_fewer_stations_match_brute_force(seed):
    line = random_line(100 + seed, tasks=4, workers=4, stations=2, all_workers=False,
                       every_station_used=seed % 2 == 0)
    result = solve(line, time_limit=20, workers=1, seed=seed)
    expected = brute_force(line)
    if expected is None:
        assert result.status in ("INFEASIBLE", "UNKNOWN") and result.cycle_time is None
    else:
        assert result.status == "OPTIMAL" and result.cycle_time == expected
        assert_valid(line, result)


@pytest.mark.parametrize("name, optimum", [
    ("heskia-1", 94), ("heskia-41", 35), ("roszieg-1", 20), ("roszieg-45", 12)])
def test_shipped_instances_are_solved_to_their_proven_optimum(name, optimum):
    line = read(ALWABP / name)
    result = solve(line, time_limit=60, workers=2)
    assert_valid(line, result)
    assert (result.status, result.cycle_time, result.bound) == ("OPTIMAL", optimum, optimum)
    assert result.time_to_proof is not None and result.time_to_best <= result.time_to_proof


def test_the_greedy_and_the_local_search_give_valid_lines():
    line = read(ALWABP / "tonge-52")
    start = greedy(line)
    assert violations(line, start) == []
    assert violations(line, canonical(line, start)) == []
    assert violations(line, canonical(line, start, swaps=True)) == []
    better = improve(line, start, time.monotonic() + 2.0, seed=1)
    assert violations(line, better) == []
    assert max(sum(line.times[i][s.worker] for i in s.tasks) for s in better) <= \
        max(sum(line.times[i][s.worker] for i in s.tasks) for s in start)


def test_progress_reports_better_lines_and_a_stop_ends_the_solve():
    line = read(ALWABP / "tonge-52")
    seen, stop = [], threading.Event()

    def progress(p) -> None:
        seen.append(p)
        if len(seen) == 2:
            stop.set()

    started = time.monotonic()
    result = solve(line, time_limit=60, workers=2, on_progress=progress, stop=stop)
    assert time.monotonic() - started < 30
    assert_valid(line, result)
    assert [p.cycle_time for p in seen] == sorted({p.cycle_time for p in seen}, reverse=True)
    assert result.cycle_time == seen[-1].cycle_time and result.bound <= result.cycle_time


def test_the_app_plans_a_line_for_the_people_present():
    ops = [Operation("cut", 30), Operation("fold", 20), Operation("glue", 40, skill="glue"),
           Operation("pack", 10, tags=frozenset({"noise"}))]
    people = [Person("anna", 1.0, skills=frozenset({"glue"})),
              Person("bo", 0.5, skills=frozenset()),
              Person("cai", 2.0, skills=frozenset(), avoids=frozenset({"noise"}))]
    plan = plan_line(people, ops, [("cut", "fold"), ("fold", "glue"), ("glue", "pack")],
                     time_limit=10, workers=1)
    assert plan.status == "OPTIMAL"
    where = {op: s.person for s in plan.stations for op in s.operations}
    assert set(where) == {"cut", "fold", "glue", "pack"}
    assert where == {"cut": "cai", "fold": "cai", "glue": "anna", "pack": "bo"}
    order = [op for s in plan.stations for op in s.operations]
    assert order == ["cut", "fold", "glue", "pack"]
    assert plan.cycle_seconds == max(s.seconds for s in plan.stations) == 40
    assert plan.units_per_hour == 90
    assert plan.expected_output(3600) >= 80


def test_the_app_respects_a_set_station_count_and_refuses_bad_input():
    ops = [Operation(str(i), 10) for i in range(4)]
    people = [Person(name) for name in "abcd"]
    plan = plan_line(people, ops, [], stations=2, time_limit=10, workers=1)
    assert len(plan.stations) == 2 and plan.cycle_seconds == 20 and len(plan.left_out) == 2
    assert plan_line(people, ops, [("0", "x")]).messages == [
        "precedence 0 -> x: unknown operation"]
    nobody = plan_line([Person("a", skills=frozenset())], [Operation("o", 5, skill="glue")], [])
    assert nobody.status == "INFEASIBLE" and "nobody present can do operation o" in nobody.messages
