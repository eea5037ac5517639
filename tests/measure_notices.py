"""What notices cost: the company's "send order" request with mail to the log and to a local SMTP
server (aiosmtpd), and the header counts' query on a busy database (2 000 orders, 500 help
calls). On a fresh SQLite file in a temporary directory:

    PYTHONPATH=$PWD python -m tests.measure_notices [repeats]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from flask_login import login_user
from flask_migrate import upgrade

from workcentre import create_app
from workcentre.extensions import db
from workcentre.header_counts import header_counts
from workcentre.models import HelpRequest, Role, User

from .conftest import app_config
from .factories import (
    login,
    make_centre,
    make_company,
    make_order,
    make_participant,
    make_user,
    working_day,
)
from .web.test_notices import Inbox, _free_port


def _median_ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.1f} ms"


def _orders(app, centre_id: int, email: str, repeats: int) -> list[float]:
    client = app.test_client()
    login(client, email)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.post("/company/orders/new", data={
            "centre_id": centre_id, "product_name": "Esitteet", "quantity": "100",
            "wished_date": working_day(30).isoformat(), "contact_name": "A",
            "contact_email": "a@a.example"})
        times.append(time.perf_counter() - start)
        assert response.status_code == 302
    return times


def main(repeats: int = 20) -> str:
    url = "sqlite:///" + str(Path(tempfile.mkdtemp()) / "measure.sqlite")
    inbox = Inbox(_free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    logged = create_app(app_config(url))
    mailed = create_app({**app_config(url), "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox.port})
    with logged.app_context():
        upgrade()
        centre = make_centre()
        company = make_company()
        email = make_user(Role.COMPANY, company=company).email
        for _ in range(2):
            make_user(Role.COMPANY, company=company)
        staff = make_user(Role.INSTRUCTOR, centre=centre)
        people = [make_participant(centre, first_name=f"P{n}") for n in range(50)]
        for n in range(2000):
            make_order(company).centre_id = centre.id if n % 3 else None
        db.session.add_all(HelpRequest(participant_id=people[n % 50].id) for n in range(500))
        db.session.commit()
        ids = (centre.id, staff.id)
    for app in (logged, mailed):  # the first requests compile templates and fill caches
        _orders(app, ids[0], email, 3)
    to_smtp = _orders(mailed, ids[0], email, repeats)
    to_log = _orders(logged, ids[0], email, repeats)
    controller.stop()
    counts = []
    with logged.test_request_context("/"):
        login_user(db.session.get(User, ids[1]))
        for _ in range(repeats):
            from flask import g

            g.pop("header_counts", None)
            start = time.perf_counter()
            found = header_counts()
            counts.append(time.perf_counter() - start)
    return (f"send order, mail to the log: {_median_ms(to_log)}; to local SMTP (4 recipients): "
            f"{_median_ms(to_smtp)}; {len(inbox.received)} mails received in all\n"
            f"header counts ({found.new_orders} new orders, {found.help_calls} open calls): "
            f"{_median_ms(counts)} (one query)")


if __name__ == "__main__":
    print(main(*(int(a) for a in sys.argv[1:])))
