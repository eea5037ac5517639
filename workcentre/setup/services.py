"""Starting from nothing: work centres, customer companies and their users.

The `workcentre create-*` commands and the set-up pages both call these. Each create is
idempotent: asking again for something that exists returns it untouched (`created` False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..auth.passwords import MIN_LENGTH
from ..auth.services import create_user, normalise_email
from ..extensions import db
from ..locks import hold
from ..models import (
    SLOT_KEYS,
    Area,
    Centre,
    Company,
    Instructor,
    Product,
    Role,
    TaskType,
    User,
    name_key,
)

DEFAULT_SLOTS = "08:30-11:30,12:15-14:45"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SetupRefused(ValueError):
    """Bad input for a set-up step; `message` says what to fix, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class HalfDays:
    """A centre's two working half-days (aamupäivä, iltapäivä)."""

    am_start: str
    am_minutes: int
    pm_start: str
    pm_minutes: int

    def text(self) -> str:
        return f"{self.am_start}-{_end(self.am_start, self.am_minutes)}," \
               f"{self.pm_start}-{_end(self.pm_start, self.pm_minutes)}"


def _minutes(clock: str) -> int:
    match = _TIME.match(clock.strip())
    if match is None:
        raise SetupRefused(_("Kellonaika %(time)s ei kelpaa: kirjoita muodossa 08:30.",
                             time=clock.strip() or "—"))
    return int(match.group(1)) * 60 + int(match.group(2))


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _end(start: str, minutes: int) -> str:
    return _clock(_minutes(start) + minutes)


def parse_half_days(text: str) -> HalfDays:
    """'08:30-11:30,12:15-14:45': the morning and the afternoon, in that order."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    if len(parts) != 2 or any(p.count("-") != 1 for p in parts):
        raise SetupRefused(_("Anna aamupäivä ja iltapäivä muodossa 08:30-11:30,12:15-14:45."))
    (am_from, am_to), (pm_from, pm_to) = (
        tuple(_minutes(t) for t in p.split("-")) for p in parts)
    if am_to <= am_from or pm_to <= pm_from:
        raise SetupRefused(_("Työaika loppuu ennen kuin se alkaa: tarkista kellonajat."))
    if pm_from < am_to:
        raise SetupRefused(_("Iltapäivä alkaa vasta aamupäivän jälkeen: tarkista kellonajat."))
    return HalfDays(_clock(am_from), am_to - am_from, _clock(pm_from), pm_to - pm_from)


def centre_half_days(centre: Centre) -> HalfDays:
    return HalfDays(centre.am_start, centre.am_minutes, centre.pm_start, centre.pm_minutes)


def _name(text: str | None, longest: int) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise SetupRefused(_("Anna nimi."))
    if len(name) > longest:
        raise SetupRefused(_("Nimi on liian pitkä (enintään %(num)d merkkiä).", num=longest))
    return name


def inserted(row: object) -> bool:
    """Insert the row in a savepoint: False when the database refuses it as a duplicate,
    which happens when another request made the same thing after this one looked."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return False
    return True


def no_centre_yet() -> bool:
    return db.session.scalar(select(Centre.id).limit(1)) is None


def find_centre(name: str) -> Centre | None:
    """The centre of this name, whatever its letter case and spacing."""
    return db.session.scalar(select(Centre).where(Centre.name_key == name_key(name)))


def find_company(name: str) -> Company | None:
    """The company of this name, whatever its letter case and spacing."""
    return db.session.scalar(select(Company).where(Company.name_key == name_key(name)))


def create_centre(name: str, *, address: str = "", half_days: HalfDays | None = None
                  ) -> tuple[Centre, bool]:
    """The centre of this name (any letter case), made now if there was none."""
    name = _name(name, 120)
    existing = find_centre(name)
    if existing is not None:
        return existing, False
    hours = half_days or parse_half_days(DEFAULT_SLOTS)
    centre = Centre(name=name, address=" ".join(address.split())[:200],
                    am_start=hours.am_start, am_minutes=hours.am_minutes,
                    pm_start=hours.pm_start, pm_minutes=hours.pm_minutes)
    if not inserted(centre):
        return find_centre(name), False
    return centre, True


def update_centre(centre: Centre, *, name: str, address: str, half_days: HalfDays) -> None:
    name = _name(name, 120)
    other = find_centre(name)
    if other is not None and other is not centre:
        raise SetupRefused(_("Tällä nimellä on jo työkeskus."))
    try:
        with db.session.begin_nested():
            centre.name, centre.address = name, " ".join(address.split())[:200]
            centre.am_start, centre.am_minutes = half_days.am_start, half_days.am_minutes
            centre.pm_start, centre.pm_minutes = half_days.pm_start, half_days.pm_minutes
            db.session.flush()
    except IntegrityError:  # another admin gave a centre this name a moment ago
        raise SetupRefused(_("Tällä nimellä on jo työkeskus.")) from None


def create_company(name: str) -> tuple[Company, bool]:
    """The customer company of this name (any letter case), made now if there was none."""
    name = _name(name, 160)
    existing = find_company(name)
    if existing is not None:
        return existing, False
    company = Company(name=name)
    if not inserted(company):
        return find_company(name), False
    return company, True


