"""Whether a change to the search keeps its plans: solves pilot seeds 1 and 3, centre seeds 2 and
3 and region seed 3 with one worker and a deterministic time limit (so the result does not depend
on the machine's load) and writes each plan's objective, bound, terms and a digest of its
assignments and placements to a JSON file; with a second file, compares the two.

    PYTHONPATH=$PWD python -m tests.measure_same_plans /tmp/before.json
    PYTHONPATH=$PWD python -m tests.measure_same_plans /tmp/after.json /tmp/before.json
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

from scheduling.check import evaluate
from scheduling.generate import generate
from scheduling.instance import load_instance
from scheduling.solve import solve

# (profile, seed, deterministic seconds)
WEEKS = [("pilot", 1, 6.0), ("pilot", 3, 6.0), ("centre", 2, 12.0), ("centre", 3, 12.0),
         ("region", 3, 25.0)]
WALL_LIMIT = 3_600.0  # never reached: the deterministic limit ends each solve


def digest(plan: dict) -> str:
    """A short hash of the plan's assignments and instructor placements."""
    rows = sorted((a["participant"], a["slot"], a["step"]) for a in plan["assignments"])
    rows += sorted(("instructor", p["instructor"], p["slot"], p["area"])
                   for p in plan["instructors"])
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def measure() -> dict[str, dict]:
    results = {}
    for profile, seed, deterministic in WEEKS:
        instance = load_instance(generate(profile, seed))
        started = time.monotonic()
        plan = solve(instance, WALL_LIMIT, workers=1, seed=0, deterministic_time=deterministic)
        seconds = time.monotonic() - started
        verdict = evaluate(instance, plan)
        assert verdict.violations == [] and verdict.figure_errors == [], verdict
        name = f"{profile}-{seed}"
        results[name] = {"status": plan["status"], "objective": plan["objective"],
                         "bound": plan["bound"], "terms": plan["terms"], "digest": digest(plan)}
        print(f"{name}: {plan['status']} objective {plan['objective']} bound {plan['bound']} "
              f"digest {results[name]['digest']} ({seconds:.1f} s)", file=sys.stderr)
    return results


def main(output: str, before: str | None = None) -> int:
    results = measure()
    Path(output).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if before is None:
        return 0
    earlier = json.loads(Path(before).read_text(encoding="utf-8"))
    changed = [name for name in earlier if earlier[name] != results.get(name)]
    for name in changed:
        print(f"CHANGED {name}: {earlier[name]} -> {results.get(name)}", file=sys.stderr)
    print("same plans" if not changed else f"{len(changed)} plans differ", file=sys.stderr)
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
