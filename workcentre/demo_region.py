"""A region-size demo: the centres of one county planned together as one demo centre.

`workcentre demo --size region` adds it next to the ordinary demo centre: 300 participants,
40 instructors, 12 rooms on four sites and 120 work steps, shaped like the optimiser's "region"
benchmark week (scheduling.generate) and grown through the app's own models. Loaded once.
"""

from __future__ import annotations

import random
import secrets
from datetime import date
from pathlib import Path

from sqlalchemy import select

from scheduling import generate

from .auth.services import create_user
from .demo import FIRST_NAMES, LAST_NAMES, LOGINS_FILE, TASK_TYPES
from .extensions import db
from .models import (
    Area,
    Centre,
    Company,
    Instructor,
    Order,
    OrderEvent,
    OrderLine,
    OrderStep,
    Participant,
    Preference,
    Role,
    TaskInstruction,
    TaskType,
)
from .people.services import set_support
from .weeks import planning_week, week_slots

REGION_CENTRE = "Etelä-Karjalan alue"
REGION_LOGIN = "alue@demo.example"
SITES = ["Lappeenranta", "Imatra", "Joutseno", "Taipalsaari"]
ROOMS = ["Pakkaamo", "Kokoonpanotila", "Hiljainen huone"]
COMPANIES = ["Saimaan Kartonki Oy", "Vuoksen Metalli Oy", "Joutsenon Puu Oy", "Rajan Paino Oy",
             "Karjalan Elektroniikka Oy", "Taipalsaaren Tekstiili Oy", "Lemin Lelu Oy",
             "Ruokolahden Rasia Oy"]
# Easy words and steps of the ordinary demo's task types, by code.
EASY = {code: (easy, pictogram, steps) for code, _, easy, _, _, _, pictogram, steps in TASK_TYPES}


def load_region(instance_path: str, today: date | None = None) -> bool:
    """Add the region demo centre once; False when it is there already."""
    if db.session.scalar(select(Centre).where(Centre.name == REGION_CENTRE)):
        return False
    week = planning_week(today or date.today())
    data = generate("region", seed=1, week=week)
    rng = random.Random("region-demo")
    centre = Centre(name=REGION_CENTRE, municipality="Lappeenranta")
    db.session.add(centre)
    areas = _areas(centre, data["areas"])
    task_types = _task_types(centre, data["task_types"], areas)
    _participants(centre, data["participants"], task_types, rng)
    login = _instructors(centre, data["instructors"], areas)
    _orders(centre, data["orders"], task_types, week)
    db.session.commit()
    with (Path(instance_path) / LOGINS_FILE).open("a", encoding="utf-8") as handle:
        handle.write(f"{login[0]}\t{login[1]}\t{login[2]}\n")
    return True


def _areas(centre: Centre, rows: list[dict]) -> dict[str, Area]:
    areas = {}
    for index, row in enumerate(rows):
        name = f"{SITES[index // len(ROOMS) % len(SITES)]}: {ROOMS[index % len(ROOMS)]}"
        areas[row["id"]] = Area(centre=centre, name=name, seats=row["seats"])
    return areas


def _task_types(centre: Centre, rows: list[dict], areas: dict[str, Area]) -> dict[str, TaskType]:
    result = {}
    for row in rows:
        area = areas[row["area"]]
        base = row["id"].rstrip("0123456789")
        easy, pictogram, steps = EASY.get(base, (row["name"], "", []))
        kind = TaskType(centre=centre, area=area, code=row["id"],
                        name=f"{row['name']} ({area.name.split(':')[0]})", easy_name=easy,
                        tags=row["tags"], max_workers=row["max_workers"], pictogram=pictogram)
        kind.instructions = [TaskInstruction(position=i, text=t) for i, t in enumerate(steps)]
        db.session.add(kind)
        result[row["id"]] = kind
    return result


def _participants(centre: Centre, rows: list[dict], task_types: dict[str, TaskType],
                  rng: random.Random) -> None:
    for row in rows:
        person = Participant(
            centre=centre, first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
            attends=row["attends"], avoid_tags=row["avoid_tags"],
            needs_routine=row["needs_routine"],
            skills=[task_types[code] for code in row["skills"]])
        person.preferences = (
            [Preference(task_type=task_types[c], likes=True) for c in row["prefers"]]
            + [Preference(task_type=task_types[c], likes=False) for c in row["dislikes"]])
        db.session.add(person)
        db.session.flush()
        set_support(person, support_points=row["support_points"],
                    productivity=row["productivity"])


