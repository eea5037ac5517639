"""The ALWABP benchmark: solve the public instances of a family, compare with the published
bounds and branch and bound (Borba & Ritt 2014), write docs/line-benchmarks.md.

The folder is the one of the public set: `instances/FAMILY/N`, `instances.csv` (LB, UB) and,
optionally, `bb.csv` (the paper's branch and bound). Results are kept per instance in a JSON
file beside the page, so that families measured in separate runs make one table."""

from __future__ import annotations

import csv
import json
import platform
import statistics
import sys
from datetime import date
from pathlib import Path

from .check import violations
from .problem import LineError, read
from .solve import solve

FAMILIES = ("heskia", "roszieg", "tonge", "wee-mag")
EASY = ("heskia", "roszieg")  # targets: all proven, median < 0.5 s, none > 5 s
EASY_MEDIAN_S, EASY_MAX_S = 0.5, 5.0
HARD_MEDIAN_GAP, HARD_MAX_GAP, HARD_LIMIT_S = 0.02, 0.05, 60.0


def _table(path: Path) -> dict[tuple[str, int], dict]:
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {(row["name"], int(row["num"])): row for row in csv.DictReader(handle)}


def _number(text: str | None) -> float | None:
    return None if text in (None, "", "NA") else float(text)


def bench_family(data: Path, family: str, time_limit: float, workers: int,
                 numbers: list[int] | None = None) -> list[dict]:
    known = _table(data / "instances.csv")
    bb = _table(data / "bb.csv")
    folder = data / "instances" / family
    if not folder.is_dir():
        raise LineError(f"{folder}: no such family folder")
    present = sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())
    rows = []
    for number in present if numbers is None else [n for n in present if n in numbers]:
        line = read(folder / str(number))
        result = solve(line, time_limit, workers=workers)
        wrong = violations(line, result.stations, result.cycle_time) if result.stations else [
            "no line"]
        ref, paper = known.get((family, number), {}), bb.get((family, number), {})
        row = {"family": family, "number": number, "tasks": line.tasks,
               "workers": line.workers, "status": result.status,
               "cycle_time": result.cycle_time, "bound": result.bound,
               "best_at": result.time_to_best, "proof_at": result.time_to_proof,
               "seconds": result.seconds, "greedy": result.greedy, "valid": not wrong,
               "limit": time_limit, "workers_used": workers,
               "LB": _number(ref.get("LB")), "UB": _number(ref.get("UB")),
               "bb_value": _number(paper.get("value")), "bb_seconds": _number(paper.get("time")),
               "stations": [{"worker": s.worker + 1, "tasks": [i + 1 for i in s.tasks]}
                            for s in result.stations]}
        rows.append(row)
        print(f"{family} {number}: {row['status']} C={row['cycle_time']} bound={row['bound']} "
              f"LB/UB={row['LB']}/{row['UB']} {row['seconds']:.2f}s"
              + ("" if row["valid"] else f" INVALID: {wrong[:3]}"), file=sys.stderr, flush=True)
    return rows


def gap(row: dict) -> float | None:
    """(cycle time - best known) / best known."""
    if row["cycle_time"] is None or not row["UB"]:
        return None
    return (row["cycle_time"] - row["UB"]) / row["UB"]


def matches_paper(row: dict) -> bool | None:
    """At least as good as what the paper's B&B proved within 60 s (None: it proved nothing)."""
    if row["bb_seconds"] is None or row["bb_seconds"] > HARD_LIMIT_S:
        return None
    return row["cycle_time"] is not None and row["cycle_time"] <= row["bb_value"]


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def summary(family: str, rows: list[dict]) -> tuple[str, bool]:
    """One line of the summary table and whether the family's target holds."""
    times = [r["seconds"] for r in rows]
    gaps = [g for g in (gap(r) for r in rows) if g is not None]
    proven = sum(r["status"] == "OPTIMAL" for r in rows)
    paper = [m for m in (matches_paper(r) for r in rows) if m is not None]
    valid = all(r["valid"] for r in rows)
    better = [r for r in rows if r["LB"] is not None and r["LB"] < r["UB"]
              and (r["cycle_time"] < r["UB"] or r["bound"] > r["LB"])]
    if family in EASY:
        met = valid and proven == len(rows) and statistics.median(times) < EASY_MEDIAN_S \
            and max(times) <= EASY_MAX_S
        target = f"all proven, median < {EASY_MEDIAN_S:g} s, none > {EASY_MAX_S:g} s"
    else:
        met = valid and bool(gaps) and statistics.median(gaps) <= HARD_MEDIAN_GAP and \
            max(gaps) <= HARD_MAX_GAP and all(paper) and \
            all(r["limit"] <= HARD_LIMIT_S for r in rows)
        target = (f"median gap <= {HARD_MEDIAN_GAP * 100:g} %, none > {HARD_MAX_GAP * 100:g} % "
                  f"at {HARD_LIMIT_S:g} s; matches the paper's B&B proven within 60 s")
    limits = sorted({r["limit"] for r in rows})
    text = (f"| {family} | {len(rows)} | {'/'.join(f'{x:g}' for x in limits)} s | {proven} | "
            f"{_s(statistics.median(times))} | {_s(max(times))} | "
            f"{_pct(statistics.median(gaps)) if gaps else '–'} | "
            f"{_pct(max(gaps)) if gaps else '–'} | {sum(paper)} of {len(paper)} | "
            f"{len(better)} | {'yes' if valid else 'NO'} | {target} | {'yes' if met else 'no'} |")
    return text, met


