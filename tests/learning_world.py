"""Four weeks of March 2027 that teach something, for tests/web/test_learning.py.

The catalogue says a gift box (Lahjapakkaus) takes 60 s; the reports show 45 s: Aino (pace 80)
packs about 192 in a 180-minute morning (180 x 60 x 0.8 / 192 = 45 s), Bertta (pace 100) about
240 (180 x 60 / 240 = 45 s). Cecilia's pace is recorded as 50, but her labels (30 s) and sorting
(20 s) show 75: 270 labels in a morning (270 x 30 / 10800 = 75 %), 337 sorted in a 150-minute
afternoon (337 x 20 / 9000 = 74.9 %). Two half-days must not count: Aino late on the first
Tuesday, Bertta reporting on two steps on the first Wednesday.
"""

from __future__ import annotations

from datetime import date, timedelta

from workcentre.extensions import db
from workcentre.models import (
    Assignment,
    Order,
    OrderLine,
    OrderStep,
    Product,
    ProgressReport,
    Role,
    WeekPlan,
)
from workcentre.models.register import RegisterMark
from workcentre.weeks import iso_week

from .factories import make_centre, make_company, make_participant, make_task_type, make_user

TODAY = "2027-03-31"
MONDAYS = [date(2027, 3, 1) + timedelta(days=7 * n) for n in range(4)]
EVERY_SLOT = [f"{d}-{h}" for d in ("mon", "tue", "wed", "thu", "fri") for h in ("am", "pm")]
AINO_UNITS = (192, 190, 195, 188)
BERTTA_UNITS = (240, 236, 244, 240)
_keys = iter(range(1, 100_000))


def _order(company, centre, kind, name, seconds, *, delivered=True) -> OrderStep:
    order = Order(company=company, centre=centre, reference=f"L-{next(_keys)}", title=name,
                  status="delivered" if delivered else "accepted",
                  lines=[OrderLine(product_name=name, quantity=5000)])
    order.steps = [OrderStep(task_type=kind, quantity=5000, seconds_per_unit=seconds)]
    db.session.add(order)
    db.session.flush()
    order.steps[0].line_id = order.lines[0].id
    return order.steps[0]


def _report(person, step, day, half, units):
    db.session.add(ProgressReport(idempotency_key=f"l{next(_keys)}", participant_id=person.id,
                                  step_id=step.id, day=day, half=half, units=units))


def learning_world(weeks: int = 4) -> dict:
    """`weeks` of the four (fewer weeks: fewer half-days of evidence)."""
    centre = make_centre("Oppiva keskus")
    centre.am_minutes, centre.pm_minutes = 180, 150
    pack, label, sort = (make_task_type(centre, code) for code in ("pack", "label", "sort"))
    alfa, beta = make_company("Alfa Oy"), make_company("Beta Oy")
    staff = make_user(Role.INSTRUCTOR, centre=centre)
    company_user = make_user(Role.COMPANY, company=alfa)
    aino = make_participant(centre, first_name="Aino", productivity=80, attends=EVERY_SLOT)
    bertta = make_participant(centre, first_name="Bertta", productivity=100, attends=EVERY_SLOT)
    cecilia = make_participant(centre, first_name="Cecilia", productivity=50,
                               attends=EVERY_SLOT)
    aino.skills, bertta.skills, cecilia.skills = [pack], [pack], [label, sort]
    gift = Product(company_id=alfa.id, centre_id=centre.id, name="Lahjapakkaus",
                   task_type_id=pack.id, seconds_per_unit=60)
    db.session.add_all([gift, Product(company_id=alfa.id, centre_id=centre.id,
                                      name="Tarra-arkki", task_type_id=label.id,
                                      seconds_per_unit=30),
                        Product(centre_id=centre.id, name="Lajittelu", task_type_id=sort.id,
                                seconds_per_unit=20)])
    gift_step = _order(alfa, centre, pack, "Lahjapakkaus", 60)
    label_step = _order(alfa, centre, label, "Tarra-arkki", 30)
    sort_step = _order(beta, centre, sort, "Lajittelu", 20)
    for week, monday in enumerate(MONDAYS[:weeks]):
        plan = WeekPlan(centre_id=centre.id, week=iso_week(monday), state="published")
        day = {n: monday + timedelta(days=n) for n in range(5)}
        rows = [(aino, gift_step, day[0], "am", AINO_UNITS[week]),
                (bertta, gift_step, day[1], "am", BERTTA_UNITS[week]),
                (cecilia, label_step, day[3], "am", 270 + week % 2),
                (cecilia, sort_step, day[3], "pm", 337 - week % 2),
                (cecilia, label_step, day[4], "am", 268 + week)]
        if week == 0:
            rows += [(aino, gift_step, day[1], "am", 50), (bertta, gift_step, day[2], "am", 100)]
            db.session.add(RegisterMark(participant_id=aino.id, day=day[1], half="am",
                                        status="late"))
            _report(bertta, label_step, day[2], "am", 20)
        plan.assignments = [Assignment(participant_id=p.id, step=s, day=d, half=h)
                            for p, s, d, h, _ in rows]
        db.session.add(plan)
        db.session.flush()
        for person, step, when, half, units in rows:
            _report(person, step, when, half, units)
    db.session.commit()
    return {"centre": centre.id, "staff": staff.email, "company_user": company_user.email,
            "alfa": alfa.id, "aino": aino.id, "bertta": bertta.id, "cecilia": cecilia.id,
            "gift": gift.id, "pack": pack.id}
