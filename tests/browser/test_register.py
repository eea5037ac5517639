"""Issue 30's "Who came" on a phone (390 x 844): a tap marks someone away, the page offers the
re-plan of the rest of the day, the re-plan runs and the week page shows the new draft without
the person on Wednesday. The tablet layout at 1024 x 768 is looked at too."""

from __future__ import annotations

from sqlalchemy import select

from scheduling import evaluate, load_instance
from workcentre.extensions import db
from workcentre.models import Centre, Participant
from workcentre.planning import store

from ..factories import PASSWORD
from ..web.test_register import WEDNESDAY, WEEK, _with_work
from ..web.test_register import centre_id as centre_id  # noqa: F401 - the fixture
from .conftest import screenshot


def _sign_in(page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Sähköposti").fill("marja@demo.example")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()


def test_a_tap_on_the_phone_marks_someone_away_and_the_offered_re_plan_moves_their_work(
        app, centre_id, live_server, browser):  # noqa: F811
    with app.app_context():
        person = _with_work(centre_id)
        name, person_id = person.display_name, person.id
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fi-FI",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    _sign_in(page, live_server)
    page.get_by_role("link", name="Kuka tuli").click()
    page.get_by_role("heading", name="Kuka tuli").wait_for()
    row = page.locator(f"#p{person_id}")
    sick = row.get_by_role("button", name=f"Sairas {name}")
    box = sick.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "register-phone")

    sick.tap()
    page.get_by_text(f"{name.split()[0]}: poissa koko päivän.").wait_for()
    assert "Poissa · sairas" in page.locator(f"#p{person_id}").inner_text()
    assert "1 poissa" in page.locator(".register-counts").inner_text()
    offer = page.get_by_role("button", name="Suunnittele loppupäivä uudelleen")
    assert 0 <= offer.bounding_box()["y"] < 844  # on the screen, not below the list
    screenshot(page, "register-phone-offer")
    offer.tap()

    page.get_by_text("Loppupäivän suunnittelu alkoi.").wait_for()
    page.get_by_text("Versio 2").first.wait_for(timeout=60_000)
    screenshot(page, "register-phone-replanned")
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        plan = store.latest_plan(centre, WEEK)
        data = store.planning_instance(centre, WEEK)
        assert evaluate(load_instance(data), store.plan_json(plan, data)).valid
        assert not [a for a in plan.assignments
                    if a.participant_id == person_id and a.day == WEDNESDAY]
    context.close()


def test_the_register_on_the_centre_tablet(app, centre_id, live_server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fi-FI",
                                  has_touch=True)
    page = context.new_page()
    _sign_in(page, live_server)
    page.goto(f"{live_server}/register/{centre_id}")
    with app.app_context():
        first = db.session.scalars(select(Participant).order_by(Participant.first_name)).first()
    page.get_by_role("heading", name="Kuka tuli").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    page.locator(".register-row").first.get_by_role("button", name="Paikalla").first.tap()
    page.get_by_text("paikalla.", exact=False).first.wait_for()
    assert "1 paikalla" in page.locator(".register-counts").inner_text()
    assert first is not None
    screenshot(page, "register-tablet")
    context.close()
