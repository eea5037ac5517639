"""A month of a small centre for the report tests: February 2027 (four whole ISO weeks,
W05-W08, twenty working days, no public holidays), with the register, published plans (and a
draft and a superseded version that must not count), tablet reports, orders and help calls.
Every figure the tests expect is worked out by hand in tests/web/test_reports.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from workcentre.extensions import db
from workcentre.models import (
    Absence,
    Area,
    Assignment,
    HelpRequest,
    InstructorPlacement,
    Order,
    OrderEvent,
    OrderLine,
    OrderStep,
    ProgressReport,
    Role,
    TaskFeeling,
    TaskType,
    WeekPlan,
)
from workcentre.models.register import RegisterMark
from workcentre.weeks import iso_week

from .factories import make_centre, make_company, make_participant, make_user

MONDAYS = [date(2027, 2, 1) + timedelta(days=7 * n) for n in range(4)]
_keys = iter(range(1, 10_000))


def _day(week: int, weekday: int) -> date:
    return MONDAYS[week] + timedelta(days=weekday)


def _task_type(centre, area_name: str, code: str, name: str) -> TaskType:
    area = Area(centre=centre, name=area_name, seats=6)
    kind = TaskType(centre=centre, area=area, code=code, name=name)
    db.session.add(kind)
    db.session.flush()
    return kind


def _order(company, centre, kind, reference, *, seconds, created, confirmed=None,
           delivered=None, quantity=500) -> Order:
    order = Order(company=company, centre=centre, reference=reference, title=reference,
                  status="delivered" if delivered else "accepted", created_at=created,
                  confirmed_date=confirmed,
                  lines=[OrderLine(product_name=f"Tuote {reference}", quantity=quantity)])
    order.steps = [OrderStep(task_type=kind, quantity=quantity, seconds_per_unit=seconds,
                             units_done=quantity if delivered else 0, done=bool(delivered))]
    order.events = [OrderEvent(kind="received", at=created)]
    if delivered:
        order.events.append(OrderEvent(kind="delivered", at=delivered))
    db.session.add(order)
    db.session.flush()
    order.steps[0].line_id = order.lines[0].id
    return order


def _mark(person, day, half, status="present", reason=""):
    db.session.add(RegisterMark(participant_id=person.id, day=day, half=half, status=status,
                                reason_code=reason))


def _report(person, step, day, half, units):
    db.session.add(ProgressReport(idempotency_key=f"r{next(_keys)}", participant_id=person.id,
                                  step_id=step.id, day=day, half=half, units=units))


def _help(person, area, at, minutes):
    db.session.add(HelpRequest(participant_id=person.id, area_id=area.id, created_at=at,
                               acknowledged_at=None if minutes is None
                               else at + timedelta(minutes=minutes)))


def report_world() -> dict:
    centre = make_centre("Raporttikeskus")
    centre.am_minutes, centre.pm_minutes = 180, 150
    pack = _task_type(centre, "Tila A", "pack", "Pakkaus")
    label = _task_type(centre, "Tila B", "label", "Tarrat")
    alfa, beta = make_company("Alfa Oy"), make_company("Beta Oy")
    staff = make_user(Role.INSTRUCTOR, centre=centre)
    instructor = staff.instructor
    aino = make_participant(centre, first_name="Aino", productivity=80,
                            attends=["mon-am", "mon-pm", "wed-am"])
    bertta = make_participant(centre, first_name="Bertta", productivity=100,
                              attends=["tue-am", "thu-am"])
    cecilia = make_participant(centre, first_name="Cecilia", attends=["fri-am"])

    # Orders: A on time, B five days late, D without a date, C not delivered, E delivered on
    # 1 March at 00.30 Finnish time (28 February in UTC).
    a = _order(alfa, centre, pack, "R-A", seconds=60, created=datetime(2027, 1, 20, 9),
               confirmed=date(2027, 2, 10), delivered=datetime(2027, 2, 10, 8))
    b = _order(beta, centre, label, "R-B", seconds=45, created=datetime(2027, 1, 31, 23),
               confirmed=date(2027, 2, 12), delivered=datetime(2027, 2, 17, 12))
    _order(alfa, centre, pack, "R-C", seconds=60, created=datetime(2027, 2, 20, 9))
    _order(alfa, centre, pack, "R-D", seconds=60, created=datetime(2027, 2, 3, 9),
           delivered=datetime(2027, 2, 26, 12))
    _order(beta, centre, label, "R-E", seconds=45, created=datetime(2027, 1, 25, 9),
           confirmed=date(2027, 2, 26), delivered=datetime(2027, 2, 28, 22, 30), quantity=300)
    a1, b1 = a.steps[0], b.steps[0]

    # The register. Aino: all 12 but sick on Wednesday of week 2, late on Monday of week 3.
    for week in range(4):
        _mark(aino, _day(week, 0), "am", "late" if week == 2 else "present")
        _mark(aino, _day(week, 0), "pm")
        _mark(aino, _day(week, 2), "am", *(("absent", "sairas") if week == 1 else ()))
    # Bertta: present but away on Thursday of week 2 (another reason); week 3 never marked.
    for week, days in ((0, ((1, "present"), (3, "present"))), (1, ((1, "present"), (3, "absent"))),
                       (3, ((1, "present"), (3, "present")))):
        for weekday, status in days:
            _mark(bertta, _day(week, weekday), "am", status, "muu" if status == "absent" else "")
    # Cecilia told beforehand she is away on the first Friday; never marked otherwise.
    db.session.add(Absence(participant_id=cecilia.id, day=_day(0, 4), half=None))

    # Published plans: Aino on A1 every Monday (both halves) and on B1 on Wednesdays of weeks
    # 1-2; Bertta on B1 on Tuesdays of weeks 1, 2 and 4; Thursdays without planned work.
    # The instructor in Tila A on Mondays (both halves) and in Tila B on Tuesday mornings.
    for week, monday in enumerate(MONDAYS):
        plan = WeekPlan(centre_id=centre.id, week=iso_week(monday), version=2,
                        state="published")
        rows = [(aino, a1, _day(week, 0), "am"), (aino, a1, _day(week, 0), "pm")]
        if week < 2:
            rows.append((aino, b1, _day(week, 2), "am"))
        if week != 2:
            rows.append((bertta, b1, _day(week, 1), "am"))
        plan.assignments = [Assignment(participant_id=p.id, step=s, day=d, half=h)
                            for p, s, d, h in rows]
        plan.placements = [
            InstructorPlacement(instructor_id=instructor.id, area_id=pack.area_id,
                                day=_day(week, 0), half="am"),
            InstructorPlacement(instructor_id=instructor.id, area_id=pack.area_id,
                                day=_day(week, 0), half="pm"),
            InstructorPlacement(instructor_id=instructor.id, area_id=label.area_id,
                                day=_day(week, 1), half="am")]
        db.session.add(plan)
    # Versions that must not count: the superseded first and a newer draft of week 4.
    for version, state in ((1, "superseded"), (3, "draft")):
        other = WeekPlan(centre_id=centre.id, week=iso_week(MONDAYS[3]), version=version,
                         state=state)
        other.assignments = [Assignment(participant_id=bertta.id, step=a1,
                                        day=_day(3, 3), half="am")]
        other.placements = [InstructorPlacement(instructor_id=instructor.id,
                                                area_id=label.area_id, day=_day(3, 3),
                                                half="am")]
        db.session.add(other)

    # Tablet reports: A1 120 units in February (and 99 on 29 January), B1 80 units.
    _report(aino, a1, _day(0, 0), "am", 40)
    _report(aino, a1, _day(0, 0), "pm", 30)
    _report(aino, a1, _day(2, 0), "am", 50)
    _report(aino, a1, date(2027, 1, 29), "am", 99)
    _report(aino, b1, _day(0, 2), "am", 20)
    _report(bertta, b1, _day(0, 1), "am", 25)
    _report(bertta, b1, _day(3, 1), "am", 35)

    # Help calls (UTC): Tila A answered in 3 and 10 minutes; Tila B in 5, one never answered;
    # one in January.
    _help(aino, pack.area, datetime(2027, 2, 1, 8, 0), 3)
    _help(aino, pack.area, datetime(2027, 2, 8, 8, 0), 10)
    _help(bertta, label.area, datetime(2027, 2, 2, 8, 0), None)
    _help(bertta, label.area, datetime(2027, 2, 23, 8, 0), 5)
    _help(aino, pack.area, datetime(2027, 1, 25, 8, 0), 1)

    # Another centre's month, which must not show.
    other_centre = make_centre("Muu keskus")
    stranger = make_participant(other_centre, first_name="Vieras", attends=["mon-am"])
    other_kind = _task_type(other_centre, "Muu tila", "pack", "Muu pakkaus")
    other_order = _order(alfa, other_centre, other_kind, "M-1", seconds=60, quantity=200,
                         created=datetime(2027, 2, 2, 9), confirmed=date(2027, 2, 3),
                         delivered=datetime(2027, 2, 9, 9))
    _mark(stranger, _day(0, 0), "am")
    _report(stranger, other_order.steps[0], _day(0, 0), "am", 500)
    db.session.commit()
    # Aino's own answers ("Miltä tuntui?"): three in February, one in January (not counted).
    for day, kind, feeling in ((_day(0, 0), pack, "good"), (_day(1, 0), pack, "good"),
                               (_day(1, 2), pack, "bad"), (_day(0, 2), label, "ok"),
                               (date(2027, 1, 25), pack, "bad")):
        db.session.add(TaskFeeling(participant_id=aino.id, task_type_id=kind.id, day=day,
                                   feeling=feeling))
    db.session.flush()
    return {"centre": centre.id, "staff": staff.email, "aino": aino.id, "bertta": bertta.id,
            "cecilia": cecilia.id, "alfa": alfa.id, "beta": beta.id, "a1": a1.id, "b1": b1.id,
            "pack": pack.id, "label": label.id, "other_centre": other_centre.id}
