"""What the week page shows: the grid, instructors per area, orders, demand and warnings.

Built from the contract's instance of the week and the stored plan, so the page shows exactly
what the solver and the evaluator see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from scheduling import Instance, InstanceError, load_instance

from ..closures import closed_days
from ..extensions import db
from ..labels import slot_label
from ..models import WEEKDAYS, Centre, OrderStep, Participant, WeekPlan
from ..voice.wishes import open_wishes
from ..weeks import SlotDay, week_slots
from . import store
from .services import participant_key
from .week_cache import computed, preload
from .week_focus import ALL, Focus, apply_focus, choose_day, shown_slots

COLOURS = 8  # order colours in the stylesheet: .order-0 ... .order-7


@dataclass
class Cell:
    slot: str
    kind: str  # "task" | "free" | "away"
    step: OrderStep | None = None
    colour: int = 0
    locked: bool = False
    reason: str = ""


@dataclass
class Row:
    participant: Participant
    cells: list[Cell]


@dataclass
class OrderRow:
    step: OrderStep
    needed: int
    planned: int
    on_time: int
    colour: int
    late: bool
    advice: str


@dataclass
class DayDemand:
    label: str
    need: int  # standard minutes of steps due that day
    capacity: int  # standard minutes the people present can give
    need_so_far: int
    capacity_so_far: int
    overloaded: bool  # what is due so far exceeds what the week so far can give
    closed: str = ""  # the holiday or closure day's name: no work that day
    carried: bool = False  # the band of work left over from earlier weeks


@dataclass
class WeekView:
    centre: Centre
    week: str
    slots: list[SlotDay]
    plan: WeekPlan | None
    instance: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    areas: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    demand: list[DayDemand] = field(default_factory=list)
    closed: dict[date, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    wishes: list[tuple[int, str]] = field(default_factory=list)  # (participant id, sentence)
    objective: int | None = None
    terms: dict[str, int] = field(default_factory=dict)
    focus: Focus | None = None  # the day and area shown; None: the whole week, everyone
    loaded: list[Any] = field(default_factory=list, repr=False)  # keeps the session's rows
    names: dict[int, str] = field(default_factory=dict)  # every participant's full name by id


def week_view(centre: Centre, week: str, plan: WeekPlan | None,
              focus: tuple[str | None, str | None] | None = None) -> WeekView:
    """The week as the page shows it. `focus` is the (day, area) asked for ("all", a weekday
    key, an area id, "none" or None for the default); without it the whole week (exports)."""
    loaded = preload(centre, week, plan)
    data = store.planning_instance(centre, week)
    view = WeekView(centre, week, week_slots(week), plan, data, loaded=loaded)
    view.closed = closed_days(centre.id, view.slots[0].day, view.slots[-1].day)
    people = [row for row in loaded if isinstance(row, Participant)]
    view.names = {p.id: f"{p.first_name} {p.last_name}".strip() for p in people}
    steps = store.steps_by_key(centre.id)
    closed = {d.isoformat(): r for d, r in view.closed.items()}
    carried = carried_over(steps, view.slots[0].day)
    key = {**data, "closed": closed, "carried": sorted(carried)}  # all the demand reads
    try:
        figures, view.demand = computed(key, plan, lambda: _compute(data, plan, closed, carried))
    except InstanceError as error:
        # Data the contract refuses: say what it is instead of drawing figures from it.
        view.warnings = [_("Viikon tiedoissa on virhe: %(what)s", what=m) for m in error.messages]
        return view
    colours = _order_colours(data)
    day = ALL if focus is None else choose_day(view.slots, len(data["participants"]), focus[0])
    view.rows = _rows(centre, data, plan, steps, colours, shown_slots(view.slots, day),
                      view.closed)
    view.areas = _areas(centre, plan)
    view.orders = _orders(data, figures, plan, steps, colours)
    view.warnings = warnings(data, centre, {participant_key(p.id): p.first_name for p in people})
    view.wishes = wish_notes(centre)
    if figures is not None:
        view.objective, view.terms = figures["objective"], figures["terms"]
    if focus is not None:
        view.focus = apply_focus(view, day, focus[1])
    return view


def _compute(data: dict, plan: WeekPlan | None, closed: dict[str, str],
             carried: frozenset[str]) -> tuple[dict | None, list[DayDemand]]:
    """The slow part (the contract's checks, figures and reasons): cached by week_cache."""
    instance = load_instance(data)
    figures = store.plan_json(plan, data, instance) if plan is not None else None
    return figures, demand(instance, closed, carried)


def _order_colours(data: dict) -> dict[str, int]:
    return {order["id"]: n % COLOURS for n, order in enumerate(data["orders"])}


def _rows(centre: Centre, data: dict, plan: WeekPlan | None, steps: dict[str, OrderStep],
          colours: dict[str, int], slots: list[SlotDay], closed: dict[date, str]) -> list[Row]:
    """Everyone's cells in `slots` (the days shown): the people taking part, and anyone else
    with work on the plan shown (someone who left since, or was erased: "Osallistuja N")."""
    on_plan = {a.participant_id for a in plan.assignments} if plan is not None else set()
    people = db.session.scalars(select(Participant).where(
        Participant.centre_id == centre.id,
        Participant.active.is_(True) | Participant.id.in_(on_plan))
        .order_by(Participant.first_name, Participant.last_name))
    attends = {p["id"]: set(p["attends"]) for p in data["participants"]}
    given = {}
    if plan is not None:
        days = {s.day for s in slots}
        given = {(participant_key(a.participant_id), store.slot_key(a)): a
                 for a in plan.assignments if a.day in days}
    reasons = {(u["participant"], u["slot"]): u["reason"]
               for u in (plan.explanations.get("unassigned", []) if plan else [])}
    rows = []
    for person in people:
        key = participant_key(person.id)
        cells = []
        for slot in slots:
            a = given.get((key, slot.key))
            if slot.day in closed:
                cells.append(Cell(slot.key, "closed", reason=closed[slot.day]))
            elif a is not None:
                ref = a.step.order.reference
                cells.append(Cell(slot.key, "task", a.step, colours.get(ref, 0), a.locked))
            elif slot.key in attends.get(key, ()):
                cells.append(Cell(slot.key, "free",
                                  reason=reason_label(reasons.get((key, slot.key), ""))))
            else:
                cells.append(Cell(slot.key, "away"))
        rows.append(Row(person, cells))
    return rows


def _areas(centre: Centre, plan: WeekPlan | None) -> list[tuple[str, dict[str, list[str]]]]:
    placed: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in plan.placements if plan else []:
        placed[p.area_id][store.slot_key(p)].append(p.instructor.name)
    return [(area.name, placed[area.id]) for area in centre.areas]


def _orders(data: dict, figures: dict | None, plan: WeekPlan | None,
            steps: dict[str, OrderStep], colours: dict[str, int]) -> list[OrderRow]:
    planned = {s["step"]: s for s in (figures["steps"] if figures else [])}
    late = {s["step"]: s for s in (plan.explanations.get("late_steps", []) if plan else [])}
    rows = []
    for order in data["orders"]:
        for step in order["steps"]:
            got = planned.get(step["id"], {})
            info = late.get(step["id"])
            rows.append(OrderRow(
                steps[step["id"]], step["quantity"], got.get("planned_units", 0),
                got.get("on_time_units", 0), colours[order["id"]],
                bool(info and info["late"]) or (figures is not None and step["due_slot"]
                                                 is not None and got.get("on_time_units", 0)
                                                 < step["quantity"]),
                bottleneck_label(info["bottleneck"]) if info else ""))
    return rows


def carried_over(steps: dict[str, OrderStep], monday: date) -> frozenset[str]:
    """The steps due before this week: work left over from earlier weeks."""
    return frozenset(key for key, step in steps.items()
                     if step.due_date is not None and step.due_date < monday)


def demand(instance: Instance, closed: dict[str, str] | None = None,
           carried: frozenset[str] = frozenset()) -> list[DayDemand]:
    """Per day: minutes due orders need vs minutes the people present can give.

    Work left over from earlier weeks (`carried`, due in the first slot) is its own first row
    rather than Monday's due work; closed days (ISO date: name) are rows with no capacity."""
    closed = closed or {}
    by_day: dict[str, list] = defaultdict(list)
    for slot in instance.slots:
        by_day[slot.day].append(slot)
    need: dict[str, int] = defaultdict(int)
    left_over = 0
    for step in instance.steps:
        if step.id in carried:
            left_over += step.work
        elif step.due_slot is not None:
            need[instance.slot_by_id[step.due_slot].day] += step.work
    rows, due_so_far, given_so_far = [], left_over, 0
    if left_over:
        rows.append(DayDemand(_("Edelliseltä viikolta"), left_over, 0, left_over, 0, False,
                              carried=True))
    for day in sorted(set(by_day) | set(closed)):
        slots = by_day.get(day, [])
        capacity = sum(instance.cap(p, s) for s in slots for p in instance.participants
                       if s.id in p.attends)
        due_so_far += need[day]
        given_so_far += capacity
        rows.append(DayDemand(_weekday(day), need[day], capacity, due_so_far, given_so_far,
                              due_so_far > given_so_far and bool(slots),
                              closed=closed.get(day, "")))
    return rows


def _weekday(day: str) -> str:
    return slot_label(f"{WEEKDAYS[date.fromisoformat(day).weekday()]}-am").split(" ")[0]


def hours(minutes: int) -> str:
    """Standard minutes as hours with one decimal, in the interface language ("114,7")."""
    return format_decimal(round(minutes / 60, 1), format="0.0")


def chart(rows: list[DayDemand], width: int = 640, height: int = 240) -> dict[str, Any]:
    """Bar geometry for the demand chart (drawn as SVG by the template): the left-over band
    first, closed days as labelled gaps."""
    top = max([1] + [max(r.need, r.capacity) for r in rows])
    scale = (height - 50) / top
    band = width / max(1, len(rows))
    bars = []
    for n, row in enumerate(rows):
        x = n * band + band * 0.15
        bar = band * 0.32
        pairs = () if row.closed else ((("carry" if row.carried else "need"), row.need, 0),
                                       ("capacity", row.capacity, bar))
        for kind, value, offset in pairs:
            if row.carried and kind == "capacity":
                continue
            h = value * scale
            bars.append({"kind": kind, "x": round(x + offset, 1), "y": round(height - 30 - h, 1),
                         "w": round(bar, 1), "h": round(h, 1), "value": value})
    labels = [{"x": round(n * band + band / 2, 1), "left": round(n * band + 2, 1),
               "text": r.label, "overloaded": r.overloaded, "closed": r.closed,
               "hours": hours(r.need),
               "carried": _("Edelliseltä viikolta: %(hours)s h", hours=hours(r.need))
               if r.carried else ""}
              for n, r in enumerate(rows)]
    return {"width": width, "height": height, "bars": bars, "labels": labels,
            "base": height - 30}


def warnings(data: dict, centre: Centre, names: dict[str, str] | None = None) -> list[str]:
    """What will stop the plan from working, said before anyone solves. `names`: first names
    by contract id, when the caller has them."""
    found = []
    if names is None:
        names = {participant_key(p.id): p.first_name for p in db.session.scalars(
            select(Participant).where(Participant.centre_id == centre.id))}
    for person in data["participants"]:
        if not person["skills"]:
            found.append(_("%(name)s ei osaa vielä yhtään tehtävää: lisää osaaminen.",
                           name=names.get(person["id"], person["id"])))
    for area in data["areas"]:
        if not any(not i["areas"] or area["id"] in i["areas"] for i in data["instructors"]):
            found.append(_("Työtilaa %(area)s ei voi ohjata kukaan ohjaaja.", area=area["name"]))
    staffed = {s for i in data["instructors"] for s in i["attends"]}
    for slot in data["slots"]:
        present = [p for p in data["participants"] if slot["id"] in p["attends"]]
        if present and slot["id"] not in staffed:
            found.append(_("%(slot)s: paikalla on %(count)d asiakasta mutta ei yhtään ohjaajaa.",
                           slot=slot_label(slot["id"]), count=len(present)))
    skilled = {k for p in data["participants"] for k in p["skills"]}
    for order in data["orders"]:
        for step in order["steps"]:
            if step["task_type"] not in skilled:
                found.append(_("Työvaiheeseen %(step)s ei ole koulutettu ketään.",
                               step=step["id"]))
    return found


def wish_notes(centre: Centre) -> list[tuple[int, str]]:
    """The participants' own wishes no instructor has acted on yet, to weigh before planning
    (turning one into a preference is the instructor's choice, on the person's page)."""
    return [(w.participant_id, _("%(name)s haluaisi kokeilla tehtävää %(task)s.",
                                 name=w.participant.first_name, task=w.task_type.name))
            for w in open_wishes(centre.id)]


REASONS = {
    "no_eligible_task": _l("ei sopivaa tehtävää"),
    "seats_full": _l("työtila täynnä"),
    "support_capacity": _l("ohjausta ei riitä"),
    "no_instructor": _l("ei ohjaajaa"),
    "no_work_left": _l("ei työtä jäljellä"),
    "left_idle": _l("jäi suunnitelmassa ilman työtä"),
}

BOTTLENECKS = {
    "release_date": _l("Työ alkaa liian myöhään: siirrä aloituspäivää aiemmaksi tai "
                       "toimituspäivää myöhemmäksi."),
    "trained_people": _l("Liian vähän koulutettuja tekijöitä: kouluta lisää tekijöitä tai "
                         "siirrä toimituspäivää."),
    "seats": _l("Työtilan paikat eivät riitä: lisää paikkoja tai siirrä toimituspäivää."),
    "max_workers": _l("Koneita tai työpisteitä on liian vähän: lisää työpiste tai siirrä "
                      "toimituspäivää."),
    "instructor_capacity": _l("Kilpailee muiden tilausten kanssa tekijöistä ja ohjauksesta: "
                              "lisää ohjaajavuoro, siirrä toimituspäivää tai nosta "
                              "kiireellisyyttä."),
    "left_idle": _l("Koulutettuja tekijöitä jäi ilman työtä ennen toimituspäivää: lisää heidät "
                    "työhön tai suunnittele viikko uudelleen."),
    "placed_elsewhere": _l("Koulutetut tekijät tekivät muita tilauksia: nosta kiireellisyyttä, "
                           "siirrä toimituspäivää tai suunnittele viikko uudelleen."),
}


def reason_label(code: str) -> str:
    return str(REASONS[code]) if code in REASONS else ""


def bottleneck_label(code: str) -> str:
    return str(BOTTLENECKS[code]) if code in BOTTLENECKS else ""

