"""python -m scheduling: solve, check, generate, with clear messages on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.scheduling.helpers import DATA


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduling", *args], capture_output=True,
                          text=True, check=False)


def test_check_accepts_the_example_plan():
    result = run("check", str(DATA / "tiny-week.json"), str(DATA / "tiny-plan.json"))
    assert result.returncode == 0, result.stdout
    assert "objective 300650" in result.stdout and "OK" in result.stdout


def test_check_refuses_wrong_figures(tmp_path):
    plan = json.loads((DATA / "tiny-plan.json").read_text())
    plan["objective"] = 1
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = run("check", str(DATA / "tiny-week.json"), str(path))
    assert result.returncode == 1 and "wrong figure: objective" in result.stdout


def test_generate_then_solve_then_check(tmp_path):
    week, plan = tmp_path / "week.json", tmp_path / "plan.json"
    assert run("generate", "--profile", "pilot", "--seed", "2", "-o", str(week)).returncode == 0
    solved = run("solve", str(week), "--time-limit", "3", "--workers", "1", "-o", str(plan))
    assert solved.returncode == 0, solved.stderr
    assert json.loads(plan.read_text())["status"] in ("OPTIMAL", "FEASIBLE")
    assert run("check", str(week), str(plan)).returncode == 0


def test_broken_input_gives_a_message_not_a_traceback(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "workcentre-week/1", "slots": 3')
    result = run("solve", str(broken))
    assert result.returncode != 0 and "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    week = json.loads((DATA / "tiny-week.json").read_text())
    week["participants"][3]["skills"].append("glue")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(week))
    result = run("solve", str(bad))
    assert 'participants[3].skills: unknown task type "glue"' in result.stderr
    assert "Traceback" not in result.stderr
    missing = run("check", str(tmp_path / "nothing.json"), str(bad))
    assert missing.returncode != 0 and "cannot read" in missing.stderr
