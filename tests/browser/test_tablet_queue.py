"""The tablet's queue in Chromium: a report the server could not take now (429, 503 "database is
locked", a lost answer) is sent again with the same key until it is stored, once; a refusal for
good is dropped with a calm message and not sent again."""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import ProgressReport

from ..tablet_world import WORKDAY, tablet_world

EMPTY_QUEUE = "JSON.parse(localStorage.getItem('workcentre.reports') || '[]').length === 0"


@pytest.fixture
def kiosk(app, live_server, browser):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        world = tablet_world()
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fi-FI",
                                  has_touch=True, bypass_csp=True)  # lets the waits in
    page = context.new_page()
    page.goto(f"{live_server}/tablet/enroll/{world['token']}")
    page.get_by_role("button").first.click()
    page.get_by_role("button", name="Aino").click()
    page.wait_for_url("**/tablet/work")
    yield page
    context.close()


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.coalesce(func.sum(ProgressReport.units), 0))),
                db.session.scalar(select(func.count()).select_from(ProgressReport)))


def _report(page, units: int) -> None:
    page.get_by_label("Montako tein?").fill(str(units))
    page.get_by_role("button", name="Valmis").click()


def test_a_busy_server_gets_the_report_again_with_the_same_key(app, kiosk):
    page = kiosk
    keys: list[str] = []
    answers = iter([429, 503, "lost", "server"])  # then the real server, every time

    def handle(route):
        keys.append(parse_qs(route.request.post_data)["key"][0])
        answer = next(answers, "server")
        if answer == "server":
            route.continue_()
        elif answer == "lost":  # stored, but the answer never reached the tablet
            route.fetch()
            route.fulfill(status=503, body="<html>Palvelu ei vastaa</html>")
        else:
            route.fulfill(status=answer, body="<html>Odota hetki</html>")

    page.route("**/tablet/report", handle)
    _report(page, 7)
    page.wait_for_function(EMPTY_QUEUE, timeout=45_000)
    assert _stored(app) == (7, 1)
    assert len(keys) == 4 and len(set(keys)) == 1


def test_a_refusal_for_good_is_dropped_with_a_calm_message(app, kiosk):
    page = kiosk
    calls: list[int] = []

    def refuse(route):
        calls.append(1)
        route.fulfill(status=403, content_type="application/json",
                      body='{"ok": false, "message": "Se ei onnistunut. Kysy ohjaajalta."}')

    page.route("**/tablet/report", refuse)
    _report(page, 5)
    page.get_by_text("Se ei onnistunut. Kysy ohjaajalta.").wait_for()
    page.wait_for_function(EMPTY_QUEUE, timeout=5_000)
    time.sleep(5)  # longer than the first waits of a retry
    assert calls == [1] and _stored(app) == (0, 0)
