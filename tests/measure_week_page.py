"""Server time, CPU time, HTML size and queries of a centre's week page, in-process (Flask test
client: no network; the time includes the queries and the template). Run after
`workcentre demo --size region --no-serve` in the same environment:

    PYTHONPATH=$PWD python -m tests.measure_week_page 7 ["?day=all&area=all"] [centre] [login]
    PYTHONPATH=$PWD python -m tests.measure_week_page 30 --served http://127.0.0.1:5078 [query]

With `--served URL` it asks a running server instead (`workcentre serve`, same instance
directory) and gives the wall time a browser would wait, network on this machine included.

The CPU time is the request thread's own (`time.thread_time`): on a machine other jobs load it
changes less than the wall time. Point PYTHONPATH at another checkout to measure that code on
the same database (the before/after figures in docs/reliability.md).
"""

from __future__ import annotations

import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from datetime import date
from http.cookiejar import CookieJar
from pathlib import Path

from sqlalchemy import event, select

from workcentre import create_app
from workcentre.demo_region import LOGINS_FILE, REGION_CENTRE, REGION_LOGIN
from workcentre.extensions import db
from workcentre.models import Centre
from workcentre.weeks import planning_week


def main(repeats: int, query: str = "", centre_name: str = REGION_CENTRE,
         email: str = REGION_LOGIN) -> str:
    app = create_app()
    count = [0]

    def counted(*_args) -> None:
        count[0] += 1

    with app.app_context():
        centre = db.session.scalar(select(Centre).where(Centre.name == centre_name))
        url = f"/planning/{centre.id}/{planning_week(date.today())}{query}"
        event.listen(db.engine, "before_cursor_execute", counted)
    password = _password(app.instance_path, email)
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    client.post("/login", data={"email": email, "password": password,
                                "csrf_token": token.group(1) if token else ""})
    client.get(url)  # the first request of a process fills the caches
    wall, cpu, queries, body = [], [], 0, b""
    for _ in range(repeats):
        count[0] = 0
        start, start_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        wall.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        body, queries = response.get_data(), count[0]
    return (f"{url}: {len(body) / 1024:.0f} KiB HTML, {queries} queries, server time median "
            f"{statistics.median(wall) * 1000:.0f} ms (min {min(wall) * 1000:.0f}, max "
            f"{max(wall) * 1000:.0f}), CPU median {statistics.median(cpu) * 1000:.0f} ms, "
            f"n={repeats}")


def _password(instance_path: str, email: str) -> str:
    rows = (Path(instance_path) / LOGINS_FILE).read_text(encoding="utf-8").splitlines()
    return next(row.split("\t")[2] for row in rows if f"\t{email}\t" in row)


def served(repeats: int, base: str, query: str = "", centre_name: str = REGION_CENTRE,
           email: str = REGION_LOGIN) -> str:
    """The same page asked of a running server over HTTP, signed in as `email`."""
    app = create_app()
    with app.app_context():
        centre = db.session.scalar(select(Centre).where(Centre.name == centre_name))
        url = f"{base.rstrip('/')}/planning/{centre.id}/{planning_week(date.today())}{query}"
    http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = http.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    http.open(base + "/login", urllib.parse.urlencode({
        "email": email, "password": _password(app.instance_path, email),
        "csrf_token": token.group(1) if token else ""}).encode()).read()
    http.open(url).read()  # the worker's first request fills its caches
    wall, body = [], b""
    for _ in range(repeats):
        start = time.perf_counter()
        body = http.open(url).read()
        wall.append(time.perf_counter() - start)
    p95 = statistics.quantiles(wall, n=20)[-1] if repeats > 1 else wall[0]
    return (f"{url}: {len(body) / 1024:.0f} KiB HTML, wall median "
            f"{statistics.median(wall) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
            f"(min {min(wall) * 1000:.0f}, max {max(wall) * 1000:.0f}), n={repeats}")


if __name__ == "__main__":
    args = sys.argv[1:]
    count = int(args.pop(0)) if args else 7
    if "--served" in args:
        at = args.index("--served")
        base = args[at + 1]
        del args[at:at + 2]
        print(served(count, base, *args))
    else:
        print(main(count, *args))
