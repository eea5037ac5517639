"""Companies get an e-mail for each step of their order, received by a real SMTP server.

The server is aiosmtpd on a free local port; the app sends with Flask-Mailman's SMTP backend as
in production. Mail is sent after the commit, so it has arrived when the request returns."""

from __future__ import annotations

import logging
import re
import socket
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from scheduling import evaluate, load_instance
from workcentre import create_app
from workcentre.extensions import db
from workcentre.models import Order, OrderStatus, Role, User
from workcentre.orders import services
from workcentre.planning import store
from workcentre.planning.commands import plan_now
from workcentre.weeks import planning_week, week_monday

from ..conftest import _empty_tables, app_config
from ..factories import (
    login,
    make_centre,
    make_company,
    make_participant,
    make_task_type,
    make_user,
    working_day,
)

SOON = working_day(30)


class Inbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append((list(envelope.rcpt_tos),
                              message_from_bytes(envelope.content, policy=default)))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.received if address in rcpt]

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for _, m in self.received]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox(_free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def _mail_app(database_url: str, **mail):
    app = create_app({**app_config(database_url), "PUBLIC_URL": "https://tyokeskus.example",
                      **mail})
    with app.app_context():
        _empty_tables()
    return app


@pytest.fixture
def app(database_url, inbox):
    """The app sending through the test SMTP server (replaces the plain `app` fixture)."""
    app = _mail_app(database_url, MAIL_SERVER="127.0.0.1",
                    MAIL_PORT=inbox.port)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def world(app):
    with app.app_context():
        centre = make_centre("Keskus")
        fold = make_task_type(centre, "fold")
        person = make_participant(centre, first_name="Salainen",
                                  attends=["mon-am", "tue-am", "wed-am", "thu-am"])
        person.skills = [fold]
        company = make_company("A Oy")
        finn = make_user(Role.COMPANY, company=company, email="liisa@a.example")
        swede = make_user(Role.COMPANY, company=company, email="sven@a.example")
        swede.language = "sv"
        gone = make_user(Role.COMPANY, company=company, email="ex@a.example")
        gone.active = False
        other = make_user(Role.COMPANY, company=make_company("B Oy"), email="bo@b.example")
        staff = make_user(Role.INSTRUCTOR, centre=centre)
        db.session.commit()
        return {"centre": centre.id, "fold": fold.id, "finn": finn.email,
                "other": other.email, "staff": staff.email}


def _signed_in(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def _send_order(app, world, **extra) -> Order:
    client = _signed_in(app, world["finn"])
    data = {"centre_id": world["centre"], "product_name": "Esitteet", "quantity": "1200",
            "wished_date": SOON.isoformat(), "contact_name": "Anna",
            "contact_email": "anna@a.example", "notes": ""}
    data.update(extra)
    assert client.post("/company/orders/new", data=data).status_code == 302
    with app.app_context():
        order = db.session.scalars(select(Order).order_by(Order.id.desc())).first()
        db.session.expunge(order)
        return order


def _accept(app, world, order: Order, staff=None):
    staff = staff or _signed_in(app, world["staff"])
    with app.app_context():
        line = db.session.get(Order, order.id).lines[0].id
    response = staff.post(f"/orders/{order.id}/accept", data={
        "centre_id": world["centre"], "confirmed_date": SOON.isoformat(),
        f"line-{line}-0-task_type": world["fold"], f"line-{line}-0-seconds": "12"})
    assert response.status_code == 302
    return staff, line


def _text(message: EmailMessage) -> str:
    return message.get_content()


def test_each_step_of_an_order_reaches_every_company_user_in_their_language(app, world, inbox):
    order = _send_order(app, world)
    ref = order.reference
    # Received: the company's active users (each in their language) and the order's contact.
    assert sorted(a for rcpt, _ in inbox.received for a in rcpt) == [
        "anna@a.example", "liisa@a.example", "sven@a.example"]
    liisa, = inbox.to("liisa@a.example")
    assert liisa["Subject"] == f"Tilaus {ref} vastaanotettu"
    assert "Työkeskus" in liisa["From"]
    body = _text(liisa)
    assert ref in body and "Esitteet" in body
    assert f"https://tyokeskus.example/company/orders/{order.id}" in body
    sven, = inbox.to("sven@a.example")
    assert sven["Subject"] == f"Beställning {ref} mottagen"
    assert "Hej," in _text(sven)

    staff, line = _accept(app, world, order)
    accepted = inbox.to("liisa@a.example")[-1]
    assert accepted["Subject"] == f"Tilaus {ref} hyväksytty"
    assert SOON.strftime("%-d.%-m.%Y") in _text(accepted)

    staff.post(f"/orders/{order.id}/change", data={f"quantity-{line}": "1500",
                                                   "confirmed_date": SOON.isoformat()})
    changed = inbox.to("liisa@a.example")[-1]
    assert changed["Subject"] == f"Tilausta {ref} muutettu"
    assert "1200 → 1500" in _text(changed)

    with app.app_context():
        step = db.session.get(Order, order.id).steps[0]
        services.add_units(step, 1500)
        db.session.commit()
    ready = inbox.to("liisa@a.example")[-1]
    assert ready["Subject"] == f"Tilaus {ref} on valmis"

    staff.post(f"/orders/{order.id}/delivered")
    delivered = inbox.to("sven@a.example")[-1]
    assert delivered["Subject"] == f"Beställning {ref} levererad"
    assert len(inbox.to("liisa@a.example")) == 5
    # Never to another company, to a deactivated user, or anything about the people.
    assert not inbox.to(world["other"]) and not inbox.to("ex@a.example")
    assert not any("Salainen" in _text(m) for _, m in inbox.received)


def test_a_declined_order_tells_the_reason(app, world, inbox):
    order = _send_order(app, world)
    staff = _signed_in(app, world["staff"])
    staff.post(f"/orders/{order.id}/decline", data={"reason": "Ei sopivaa konetta."})
    declined = inbox.to("liisa@a.example")[-1]
    assert declined["Subject"] == f"Tilaus {order.reference} hylätty"
    assert "Syy: Ei sopivaa konetta." in _text(declined)


def test_an_english_user_reads_english(app, world, inbox):
    with app.app_context():
        db.session.scalars(select(User).where(User.email == world["finn"])).one().language = "en"
        db.session.commit()
    order = _send_order(app, world)
    mail, = inbox.to("liisa@a.example")
    assert mail["Subject"] == f"Order {order.reference} received"
    assert _text(mail).startswith("Hello,")


def test_a_plan_that_finishes_an_order_late_is_told_once(app, world, inbox):
    week = planning_week(SOON - timedelta(days=28))
    monday = week_monday(week)
    with app.app_context():
        centre = make_centre("Myöhäinen")
        kind = make_task_type(centre, "pack")
        person = make_participant(centre, attends=["mon-am", "mon-pm"])
        person.skills = [kind]
        instructor = make_user(Role.INSTRUCTOR, centre=centre).instructor
        instructor.attends, instructor.areas = ["mon-am", "mon-pm"], [kind.area]
        company = db.session.scalars(select(User).where(User.email == world["finn"])).one()
        order = services.submit_order(company.company, None, centre, [services.LineInput(
            "Laatikot", 4000, monday)])
        db.session.flush()
        services.accept_order(order, centre, [services.StepInput(
            order.lines[0].id, kind.id, 4000, 20, None, monday)], monday, None)
        db.session.commit()
        inbox.received.clear()
        run = plan_now(app, centre, week, 5)
        plan = store.latest_plan(centre, week)
        data = store.planning_instance(centre, week)
        assert run.state == "done"
        assert evaluate(load_instance(data), store.plan_json(plan, data)).valid
        store.publish(plan, None)
        db.session.commit()
        late, = inbox.to("liisa@a.example")
        assert late["Subject"] == f"Tilaus {order.reference} myöhästyy"
        assert monday.strftime("%-d.%-m.%Y") in _text(late)
        assert db.session.get(Order, order.id).status == OrderStatus.PLANNED
        # Published again (a new version, still late): the company has been told already.
        draft = store.editable_draft(centre, week, None)
        store.publish(draft, None)
        db.session.commit()
        assert len(inbox.to("liisa@a.example")) == 1


def test_a_rolled_back_change_sends_nothing(app, world, inbox):
    order = _send_order(app, world)
    inbox.received.clear()
    with app.app_context():
        services.decline_order(db.session.get(Order, order.id), "Ei")
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    assert inbox.received == []


def test_a_down_smtp_server_loses_no_order(database_url, world_free, caplog):
    app = _mail_app(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(),
                    MAIL_TIMEOUT=2)
    world = world_free(app)
    with caplog.at_level(logging.ERROR, logger="workcentre.notices.outbox"):
        order = _send_order(app, world)
    with app.app_context():
        assert db.session.get(Order, order.id).status == OrderStatus.RECEIVED
    assert "order notices not sent" in caplog.text


def test_without_an_smtp_server_mail_goes_to_the_log(database_url, world_free, caplog):
    app = _mail_app(database_url)
    world = world_free(app)
    with caplog.at_level(logging.INFO, logger="workcentre.mail"):
        order = _send_order(app, world)
    assert f"Tilaus {order.reference} vastaanotettu" in caplog.text
    assert "liisa@a.example" in caplog.text


@pytest.fixture
def world_free():
    """The world on an app of the test's own making (no SMTP server of ours)."""
    def make(app):
        with app.app_context():
            centre = make_centre("Keskus")
            fold = make_task_type(centre, "fold")
            company = make_company("A Oy")
            finn = make_user(Role.COMPANY, company=company, email="liisa@a.example")
            staff = make_user(Role.INSTRUCTOR, centre=centre)
            db.session.commit()
            return {"centre": centre.id, "fold": fold.id, "finn": finn.email,
                    "staff": staff.email}
    return make


def test_a_server_that_never_answers_is_given_up_and_the_order_kept(database_url, world_free,
                                                                      caplog):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # connections queue in the backlog; no greeting ever comes
    try:
        app = _mail_app(database_url, MAIL_SERVER="127.0.0.1",
                        MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=1)
        world = world_free(app)
        with caplog.at_level(logging.ERROR, logger="workcentre.notices.outbox"):
            order = _send_order(app, world)
    finally:
        silent.close()
    with app.app_context():
        assert db.session.get(Order, order.id).status == OrderStatus.RECEIVED
    assert "order notices not sent" in caplog.text and "timed out" in caplog.text


def test_an_admins_password_link_is_mailed_to_the_user_in_their_language(app, inbox):
    with app.app_context():
        make_user(Role.ADMIN, email="paa@keskus.example")
        user = make_user(Role.INSTRUCTOR, email="ohjaaja@keskus.example")
        user.language = "sv"
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    login(client, "paa@keskus.example")
    page = client.post(f"/admin/users/{user_id}/password-link").get_data(as_text=True)
    assert "Linkki lähetettiin osoitteeseen ohjaaja@keskus.example" in page
    [mail] = inbox.to("ohjaaja@keskus.example")
    body = mail.get_content()
    link = re.search(r"https?://\S+", body).group(0)
    assert link in page  # the admin sees the same link, in case the mail goes astray
    assert "Ställ in ditt lösenord" in str(mail["Subject"])


def test_without_mail_settings_the_link_is_not_sent_nor_logged(database_url, caplog):
    app = _mail_app(database_url)
    with app.app_context():
        make_user(Role.ADMIN, email="paa@keskus.example")
        user_id = make_user(Role.INSTRUCTOR, email="ohjaaja@keskus.example").id
        db.session.commit()
    client = app.test_client()
    login(client, "paa@keskus.example")
    with caplog.at_level(logging.DEBUG):
        page = client.post(f"/admin/users/{user_id}/password-link").get_data(as_text=True)
    link = re.search(r'id="reset-link">([^<]+)<', page).group(1)
    assert "Linkki lähetettiin" not in page
    assert link.split("/")[-1] not in caplog.text  # the token is a secret
    with app.app_context():
        db.engine.dispose()
