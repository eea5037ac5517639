"""Loading what a URL names, with the check of who may see it: one place for every view.

Each loader returns the object or aborts. Not found and not yours answer alike, 404: an id
tells nothing about what exists elsewhere. The one exception is `participant_or_403`, for the
person's own data pages, where another centre's person is 403 (tests/web/test_access.py).
The roles themselves are the views' decorators (`security.py`); these check the centre, the
company or the tablet the object belongs to.
"""

from __future__ import annotations

import re
from datetime import date

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from .centres import visible_centres
from .clock import now_local
from .extensions import db
from .models import Centre, Order, Participant, PlanEdit, User
from .weeks import week_monday

WEEK_PATTERN = re.compile(r"^\d{4}-W\d{2}$")


def centre_or_404(user, centre_id: int) -> Centre:
    """One of the centres `user` works in (every centre for an admin)."""
    for centre in visible_centres(user):
        if centre.id == centre_id:
            return centre
    abort(404)


def centre_item_or_404(model, item_id: int, centre: Centre):
    """A row of `model` (with a `centre_id`) that belongs to `centre`."""
    item = db.session.get(model, item_id)
    if item is None or item.centre_id != centre.id:
        abort(404)
    return item


def _in_visible_centre(centre_id: int | None) -> bool:
    return centre_id in {c.id for c in visible_centres(current_user)}


def participant_or_404(participant_id: int) -> Participant:
    """A person of a centre the signed-in instructor or admin works in."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or not _in_visible_centre(participant.centre_id):
        abort(404)
    return participant


def participant_or_403(participant_id: int) -> Participant:
    """As `participant_or_404`, but another centre's person is 403 (the data pages)."""
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    if not _in_visible_centre(participant.centre_id):
        abort(403)
    return participant


def present(person: Participant) -> bool:
    """Still one of the centre's people: not left, not erased. A tablet that had them chosen
    when that changed takes nothing more in their name."""
    return person.active and person.erased_at is None


def kiosk_person(participant_id: int | None) -> Participant | None:
    """A present person of the signed-in tablet's centre, or None."""
    person = None if participant_id is None else db.session.get(Participant, participant_id)
    if person is None or person.centre_id != current_user.centre_id or not present(person):
        return None
    return person


def kiosk_person_or_404(participant_id: int) -> Participant:
    """As `kiosk_person`, else 404."""
    person = kiosk_person(participant_id)
    if person is None:
        abort(404)
    return person


def user_or_404(user_id: int) -> User:
    """Any account (the admin's user pages)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def visible_order_or_404(order_id: int) -> Order:
    """An order the signed-in staff member may handle: one not yet given a centre, or of a
    centre they work in."""
    order = db.session.get(Order, order_id)
    if order is None or (order.centre_id is not None
                         and not _in_visible_centre(order.centre_id)):
        abort(404)
    return order


def held_order_or_404(order_id: int) -> Order:
    """As `visible_order_or_404`, held until commit: two instructors deciding on it at the same
    moment (take in and decline) decide one after the other, the second on what the first
    left."""
    # Here, not at the top: the orders package imports its views, which import this module.
    from .orders.services import lock_order

    order = visible_order_or_404(order_id)
    lock_order(order.id)
    db.session.refresh(order)
    return order


def own_order_or_404(order_id: int) -> Order:
    """An order of the signed-in company user's own company."""
    order = db.session.scalar(
        select(Order).where(Order.id == order_id, Order.company_id == current_user.company_id))
    if order is None:
        abort(404)
    return order


def week_or_404(week: str) -> str:
    """An ISO week as in a URL, `2027-W05`, that exists."""
    if not WEEK_PATTERN.match(week):
        abort(404)
    try:
        week_monday(week)
    except ValueError:
        abort(404)
    return week


def plan_edit_or_404(centre_id: int, week: str, edit_id: int) -> PlanEdit:
    """A hand edit of that centre's week (the centre one the user works in)."""
    centre = centre_or_404(current_user, centre_id)
    record = db.session.get(PlanEdit, edit_id)
    if record is None or record.centre_id != centre.id or record.week != week_or_404(week):
        abort(404)
    return record


def past_day_or_404(value: str | None) -> date:
    """A day of the register as in a URL: today when none is given; never one ahead (absences
    ahead are told on the person's page)."""
    today = now_local().date()
    if not value:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        abort(404)
    if day > today:
        abort(404)
    return day
