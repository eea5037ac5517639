"""Attack pass: very long names with emoji on the instructor's phone (floor view) and on the
tablet. Nothing runs off the screen sideways; the primary actions stay visible."""

from __future__ import annotations

from workcentre.extensions import db
from workcentre.models import OrderStep, Participant

from ..tablet_world import WORKDAY, tablet_world
from .conftest import screenshot
from .test_floor_live import PHONE, _sign_in
from .test_tablet_fits import WORK, _kiosk, _outside

LONG_FIRST = "Aino-Maria-Kristiina-Johanna🌻"
LONG_LAST = "Väänänen-Korhonen-Hämäläinen-Kärkkäinen🧩"
LONG_TASK = "Pakkaat laatikoita ja liimaat tarrat jokaisen laatikon kylkeen huolellisesti📦"


def _no_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_long_names_stay_on_the_screen(app, live_server, browser):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        world = tablet_world()
        person = db.session.get(Participant, world["aino"])
        person.first_name, person.last_name = LONG_FIRST, LONG_LAST
        db.session.get(OrderStep, world["step"]).task_type.name = LONG_TASK
        db.session.commit()
    phone = browser.new_context(viewport=PHONE, locale="fi-FI", has_touch=True, is_mobile=True)
    floor = phone.new_page()
    _sign_in(floor, live_server, world["staff"])
    floor.goto(f"{live_server}/floor/{world['centre']}")
    floor.get_by_text(LONG_FIRST).first.wait_for()
    screenshot(floor, "attack-long-names-floor-phone")
    assert _no_sideways(floor)
    phone.close()
    context, page = _kiosk(browser, live_server, world, (1024, 768))
    for size in ((1024, 768), (768, 1024), (800, 600)):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(f"{live_server}/tablet/")
        name = f"{size[0]}x{size[1]}"
        screenshot(page, f"attack-long-names-who-{name}")
        assert _no_sideways(page), name
        page.get_by_role("button", name=LONG_FIRST).click()
        page.wait_for_url("**/tablet/work")
        screenshot(page, f"attack-long-names-work-{name}")
        assert _no_sideways(page), name
        assert _outside(page, WORK) == [], name
    context.close()
