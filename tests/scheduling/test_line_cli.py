"""python -m scheduling line solve | bench."""

from __future__ import annotations

import json
import subprocess
import sys

from scheduling.line import Station, read, violations

from .line_helpers import ALWABP


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduling", "line", *args],
                          capture_output=True, text=True, check=False)


def test_solve_prints_the_json_of_a_valid_line():
    result = run("solve", str(ALWABP / "roszieg-1"), "--time-limit", "30", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "OPTIMAL" and data["cycle_time"] == data["bound"] == 20
    line = read(ALWABP / "roszieg-1")
    stations = [Station(s["worker"] - 1, tuple(t - 1 for t in s["tasks"]))
                for s in data["stations"]]
    assert violations(line, stations, data["cycle_time"]) == []


def test_bad_files_give_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad"
    bad.write_text("2\n1 2\n1 x\n")
    result = run("solve", str(bad))
    assert result.returncode != 0 and "not a time" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run("solve", str(tmp_path / "none"))
    assert "cannot read" in missing.stderr and "Traceback" not in missing.stderr


def test_bench_writes_the_table_with_the_published_bounds(tmp_path):
    data = tmp_path / "set"
    (data / "instances" / "roszieg").mkdir(parents=True)
    (data / "instances" / "roszieg" / "1").write_text((ALWABP / "roszieg-1").read_text())
    (data / "instances.csv").write_text(
        '"name","num","tasks","workers","deps","tdeps","ninc","timef","pinc","LB","UB"\n'
        '"roszieg",1,25,4,32,215,12,"L1","I10",20,20\n')
    (data / "bb.csv").write_text('"name","num","time","value","nodes"\n"roszieg",1,0.1,20,3\n')
    out = tmp_path / "bench.md"
    result = run("bench", "--data", str(data), "--family", "roszieg", "--time-limit", "30",
                 "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "| 1 | 25 | 4 | OPTIMAL | 20 | 20 |" in text
    assert "| roszieg | 1 | 30 s | 1 |" in text
    missing = run("bench", "--data", str(tmp_path), "--family", "heskia", "-o", str(out))
    assert "no such family folder" in missing.stderr