def _instructors(centre: Centre, rows: list[dict],
                 areas: dict[str, Area]) -> tuple[str, str, str]:
    """The instructors; the first signs in (the demo prints the login)."""
    password = secrets.token_urlsafe(9)
    user = create_user(REGION_LOGIN, "Aila Alueohjaaja", password, Role.INSTRUCTOR)
    for index, row in enumerate(rows):
        name = "Aila Alueohjaaja" if index == 0 else f"Ohjaaja {index + 1}"
        db.session.add(Instructor(
            user=user if index == 0 else None, name=name, capacity=row["capacity"],
            attends=row["attends"], centres=[centre],
            areas=[areas[a] for a in row["areas"]]))
    return Role.INSTRUCTOR.value, REGION_LOGIN, password


def _orders(centre: Centre, rows: list[dict], task_types: dict[str, TaskType],
            week: str) -> None:
    day_of = {slot.key: slot.day for slot in week_slots(week)}
    companies = [_company(name) for name in COMPANIES]
    year = week[:4]
    for number, row in enumerate(rows, start=1):
        dues = [day_of[s["due_slot"]] for s in row["steps"] if s["due_slot"]]
        due = max(dues) if dues else None
        order = Order(company=companies[number % len(companies)], centre=centre,
                      reference=f"A-{year}-{number:03d}", title=f"Alueen tilaus {number}",
                      status="accepted", priority=row["priority"], wished_date=due,
                      confirmed_date=due)
        order.events = [OrderEvent(kind="received"), OrderEvent(kind="accepted")]
        kinds = [task_types[step["task_type"]] for step in row["steps"]]
        order.lines = [OrderLine(position=position, product_name=f"{kind.name}, erä {number}",
                                 quantity=step["quantity"], wished_date=due)
                       for position, (step, kind) in enumerate(zip(row["steps"], kinds,
                                                                   strict=True))]
        db.session.add(order)
        db.session.flush()
        order.steps = [OrderStep(position=position, line_id=line.id, task_type=kind,
                                 quantity=step["quantity"],
                                 seconds_per_unit=step["seconds_per_unit"],
                                 release_date=day_of.get(step["release_slot"]),
                                 due_date=day_of.get(step["due_slot"]))
                       for position, (step, kind, line) in enumerate(zip(
                           row["steps"], kinds, order.lines, strict=True))]


def _company(name: str) -> Company:
    company = db.session.scalar(select(Company).where(Company.name == name))
    if company is None:
        handle = name.split()[0].lower()
        company = Company(name=name, contact_email=f"tilaukset@{handle}.example")
        db.session.add(company)
    return company


def measure_week_page(repeats: int = 7) -> str:
    """Server time and size of the region's week page, signed in as its instructor.

    Run after `workcentre demo --size region --no-serve`, in the same environment:
    `python -m workcentre.demo_region 7`.
    """
    import gzip
    import re
    import statistics
    import time

    from . import create_app

    app = create_app()
    with app.app_context():
        centre = db.session.scalar(select(Centre).where(Centre.name == REGION_CENTRE))
        url = f"/planning/{centre.id}/{planning_week(date.today())}"
    rows = (Path(app.instance_path) / LOGINS_FILE).read_text(encoding="utf-8").splitlines()
    password = next(row.split("\t")[2] for row in rows if REGION_LOGIN in row)
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    client.post("/login", data={"email": REGION_LOGIN, "password": password,
                                "csrf_token": token.group(1) if token else ""})
    times, body = [], b""
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        body = response.get_data()
    return (f"{url}: {len(body) / 1024:.0f} KiB HTML ({len(gzip.compress(body)) / 1024:.0f} KiB "
            f"gzipped), server time median {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, n={repeats})")


if __name__ == "__main__":
    import sys

    print(measure_week_page(int(sys.argv[1]) if len(sys.argv) > 1 else 7))
