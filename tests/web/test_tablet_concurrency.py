"""Many tablets at the same moment, with real threads through the app (one test client each):
every acknowledged unit is in the step's total exactly once, and a link enrols one tablet."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import Kiosk, Order, OrderStatus, OrderStep, ProgressReport

from ..tablet_world import WORKDAY, tablet_world

TABLETS = 8
REPORTS_EACH = 15


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        return tablet_world(kiosks=TABLETS)


def _in_threads(count: int, work: Callable[[int], None]) -> None:
    """Start `count` threads together (a barrier) and wait for all; an error fails the test."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors


def _enrolled_tablet(app, token: str, person: int):
    client = app.test_client()
    assert client.post(f"/tablet/enroll/{token}").status_code == 302
    assert client.post(f"/tablet/me/{person}").status_code == 302
    return client


def _set_quantity(app, world, quantity: int) -> None:
    with app.app_context():
        db.session.get(OrderStep, world["step"]).quantity = quantity
        db.session.commit()


def _totals(app, world) -> tuple[int, int, int]:
    """(units in the step's total, units in the stored reports, stored reports)"""
    with app.app_context():
        step = db.session.get(OrderStep, world["step"])
        stored = db.session.scalar(select(func.coalesce(func.sum(ProgressReport.units), 0)))
        count = db.session.scalar(select(func.count()).select_from(ProgressReport))
        return step.units_done, stored, count


def test_reports_from_many_tablets_at_once_lose_nothing_and_double_nothing(app, world):
    _set_quantity(app, world, 1_000_000)
    tablets = [_enrolled_tablet(app, token, world["aino"]) for token in world["tokens"]]
    acknowledged = [0] * TABLETS
    keys = [0] * TABLETS
    refused: list[int] = []

    def post(n: int) -> None:
        for i in range(REPORTS_EACH):
            form = {"key": secrets.token_hex(16), "step": world["step"], "half": "am",
                    "units": str(1 + (n + i) % 9)}
            for _ in range(2 if i % 5 == 0 else 1):  # every fifth one is sent twice
                response = tablets[n].post("/tablet/report", data=form,
                                           headers={"Accept": "application/json"})
                if response.status_code != 200:
                    refused.append(response.status_code)
                    continue
                data = response.get_json()
                if data["ok"] and not data["duplicate"]:
                    acknowledged[n] += data["units"]
                    keys[n] += 1

    _in_threads(TABLETS, post)
    units_done, stored, count = _totals(app, world)
    assert refused == []
    assert count == sum(keys) == TABLETS * REPORTS_EACH
    assert units_done == stored == sum(acknowledged)


def test_the_last_units_at_the_same_moment_make_the_order_ready_once(app, world):
    # 8 tablets each report 10 of the last 80 units at once: exactly full, and ready once.
    with app.app_context():
        step = db.session.get(OrderStep, world["step"])
        step.quantity, step.units_done = 100, 20
        db.session.commit()
    tablets = [_enrolled_tablet(app, token, world["aino"]) for token in world["tokens"]]

    def post(n: int) -> None:
        form = {"key": secrets.token_hex(16), "step": world["step"], "half": "am", "units": "10"}
        response = tablets[n].post("/tablet/report", data=form,
                                   headers={"Accept": "application/json"})
        assert response.status_code == 200 and response.get_json()["ok"]

    _in_threads(TABLETS, post)
    with app.app_context():
        step = db.session.get(OrderStep, world["step"])
        order = db.session.get(Order, world["order"])
        assert (step.units_done, step.done) == (100, True)
        assert order.status == OrderStatus.READY
        assert [e.kind for e in order.events].count("ready") == 1


def test_an_enrolment_link_opened_at_once_on_six_tablets_enrols_one(app, world):
    clients = [app.test_client() for _ in range(6)]
    codes = [0] * 6

    def enrol(n: int) -> None:
        codes[n] = clients[n].post(f"/tablet/enroll/{world['token']}").status_code

    _in_threads(6, enrol)
    assert sorted(codes) == [302, 404, 404, 404, 404, 404]
    working = [c for c in clients if c.get("/tablet/").status_code == 200]
    assert len(working) == 1
    with app.app_context():
        kiosk = db.session.scalars(select(Kiosk).where(Kiosk.name == "Pakkaamo 1")).one()
        assert kiosk.enrolled_at is not None and kiosk.enrol_token_hash is None


def test_corrections_at_the_same_moment_keep_the_total_exact(app, world):
    # 8 tablets report 10 each, then all correct to 5 at once: 40, and no longer ready.
    with app.app_context():
        db.session.get(OrderStep, world["step"]).quantity = 80
        db.session.commit()
    tablets = [_enrolled_tablet(app, token, world["aino"]) for token in world["tokens"]]
    keys = [secrets.token_hex(16) for _ in tablets]
    for tablet, key in zip(tablets, keys, strict=True):
        form = {"key": key, "step": world["step"], "half": "am", "units": "10"}
        assert tablet.post("/tablet/report", data=form, headers={"Accept": "application/json"}
                           ).get_json()["units"] == 10
    with app.app_context():
        assert db.session.get(Order, world["order"]).status == OrderStatus.READY

    def correct(n: int) -> None:
        page = tablets[n].post(f"/tablet/done/{keys[n]}", data={"units": "5"})
        assert "Korjattu." in page.get_data(as_text=True)

    _in_threads(TABLETS, correct)
    assert _totals(app, world) == (40, 40, TABLETS)
    with app.app_context():
        assert not db.session.get(OrderStep, world["step"]).done
        assert db.session.get(Order, world["order"]).status == OrderStatus.IN_PRODUCTION
