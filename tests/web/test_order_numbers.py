"""Order numbers stay unique when many orders arrive at once (real threads, real requests)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select

from workcentre.extensions import db
from workcentre.models import Order, Role
from workcentre.orders import services

from ..factories import login, make_centre, make_company, make_user, working_day

SOON = working_day(30).isoformat()


def _burst(clients, centre_id: int, start: int) -> list[int]:
    statuses: list[int] = []
    barrier = threading.Barrier(len(clients))

    def send(client, n: int) -> None:
        barrier.wait()
        response = client.post("/company/orders/new", data={
            "centre_id": centre_id, "product_name": f"Tuote {n}", "quantity": "10",
            "wished_date": SOON, "contact_name": "Anna"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send, args=(c, start + i)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_thirty_orders_in_bursts_of_ten_all_get_their_own_number(app):
    with app.app_context():
        centre = make_centre()
        company = make_company()
        email = make_user(Role.COMPANY, company=company).email
        db.session.commit()
        centre_id = centre.id
    clients = []
    for _ in range(10):
        client = app.test_client()
        assert login(client, email).status_code == 302
        clients.append(client)
    statuses = []
    for burst in range(3):
        statuses += _burst(clients, centre_id, burst * 10)
    assert statuses == [302] * 30
    with app.app_context():
        references = list(db.session.scalars(select(Order.reference)))
        assert len(references) == 30
        assert len(set(references)) == 30
        year = date.today().year
        assert sorted(references) == [f"T-{year}-{n:03d}" for n in range(1, 31)]


def test_numbering_continues_past_999(ctx):
    company = make_company()
    year = date.today().year
    db.session.add(Order(company=company, reference=f"T-{year}-999", title="x"))
    db.session.add(Order(company=company, reference=f"T-{year}-1000", title="x"))
    db.session.commit()
    order = services.submit_order(company, None, None, [services.LineInput("Esite", 5, None)])
    db.session.commit()
    assert order.reference == f"T-{year}-1001"
