"""Attack pass: every route of the url_map, as an outsider, with the ids of another centre.

The outsiders are an instructor of another centre, a company user of another company, a kiosk of
another centre and an anonymous browser. Each sends GET and POST (with a plausible form) to every
route, the path filled with the first centre's ids. Nothing may change in the database and no
page may show the first centre's people, order or company.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import login, make_company, make_participant, make_user
from tests.tablet_world import WORKDAY, tablet_world
from workcentre.extensions import db
from workcentre.models import (
    Absence,
    Centre,
    ClosureDay,
    HelpRequest,
    Kiosk,
    Order,
    OrderStep,
    Participant,
    PlanEdit,
    ProgressReport,
    Role,
    UnitsCheck,
    User,
)
from workcentre.xlsx import XLSX_MIME

# Rows a refused request may legitimately write: the audit trail and the sign-in bookkeeping.
NOT_COMPARED = {"audit_event", "login_attempt"}
SECRETS = ("Piilonen", "Esitteet", "Salainen tuki")
OUTSIDERS = ("instructor_b", "company_b", "kiosk_b", "anonymous")


def _snapshot() -> dict[str, list]:
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name in NOT_COMPARED:
            continue
        rows[table.name] = sorted(
            repr(tuple(r)) for r in db.session.execute(select(table)).all())
    return rows


def _world() -> dict:
    ids = tablet_world()
    centre = db.session.get(Centre, ids["centre"])
    aino = db.session.get(Participant, ids["aino"])
    aino.photo_path, aino.last_name = "aino.jpg", "Piilonen"
    from workcentre.people.services import set_support

    set_support(aino, support_points=3, productivity=50, notes="Salainen tuki")
    staff = db.session.scalars(select(User).where(User.email == ids["staff"])).one()
    kiosk_a = db.session.scalars(select(Kiosk).where(Kiosk.centre_id == centre.id)).first()
    absence = Absence(participant_id=aino.id, day=date(2026, 12, 1))
    own_absence = Absence(instructor_id=staff.instructor.id, day=date(2026, 12, 2))
    closure = ClosureDay(centre_id=centre.id, day=date(2026, 12, 3), reason="Siivous")
    db.session.add_all([absence, own_absence, closure])
    report = ProgressReport(idempotency_key="secret-key-0001", participant_id=aino.id,
                            step_id=ids["step"], kiosk_id=kiosk_a.id,
                            day=date.fromisoformat(WORKDAY), half="am", units=5)
    db.session.add(report)
    db.session.flush()
    check = UnitsCheck(report_id=report.id, step_id=ids["step"], participant_id=aino.id, units=9)
    call = HelpRequest(kiosk_id=kiosk_a.id, participant_id=aino.id)
    edit = PlanEdit(centre_id=centre.id, week="2026-W48", participant_id=aino.id, slot="wed-am",
                    base="", before={}, proposal={}, moves=[])
    db.session.add_all([check, call, edit])
    db.session.flush()
    other = db.session.scalars(select(Centre).where(Centre.id != centre.id)).one()
    company_b = make_company("Toinen Oy")
    make_participant(other, first_name="Vieras2")
    outsiders = {
        "instructor_b": make_user(Role.INSTRUCTOR, centre=other).email,
        "company_b": make_user(Role.COMPANY, company=company_b).email,
    }
    task_type = db.session.get(OrderStep, ids["step"]).task_type
    path_ids = {
        "centre_id": centre.id, "participant_id": aino.id, "order_id": ids["order"],
        "absence_id": absence.id, "area_id": task_type.area_id, "task_type_id": task_type.id,
        "instructor_id": staff.instructor.id, "user_id": staff.id, "kiosk_id": kiosk_a.id,
        "closure_id": closure.id,
        "call_id": call.id, "edit_id": edit.id, "check_id": check.id, "week": "2026-W48",
        "slot": "wed-am", "key": "secret-key-0001", "name": "aino.jpg", "code": "en",
        "filename": "app.css", "token": "no-such-link",
    }
    company_a = db.session.get(Order, ids["order"]).company
    company_user = make_user(Role.COMPANY, company=company_a).email
    db.session.commit()
    return {"ids": ids, "path": path_ids, "outsiders": outsiders, "instructor": ids["staff"],
            "company": company_user,
            "own_absence": own_absence.id, "other_token": ids["other_token"]}


@pytest.fixture
def world(app):
    app.config["CLOCK_TODAY"] = WORKDAY
    with app.app_context():
        return _world()


def _client(app, world: dict, who: str):
    client = app.test_client()
    if who == "kiosk_b":
        assert client.post(f"/tablet/enroll/{world['other_token']}").status_code == 302
    elif who != "anonymous":
        assert login(client, world["outsiders"][who]).status_code == 302
    return client


def _url(rule, path_ids: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        # An argument of a route added later: the id 1, some row of the first centre.
        url = re.sub(r"<(?:[a-z]+:)?" + name + ">", str(path_ids.get(name, 1)), url)
    return url


def _form(path_ids: dict, world: dict) -> dict:
    """A form that would change something, were it accepted."""
    return {
        "decision": "confirm", "units": "7", "step": str(world["ids"]["step"]), "half": "am",
        "key": "attack-key-0001", "person": str(path_ids["participant_id"]),
        "first_name": "Muutettu", "last_name": "X", "centre_id": str(path_ids["centre_id"]),
        "support_points": "1", "productivity": "100", "reason": "x", "first_day": "2026-12-07",
        "name": "Muutettu", "seats": "3", "quantity": "9", "due": "2026-12-20",
        "title": "X", "product": "X", "task_type_id": str(path_ids["task_type_id"]),
        "seconds_per_unit": "5", "day": "2026-12-08", "capacity": "3",
        "company_id": "1", "email": "x@example.test", "role": "admin",
        # what pages read from the address
        "centre": str(path_ids["centre_id"]), "company": "1", "month": "2026-11",
        "version": "1", "participant": str(path_ids["participant_id"]),
        "area": "1", "next": "/people/",
    }


def _text_of(response) -> str:
    """What a page, JSON or workbook says (a workbook's sheets as their XML)."""
    if response.mimetype.startswith(("text/", "application/json")):
        return response.get_data(as_text=True)
    if response.mimetype == XLSX_MIME and response.status_code == 200:
        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            return " ".join(book.read(name).decode() for name in book.namelist()
                            if name.endswith(".xml"))
    return ""


def _changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_reach_nothing_of_another_centre(app, world, who):
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint not in {"static", "auth.logout", "auth.login", "auth.language",
                                   "tablet.enroll", "auth.password"}]
    problems = []
    client = _client(app, world, who)
    for rule in rules:
        url = _url(rule, world["path"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            with app.app_context():
                before = _snapshot()
            if method == "GET":
                response = client.get(url, query_string=_form(world["path"], world))
            else:
                response = client.post(url, data=_form(world["path"], world))
            body = _text_of(response)
            with app.app_context():
                changed = _changed_tables(before, _snapshot())
            shown = [s for s in SECRETS if s in body]
            if response.status_code >= 500 or changed or shown:
                problems.append((method, url, response.status_code, changed, shown))
    assert problems == [], "\n".join(map(str, problems))


def _hostile_forms(world: dict) -> list[dict]:
    """The plausible form with every value huge, negative, not a number, or with a NUL byte."""
    plain = _form(world["path"], world)
    values = ("99999999999999999999999", "-5", "nan", "1e400", "x\x00y", "Å" * 5000)
    return [{name: value for name in plain} for value in values]


@pytest.mark.parametrize("who", ("instructor", "company", "kiosk"))
def test_insiders_get_no_server_error_on_any_route(app, world, who):
    """The centre's own instructor, the ordering company and the centre's tablet, sending each
    form with fields missing or odd: never a 500."""
    client = app.test_client()
    if who == "kiosk":
        assert client.post(f"/tablet/enroll/{world['ids']['token']}").status_code == 302
        assert client.post(f"/tablet/me/{world['ids']['aino']}").status_code == 302
    else:
        assert login(client, world[who]).status_code == 302
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint not in {"static", "auth.logout", "auth.login", "tablet.enroll"}]
    failures = []
    for rule in rules:
        url = _url(rule, world["path"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for data in ({}, _form(world["path"], world), *_hostile_forms(world)):
                response = (client.get(url, query_string=data) if method == "GET"
                            else client.post(url, data=data))
                if response.status_code >= 500:
                    failures.append((method, url, sorted(data)))
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize("who", ("insider", "kiosk_a"))
def test_every_post_without_csrf_token_changes_nothing(app, world, who):
    client = app.test_client()
    if who == "insider":
        assert login(client, world["ids"]["staff"]).status_code == 302
    else:
        assert client.post(f"/tablet/enroll/{world['ids']['token']}").status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True
    accepted = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = _url(rule, world["path"])
        with app.app_context():
            before = _snapshot()
        response = client.post(url, data=_form(world["path"], world))
        with app.app_context():
            changed = _changed_tables(before, _snapshot())
        if response.status_code != 400 or changed:
            accepted.append((url, response.status_code, changed))
    assert accepted == [], "\n".join(map(str, accepted))
