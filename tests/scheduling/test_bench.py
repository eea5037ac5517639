"""The benchmark's table: each row judged against its profile's target, the plan checked."""

from __future__ import annotations

import pytest

from scheduling import bench
from scheduling.generate import generate
from scheduling.instance import load_instance


def _row(profile: str, **changes) -> dict:
    row = {"profile": profile, "seed": 1, "limit": bench.TIME_LIMITS[profile],
           "status": "FEASIBLE", "objective": 1000, "bound": 999,
           "gap": 0.001, "seconds": 10.0, "first": 0.1, "first_cpsat": 0.2, "best": 9.0,
           "greedy": 2000, "valid": True, "unassigned": 3, "greedy_unassigned": 7,
           "attended": 90, "rss_mb": 150.0}
    return {**row, **changes}


@pytest.mark.parametrize(("row", "met"), [
    (_row("pilot", gap=0.01), True),
    (_row("pilot", gap=0.0101), False),
    (_row("pilot", status="OPTIMAL", gap=0.0), True),
    (_row("pilot", gap=0.0, first=1.2), False),  # no valid plan within 1 s
    (_row("pilot", gap=0.0, valid=False), False),  # the evaluator refused the plan
    (_row("centre", gap=0.06), True),
    (_row("centre", gap=0.0601), False),
    (_row("centre", gap=0.01, rss_mb=2100.0), False),
    (_row("region", gap=0.25), True),
    (_row("region", gap=0.2501), False),
    (_row("region", gap=0.1, objective=1601), False),  # more than 0.8 x the greedy plan
    (_row("region", gap=0.1, objective=1600), True),
    # a run with more time than the target gives (`--time-limit 120`) is measured, not met
    (_row("centre", gap=0.0005, limit=60.0), False),
    (_row("region", gap=0.005, limit=120.0), False),
    (_row("pilot", status="OPTIMAL", gap=0.0, limit=30.0), False),
])


def test_each_row_is_judged_by_its_profiles_target(row, met):
    assert bench.met_target(row["profile"], row) is met
    assert bench.table([row]).splitlines()[-1].endswith(f"| {'yes' if met else 'no'} |")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip("|").split("|")]


def _by_column(line: str) -> dict[str, str]:
    """A row of the table, by the names in its header."""
    cells = _cells(line)
    assert len(cells) == len(bench.COLUMNS)
    return dict(zip(bench.COLUMNS, cells, strict=True))


def test_a_row_shows_the_unassigned_half_days_of_the_plan_and_of_the_greedy_plan():
    text = bench.table([_row("centre", unassigned=55, greedy_unassigned=124, attended=560)])
    header, _rule, line = text.splitlines()
    assert _cells(header) == bench.COLUMNS
    row = _by_column(line)
    assert row["unassigned"] == "55 of 560"
    assert row["greedy unassigned"] == "124"


def test_a_bench_run_writes_the_table_of_checked_plans(tmp_path):
    output = tmp_path / "benchmarks.md"
    assert bench.run_bench(["pilot"], seeds=1, output=str(output), time_limit=1.0) == 0
    text = output.read_text(encoding="utf-8")
    assert "Time limits: pilot 1 s." in text  # the limit it ran with, not the profile's own
    lines = [line for line in text.splitlines() if line.startswith("| pilot | 1 |")]
    assert len(lines) == 1
    row = _by_column(lines[0])
    week = load_instance(generate("pilot", 1))
    attended = week.half_days_attended
    planned, of = row["unassigned"].split(" of ")
    assert int(of) == attended and 0 <= int(planned) <= attended
    assert int(row["objective"]) <= int(row["greedy"])  # never worse than the greedy plan
    assert row["valid"] == "yes"  # the evaluator accepted the plan
