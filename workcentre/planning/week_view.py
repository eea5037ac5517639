"""What the week page shows: the grid, instructors per area, orders, demand and warnings.

Built from the contract's instance of the week and the stored plan, so the page shows exactly
what the solver and the evaluator see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from scheduling import Instance, InstanceError, load_instance

from ..extensions import db
from ..labels import slot_label
from ..models import Centre, OrderStep, Participant, WeekPlan
from ..weeks import SlotDay, week_slots
from . import store
from .services import participant_key

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
    warnings: list[str] = field(default_factory=list)
    objective: int | None = None
    terms: dict[str, int] = field(default_factory=dict)


def week_view(centre: Centre, week: str, plan: WeekPlan | None) -> WeekView:
    data = store.planning_instance(centre, week)
    view = WeekView(centre, week, week_slots(week), plan, data)
    try:
        instance = load_instance(data)
    except InstanceError as error:
        # Data the contract refuses: say what it is instead of drawing figures from it.
        view.warnings = [_("Viikon tiedoissa on virhe: %(what)s", what=m) for m in error.messages]
        return view
    figures = store.plan_json(plan, data, instance) if plan is not None else None
    steps = store.steps_by_key(centre.id)
    colours = _order_colours(data)
    view.rows = _rows(centre, data, plan, steps, colours)
    view.areas = _areas(centre, plan)
    view.orders = _orders(data, figures, plan, steps, colours)
    view.demand = demand(instance)
    view.warnings = warnings(data, centre)
    if figures is not None:
        view.objective, view.terms = figures["objective"], figures["terms"]
    return view


def _order_colours(data: dict) -> dict[str, int]:
    return {order["id"]: n % COLOURS for n, order in enumerate(data["orders"])}


def _rows(centre: Centre, data: dict, plan: WeekPlan | None, steps: dict[str, OrderStep],
          colours: dict[str, int]) -> list[Row]:
    people = db.session.scalars(select(Participant).where(
        Participant.centre_id == centre.id, Participant.active.is_(True))
        .order_by(Participant.first_name, Participant.last_name))
    attends = {p["id"]: set(p["attends"]) for p in data["participants"]}
    given = {}
    if plan is not None:
        given = {(participant_key(a.participant_id), store.slot_key(a)): a
                 for a in plan.assignments}
    reasons = {(u["participant"], u["slot"]): u["reason"]
               for u in (plan.explanations.get("unassigned", []) if plan else [])}
    rows = []
    for person in people:
        key = participant_key(person.id)
        cells = []
        for slot in week_slots(data["week"]):
            a = given.get((key, slot.key))
            if a is not None:
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


def demand(instance: Instance) -> list[DayDemand]:
    """Per day: minutes due orders need vs minutes the people present can give."""
    by_day: dict[str, list] = defaultdict(list)
    for slot in instance.slots:
        by_day[slot.day].append(slot)
    need: dict[str, int] = defaultdict(int)
    for step in instance.steps:
        if step.due_slot is not None:
            need[instance.slot_by_id[step.due_slot].day] += step.work
    rows, due_so_far, given_so_far = [], 0, 0
    for day, slots in by_day.items():
        capacity = sum(instance.cap(p, s) for s in slots for p in instance.participants
                       if s.id in p.attends)
        due_so_far += need[day]
        given_so_far += capacity
        rows.append(DayDemand(slot_label(slots[0].id).split(" ")[0], need[day], capacity,
                              due_so_far, given_so_far, due_so_far > given_so_far))
    return rows


def chart(rows: list[DayDemand], width: int = 640, height: int = 240) -> dict[str, Any]:
    """Bar geometry for the demand chart (drawn as SVG by the template)."""
    top = max([1] + [max(r.need, r.capacity) for r in rows])
    scale = (height - 50) / top
    band = width / max(1, len(rows))
    bars = []
    for n, row in enumerate(rows):
        x = n * band + band * 0.15
        bar = band * 0.32
        for kind, value, offset in (("need", row.need, 0), ("capacity", row.capacity, bar)):
            h = value * scale
            bars.append({"kind": kind, "x": round(x + offset, 1), "y": round(height - 30 - h, 1),
                         "w": round(bar, 1), "h": round(h, 1), "value": value})
    labels = [{"x": round(n * band + band / 2, 1), "text": r.label, "overloaded": r.overloaded}
              for n, r in enumerate(rows)]
    return {"width": width, "height": height, "bars": bars, "labels": labels,
            "base": height - 30}


def warnings(data: dict, centre: Centre) -> list[str]:
    """What will stop the plan from working, said before anyone solves."""
    found = []
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

