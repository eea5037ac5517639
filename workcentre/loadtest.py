"""Tablets under load: many kiosks reporting units at once, against a running server.

    python -m workcentre.loadtest setup --tablets 50 -o loadtest.json   # in the server's database
    python -m workcentre.loadtest tablets --url http://127.0.0.1:5000 --world loadtest.json \\
        --seconds 60 [--pace 1]

`setup` (run with the server's DATABASE_URL, or its instance/ SQLite file) makes a centre with one
person and one enrolment link per tablet and one order step planned for all of them today.
`tablets` enrols each kiosk, picks its person and posts reports as the tablet does (JSON, a new
key per report, the same key again after a 429, 5xx or a network error, with back-off), then
prints requests, errors, p50/p95 latency, and units acknowledged against units stored in the
reports and in the step's total (read from the same database). Only for servers on this machine.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import secrets
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

RETRY_FIRST, RETRY_LONGEST = 0.2, 5.0
GRACE = 30.0


def setup(tablets: int, out: str) -> None:
    from . import create_app
    from .clock import today
    from .extensions import db
    from .models import (
        SLOT_KEYS,
        Area,
        Assignment,
        Centre,
        Company,
        Order,
        OrderLine,
        OrderStatus,
        OrderStep,
        Participant,
        TaskType,
        WeekPlan,
    )
    from .tablet.services import start_enrolment
    from .weeks import iso_week

    app = create_app()
    with app.app_context():
        day = today()
        centre = Centre(name=f"Kuormatesti {secrets.token_hex(3)}")
        area = Area(centre=centre, name="Pakkaamo", seats=tablets)
        kind = TaskType(centre=centre, area=area, code="pack", name="Pakkaus")
        order = Order(company=Company(name=f"Kuormatesti {centre.name[-6:]} Oy"), centre=centre,
                      reference=f"K-{secrets.token_hex(4)}", title="Kuormatesti",
                      status=OrderStatus.PLANNED,
                      lines=[OrderLine(product_name="Testi", quantity=10_000_000)])
        step = OrderStep(task_type=kind, quantity=10_000_000, seconds_per_unit=1)
        order.steps = [step]
        people = [Participant(centre=centre, first_name=f"Testi{n}", last_name="Kuorma",
                              attends=list(SLOT_KEYS)) for n in range(tablets)]
        db.session.add_all([order, *people])
        db.session.flush()
        plan = WeekPlan(centre_id=centre.id, week=iso_week(day), state="published")
        plan.assignments = [Assignment(participant_id=p.id, step=step, day=day, half=half)
                            for p in people for half in ("am", "pm")]
        db.session.add(plan)
        tokens = [start_enrolment(centre, f"Kuorma {n}")[1] for n in range(tablets)]
        db.session.commit()
        world = {"step": step.id, "people": [p.id for p in people], "tokens": tokens}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(world, handle)
    print(f"{tablets} tablets ready in {out} (step {world['step']}, day {day})")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    acknowledged: int = 0  # units the server said it stored (new reports only)
    reports: int = 0
    to_check: int = 0
    unsent: int = 0  # reports still unstored when the time ran out
    lock: threading.Lock = field(default_factory=threading.Lock)


class Tablet:
    """One kiosk: its own cookies, enrolled by its link, with its person chosen."""

    def __init__(self, url: str, token: str, person: int) -> None:
        self.url, self.token, self.person = url.rstrip("/"), token, person
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def _get(self, path: str) -> str:
        with self.http.open(self.url + path, timeout=30) as response:
            return response.read().decode()

    def _post(self, path: str, fields: dict, headers: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path, urllib.parse.urlencode(fields).encode(),
                                         headers or {})
        try:
            with self.http.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    @staticmethod
    def _field(page: str, name: str) -> str:
        found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
        return found.group(1) if found else ""

    def start(self) -> None:
        page = self._get(f"/tablet/enroll/{self.token}")
        self._post(f"/tablet/enroll/{self.token}", {"csrf_token": self._field(page, "csrf_token")})
        page = self._get("/tablet/")
        self._post(f"/tablet/me/{self.person}", {"csrf_token": self._field(page, "csrf_token")})
        page = self._get("/tablet/work")
        self.form = {name: self._field(page, name)
                     for name in ("csrf_token", "step", "half", "person", "pass")}

    def report(self, tally: Tally, deadline: float) -> None:
        """One report, sent again with its key until stored (a report started before the end
        may take GRACE seconds more, so that the count at the end is not cut in half)."""
        fields = {**self.form, "key": secrets.token_hex(16), "units": random.randint(1, 9)}
        wait = RETRY_FIRST
        while time.monotonic() < deadline + GRACE:
            began = time.perf_counter()
            try:
                status, body = self._post("/tablet/report", fields, {"Accept": "application/json"})
            except OSError:
                status, body = 0, b""
            with tally.lock:
                tally.latencies.append(time.perf_counter() - began)
                tally.statuses[status] += 1
            if status == 200:
                data = json.loads(body)
                if not data["duplicate"]:
                    with tally.lock:
                        tally.acknowledged += data["units"]
                        tally.to_check += data.get("to_check", 0)
                        tally.reports += 1
                return
            if 400 <= status < 500 and status not in (408, 429):
                return  # refused for good
            time.sleep(wait * random.uniform(0.8, 1.2))
            wait = min(RETRY_LONGEST, wait * 2)
        with tally.lock:
            tally.unsent += 1


def run_tablets(url: str, world_file: str, count: int | None, seconds: float,
                pace: float = 0.0) -> Tally:
    """Every tablet reports, then waits about `pace` seconds (0: at once) before the next."""
    with open(world_file, encoding="utf-8") as handle:
        world = json.load(handle)
    pairs = list(zip(world["tokens"], world["people"], strict=True))[:count]
    tablets = [Tablet(url, token, person) for token, person in pairs]
    for tablet in tablets:
        tablet.start()
    tally = Tally()
    deadline = time.monotonic() + seconds

    def work(tablet: Tablet) -> None:
        time.sleep(random.uniform(0, pace))  # tablets do not all start on the same tick
        while time.monotonic() < deadline:
            tablet.report(tally, deadline)
            time.sleep(random.uniform(0.5, 1.5) * pace)

    threads = [threading.Thread(target=work, args=(t,)) for t in tablets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def stored_units(step_id: int) -> tuple[int, int]:
    """(units in the step's reports, the step's total) from the database."""
    from sqlalchemy import func, select

    from . import create_app
    from .extensions import db
    from .models import OrderStep, ProgressReport

    with create_app().app_context():
        reports = db.session.scalar(select(func.coalesce(func.sum(ProgressReport.units), 0))
                                    .where(ProgressReport.step_id == step_id))
        return reports, db.session.get(OrderStep, step_id).units_done


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else 0.0


def print_summary(tally: Tally, seconds: float, step_id: int) -> None:
    requests = sum(tally.statuses.values())
    errors = requests - tally.statuses[200]
    reports, total = stored_units(step_id)
    print(f"requests {requests} ({requests / seconds:.0f}/s), errors {errors} "
          f"{dict(sorted((k, v) for k, v in tally.statuses.items() if k != 200))}")
    print(f"latency p50 {_percentile(tally.latencies, .5) * 1000:.0f} ms, "
          f"p95 {_percentile(tally.latencies, .95) * 1000:.0f} ms")
    print(f"reports acknowledged {tally.reports}, unsent at the end {tally.unsent}")
    print(f"units acknowledged {tally.acknowledged}, in stored reports {reports}, "
          f"step total {total}, to check {tally.to_check}")
    print("OK: nothing lost, nothing doubled" if tally.acknowledged == reports == total
          else "MISMATCH: acknowledged, stored and total differ")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m workcentre.loadtest")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("setup", help="kiosks, people and a planned step in the database")
    make.add_argument("--tablets", type=int, default=50)
    make.add_argument("-o", "--out", default="loadtest.json")
    load = sub.add_parser("tablets", help="post reports as the tablets do")
    load.add_argument("--url", default="http://127.0.0.1:5000")
    load.add_argument("--world", default="loadtest.json")
    load.add_argument("--tablets", type=int, default=None, help="how many (default: all)")
    load.add_argument("--seconds", type=float, default=60)
    load.add_argument("--pace", type=float, default=0.0,
                      help="seconds a tablet waits between reports, on average (default: none)")
    args = parser.parse_args(argv)
    if args.command == "setup":
        setup(args.tablets, args.out)
        return
    host = urllib.parse.urlsplit(args.url).hostname or ""
    if host not in ("localhost", "::1") and not host.startswith("127."):
        parser.error("only a server on this machine (127.0.0.1 or localhost)")
    tally = run_tablets(args.url, args.world, args.tablets, args.seconds, args.pace)
    with open(args.world, encoding="utf-8") as handle:
        print_summary(tally, args.seconds, json.load(handle)["step"])


if __name__ == "__main__":
    main()
