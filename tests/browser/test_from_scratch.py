"""From an empty database, with no demo data anywhere, through the pages only: a centre, an
instructor, two areas, a task type, three participants, a company and its user; the company
orders, the instructor takes the order in, plans, publishes, and an enrolled tablet shows the
work."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from scheduling import evaluate, load_instance
from workcentre.auth.services import create_user
from workcentre.extensions import db
from workcentre.models import Centre, Order, Participant, Role
from workcentre.planning import store

from .conftest import screenshot

SUNDAY = "2026-11-22"  # the day before the planned week: the whole week is still open
WEEK = "2026-W48"
WEDNESDAY = "2026-11-25"
PASSWORD = "pitka-salasana-1"


def sign_in(page, server: str, email: str) -> None:
    page.goto(f"{server}/login")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url("**/login*")


def saved(page) -> None:
    page.locator(".flash").first.wait_for()


def set_up_as_admin(page, server: str) -> None:
    sign_in(page, server, "paa@kivikko.example")
    page.wait_for_url("**/setup/centre/new")  # no centre yet: the admin is led to make one
    screenshot(page, "from-scratch-1-new-centre")
    page.get_by_label("Työkeskuksen nimi").fill("Kivikon työkeskus")
    page.get_by_label("Osoite").fill("Kivikontie 1, 00940 Helsinki")
    page.get_by_role("button", name="Perusta työkeskus").click()
    page.wait_for_url("**/setup/")
    screenshot(page, "from-scratch-2-checklist")
    for name, seats in (("Pakkaamo", "4"), ("Kokoonpano", "3")):
        page.get_by_role("link", name="Lisää työtila").first.click()
        page.get_by_label("Nimi").fill(name)
        page.get_by_label("Paikkoja").fill(seats)
        page.get_by_role("button", name="Tallenna").click()
        saved(page)
        page.goto(f"{server}/setup/")
    page.get_by_role("link", name="Lisää ohjaaja").first.click()
    page.get_by_label("Nimi").fill("Olli Ohjaaja")
    page.get_by_label("Sähköposti").fill("olli@kivikko.example")
    page.get_by_label("Salasana (vähintään 10 merkkiä)").fill(PASSWORD)
    page.get_by_label("Pakkaamo").check()
    screenshot(page, "from-scratch-3-instructor")
    page.get_by_role("button", name="Lisää ohjaaja").click()
    page.wait_for_url("**/setup/")
    page.get_by_role("link", name="Lisää työtehtävä").first.click()
    page.get_by_label("Nimi", exact=True).fill("Pakkaus")
    page.get_by_label("Lyhenne (tunnus)").fill("pack")
    page.get_by_label("Työtila").select_option(label="Pakkaamo")
    page.get_by_role("button", name="Tallenna").click()
    saved(page)
    for first_name in ("Aino", "Eero", "Helmi"):
        page.goto(f"{server}/setup/")
        page.get_by_role("link", name="Lisää asiakas").first.click()
        page.get_by_label("Etunimi").fill(first_name)
        page.get_by_label("Pakkaus").first.check()
        page.get_by_role("button", name="Tallenna").click()
        page.get_by_text(f"{first_name} lisätty.").wait_for()
    page.goto(f"{server}/setup/")
    page.get_by_role("link", name="Lisää yritys").first.click()
    page.get_by_label("Yrityksen nimi").fill("Saimaan Kartonki Oy")
    page.get_by_role("button", name="Lisää yritys").click()
    saved(page)
    page.get_by_label("Nimi", exact=True).fill("Tiina Tilaaja")
    page.get_by_label("Sähköposti").fill("tiina@kartonki.example")
    page.get_by_label("Salasana (vähintään 10 merkkiä)").fill(PASSWORD)
    page.get_by_role("button", name="Lisää käyttäjä").click()
    page.get_by_text("Tiina Tilaaja (tiina@kartonki.example)").wait_for()
    screenshot(page, "from-scratch-4-companies")
    page.goto(f"{server}/planning/")
    missing = page.locator("section.warnings").inner_text()
    assert "Tilauksia ei ole vielä." in missing and "Työtiloja" not in missing
    screenshot(page, "from-scratch-5-missing")
    sign_out(page)


def order_as_company(page, server: str) -> None:
    sign_in(page, server, "tiina@kartonki.example")
    page.get_by_role("link", name="Uusi tilaus").click()
    page.get_by_label("Mitä tehdään (tuote)").fill("Lahjapakkaukset")
    page.get_by_label("Määrä (kpl)").fill("8000")
    page.get_by_label("Toivottu toimituspäivä").fill("2026-12-11")
    page.get_by_role("button", name="Lähetä tilaus").click()
    page.wait_for_load_state()
    assert "Lahjapakkaukset" in page.content()
    sign_out(page)


def plan_as_instructor(page, server: str) -> tuple[int, str]:
    sign_in(page, server, "olli@kivikko.example")
    page.get_by_role("link", name="Tilaukset").first.click()
    page.get_by_role("link", name=re.compile("Saimaan Kartonki Oy|\\d{4}-\\d+")).first.click()
    page.get_by_label("Työvaihe 1").select_option(label="Pakkaus")
    page.get_by_label("Vakioaika s/kpl").first.fill("30")
    page.get_by_role("button", name="Hyväksy tilaus").click()
    page.wait_for_load_state()
    page.goto(f"{server}/planning/")
    assert page.locator("section.warnings").count() == 0, page.locator("section.warnings")\
        .inner_text()
    page.get_by_role("link", name="Avaa viikko").click()
    centre_id = int(re.search(r"/planning/(\d+)/", page.url).group(1))
    page.goto(f"{server}/planning/{centre_id}/{WEEK}")
    page.get_by_role("button", name="Tee suunnitelma").click()
    publish = page.get_by_role("button", name="Julkaise versio 1")
    publish.wait_for(timeout=60_000)
    publish.click()
    page.wait_for_load_state()
    screenshot(page, "from-scratch-6-published")
    link = enrol_link(page, server, centre_id)
    sign_out(page)
    return centre_id, link


def enrol_link(page, server: str, centre_id: int) -> str:
    page.goto(f"{server}/centre/{centre_id}/tablets")
    page.get_by_label("Tabletin nimi, esim. Pakkaamo 1").fill("Pakkaamo 1")
    page.get_by_role("button", name="Luo käyttöönottolinkki").click()
    return page.locator("code.enrol-link").inner_text()


def test_from_an_empty_database_to_work_on_the_tablet(app, live_server, page, browser):
    app.config["CLOCK_TODAY"] = SUNDAY
    with app.app_context():
        for model in (Centre, Participant, Order):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
        create_user("paa@kivikko.example", "Pää Käyttäjä", PASSWORD, Role.ADMIN)
        db.session.commit()
    set_up_as_admin(page, live_server)
    order_as_company(page, live_server)
    centre_id, link = plan_as_instructor(page, live_server)

    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        plan = store.latest_plan(centre, WEEK)
        assert plan.state == "published" and plan.assignments
        data = store.planning_instance(centre, WEEK)
        verdict = evaluate(load_instance(data), store.plan_json(plan, data))
        assert verdict.valid, verdict.violations

    app.config["CLOCK_TODAY"] = WEDNESDAY
    tablet = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fi-FI",
                                 has_touch=True).new_page()
    tablet.goto(link)
    tablet.get_by_role("button").first.click()
    tablet.wait_for_url("**/tablet/")
    tablet.get_by_role("button", name="Aino").click()
    tablet.wait_for_url("**/tablet/work")
    tablet.locator("#task-name").get_by_text("Pakkaus").wait_for()
    screenshot(tablet, "from-scratch-7-tablet")
    tablet.context.close()
