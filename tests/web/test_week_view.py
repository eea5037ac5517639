"""The demand chart's figures: work due each day against the time the people present give."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, select

from scheduling.instance import load_instance
from workcentre.extensions import db
from workcentre.models import Absence, Area, Centre, Participant, Preference
from workcentre.people.services import set_support
from workcentre.planning import store
from workcentre.planning.week_view import chart, demand

from ..factories import load_demo_week, login

TINY = Path(__file__).resolve().parents[1] / "scheduling" / "data" / "tiny-week.json"


def test_days_add_up_and_an_early_deadline_shows_as_overload(app):
    data = json.loads(TINY.read_text())
    instance = load_instance(data)
    with app.test_request_context():
        rows = demand(load_instance(data))
    assert [r.label for r in rows] == ["ma", "ti"]
    need = sum(math.ceil(s.quantity * s.seconds_per_unit / 60) for s in instance.steps)
    assert rows[0].need == 0 and rows[1].need == need == rows[1].need_so_far
    given = [sum(instance.cap(p, s) for s in instance.slots if s.day == day
                 for p in instance.participants if s.id in p.attends)
             for day in ("2026-10-26", "2026-10-27")]
    assert [r.capacity for r in rows] == given and rows[1].capacity_so_far == sum(given)
    assert not any(r.overloaded for r in rows)
    # Everything due on Monday morning instead: Monday is overloaded before anyone solves.
    for order in data["orders"]:
        for step in order["steps"]:
            step["due_slot"] = "mon-am"
            step["quantity"] *= 3
    with app.test_request_context():
        rows = demand(load_instance(data))
        drawn = chart(rows)
    assert rows[0].overloaded and rows[0].need > rows[0].capacity
    assert [label["overloaded"] for label in drawn["labels"]] == [r.overloaded for r in rows]
    assert max(bar["h"] for bar in drawn["bars"]) <= drawn["height"]


# --- The week page at region size: queries, filters by day and area -------------------------

WEEK = "2026-W48"
MONDAY = date(2026, 11, 23)


@pytest.fixture
def planner(app, client, tmp_path):
    """The demo centre with a stored plan that gives everyone present a task, Marja signed in."""
    centre_id = load_demo_week(app, tmp_path, "2026-11-24")  # a Tuesday of the week
    with app.app_context():
        _plan_everyone(centre_id)
    assert login(client, "marja@demo.example").status_code == 302
    return f"/planning/{centre_id}/{WEEK}"


def _plan_everyone(centre_id: int) -> None:
    """A draft giving every participant a step they know in every half-day they attend."""
    centre = db.session.get(Centre, centre_id)
    data = store.planning_instance(centre, WEEK)
    steps = [(s["id"], s["task_type"]) for o in data["orders"] for s in o["steps"]]
    rows = []
    for person in data["participants"]:
        known = [key for key, kind in steps if kind in person["skills"]]
        rows += [{"participant": person["id"], "slot": slot, "step": known[n % len(known)]}
                 for n, slot in enumerate(person["attends"]) if known]
    store.save_plan(centre, WEEK, {"assignments": rows, "instructors": [], "status": "FEASIBLE"},
                    None, instance=data)
    db.session.commit()


def _grow(centre_id: int, count: int) -> None:
    """`count` more participants like the first one (skills, likes, an absence), all planned."""
    model = db.session.scalars(select(Participant).where(Participant.centre_id == centre_id)
                               .order_by(Participant.id)).first()
    for n in range(count):
        person = Participant(centre_id=centre_id, first_name=f"Uusi{n}", last_name="Tekijä",
                             attends=list(model.attends), skills=list(model.skills))
        person.preferences = [Preference(task_type=model.skills[0], likes=True)]
        person.absences = [Absence(day=MONDAY, half="pm")]
        db.session.add(person)
        db.session.flush()
        set_support(person, support_points=1, productivity=90)
    db.session.commit()
    _plan_everyone(centre_id)


def _queries(app, client, url: str) -> tuple[int, str]:
    count = [0]

    def counted(*_args) -> None:
        count[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert response.status_code == 200
    return count[0], response.get_data(as_text=True)


def test_the_number_of_queries_does_not_grow_with_the_people(app, client, planner):
    whole = planner + "?day=all&area=all"
    client.get(whole)  # warm: the first request of a session loads the user and the locale
    before, page = _queries(app, client, whole)
    assert page.count('<tr id="row-') == 16
    with app.app_context():
        _grow(int(planner.split("/")[2]), 24)
    after, page = _queries(app, client, whole)
    assert page.count('<tr id="row-') == 40
    assert after == before, (before, after)


def _grid_rows(page: str) -> int:
    return page.count('<tr id="row-')


def _grid_columns(page: str) -> int:
    grid = page.split('<table class="grid">', 1)[1].split("</thead>", 1)[0]
    return grid.count('<th scope="col"') - 1


def test_a_small_centre_sees_its_whole_week_by_default(client, planner):
    page = client.get(planner).get_data(as_text=True)
    assert _grid_rows(page) == 16 and _grid_columns(page) == 10


def test_a_large_centre_opens_on_today_in_one_area_with_the_others_counted(app, client, planner):
    with app.app_context():
        _grow(int(planner.split("/")[2]), 50)
    page = client.get(planner).get_data(as_text=True)
    assert _grid_columns(page) == 2  # today, Tuesday: morning and afternoon
    assert "ti aamupäivä" in page.split('<table class="grid">', 1)[1].split("</thead>")[0] \
        or "ti" in page.split('<table class="grid">', 1)[1].split("</thead>")[0]
    shown = _grid_rows(page)
    assert 0 < shown < 66
    # Every area is a link with its count of people; together they cover everyone planned.
    with app.app_context():
        areas = db.session.scalars(select(Area).join(Centre)).all()
    counts = {}
    for area in areas:
        found = re.search(rf'href="[^"]*area={area.id}[^"]*"[^>]*>[^<]*?\((\d+)\)', page)
        assert found, area.name
        counts[area.id] = int(found.group(1))
    assert shown == max(c for c in counts.values() if c) or shown in counts.values()
    # Another area and the whole week: links that work without JavaScript.
    other = next(a for a in areas if counts[a.id] and f"area={a.id}" not in page[:0])
    page = client.get(f"{planner}?day=all&area={other.id}").get_data(as_text=True)
    assert _grid_columns(page) == 10
    page = client.get(f"{planner}?day=wed&area=all").get_data(as_text=True)
    assert _grid_rows(page) == 66 and _grid_columns(page) == 2


def test_an_unknown_day_or_area_is_not_found(client, planner):
    assert client.get(planner + "?day=sun").status_code == 404
    assert client.get(planner + "?area=999999").status_code == 404
    assert client.get(planner + "?area=x").status_code == 404


def _figure(page: str, label: str) -> str:
    return re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", page).group(1)


def test_the_cached_figures_follow_every_change_of_the_plan(app, client, planner):
    label = "Puolipäiviä ilman tehtävää"
    before = _figure(client.get(planner).get_data(as_text=True), label)
    with app.app_context():
        # The solver's way of writing: the same draft, its revision untouched.
        centre = db.session.scalars(select(Centre)).one()
        plan = store.latest_plan(centre, WEEK)
        revision, rows = plan.revision, store.triples(plan)
        store.save_plan(centre, WEEK, {"assignments": rows[::2], "instructors": [],
                                       "status": "FEASIBLE"}, None, instance=plan.instance)
        db.session.commit()
        assert store.latest_plan(centre, WEEK).revision == revision
    after = _figure(client.get(planner).get_data(as_text=True), label)
    assert int(after) == int(before) + len(rows) - len(rows[::2])
