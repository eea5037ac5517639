"""Attack pass on the register, the floor and the set-up with odd data: a centre with nothing
in it yet, days far in the past, weekends, odd half-days, huge ids. Pages answer, never 500."""

from __future__ import annotations

import pytest

from tests.factories import login, make_centre, make_user
from workcentre.extensions import db
from workcentre.models import Role


@pytest.fixture
def bare(app):
    """A centre just made: no areas, no people, an instructor who has not set a pattern."""
    with app.app_context():
        centre = make_centre("Tyhjä 🌱 " + "pitkä" * 20)
        staff = make_user(Role.INSTRUCTOR, centre=centre)
        staff.instructor.attends = []
        admin = make_user(Role.ADMIN)
        db.session.commit()
        return {"centre": centre.id, "staff": staff.email, "admin": admin.email}


ODD_DAYS = ["0001-01-01", "1900-02-28", "2026-12-05", "2026-12-06", "9999-12-31", "2026-02-30",
            "x" * 300, ""]


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_the_pages_of_a_bare_centre_answer(app, bare, who):
    client = app.test_client()
    assert login(client, bare[who]).status_code == 302
    c = bare["centre"]
    urls = [f"/register/{c}", f"/floor/{c}", f"/floor/{c}/live", "/register/", "/setup/",
            f"/setup/{c}/products", f"/planning/{c}", "/"]
    urls += [f"/register/{c}?day={day}&half={half}" for day in ODD_DAYS
             for half in ("am", "pm", "eve", "")]
    urls += [f"/floor/{c}?day={day}" for day in ODD_DAYS]
    for url in urls:
        status = client.get(url).status_code
        assert status < 500, (url, status)
    for day in ODD_DAYS[:5]:
        for path in (f"/register/{c}/{day}/am/1", f"/register/{c}/replan",
                     f"/floor/{c}/calls/{2**63}/answer"):
            status = client.post(path, data={"status": "absent"}).status_code
            assert status < 500, (path, status)
