"""`workcentre plan-week`, `export-instance`, `export-plan`, `export-week` against the database."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook

from scheduling import evaluate, load_instance
from workcentre.demo import load_demo

WEEK = "2026-W48"


@pytest.fixture
def demo(app, tmp_path):
    with app.app_context():
        load_demo(str(tmp_path), today=date(2026, 11, 23))
    return app.test_cli_runner()


def test_plan_export_and_check_round_trip(demo, tmp_path):
    result = demo.invoke(args=["plan-week", "--week", WEEK, "--time-limit", "10", "--publish"])
    assert result.exit_code == 0, result.output
    assert "version 1 (published)" in result.output
    instance_file, plan_file = tmp_path / "week.json", tmp_path / "plan.json"
    assert demo.invoke(args=["export-instance", "--week", WEEK, "-o", str(instance_file)]) \
        .exit_code == 0
    assert demo.invoke(args=["export-plan", "--week", WEEK, "-o", str(plan_file)]).exit_code == 0
    instance = load_instance(json.loads(instance_file.read_text()))
    plan = json.loads(plan_file.read_text())
    verdict = evaluate(instance, plan)
    assert verdict.valid, verdict.violations
    assert plan["objective"] == verdict.objective and plan["terms"] == verdict.terms
    workbook_file = tmp_path / "week.xlsx"
    result = demo.invoke(args=["export-week", "--week", WEEK, "-o", str(workbook_file)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(workbook_file)
    filled = sum(1 for name in workbook.sheetnames[:5]
                 for row in workbook[name].iter_rows(min_row=2, values_only=True)
                 for value in row[1:3] if value and value != "—")
    assert filled == len(plan["assignments"])


def test_failures_exit_non_zero_with_a_message(demo, tmp_path):
    bad_week = demo.invoke(args=["plan-week", "--week", "2026-W77"])
    assert bad_week.exit_code == 2 and "ISO week" in bad_week.output
    nothing = demo.invoke(args=["export-plan", "--week", WEEK])
    assert nothing.exit_code == 1 and "No stored plan" in nothing.output
    bad_slot = demo.invoke(args=["plan-week", "--week", WEEK, "--from-slot", "sun-am"])
    assert bad_slot.exit_code == 1 and "unknown slot" in bad_slot.output
    unknown = demo.invoke(args=["export-instance", "--centre", "Nowhere"])
    assert unknown.exit_code == 1 and "No work centre" in unknown.output
    no_dir = demo.invoke(args=["export-instance", "--week", WEEK, "-o",
                               str(tmp_path / "missing" / "x.json")])
    assert no_dir.exit_code == 1 and "Cannot write" in no_dir.output
