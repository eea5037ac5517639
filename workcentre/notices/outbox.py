"""Collecting notices in the session and sending them after the commit.

A session hook notes each new `OrderEvent` of a notified kind when it is flushed; after the
commit its mails are composed (from a separate read-only session: the committed one may not
query any more) and sent. Before the commit nothing is sent; a rollback drops the notes. A send
that fails (SMTP down, slow, refusing) is logged and changes nothing: the order stays saved.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request
from flask_mailman import EmailMessage, Mail
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Order, OrderEvent, Role, User
from .texts import OrderFacts, compose

log = logging.getLogger(__name__)
mail = Mail()
NOTIFIED_KINDS = frozenset({"received", "accepted", "changed", "declined", "planned_late",
                            "ready", "delivered"})
PENDING = "notices"  # session.info key: ids of the flushed events waiting for the commit
PAUSED = "notices_paused"
LOG_BACKEND = "workcentre.notices.log_backend"


@dataclass(frozen=True)
class Notice:
    to: str
    subject: str
    body: str


def init_mail(app: Flask) -> None:
    """Flask-Mailman on the app: SMTP when MAIL_SERVER is set, else mail goes to the log."""
    if not app.config.get("MAIL_BACKEND"):
        app.config["MAIL_BACKEND"] = "smtp" if app.config.get("MAIL_SERVER") else LOG_BACKEND
    mail.init_app(app)


def install(session_class: type[Session]) -> None:
    """Hook the notices into every session of the app (once, however many apps are made)."""
    for name, hook in (("after_flush", _noted), ("after_commit", _committed),
                       ("after_rollback", _rolled_back)):
        if not event.contains(session_class, name, hook):
            event.listen(session_class, name, hook)


@contextmanager
def paused(session: Session) -> Iterator[None]:
    """No notices for what this session commits meanwhile (the demo's own orders)."""
    session.info[PAUSED] = True
    try:
        yield
    finally:
        session.info.pop(PAUSED, None)


def _noted(session: Session, _context) -> None:
    if session.info.get(PAUSED):
        return
    ids = [obj.id for obj in session.new
           if isinstance(obj, OrderEvent) and obj.kind in NOTIFIED_KINDS]
    if ids:
        session.info.setdefault(PENDING, []).extend(ids)


def _rolled_back(session: Session) -> None:
    session.info.pop(PENDING, None)


def _committed(session: Session) -> None:
    ids = session.info.pop(PENDING, [])
    if not ids:
        return
    # The change is committed whatever happens here: a failure is the log's, never the user's.
    try:
        notices = compose_notices(ids)
        send(notices)
    except Exception:  # noqa: BLE001 - a notice must never break the action behind it
        log.exception("order notices for events %s could not be sent", ids)


def compose_notices(event_ids: list[int]) -> list[Notice]:
    """One mail per event and recipient, read from the committed database."""
    with Session(db.engine) as reader:
        events = reader.scalars(select(OrderEvent).where(OrderEvent.id.in_(event_ids))
                                .order_by(OrderEvent.id)).all()
        return [notice for item in events for notice in _notices_of(reader, item)]


def _notices_of(reader: Session, item: OrderEvent) -> list[Notice]:
    order = item.order
    facts = OrderFacts(item.kind, order.reference, order.title, item.message,
                       order.confirmed_date, _link(order))
    return [Notice(address, *compose(facts, language))
            for address, language in recipients(reader, order)]


def recipients(reader: Session, order: Order) -> list[tuple[str, str]]:
    """(address, language) for the company's active users, and the order's contact address
    when it is none of theirs (in the language of the user who sent the order)."""
    languages = current_app.config["LANGUAGES"]
    users = reader.scalars(select(User).where(
        User.company_id == order.company_id, User.role == Role.COMPANY.value,
        User.active.is_(True)).order_by(User.id)).all()
    found: dict[str, str] = {}
    for user in users:
        found.setdefault(user.email.lower(), user.language if user.language in languages
                         else "fi")
    contact = (order.contact_email or "").strip().lower()
    if contact and "@" in contact and contact not in found:
        sender = reader.get(User, order.created_by_id) if order.created_by_id else None
        found[contact] = sender.language if sender and sender.language in languages else "fi"
    return list(found.items())


def _link(order: Order) -> str:
    """The company's page of the order, at the address people reach the service by."""
    base = current_app.config.get("PUBLIC_URL") or (
        request.host_url if has_request_context() else "http://127.0.0.1:5000/")
    path = current_app.url_map.bind("localhost").build("company.order",
                                                        {"order_id": order.id})
    return base.rstrip("/") + path


def send(notices: list[Notice]) -> int:
    """Send the mails over one connection; the number sent (failures are logged)."""
    if not notices:
        return 0
    connection = mail.get_connection(fail_silently=False)
    messages = [EmailMessage(n.subject, n.body, to=[n.to], connection=connection)
                for n in notices]
    try:
        sent = connection.send_messages(messages)
    except Exception as error:  # noqa: BLE001 - SMTP down or refusing: logged, not raised
        log.error("order notices not sent (%s mails): %s", len(messages), error)
        return 0
    return sent or 0