def render(rows: list[dict]) -> str:
    families = [f for f in FAMILIES if any(r["family"] == f for r in rows)]
    families += sorted({r["family"] for r in rows} - set(families))
    out = ["# Line balancing benchmarks (ALWABP-2)", "",
           f"Written {date.today().isoformat()} by `python -m scheduling line bench` on "
           f"{platform.machine()}, Python {platform.python_version()}. The 320 public "
           "instances of Chaves et al. as published by Borba & Ritt (2014, Comp. Oper. Res. 45, "
           "doi:10.1016/j.cor.2013.12.002); LB/UB are the best known bounds of that set, "
           "'B&B' the paper's branch and bound (its cycle time and seconds; – : not proven). "
           "Gap = (cycle time − UB) / UB. Every line was checked by the validity checker. "
           "The machine's 2 cores were shared with other work: wall times are worse than "
           "on an idle machine. CP-SAT threads: "
           + ", ".join(str(t) for t in sorted({r["workers_used"] for r in rows}))
           + "; 'instances' counts those run (a family may be a sample). "
           "The model: line-balancing.md.", "",
           "| family | instances | limit | proven optimal | median time | max time | "
           "median gap | max gap | ≥ B&B proven in 60 s | open instances improved | valid | "
           "target | met |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for family in families:
        out.append(summary(family, [r for r in rows if r["family"] == family])[0])
    out += ["", "Open instances (LB < UB in the table) whose bound or cycle time the engine "
            "improved, if any, are listed under each family with their line.", ""]
    for family in families:
        out += [f"## {family}", "",
                "| # | tasks | workers | status | cycle time | bound | best at | proof at | "
                "greedy | LB | UB | gap | B&B | B&B s | valid |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        mine = sorted((r for r in rows if r["family"] == family), key=lambda r: r["number"])
        for r in mine:
            out.append(f"| {r['number']} | {r['tasks']} | {r['workers']} | {r['status']} | "
                       f"{_n(r['cycle_time'])} | {_n(r['bound'])} | {_s(r['best_at'])} | "
                       f"{_s(r['proof_at'])} | {_n(r['greedy'])} | {_n(r['LB'])} | "
                       f"{_n(r['UB'])} | {_pct(gap(r))} | {_n(r['bb_value'])} | "
                       f"{_n(r['bb_seconds'])} | {'yes' if r['valid'] else 'NO'} |")
        for r in mine:
            if r["LB"] is not None and r["LB"] < r["UB"] and (
                    r["cycle_time"] < r["UB"] or r["bound"] > r["LB"]):
                out += ["", f"Instance {r['number']}: cycle time {r['cycle_time']} (UB "
                        f"{_n(r['UB'])}), bound {r['bound']} (LB {_n(r['LB'])}); the line "
                        f"(worker: tasks): " + "; ".join(
                            f"{s['worker']}: {' '.join(map(str, s['tasks']))}"
                            for s in r["stations"])]
        out.append("")
    return "\n".join(out)


def run(data: str, families: list[str], time_limit: float, workers: int, output: str,
        numbers: list[int] | None = None) -> int:
    path, store = Path(output), Path(output).with_suffix(".json")
    rows = json.loads(store.read_text()) if store.exists() else []
    for family in families:
        fresh = bench_family(Path(data), family, time_limit, workers, numbers)
        done = {(r["family"], r["number"]) for r in fresh}
        rows = [r for r in rows if (r["family"], r["number"]) not in done] + fresh
    store.write_text(json.dumps(rows, indent=0) + "\n", encoding="utf-8")
    path.write_text(render(rows) + "\n", encoding="utf-8")
    return 0 if all(r["valid"] for r in rows) else 1
