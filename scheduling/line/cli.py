"""python -m scheduling line solve FILE | line bench --data DIR"""

from __future__ import annotations

import argparse
import json
import sys

from .problem import LineError, read


def _numbers(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        out += list(range(int(low), int(high or low) + 1))
    return out


def cmd_solve(args: argparse.Namespace) -> int:
    from .solve import solve

    line = read(args.file)

    def progress(p) -> None:
        print(f"  {p.elapsed:6.2f}s  cycle time {p.cycle_time}  bound {p.bound}", file=sys.stderr)

    result = solve(line, args.time_limit, workers=args.workers, seed=args.seed,
                   on_progress=None if args.json else progress)
    if args.json:
        print(json.dumps(result.as_json()))
    else:
        print(f"{result.status}: cycle time {result.cycle_time}, bound {result.bound}, "
              f"{result.seconds:.2f} s")
        for index, station in enumerate(result.stations, start=1):
            load = sum(line.times[i][station.worker] for i in station.tasks)
            tasks = " ".join(str(i + 1) for i in station.tasks) or "–"
            print(f"station {index}: worker {station.worker + 1}, load {load}, tasks {tasks}")
    return 0 if result.status in ("OPTIMAL", "FEASIBLE") else 1


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import FAMILIES, run

    families = [args.family] if args.family else list(FAMILIES)
    return run(args.data, families, args.time_limit, args.workers, args.output,
               _numbers(args.instances) if args.instances else None)


def add_parser(commands) -> None:
    """The `line` subcommand of `python -m scheduling`."""
    line = commands.add_parser("line", help="line balancing (ALWABP-2): solve, bench")
    sub = line.add_subparsers(dest="line_command", required=True)
    solve = sub.add_parser("solve", help="solve one instance of the public format")
    solve.add_argument("file")
    solve.add_argument("--time-limit", type=float, default=30.0)
    solve.add_argument("--workers", type=int, default=2, help="CP-SAT threads")
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument("--json", action="store_true")
    solve.set_defaults(run=_guarded(cmd_solve))
    bench = sub.add_parser("bench", help="solve a family of the public set, write the table")
    bench.add_argument("--data", required=True, help="the folder of the public set")
    bench.add_argument("--family", help="one family (default: all)")
    bench.add_argument("--instances", help="numbers, e.g. 1-10,41")
    bench.add_argument("--time-limit", type=float, default=60.0)
    bench.add_argument("--workers", type=int, default=2, help="CP-SAT threads")
    bench.add_argument("-o", "--output", default="docs/line-benchmarks.md")
    bench.set_defaults(run=_guarded(cmd_bench))


def _guarded(command):
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except LineError as error:
            raise SystemExit(str(error)) from None
    return run
