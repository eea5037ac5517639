"""A believable demo centre: 16 participants as in the pilot, 3 instructors, 5 companies.

Loaded once: a second run finds the demo centre and changes nothing. Passwords are generated on
first load and kept in instance/demo-logins.txt (git-ignored), never in the repository.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from . import notices
from .auth.services import create_user
from .extensions import db
from .models import (
    SLOT_KEYS,
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
    Product,
    Role,
    TaskInstruction,
    TaskType,
)
from .people.services import set_support
from .weeks import planning_week, week_monday

DEMO_CENTRE = "Lappeenrannan työkeskus"
LOGINS_FILE = "demo-logins.txt"

AREAS = [("Pakkaamo", 10), ("Kokoonpanotila", 6), ("Hiljainen huone", 3)]
# code, name, easy name, area, tags, max workers, pictogram, plain-language steps
TASK_TYPES = [
    ("pack", "Pakkaus", "Pakkaat tuotteita laatikkoon", "Pakkaamo", [], None, "box",
     ["Ota tyhjä laatikko.", "Laita tuotteet laatikkoon.", "Sulje laatikko teipillä."]),
    ("label", "Tarroitus", "Liimaat tarroja", "Pakkaamo", [], None, "label",
     ["Ota tuote.", "Liimaa tarra kulmaan.", "Laita tuote valmiiden pinoon."]),
    ("sort", "Lajittelu", "Lajittelet osia", "Pakkaamo", [], None, "sort",
     ["Ota kourallinen osia.", "Laita samanlaiset samaan astiaan."]),
    ("assemble", "Kokoonpano", "Kokoat tuotteita", "Kokoonpanotila", ["sharp"], 4, "wrench",
     ["Ota osat kuvan mukaan.", "Kiinnitä osat yhteen.", "Tarkista, että tuote on ehjä."]),
    ("staple", "Nitominen", "Nidot papereita", "Kokoonpanotila", ["noise"], 2, "stapler",
     ["Laita paperit pinoon.", "Paina nitoja alas.", "Laita nippu laatikkoon."]),
    ("fold", "Taittelu", "Taittelet esitteitä", "Hiljainen huone", [], None, "fold",
     ["Ota esite.", "Taita esite keskeltä.", "Laita esite pinoon."]),
]
FIRST_NAMES = ["Aino", "Eero", "Helmi", "Ilkka", "Jenni", "Kalle", "Laura", "Mikko", "Niina",
               "Olli", "Pirjo", "Riku", "Sanna", "Timo", "Ulla", "Ville"]
LAST_NAMES = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine", "Heikkinen",
              "Koskinen", "Järvinen", "Lehtonen", "Saarinen", "Salminen", "Heinonen", "Niemi",
              "Kinnunen", "Turunen"]
INSTRUCTORS = [("Marja Ohjaaja", "marja"), ("Pekka Ohjaaja", "pekka"), ("Tuula Ohjaaja", "tuula")]
COMPANIES = [
    ("Saimaan Paino Oy", "saimaanpaino", [("Esitteiden taittelu", 12000, "fold", 6)]),
    ("Imatran Kehys Oy", "imatrankehys", [("Kehysten kokoonpano", 2000, "assemble", 40)]),
    ("Lappeen Leipomo Oy", "leipomo", [("Lahjapakkaukset", 3000, "pack", 30),
                                       ("Pakkausten tarroitus", 3000, "label", 8)]),
    ("Karjalan Kone Oy", "karjalankone", [("Ruuvien lajittelu", 15000, "sort", 5)]),
    ("Rautjärven Puu Oy", "rautjarvenpuu", [("Ohjevihkojen nitominen", 6000, "staple", 12)]),
]


def demo_logins(instance_path: str) -> list[tuple[str, str, str]]:
    """(role, email, password) of the demo users, as written on first load."""
    path = Path(instance_path) / LOGINS_FILE
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(r[0], r[1], r[2]) for r in rows if len(r) == 3]


def load_demo(instance_path: str, today: date | None = None) -> bool:
    """Load the demo once; False when it is there already."""
    if db.session.scalar(select(Centre).where(Centre.name == DEMO_CENTRE)):
        return False
    with notices.paused(db.session):  # the demo's companies get no mail
        today = today or date.today()
        rng = random.Random(48)
        centre = Centre(name=DEMO_CENTRE, municipality="Lappeenranta")
        db.session.add(centre)
        areas = {name: Area(centre=centre, name=name, seats=seats) for name, seats in AREAS}
        task_types = _task_types(centre, areas)
        logins: list[tuple[str, str, str]] = []
        logins.append(_user(Role.ADMIN, "admin@demo.example", "Anna Pääkäyttäjä")[1])
        _instructors(centre, areas, logins)
        _participants(centre, task_types, rng)
        _companies_and_orders(centre, task_types, today, logins)
        db.session.commit()
    path = Path(instance_path) / LOGINS_FILE
    path.write_text("".join(f"{r}\t{e}\t{p}\n" for r, e, p in logins), encoding="utf-8")
    path.chmod(0o600)
    return True


def _user(role: Role, email: str, name: str, company_id: int | None = None):
    password = secrets.token_urlsafe(9)
    user = create_user(email, name, password, role, company_id)
    return user, (role.value, email, password)


def _task_types(centre: Centre, areas: dict[str, Area]) -> dict[str, TaskType]:
    result = {}
    for code, name, easy, area, tags, max_workers, pictogram, steps in TASK_TYPES:
        task_type = TaskType(centre=centre, area=areas[area], code=code, name=name,
                             easy_name=easy, tags=tags, max_workers=max_workers,
                             pictogram=pictogram)
        task_type.instructions = [TaskInstruction(position=i, text=t) for i, t in enumerate(steps)]
        db.session.add(task_type)
        result[code] = task_type
    return result


def _instructors(centre: Centre, areas: dict[str, Area], logins: list) -> None:
    for index, (name, handle) in enumerate(INSTRUCTORS):
        user, login = _user(Role.INSTRUCTOR, f"{handle}@demo.example", name)
        logins.append(login)
        # The third instructor works mornings only: Friday afternoons are thin, as in real life.
        attends = list(SLOT_KEYS) if index < 2 else [k for k in SLOT_KEYS if k.endswith("am")]
        instructor = Instructor(user=user, name=name, capacity=10, attends=attends,
                                centres=[centre])
        if index == 2:
            instructor.areas = [areas["Hiljainen huone"], areas["Pakkaamo"]]
        db.session.add(instructor)


def _participants(centre: Centre, task_types: dict[str, TaskType], rng: random.Random) -> None:
    codes = list(task_types)
    for index, first in enumerate(FIRST_NAMES):
        days = rng.sample(["mon", "tue", "wed", "thu", "fri"], k=rng.choice([3, 4, 4, 5]))
        halves = ["am", "pm"] if rng.random() < 0.6 else ["am"]
        attends = [f"{d}-{h}" for d in ["mon", "tue", "wed", "thu", "fri"] if d in days
                   for h in halves]
        skills = rng.sample(codes, k=rng.randint(2, 4))
        participant = Participant(
            centre=centre, first_name=first, last_name=LAST_NAMES[index], attends=attends,
            avoid_tags=["noise"] if rng.random() < 0.2 else [],
            needs_routine=rng.random() < 0.35,
            skills=[task_types[c] for c in skills],
        )
        liked = rng.choice(skills)
        participant.preferences = [Preference(task_type=task_types[liked], likes=True)]
        db.session.add(participant)
        db.session.flush()
        set_support(participant, support_points=rng.choice([0, 1, 1, 2, 2, 3, 4]),
                    productivity=rng.choice([40, 50, 60, 70, 80, 90, 100]))


def _companies_and_orders(centre: Centre, task_types: dict[str, TaskType], today: date,
                          logins: list) -> None:
    monday = week_monday(planning_week(today))
    for number, (name, handle, lines) in enumerate(COMPANIES, start=1):
        company = Company(name=name, contact_email=f"tilaukset@{handle}.example")
        db.session.add(company)
        db.session.flush()
        user, login = _user(Role.COMPANY, f"{handle}@demo.example", f"{name} / tilaaja",
                            company.id)
        logins.append(login)
        due = monday + timedelta(days=min(4, number + 1))
        order = Order(company=company, centre=centre, reference=f"T-{today.year}-{number:03d}",
                      title=lines[0][0], status="accepted", wished_date=due,
                      confirmed_date=due, priority=1 + number % 3, created_by_id=user.id)
        order.events = [OrderEvent(kind="received"),
                        OrderEvent(kind="accepted", message=due.strftime("%-d.%-m.%Y"))]
        db.session.add(order)
        for position, (product, quantity, code, seconds) in enumerate(lines):
            line = OrderLine(position=position, product_name=product, quantity=quantity,
                             wished_date=due)
            order.lines.append(line)
            db.session.flush()
            order.steps.append(OrderStep(position=position, line_id=line.id,
                                         task_type=task_types[code], quantity=quantity,
                                         seconds_per_unit=seconds, due_date=due))
            # The catalogue knows these products: the portal can estimate repeat orders.
            db.session.add(Product(company_id=company.id, centre_id=centre.id, name=product,
                                   task_type_id=task_types[code].id, seconds_per_unit=seconds))
        if number == 1:
            _new_order(company, user, centre, monday, today)


def _new_order(company: Company, user, centre: Centre, monday: date, today: date) -> None:
    """One order waiting at the intake desk, so that a newcomer sees how orders come in."""
    wished = monday + timedelta(days=18)
    number = len(COMPANIES) + 1
    order = Order(company=company, centre=centre, reference=f"T-{today.year}-{number:03d}",
                  title="Joulukorttien pakkaus", status="received", wished_date=wished,
                  contact_name="Sari Saimaa", contact_email=company.contact_email,
                  notes="Kortit tulevat lavalla maanantaina.", created_by_id=user.id)
    order.lines = [OrderLine(position=0, product_name="Joulukorttien pakkaus", quantity=3000,
                             wished_date=wished),
                   OrderLine(position=1, product_name="Esitteiden taittelu", quantity=2000,
                             wished_date=wished)]
    order.events = [OrderEvent(kind="received")]
    db.session.add(order)
