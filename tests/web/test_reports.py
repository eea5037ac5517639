"""The centre report: every figure of a seeded month (tests/report_world.py) against values
worked out by hand, the Raportit page and its access, and `workcentre report`."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.factories import login, make_company, make_user
from tests.report_world import report_world
from workcentre.extensions import db
from workcentre.models import Centre, Role
from workcentre.reports.centre import centre_report
from workcentre.reports.period import Period, PeriodRefused, chosen_period, month_period

FEBRUARY = Period(date(2027, 2, 1), date(2027, 2, 28))


@pytest.fixture
def world(ctx):
    return report_world()


def _report(world, period=FEBRUARY):
    return centre_report(db.session.get(Centre, world["centre"]), period)


def test_attendance_and_meaningful_work_by_hand(world):
    report = _report(world)
    a = report.attendance
    # Expected: Aino 3 x 4 weeks, Bertta 2 x 4, Cecilia 1 x 4 = 24 half-days.
    # Present: Aino 11 (one late counts), Bertta 5; absent: Aino sick once, Bertta once;
    # announced: Cecilia's first Friday; unmarked: Bertta's week 3 (2), Cecilia's other 3.
    assert (a.expected, a.present, a.absent, a.announced, a.unmarked) == (24, 16, 2, 1, 5)
    assert (a.people_expected, a.people_came) == (3, 2)
    assert a.rate == 66.7  # 16 / 24
    # With planned work: Aino's 8 Mondays and her Wednesday of week 1, Bertta's 3 Tuesdays.
    # Without: Aino's Wednesdays of weeks 3-4, Bertta's Thursdays of weeks 1 and 4.
    assert (report.attended, report.attended_with_work) == (16, 12)
    assert report.work_share == 75.0
    weeks = {week: (w.expected, w.present, w.announced, w.unmarked) for week, w in report.weeks}
    assert weeks == {"2027-W05": (6, 5, 1, 0), "2027-W06": (6, 3, 0, 1),
                     "2027-W07": (6, 3, 0, 3), "2027-W08": (6, 5, 0, 1)}


def test_orders_received_delivered_on_time_and_delay_by_hand(world):
    o = _report(world).orders
    # Received in February (Finnish time): B (1 Feb 01.00), C and D; A and E in January.
    assert o.received == 3
    # Delivered: A on its date, B five days late, D without a date; E on 1 March 00.30.
    assert [(r.reference, r.delay_days) for r in o.delivered] == [
        ("R-A", 0), ("R-B", 5), ("R-D", None)]
    assert (o.on_time, len(o.with_due), o.on_time_rate) == (1, 2, 50.0)
    assert (o.mean_delay, o.max_delay) == (2.5, 5)


def test_units_and_hours_by_company_and_task_type_by_hand(world):
    report = _report(world)
    rows = {(r.company, r.task_type): (r.units, r.standard_hours, r.work_hours)
            for r in report.work}
    # A1: 40 + 30 + 50 units x 60 s = 2.0 h; Aino's 4 Mondays 4 x (180 + 150) min = 22.0 h.
    # B1: 20 + 25 + 35 units x 45 s = 1.0 h; Aino's Wednesday (180) + Bertta's three
    # Tuesdays (3 x 180) = 12.0 h. The other centre's 500 units and January's 99 do not count.
    assert rows == {("Alfa Oy", "Pakkaus"): (120, 2.0, 22.0),
                    ("Beta Oy", "Tarrat"): (80, 1.0, 12.0)}
    assert report.units_by_company == {"Alfa Oy": 120, "Beta Oy": 80}
    assert report.units_by_task_type == {"Pakkaus": 120, "Tarrat": 80}


def test_instructor_hours_and_help_calls_by_hand(world):
    report = _report(world)
    # Tila A: 4 Mondays x (180 + 150) min; Tila B: 4 Tuesday mornings x 180 min. The draft and
    # the superseded version's Thursday do not count.
    assert report.instructor_hours == {"Tila A": 22.0, "Tila B": 12.0}
    calls = {r.area: (r.calls, r.answered, r.median_minutes, r.max_minutes)
             for r in report.help}
    assert calls == {"Tila A": (2, 2, 6.5, 10.0), "Tila B": (2, 1, 5.0, 5.0)}
    total = report.help_total
    assert (total.calls, total.answered, total.median_minutes, total.max_minutes) == (
        4, 3, 5.0, 10.0)


def test_a_chosen_period_counts_only_its_days(world):
    # Weeks 1-2 only: 12 expected; week 1 five present, week 2 three (Aino sick on Wednesday,
    # Bertta away on Thursday).
    report = _report(world, Period(date(2027, 2, 1), date(2027, 2, 14)))
    assert (report.attendance.expected, report.attendance.present) == (12, 8)
    assert [r.reference for r in report.orders.delivered] == ["R-A"]
    assert report.units_by_company == {"Alfa Oy": 70, "Beta Oy": 45}


def test_periods_refuse_bad_input_in_finnish(ctx):
    assert month_period("2027-02") == FEBRUARY
    for bad in ("2027-13", "helmikuu", "", "2027-2-1"):
        with pytest.raises(PeriodRefused, match="VVVV-KK"):
            month_period(bad)
    with pytest.raises(PeriodRefused, match="ennen"):
        chosen_period("2027-02-10", "2027-02-01")
    with pytest.raises(PeriodRefused, match="vuoden"):
        chosen_period("2025-01-01", "2027-02-01")
    assert Period(date(2027, 1, 30), date(2027, 2, 2)).months() == [
        Period(date(2027, 1, 30), date(2027, 1, 31)), Period(date(2027, 2, 1), date(2027, 2, 2))]


def _login_staff(app, client, world):
    with app.app_context():
        login(client, world["staff"])


def test_the_page_shows_the_figures_and_charts_with_their_numbers(app, client):
    with app.app_context():
        world = report_world()
    login(client, world["staff"])
    page = client.get(f"/reports/{world['centre']}?month=2027-02")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "66,7 %" in html and "75 %" in html and "50 %" in html
    assert html.count("<svg class=\"chart report-chart\"") == 4
    assert "Alfa Oy" in html and "Tila A" in html and "22" in html
    assert "Vieras" not in html and "Muu pakkaus" not in html
    # A period and print.
    assert client.get(f"/reports/{world['centre']}?start=2027-02-01&end=2027-02-14"
                      ).status_code == 200
    assert "print-view" in client.get(
        f"/reports/{world['centre']}?month=2027-02&print=1").get_data(as_text=True)


def test_bad_period_on_the_page_is_a_finnish_message(app, client):
    with app.app_context():
        world = report_world()
    login(client, world["staff"])
    answer = client.get(f"/reports/{world['centre']}?month=2027-99", follow_redirects=True)
    assert answer.status_code == 200
    assert "Kuukausi muodossa VVVV-KK" in answer.get_data(as_text=True)
    answer = client.get(f"/reports/{world['centre']}?start=x&end=2027-02-01",
                        follow_redirects=True)
    assert "VVVV-KK-PP" in answer.get_data(as_text=True)


def test_only_instructors_of_the_centre_and_admins_see_reports(app, client):
    with app.app_context():
        world = report_world()
        company_user = make_user(Role.COMPANY, company=make_company())
        admin = make_user(Role.ADMIN)
        elsewhere = make_user(Role.INSTRUCTOR)
        db.session.commit()
        emails = company_user.email, admin.email, elsewhere.email
    url = f"/reports/{world['centre']}?month=2027-02"
    assert client.get(url).status_code == 302  # to the sign-in
    login(client, emails[0])
    assert client.get(url).status_code == 403
    assert client.get(f"/reports/{world['centre']}/report.xlsx?month=2027-02").status_code == 403
    client.post("/logout")
    login(client, emails[2])
    assert client.get(url).status_code == 404
    client.post("/logout")
    login(client, emails[1])
    assert client.get(url).status_code == 200


def _sheets(data: bytes) -> dict:
    workbook = load_workbook(BytesIO(data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()]
            for ws in workbook.worksheets}, workbook


def test_workbook_has_a_sheet_per_section_numbers_and_dates_no_formulas(app, client):
    with app.app_context():
        world = report_world()
    login(client, world["staff"])
    answer = client.get(f"/reports/{world['centre']}/report.xlsx?month=2027-02")
    assert answer.status_code == 200
    sheets, workbook = _sheets(answer.data)
    assert list(sheets) == ["Yhteenveto", "Läsnäolo", "Tilaukset", "Työ", "Ohjaajatunnit",
                            "Avunpyynnöt"]
    summary = {row[0]: row[1] for row in sheets["Yhteenveto"][1:]}
    assert summary["Läsnäoloaste (%)"] == 66.7
    assert summary["Odotetut puolipäivät"] == 24
    assert summary["Ajallaan (%)"] == 50
    assert summary["Valmistetut kappaleet"] == 200
    assert summary["Alkaen"].date() == date(2027, 2, 1)
    orders = sheets["Tilaukset"]
    assert orders[2][:5] == ["R-B", "Beta Oy", orders[2][2], orders[2][3], 5]
    assert orders[2][2].date() == date(2027, 2, 12) and orders[2][3].date() == date(2027, 2, 17)
    assert sheets["Työ"][1] == ["Alfa Oy", "Pakkaus", 120, 2, 22]
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_report_command_writes_the_workbook(app, runner, tmp_path):
    with app.app_context():
        report_world()
    out = tmp_path / "report.xlsx"
    result = runner.invoke(args=["report", "--month", "2027-02", "--centre", "Raporttikeskus",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheets, _ = _sheets(out.read_bytes())
    assert {row[0]: row[1] for row in sheets["Yhteenveto"][1:]}["Läsnä puolipäiviä"] == 16
    bad = runner.invoke(args=["report", "--month", "helmikuu", "--centre", "Raporttikeskus",
                              "-o", str(out)])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    assert "VVVV-KK" in bad.output
    several = runner.invoke(args=["report", "--month", "2027-02", "-o", str(out)])
    assert several.exit_code != 0 and "--centre" in several.output


# Per participant and month ---------------------------------------------------------------

def test_a_persons_month_by_hand(world):
    from workcentre.models import Participant
    from workcentre.reports.person import person_month

    centre = db.session.get(Centre, world["centre"])
    aino = person_month(centre, db.session.get(Participant, world["aino"]), FEBRUARY)
    a = aino.attendance
    assert (a.expected, a.present, a.late, a.absent["sairas"], a.announced, a.unmarked) == (
        12, 11, 1, 1, 0, 0)
    # Planned work on her 8 Monday half-days and the first Wednesday; none on the Wednesdays of
    # weeks 3-4. 4 x 180 + 4 x 150 + 180 = 1500 min.
    assert (aino.with_work, aino.without_work, aino.work_hours) == (9, 2, 25.0)
    assert aino.units == {"Pakkaus": 120, "Tarrat": 20}
    # Packing she reported already in January; labels are new.
    assert aino.first_time == ["Tarrat"]
    # Her own answers of February, per task type (the January one is not counted).
    assert aino.feelings == {"Pakkaus": {"good": 2, "ok": 0, "bad": 1},
                             "Tarrat": {"good": 0, "ok": 1, "bad": 0}}
    bertta = person_month(centre, db.session.get(Participant, world["bertta"]), FEBRUARY)
    b = bertta.attendance
    assert (b.expected, b.present, b.absent["muu"], b.unmarked) == (8, 5, 1, 2)
    assert (bertta.with_work, bertta.without_work, bertta.work_hours) == (3, 2, 9.0)
    assert bertta.units == {"Tarrat": 60} and bertta.first_time == ["Tarrat"]
    assert bertta.feelings == {}
    # In March nothing happened: nothing is new.
    march = person_month(centre, db.session.get(Participant, world["aino"]),
                         month_period("2027-03"))
    assert (march.with_work, march.units, march.first_time) == (0, {}, [])


def _view_events(app, participant_id: int) -> list:
    from sqlalchemy import select

    from workcentre.models import AuditEvent

    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.user_id).where(
            AuditEvent.action == "view_person_report",
            AuditEvent.participant_id == participant_id)))


def test_every_view_of_a_persons_month_is_logged_and_printable(app, client):
    with app.app_context():
        world = report_world()
    login(client, world["staff"])
    url = f"/reports/{world['centre']}/people/{world['aino']}?month=2027-02"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Aino oli paikalla 11 puolipäivänä. Sovittuja puolipäiviä oli 12." in html
    assert "9 oli suunniteltua työtä ja 2 ilman" in html and "25 tuntia" in html
    assert "Tarrat" in html and "Bertta" not in html
    assert "print-view" in client.get(url + "&print=1").get_data(as_text=True)
    assert len(_view_events(app, world["aino"])) == 2
    assert _view_events(app, world["bertta"]) == []
    # The list names people only; opening it reads nobody's month.
    listing = client.get(f"/reports/{world['centre']}/people?month=2027-02")
    assert "Bertta" in listing.get_data(as_text=True)
    assert _view_events(app, world["bertta"]) == []


def test_only_staff_of_the_centre_read_a_persons_month(app, client):
    with app.app_context():
        world = report_world()
        company_user = make_user(Role.COMPANY, company=make_company())
        elsewhere = make_user(Role.INSTRUCTOR)
        db.session.commit()
        emails = company_user.email, elsewhere.email
    url = f"/reports/{world['centre']}/people/{world['aino']}?month=2027-02"
    login(client, emails[0])
    assert client.get(url).status_code == 403
    client.post("/logout")
    login(client, emails[1])
    assert client.get(url).status_code == 404
    client.post("/logout")
    login(client, world["staff"])
    # Someone of another centre through this centre's address: not found, nothing logged.
    with app.app_context():
        from sqlalchemy import select

        from workcentre.models import Participant
        stranger = db.session.scalar(select(Participant.id).where(
            Participant.first_name == "Vieras"))
    assert client.get(f"/reports/{world['centre']}/people/{stranger}").status_code == 404
    assert _view_events(app, stranger) == []
    # A month that is not one: a message, back to this month; the refused request read nothing.
    assert client.get(url.replace("2027-02", "2027-99")).status_code == 302
    assert _view_events(app, world["aino"]) == []


# The company's own record -------------------------------------------------------------------

def test_company_record_by_hand(world):
    from workcentre.reports.company import company_record

    alfa = {r.period.label(): (r.delivered, r.with_due, r.on_time, r.on_time_rate, r.units)
            for r in company_record(world["alfa"], date(2027, 3, 15), months=3)}
    # February: R-A on time (500), R-D without a date (500), M-1 of the other centre six days
    # late (200). Both centres' deliveries are the company's own record.
    assert alfa == {"1/2027": (0, 0, 0, None, 0), "2/2027": (3, 2, 1, 50.0, 1200),
                    "3/2027": (0, 0, 0, None, 0)}
    beta = {r.period.label(): (r.delivered, r.on_time, r.units)
            for r in company_record(world["beta"], date(2027, 3, 15), months=2)}
    # R-B five days late in February; R-E on 1 March (Finnish time), three days late.
    assert beta == {"2/2027": (1, 0, 500), "3/2027": (1, 0, 300)}


def test_a_company_sees_its_own_record_and_nothing_about_people(app, client):
    with app.app_context():
        world = report_world()
        user = make_user(Role.COMPANY, company=db.session.get(
            __import__("workcentre.models", fromlist=["Company"]).Company, world["alfa"]))
        db.session.commit()
        email = user.email
    app.config["CLOCK_TODAY"] = "2027-03-15"
    login(client, email)
    html = client.get("/company/record").get_data(as_text=True)
    assert "2/2027" in html and "1 / 2" in html and "50 %" in html and "1200" in html
    assert "<svg" in html
    for secret in ("Aino", "Bertta", "Cecilia", "Vieras", "Beta", "R-B", "R-E", "Tila A",
                   "Pakkaus", "Tarrat", "Raporttikeskus"):
        assert secret not in html, secret
    assert 'href="/company/record"' in client.get("/company/orders").get_data(as_text=True)


# Invoicing ---------------------------------------------------------------------------------

def test_catalogue_prices_and_the_monthly_invoicing_workbook(app, client):
    with app.app_context():
        world = report_world()
    login(client, world["staff"])
    products = f"/setup/{world['centre']}/products"
    form = {"name": "Tuote R-A", "task_type_id": world["pack"], "seconds_per_unit": 60,
            "company_id": world["alfa"]}
    # Bad prices: a Finnish message, nothing saved.
    for unit, hour, message in (("abc", "", "Anna hinta euroina"),
                                ("1", "2", "joko kappaleelle tai tunnille")):
        page = client.post(products, data=form | {"unit_price": unit, "hour_price": hour})
        assert message in page.get_data(as_text=True)
    assert client.post(products, data=form | {"unit_price": "0,50"}).status_code == 302
    assert client.post(products, data={
        "name": "Tuote R-B", "task_type_id": world["label"], "seconds_per_unit": 45,
        "company_id": world["beta"], "hour_price": "32.50 €"}).status_code == 302
    assert "0,50 €/kpl" in client.get(products).get_data(as_text=True)

    answer = client.get(f"/orders/monthly.xlsx?company={world['alfa']}&month=2027-02")
    assert 'filename="2027-02-alfa-oy.xlsx"' in answer.headers["Content-Disposition"]
    rows = [r for r in load_workbook(BytesIO(answer.data)).active.iter_rows(
        min_row=2, values_only=True) if any(v is not None for v in r)]
    # R-A: 40 + 30 + 50 units in February at 0,50 €/kpl = 60 €. R-D was delivered but has no
    # price. M-1 is the other centre's, which this instructor does not invoice.
    by_ref = {r[0]: r for r in rows}
    assert by_ref["R-A"][3] == 120 and by_ref["R-A"][7:] == (0.5, "€/kpl", 60)
    assert by_ref["R-D"][4].date() == date(2027, 2, 26) and by_ref["R-D"][9] is None
    assert "M-1" not in by_ref
    assert by_ref["Yhteensä"][9] == 60
    beta = client.get(f"/orders/monthly.xlsx?company={world['beta']}&month=2027-02")
    assert 'filename="2027-02-beta-oy.xlsx"' in beta.headers["Content-Disposition"]
    rows = {r[0]: r for r in load_workbook(BytesIO(beta.data)).active.iter_rows(
        min_row=2, values_only=True) if r[0]}
    # R-B: 80 units x 45 s = 1,0 h at 32,50 €/h.
    assert rows["R-B"][6:] == (1, 32.5, "€/h", 32.5)
    assert rows["Yhteensä"][9] == 32.5
