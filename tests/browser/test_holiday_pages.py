"""Christmas week in the browser: closed days named in the grid and chart, the leftover band,
the closure days page and the actuals form (screenshots in tests/artifacts/)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from scheduling import load_instance
from scheduling.solve import solve
from workcentre.demo import load_demo
from workcentre.extensions import db
from workcentre.models import Centre, ClosureDay, User
from workcentre.planning import store
from workcentre.planning.services import build_instance

from ..factories import PASSWORD, password_hash
from .conftest import screenshot

WEEK = "2026-W52"


def _christmas_week(app, tmp_path) -> int:
    app.config["CLOCK_TODAY"] = "2026-12-20"
    with app.app_context():
        load_demo(str(tmp_path), today=date(2026, 12, 14))  # orders due in the week before too
        marja = db.session.scalars(select(User).where(User.email == "marja@demo.example")).one()
        marja.password_hash = password_hash()
        centre = db.session.scalars(select(Centre)).one()
        db.session.add(ClosureDay(centre_id=centre.id, day=date(2026, 12, 23),
                                  reason="inventaario"))
        db.session.commit()
        for week in ("2026-W51", WEEK):  # last week's plan feeds the actuals form
            data = build_instance(centre, week)
            plan = solve(load_instance(data), workers=1, seed=0, deterministic_time=1.0)
            store.save_plan(centre, week, plan, marja, instance=data)
            db.session.commit()
        return centre.id


def test_christmas_week_pages(app, tmp_path, live_server, page):
    centre_id = _christmas_week(app, tmp_path)
    page.goto(f"{live_server}/login")
    page.get_by_label("Sähköposti").fill("marja@demo.example")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.goto(f"{live_server}/planning/{centre_id}/{WEEK}")
    assert page.locator("table.grid td.cell-closed").first.is_visible()
    assert "Jouluaatto" in page.locator("table.grid").first.inner_text()
    assert "Suljettu: inventaario" in page.locator("svg.chart").inner_html()
    screenshot(page, "holidays-week")
    page.goto(f"{live_server}/centre/{centre_id}/closures")
    assert "inventaario" in page.content()
    screenshot(page, "holidays-closures")
    page.goto(f"{live_server}/planning/{centre_id}/{WEEK}/actuals")
    assert page.get_by_role("button", name="Vahvista toteuma").is_visible()
    screenshot(page, "holidays-actuals")
