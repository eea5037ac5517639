"""Test factories: make the rows a test needs, with real password hashes computed once."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from itertools import count

from workcentre.auth.passwords import hash_password
from workcentre.closures import public_holiday
from workcentre.extensions import db
from workcentre.models import (
    Area,
    Centre,
    Company,
    Instructor,
    Order,
    OrderLine,
    OrderStep,
    Participant,
    Role,
    TaskType,
    User,
)
from workcentre.people.services import set_support

PASSWORD = "oikea-salasana-123"
_numbers = count(1)


@functools.cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def make_centre(name: str | None = None) -> Centre:
    centre = Centre(name=name or f"Työkeskus {next(_numbers)}")
    db.session.add(centre)
    db.session.flush()
    return centre


def make_company(name: str | None = None) -> Company:
    company = Company(name=name or f"Yritys {next(_numbers)} Oy")
    db.session.add(company)
    db.session.flush()
    return company


def make_user(role: Role, *, company: Company | None = None, centre: Centre | None = None,
              email: str | None = None) -> User:
    user = User(email=email or f"user{next(_numbers)}@test.example", name=f"{role} user",
                password_hash=password_hash(), role=role.value,
                company_id=company.id if company else None)
    db.session.add(user)
    if role == Role.INSTRUCTOR:
        db.session.add(Instructor(user=user, name=user.name, capacity=6,
                                  centres=[centre] if centre else []))
    db.session.flush()
    return user


def make_task_type(centre: Centre, code: str = "pack", seats: int = 5) -> TaskType:
    area = Area(centre=centre, name=f"Tila {next(_numbers)}", seats=seats)
    task_type = TaskType(centre=centre, area=area, code=code, name=code.title())
    db.session.add(task_type)
    db.session.flush()
    return task_type


def make_participant(centre: Centre, *, first_name: str = "Aino", support_points: int = 2,
                     productivity: int = 70, attends: list[str] | None = None) -> Participant:
    participant = Participant(centre=centre, first_name=first_name, last_name="Testinen",
                              attends=attends or ["mon-am", "tue-am"])
    db.session.add(participant)
    db.session.flush()
    set_support(participant, support_points=support_points, productivity=productivity)
    db.session.flush()
    return participant


def make_order(company: Company, centre: Centre | None = None, *, quantity: int = 100) -> Order:
    steps = []
    if centre is not None:
        steps = [OrderStep(task_type=make_task_type(centre, f"t{next(_numbers)}"),
                           quantity=quantity, seconds_per_unit=10)]
    order = Order(company=company, centre=centre, reference=f"T-{next(_numbers):05d}",
                  title="Esitteet", lines=[OrderLine(product_name="Esite", quantity=quantity)],
                  steps=steps)
    db.session.add(order)
    db.session.flush()
    return order


def login(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def working_day(days_ahead: int) -> date:
    """A delivery date the centre works on: `days_ahead` from today, moved past weekends and
    holidays (a date relative to today must not fall on Loppiainen in December's test runs)."""
    day = date.today() + timedelta(days=days_ahead)
    while day.weekday() >= 5 or public_holiday(day):
        day += timedelta(days=1)
    return day


DEMO_WEEK = "2026-W48"
DEMO_MONDAY = date(2026, 11, 23)


def load_demo_week(app, folder, today: str, *emails: str) -> int:
    """The demo centre, loaded for DEMO_WEEK with the app's clock at `today` (ISO date); the
    demo users `emails` (default Marja) get PASSWORD. Returns the centre's id."""
    from sqlalchemy import select

    from workcentre.demo import load_demo

    app.config["CLOCK_TODAY"] = today
    with app.app_context():
        load_demo(str(folder), today=DEMO_MONDAY)
        for user in db.session.scalars(select(User).where(
                User.email.in_(emails or ("marja@demo.example",)))):
            user.password_hash = password_hash()
        db.session.commit()
        return db.session.scalars(select(Centre)).one().id
