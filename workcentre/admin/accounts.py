"""What an admin does to user accounts: find, edit, close and reopen them, move instructors.

Every change is checked against the account's version, so when two admins edit the same user
the second is told instead of overwriting the first. At least one active admin always remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..audit import record
from ..auth.services import deactivate, normalise_email, reactivate
from ..extensions import db
from ..locks import hold
from ..models import SLOT_KEYS, Centre, Instructor, Role, User

ROLE_LABELS = {
    Role.ADMIN: _l("Pääkäyttäjä"),
    Role.INSTRUCTOR: _l("Ohjaaja"),
    Role.COMPANY: _l("Yrityksen käyttäjä"),
    Role.KIOSK: _l("Tabletti"),
}
STATUSES = ("active", "inactive", "all")


def role_label(role: str) -> str:
    """The role in words, in the interface language."""
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


class AccountRefused(Exception):
    """The change cannot be made; the message (translated) says why."""


class AccountChanged(AccountRefused):
    """Someone else changed the account after this form was opened."""


@dataclass(frozen=True)
class UserFilter:
    text: str = ""
    role: str = ""
    centre_id: int | None = None
    status: str = "active"


@dataclass
class AccountData:
    name: str
    email: str
    role: Role
    company_id: int | None = None
    centre_ids: list[int] = field(default_factory=list)


def find_users(wanted: UserFilter) -> list[User]:
    """Accounts matching the filter, by name."""
    query = select(User).options(selectinload(User.company),
                                 selectinload(User.instructor).selectinload(Instructor.centres))
    text = wanted.text.strip().lower()
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        query = query.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    if wanted.role in {r.value for r in Role}:
        query = query.where(User.role == wanted.role)
    if wanted.centre_id:
        query = query.where(User.instructor.has(
            Instructor.centres.any(Centre.id == wanted.centre_id)))
    if wanted.status == "active":
        query = query.where(User.active.is_(True))
    elif wanted.status == "inactive":
        query = query.where(User.active.is_(False))
    return list(db.session.scalars(query.order_by(func.lower(User.name), User.id)))


def _held(user: User, version: int | None) -> None:
    """Hold the account's row until commit and read it afresh; refuse an old form."""
    hold(User, User.id == user.id)
    db.session.refresh(user)
    if version is not None and user.version != version:
        raise AccountChanged(_("Toinen pääkäyttäjä muutti tätä käyttäjää sillä välin. "
                               "Alla ovat nyt tallennetut tiedot: tee muutoksesi uudelleen."))


_ACTIVE_ADMIN = (User.role == Role.ADMIN.value, User.active.is_(True))


def _hold_admins() -> None:
    """Hold the active admins' rows until commit, always before any single account's row and
    in id order, so that two admins closing each other at once wait in turn, never deadlock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.scalars(select(User.id).where(*_ACTIVE_ADMIN).order_by(User.id)
                           .with_for_update()).all()
    else:
        hold(User, *_ACTIVE_ADMIN)


def _another_active_admin(user: User) -> bool:
    """Whether an active admin other than this user remains (the admins' rows are held)."""
    return bool(db.session.scalar(select(func.count()).select_from(User)
                                  .where(*_ACTIVE_ADMIN, User.id != user.id)))


def _check_email(user: User, email: str) -> None:
    if "@" not in email or email.startswith("@") or email.endswith("@") or " " in email:
        raise AccountRefused(_("Tarkista sähköpostiosoite."))
    other = db.session.scalar(select(User.id).where(User.email == email, User.id != user.id))
    if other is not None:
        raise AccountRefused(_("Tällä sähköpostilla on jo käyttäjä."))


def update_account(user: User, version: int, data: AccountData) -> None:
    """Save an admin's edit of the account, or raise AccountRefused (nothing is changed)."""
    _hold_admins()
    _held(user, version)
    email = normalise_email(data.email)
    _check_email(user, email)
    if data.role == Role.COMPANY and not data.company_id:
        raise AccountRefused(_("Yrityksen käyttäjälle valitaan yritys."))
    if user.role == Role.ADMIN and data.role != Role.ADMIN and user.active \
            and not _another_active_admin(user):
        raise AccountRefused(_("Tämä on ainoa käytössä oleva pääkäyttäjä: rooli jää ennalleen, "
                               "kunnes joku toinen on pääkäyttäjä."))
    old_name = user.name
    user.name, user.email, user.role = data.name.strip(), email, data.role.value
    user.company_id = data.company_id if data.role == Role.COMPANY else None
    if data.role == Role.INSTRUCTOR:
        set_centres(user, data.centre_ids, old_name)
    user.version += 1


def set_centres(user: User, centre_ids: list[int], old_name: str | None = None) -> None:
    """The instructor's centres: a new instructor gets a planning record (every half-day, as
    on the centre page); areas of centres they leave are no longer theirs to supervise."""
    centres = list(db.session.scalars(select(Centre).where(Centre.id.in_(centre_ids or [0]))
                                      .order_by(Centre.name)))
    instructor = user.instructor
    if instructor is None:
        if not centres:
            return
        instructor = Instructor(user=user, name=user.name, capacity=6,
                                attends=list(SLOT_KEYS))
        db.session.add(instructor)
    elif old_name is not None and instructor.name == old_name:
        instructor.name = user.name
    kept = {c.id for c in centres}
    if {c.id for c in instructor.centres} != kept:
        instructor.centres = centres
        instructor.areas = [a for a in instructor.areas if a.centre_id in kept]


def close_account(user: User, actor: User) -> None:
    """Deactivate: every session of the user ends at once. Never oneself, never the last
    active admin."""
    _hold_admins()
    _held(user, None)
    if not user.active:
        raise AccountRefused(_("Käyttäjä on jo poistettu käytöstä."))
    if user.id == actor.id:
        raise AccountRefused(_("Omaa tunnusta ei voi poistaa käytöstä. "
                               "Pyydä toista pääkäyttäjää tekemään se."))
    if user.role == Role.ADMIN and not _another_active_admin(user):
        raise AccountRefused(_("Tämä on ainoa käytössä oleva pääkäyttäjä."))
    deactivate(user)
    user.version += 1
    record(db.session, "user_deactivated", "user_account", user.id)


def reopen_account(user: User) -> None:
    """Reactivate: the user signs in again with the password they had (or a new link)."""
    _held(user, None)
    if user.active:
        raise AccountRefused(_("Käyttäjä on jo käytössä."))
    reactivate(user)
    user.version += 1
    record(db.session, "user_reactivated", "user_account", user.id)


def centre_names(user: User) -> list[str]:
    if user.role != Role.INSTRUCTOR or user.instructor is None:
        return []
    return sorted(c.name for c in user.instructor.centres)