def _check_account(email: str, name: str, password: str) -> tuple[str, str]:
    email = normalise_email(email or "")
    if not _EMAIL.match(email) or len(email) > 254:
        raise SetupRefused(_("Sähköpostiosoite ei kelpaa."))
    name = _name(name, 120)
    if len(password or "") < MIN_LENGTH:
        raise SetupRefused(_("Salasanassa on oltava vähintään %(num)d merkkiä.", num=MIN_LENGTH))
    return email, name


def add_user(email: str, name: str, password: str, role: Role, *,
             company: Company | None = None, centre: Centre | None = None
             ) -> tuple[User, bool]:
    """A sign-in account. A company user belongs to `company`; an instructor given a `centre`
    gets a planning record there (every half-day, every area: edit on the centre page).
    An account that exists is kept as it is, except that an instructor is added to `centre`."""
    email, name = _check_account(email, name, password)
    if role == Role.COMPANY and company is None:
        raise SetupRefused(_("Yrityksen käyttäjälle valitaan yritys."))
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is None:
        user = create_user(email, name, password, role, company.id if company else None)
        db.session.expunge(user)
        if not inserted(user):
            existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        if role == Role.INSTRUCTOR and centre is not None and existing.role == Role.INSTRUCTOR:
            join_centre(existing, centre)
        return existing, False
    if role == Role.INSTRUCTOR and centre is not None:
        join_centre(user, centre)
    db.session.flush()
    return user, True


def join_centre(user: User, centre: Centre) -> Instructor:
    """The instructor's planning record, working in `centre` too."""
    instructor = user.instructor
    if instructor is None:
        instructor = Instructor(user=user, name=user.name, capacity=6, attends=list(SLOT_KEYS))
        db.session.add(instructor)
    if centre not in instructor.centres:
        instructor.centres.append(centre)
    return instructor


def create_area(centre: Centre, name: str, seats: int) -> tuple[Area, bool]:
    """The centre's work area (työtila) of this name, made now with `seats` if there was none."""
    name = _name(name, 120)
    if not 0 <= seats <= 500:
        raise SetupRefused(_("Anna paikkojen määrä 0–500."))
    existing = next((a for a in centre.areas if a.name.lower() == name.lower()), None)
    if existing is not None:
        return existing, False
    area = Area(centre=centre, name=name, seats=seats)
    db.session.add(area)
    db.session.flush()
    return area, True


def create_task_type(centre: Centre, area_name: str, name: str, code: str
                     ) -> tuple[TaskType, bool]:
    """The centre's task type with this code, made now in the named area if there was none."""
    name, code = _name(name, 120), (code or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9_-]{1,40}", code):
        raise SetupRefused(_("Tunnus: 1–40 merkkiä, pieniä kirjaimia a–z, numeroita, - tai _."))
    existing = next((k for k in centre.task_types if k.code == code), None)
    if existing is not None:
        return existing, False
    area = next((a for a in centre.areas if a.name.lower() == " ".join(area_name.split()).lower()),
                None)
    if area is None:
        raise SetupRefused(_("Työkeskuksessa ei ole työtilaa %(area)s.", area=area_name))
    task_type = TaskType(centre=centre, area=area, name=name, code=code)
    db.session.add(task_type)
    db.session.flush()
    return task_type, True


def save_product(centre: Centre, name: str, task_type: TaskType, seconds_per_unit: int,
                 company: Company | None = None, *, unit_price_cents: int | None = None,
                 hour_price_cents: int | None = None) -> tuple[Product, bool]:
    """A catalogue product: what the company portal suggests and estimates from, and what
    intake pre-fills. Without a company it is offered to every company. Saving a product that
    exists (same name and company) changes its task type and standard time. The centre's row is
    held until commit, so the same product saved twice at once is one product."""
    name = _name(name, 200)
    hold(Centre, Centre.id == centre.id)
    if task_type.centre_id != centre.id:
        raise SetupRefused(_("Valitse tämän työkeskuksen työtehtävä."))
    if not 1 <= seconds_per_unit <= 36_000:
        raise SetupRefused(_("Anna vakioaika sekunteina 1–36000."))
    company_id = company.id if company else None
    product = db.session.scalar(select(Product).where(
        Product.centre_id == centre.id, Product.name_key == name_key(name),
        Product.company_id.is_(None) if company_id is None
        else Product.company_id == company_id))
    created = product is None
    if created:
        product = Product(centre_id=centre.id, company_id=company_id, name=name)
        db.session.add(product)
    product.task_type_id, product.seconds_per_unit = task_type.id, seconds_per_unit
    if unit_price_cents is not None and hour_price_cents is not None:
        raise SetupRefused(_("Anna hinta joko kappaleelle tai tunnille, ei molemmille."))
    product.unit_price_cents, product.hour_price_cents = unit_price_cents, hour_price_cents
    db.session.flush()
    return product, created


def centre_products(centre: Centre) -> list[Product]:
    return list(db.session.scalars(select(Product).where(Product.centre_id == centre.id)
                                   .order_by(Product.name)))
