"""What a centre still lacks: the set-up checklist, and what stops a plan from being made."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    OPEN_STATUSES,
    Centre,
    Company,
    Kiosk,
    Order,
    OrderStatus,
    OrderStep,
    Participant,
    Product,
    Role,
    User,
)
from ..models.people import participant_skill
from ..models.users import Instructor, instructor_centre


@dataclass(frozen=True)
class Step:
    """One line of the checklist or of what is missing: plain words and where to act."""

    text: str
    url: str
    link: str
    done: bool = False


def _instructors(centre: Centre) -> list[Instructor]:
    return list(db.session.scalars(select(Instructor).join(
        instructor_centre, instructor_centre.c.instructor_id == Instructor.id)
        .where(instructor_centre.c.centre_id == centre.id)))


def _people_count(centre: Centre) -> int:
    return _count(select(Participant.id).where(
        Participant.centre_id == centre.id, Participant.active.is_(True)))


def _skilled_task_types(centre: Centre) -> set[int]:
    """Task types at least one active participant of the centre can do (one query)."""
    return set(db.session.scalars(
        select(participant_skill.c.task_type_id).distinct()
        .join(Participant, Participant.id == participant_skill.c.participant_id)
        .where(Participant.centre_id == centre.id, Participant.active.is_(True))))


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def checklist(centre: Centre) -> list[Step]:
    """The first-run steps of a centre, in the order they are best done; each may be skipped."""
    areas, kinds = len(centre.areas), len(centre.task_types)
    instructors = len(_instructors(centre))
    people = _people_count(centre)
    products = _count(select(Product.id).where(Product.centre_id == centre.id))
    tablets = _count(select(Kiosk.id).where(Kiosk.centre_id == centre.id))
    companies = _count(select(Company.id))
    company_users = _count(select(User.id).where(User.role == Role.COMPANY))
    return [
        Step(_("Työkeskus: nimi, osoite ja työajat"), url_for("setup.centre", centre_id=centre.id),
             _("Muokkaa"), True),
        Step(_("Työtilat ja niiden paikat (%(num)d)", num=areas),
             url_for("places.area", centre_id=centre.id), _("Lisää työtila"), areas > 0),
        Step(_("Ohjaajat, heidän työtilansa ja työvuoronsa (%(num)d)", num=instructors),
             url_for("setup.instructor", centre_id=centre.id), _("Lisää ohjaaja"),
             instructors > 0),
        Step(_("Työtehtävät (%(num)d)", num=kinds),
             url_for("places.task_type", centre_id=centre.id) if areas
             else url_for("places.area", centre_id=centre.id),
             _("Lisää työtehtävä") if areas else _("Lisää ensin työtila"), kinds > 0),
        Step(_("Tuotteet ja vakioajat (%(num)d)", num=products),
             url_for("setup.products", centre_id=centre.id), _("Lisää tuote"), products > 0),
        Step(_("Asiakkaat (%(num)d)", num=people), url_for("people.new"), _("Lisää asiakas"),
             people > 0),
        Step(_("Asiakkaat Excel-tiedostosta"), url_for("people.import_people"),
             _("Tuo tiedosto"), people > 0),
        Step(_("Asiakasyritykset (%(num)d) ja niiden käyttäjät (%(users)d)", num=companies,
               users=company_users),
             url_for("setup.companies"), _("Lisää yritys"), companies > 0 and company_users > 0),
        Step(_("Tabletit työtiloihin"), url_for("places.tablets", centre_id=centre.id),
             _("Lisää tabletti"), tablets > 0),
    ]


def missing_for_plan(centre: Centre) -> list[Step]:
    """What must be added before the week can be planned, in plain words, with a link each."""
    found: list[Step] = []
    if not centre.areas:
        found.append(Step(_("Työtiloja ei ole vielä."),
                          url_for("places.area", centre_id=centre.id), _("Lisää työtila")))
    instructors = _instructors(centre)
    if not instructors:
        found.append(Step(_("Ohjaajia ei ole vielä."),
                          url_for("setup.instructor", centre_id=centre.id), _("Lisää ohjaaja")))
    elif not any(i.attends for i in instructors if i.active):
        found.append(Step(_("Yhdelläkään ohjaajalla ei ole työvuoroja."),
                          url_for("places.index", centre_id=centre.id), _("Ohjaajat")))
    if not centre.task_types and centre.areas:
        found.append(Step(_("Työtehtäviä ei ole vielä."),
                          url_for("places.task_type", centre_id=centre.id),
                          _("Lisää työtehtävä")))
    people, skilled = _people_count(centre), _skilled_task_types(centre)
    if not people:
        found.append(Step(_("Asiakkaita ei ole vielä."), url_for("people.new"),
                          _("Lisää asiakas")))
    elif centre.task_types and not skilled:
        found.append(Step(_("Kukaan ei osaa vielä yhtään tehtävää."),
                          url_for("people.index"), _("Lisää osaaminen")))
    found.extend(_order_gaps(centre, skilled))
    return found


def _order_gaps(centre: Centre, skilled: set[int]) -> list[Step]:
    waiting = _count(select(Order.id).where(Order.status == OrderStatus.RECEIVED))
    open_steps = list(db.session.scalars(
        select(OrderStep).join(Order, Order.id == OrderStep.order_id)
        .where(Order.centre_id == centre.id, Order.status.in_(OPEN_STATUSES))
        .options(joinedload(OrderStep.task_type))))
    found = []
    if not open_steps:
        text = (_("Tilauksia ei ole vielä otettu vastaan: %(num)d odottaa.", num=waiting)
                if waiting else _("Tilauksia ei ole vielä."))
        found.append(Step(text, url_for("orders.index"), _("Tilaukset")))
    untrained = sorted({s.task_type.name for s in open_steps if s.task_type_id not in skilled})
    for name in untrained:
        found.append(Step(_("Tehtävään %(task)s ei ole koulutettu ketään.", task=name),
                          url_for("people.index"), _("Lisää osaaminen")))
    return found



def admin_contacts() -> list[User]:
    """Who can add an instructor to a centre: the active admins."""
    return list(db.session.scalars(select(User).where(
        User.role == Role.ADMIN, User.active.is_(True)).order_by(User.name)))
