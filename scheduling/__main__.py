"""python -m scheduling solve | check | generate | bench | line"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .check import evaluate
from .generate import PROFILES, generate
from .instance import InstanceError, load_instance


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise SystemExit(f"{path}: cannot read ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise SystemExit(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from error


def _load(path: str):
    try:
        return load_instance(_read_json(path))
    except InstanceError as error:
        raise SystemExit(f"{path}: not a valid instance:\n  "
                         + "\n  ".join(error.messages)) from None


def _write(data: Any, output: str | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_solve(args: argparse.Namespace) -> int:
    from .solve import solve

    instance = _load(args.instance)
    for warning in instance.warnings:
        print(f"warning: {warning}", file=sys.stderr)

    def progress(p) -> None:
        bound = "–" if p.bound is None else p.bound
        print(f"  {p.elapsed:6.2f}s  objective {p.objective}  bound {bound}", file=sys.stderr)

    plan = solve(instance, time_limit=args.time_limit, on_progress=progress,
                 workers=args.workers, seed=args.seed)
    _write(plan, args.output)
    print(f"{plan['status']}: objective {plan['objective']}, bound {plan['bound']}, "
          f"{plan['solve_seconds']} s", file=sys.stderr)
    return 0 if plan["status"] in ("OPTIMAL", "FEASIBLE") else 1


def cmd_check(args: argparse.Namespace) -> int:
    instance = _load(args.instance)
    plan = _read_json(args.plan)
    if not isinstance(plan, dict):
        print(f"{args.plan}: not a plan object")
        return 1
    if plan.get("status") == "INFEASIBLE":
        print("INFEASIBLE plan: nothing to check but its conflicts")
        return 1
    result = evaluate(instance, plan)
    for line in result.violations:
        print(f"invalid: {line}")
    for line in result.figure_errors:
        print(f"wrong figure: {line}")
    print(f"objective {result.objective}  terms {json.dumps(result.terms)}")
    print("OK" if result.ok else "NOT OK")
    return 0 if result.ok else 1


def cmd_generate(args: argparse.Namespace) -> int:
    _write(generate(args.profile, args.seed, args.week), args.output)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import run_bench

    return run_bench(args.profiles or list(PROFILES), seeds=args.seeds, output=args.output,
                     time_limit=args.time_limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scheduling",
                                     description="Plan a work centre's week (CP-SAT).")
    commands = parser.add_subparsers(dest="command", required=True)
    solve = commands.add_parser("solve", help="solve an instance JSON, print the plan JSON")
    solve.add_argument("instance")
    solve.add_argument("--time-limit", type=float, default=30.0)
    solve.add_argument("--workers", type=int, default=None)
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument("-o", "--output")
    solve.set_defaults(run=cmd_solve)
    check = commands.add_parser("check", help="validate a plan and its figures (exit 0 if ok)")
    check.add_argument("instance")
    check.add_argument("plan")
    check.set_defaults(run=cmd_check)
    gen = commands.add_parser("generate", help="a realistic synthetic week")
    gen.add_argument("--profile", choices=sorted(PROFILES), default="pilot")
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--week", default="2026-W48")
    gen.add_argument("-o", "--output")
    gen.set_defaults(run=cmd_generate)
    bench = commands.add_parser("bench", help="solve generated weeks, write docs/benchmarks.md")
    bench.add_argument("--profile", dest="profiles", action="append", choices=sorted(PROFILES))
    bench.add_argument("--seeds", type=int, default=1)
    bench.add_argument("--time-limit", type=float, default=None,
                       help="seconds for every profile, instead of each profile's own")
    bench.add_argument("-o", "--output", default="docs/benchmarks.md")
    bench.set_defaults(run=cmd_bench)
    from .line.cli import add_parser as add_line_parser

    add_line_parser(commands)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
