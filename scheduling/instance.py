"""The contract's instance (``workcentre-week/1``) as dataclasses: loading, validation, figures.

Everything here follows docs/planning-model.md. Loading never raises anything but
`InstanceError`, whose messages name the offending item (``participants[3].skills: ...``).
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

INSTANCE_FORMAT = "workcentre-week/1"
PLAN_FORMAT = "workcentre-plan/1"

DEFAULT_WEIGHTS: dict[str, int] = {
    "unassigned": 100000,
    "overdue": 10,
    "open": 1,
    "task_changes": 20,
    "routine_changes": 200,
    "previous_changes": 50,
    "disliked": 100,
    "not_preferred": 10,
}
TERMS = tuple(DEFAULT_WEIGHTS)
# The contract's reasons, and `left_idle` (docs/contract-readings.md): nothing keeps the person
# off a step that has work, the plan leaves them idle (an edited or unfinished plan).
REASONS = ("no_eligible_task", "seats_full", "support_capacity", "no_instructor", "no_work_left",
           "left_idle")


class InstanceError(ValueError):
    """A broken instance; `messages` names every offending item found."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Slot:
    id: str
    day: str
    start: str
    minutes: int


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    seats: int


@dataclass(frozen=True)
class TaskType:
    id: str
    name: str
    area: str
    tags: frozenset[str]
    max_workers: int | None


@dataclass(frozen=True)
class Step:
    id: str
    order: str
    customer: str
    priority: int
    task_type: str
    quantity: int
    seconds_per_unit: int
    release_slot: str | None
    due_slot: str | None

    @property
    def work(self) -> int:
        """W(j): the standard minutes the step needs."""
        return math.ceil(self.quantity * self.seconds_per_unit / 60)

    def units(self, minutes: int) -> int:
        """Units that `minutes` of done work make, as the contract reports them."""
        return min(self.quantity, minutes * 60 // self.seconds_per_unit)


@dataclass(frozen=True)
class Participant:
    id: str
    attends: tuple[str, ...]
    productivity: int
    skills: frozenset[str]
    avoid_tags: frozenset[str]
    prefers: frozenset[str]
    dislikes: frozenset[str]
    support_points: int
    needs_routine: bool


@dataclass(frozen=True)
class Instructor:
    id: str
    attends: frozenset[str]
    capacity: int
    areas: frozenset[str]

    def may_supervise(self, area: str) -> bool:
        return not self.areas or area in self.areas


@dataclass(frozen=True)
class Triple:
    participant: str
    slot: str
    step: str


@dataclass
class Instance:
    week: str
    slots: list[Slot]
    areas: list[Area]
    task_types: list[TaskType]
    steps: list[Step]
    participants: list[Participant]
    instructors: list[Instructor]
    locked: list[Triple] = field(default_factory=list)
    previous: list[Triple] = field(default_factory=list)
    weights: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    warnings: list[str] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- lookups ---------------------------------------------------------------------------
    @cached_property
    def slot_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.slots)}

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots}

    @cached_property
    def area_by_id(self) -> dict[str, Area]:
        return {a.id: a for a in self.areas}

    @cached_property
    def task_type_by_id(self) -> dict[str, TaskType]:
        return {k.id: k for k in self.task_types}

    @cached_property
    def step_by_id(self) -> dict[str, Step]:
        return {j.id: j for j in self.steps}

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def instructor_by_id(self) -> dict[str, Instructor]:
        return {i.id: i for i in self.instructors}

    def area_of(self, step: Step) -> str:
        return self.task_type_by_id[step.task_type].area

    # -- derived figures -------------------------------------------------------------------
    def cap(self, participant: Participant, slot: Slot) -> int:
        """cap(p,t): standard minutes p gives in t."""
        return slot.minutes * participant.productivity // 100

    def attends(self, participant: Participant, slot_id: str) -> bool:
        return slot_id in participant.attends

    def eligible(self, participant: Participant, step: Step, slot: Slot) -> bool:
        """(p, j, t) is eligible: attends, trained, no avoided tag, not before release."""
        if slot.id not in participant.attends or step.task_type not in participant.skills:
            return False
        if self.task_type_by_id[step.task_type].tags & participant.avoid_tags:
            return False
        release = step.release_slot
        return release is None or self.slot_index[slot.id] >= self.slot_index[release]

    @cached_property
    def eligible_triples(self) -> list[Triple]:
        """Every eligible (p, j, t), in a fixed order (slots, then participants, then steps)."""
        result = []
        for slot in self.slots:
            for participant in self.participants:
                if slot.id not in participant.attends:
                    continue
                for step in self.steps:
                    if self.eligible(participant, step, slot):
                        result.append(Triple(participant.id, slot.id, step.id))
        return result

    @cached_property
    def cap_range(self) -> dict[str, tuple[int, int]]:
        """Per step someone is eligible for: the smallest and the largest minutes one of its
        eligible people gives in a slot."""
        result: dict[str, tuple[int, int]] = {}
        for triple in self.eligible_triples:
            cap = self.cap(self.participant_by_id[triple.participant],
                           self.slot_by_id[triple.slot])
            low, high = result.get(triple.step, (cap, cap))
            result[triple.step] = (min(low, cap), max(high, cap))
        return result

    @cached_property
    def half_days_attended(self) -> int:
        """The pairs (p, t) where p attends t: the most `unassigned` can be."""
        return sum(len(p.attends) for p in self.participants)

    def attended_slots(self, participant: Participant) -> list[Slot]:
        """The slots p attends, in slot order (the attends list may be in any order)."""
        return [s for s in self.slots if s.id in participant.attends]

    def has_room(self, task_type: str, in_area: int, on_type: int) -> bool:
        """Another person fits: a seat free in the area and under the task type's max workers."""
        kind = self.task_type_by_id[task_type]
        if in_area >= self.area_by_id[kind.area].seats:
            return False
        return kind.max_workers is None or on_type < kind.max_workers

    def free_instructors(self, area: str, slot: Slot,
                         placed: Container[tuple[str, str]]) -> list[Instructor]:
        """Instructors attending the slot, not yet placed in it, who may supervise the area."""
        return [i for i in self.instructors
                if slot.id in i.attends and (i.id, slot.id) not in placed
                and i.may_supervise(area)]

    def due_index(self, step: Step) -> int:
        """Index of the last slot whose work is on time (the last slot when due is null)."""
        if step.due_slot is None:
            return len(self.slots) - 1
        return self.slot_index[step.due_slot]


# -- loading ---------------------------------------------------------------------------------
class _Reader:
    """Collects every problem with an instance before refusing it."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def need(self, obj: Any, key: str, where: str, kinds: tuple[type, ...],
             *, nullable: bool = False) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            self.errors.append(f"{where}.{key}: missing")
            return None
        value = obj[key]
        if value is None and nullable:
            return None
        if isinstance(value, bool) and bool not in kinds:
            self.errors.append(f"{where}.{key}: expected {_kind_names(kinds)}, got {value!r}")
            return None
        if not isinstance(value, kinds):
            self.errors.append(f"{where}.{key}: expected {_kind_names(kinds)}, got {value!r}")
            return None
        return value

    def text(self, obj: Any, key: str, where: str, *, nullable: bool = False) -> str | None:
        value = self.need(obj, key, where, (str,), nullable=nullable)
        if isinstance(value, str) and not value:
            self.errors.append(f"{where}.{key}: must not be empty")
        return value

    def integer(self, obj: Any, key: str, where: str, low: int | None = None,
                high: int | None = None, *, nullable: bool = False) -> int | None:
        value = self.need(obj, key, where, (int,), nullable=nullable)
        if value is None:
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"{low if low is not None else '-inf'}..{high if high is not None else 'inf'}"
            self.errors.append(f"{where}.{key}: {value} is outside {bounds}")
        return value

    def id_list(self, obj: Any, key: str, where: str, known: Iterable[str] | None,
                what: str) -> list[str]:
        value = self.need(obj, key, where, (list,))
        if value is None:
            return []
        known_set = set(known) if known is not None else None
        result: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item:
                self.errors.append(f"{where}.{key}: expected {what} ids, got {item!r}")
            elif known_set is not None and item not in known_set:
                self.errors.append(f'{where}.{key}: unknown {what} "{item}"')
            elif item not in result:
                result.append(item)
        return result

    def items(self, data: dict, key: str) -> list[tuple[str, dict]]:
        value = data.get(key)
        if not isinstance(value, list):
            self.errors.append(f"{key}: expected a list")
            return []
        result = []
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            if not isinstance(item, dict):
                self.errors.append(f"{where}: expected an object")
            else:
                result.append((where, item))
        return result

    def unique(self, rows: list[tuple[str, str | None]], what: str) -> None:
        seen: set[str] = set()
        for where, ident in rows:
            if ident is None:
                continue
            if ident in seen:
                self.errors.append(f'{where}.id: duplicate {what} id "{ident}"')
            seen.add(ident)


def _kind_names(kinds: tuple[type, ...]) -> str:
    return " or ".join({int: "an integer", str: "a string", list: "a list", bool: "true/false",
                        dict: "an object"}[k] for k in kinds)


def load_instance(data: Any) -> Instance:
    """Validate a parsed instance JSON and build the `Instance`; `InstanceError` if broken."""
    if not isinstance(data, dict):
        raise InstanceError(["instance: expected a JSON object"])
    r = _Reader()
    if data.get("format") != INSTANCE_FORMAT:
        r.errors.append(f'format: expected "{INSTANCE_FORMAT}", got {data.get("format")!r}')
    week = r.text(data, "week", "instance") or ""

    slots = [_slot(r, where, item) for where, item in r.items(data, "slots")]
    r.unique([(f"slots[{i}]", s.id) for i, s in enumerate(slots)], "slot")
    slot_ids = [s.id for s in slots]

    areas = [_area(r, where, item) for where, item in r.items(data, "areas")]
    r.unique([(f"areas[{i}]", a.id) for i, a in enumerate(areas)], "area")
    area_ids = {a.id for a in areas}

    task_types = [_task_type(r, where, item, area_ids)
                  for where, item in r.items(data, "task_types")]
    r.unique([(f"task_types[{i}]", k.id) for i, k in enumerate(task_types)], "task type")
    type_ids = {k.id for k in task_types}

    steps, order_rows = _orders(r, data, type_ids, slot_ids)
    r.unique(order_rows, "order")
    r.unique([(where, j.id) for where, j in steps], "step")
    step_list = [j for _, j in steps]

    participants = [_participant(r, where, item, slot_ids, type_ids)
                    for where, item in r.items(data, "participants")]
    r.unique([(f"participants[{i}]", p.id) for i, p in enumerate(participants)], "participant")

    instructors = [_instructor(r, where, item, slot_ids, area_ids)
                   for where, item in r.items(data, "instructors")]
    r.unique([(f"instructors[{i}]", x.id) for i, x in enumerate(instructors)], "instructor")

    people = {p.id for p in participants}
    step_ids = {j.id for j in step_list}
    locked = _triples(r, data, "locked", people, set(slot_ids), step_ids, strict=True)
    warnings: list[str] = []
    previous = _triples(r, data, "previous", people, set(slot_ids), step_ids, strict=False,
                        warnings=warnings)
    weights = _weights(r, data)
    if r.errors:
        raise InstanceError(r.errors)
    return Instance(week=week, slots=slots, areas=areas, task_types=task_types, steps=step_list,
                    participants=participants, instructors=instructors, locked=locked,
                    previous=previous, weights=weights, warnings=warnings, source=data)


def _slot(r: _Reader, where: str, item: dict) -> Slot:
    return Slot(id=r.text(item, "id", where) or "", day=r.text(item, "day", where) or "",
                start=r.text(item, "start", where) or "",
                minutes=r.integer(item, "minutes", where, 1) or 1)


def _area(r: _Reader, where: str, item: dict) -> Area:
    return Area(id=r.text(item, "id", where) or "", name=r.text(item, "name", where) or "",
                seats=r.integer(item, "seats", where, 0) or 0)


def _task_type(r: _Reader, where: str, item: dict, area_ids: set[str]) -> TaskType:
    area = r.text(item, "area", where) or ""
    if area and area not in area_ids:
        r.errors.append(f'{where}.area: unknown area "{area}"')
    return TaskType(id=r.text(item, "id", where) or "", name=r.text(item, "name", where) or "",
                    area=area, tags=frozenset(r.id_list(item, "tags", where, None, "tag")),
                    max_workers=r.integer(item, "max_workers", where, 0, nullable=True))


def _orders(r: _Reader, data: dict, type_ids: set[str],
            slot_ids: list[str]) -> tuple[list[tuple[str, Step]], list[tuple[str, str | None]]]:
    steps: list[tuple[str, Step]] = []
    order_rows: list[tuple[str, str | None]] = []
    for where, order in r.items(data, "orders"):
        order_id = r.text(order, "id", where)
        order_rows.append((where, order_id))
        customer = r.text(order, "customer", where) or ""
        priority = r.integer(order, "priority", where, 1, 5) or 1
        for index, item in enumerate(order.get("steps") or []):
            step_where = f"{where}.steps[{index}]"
            if not isinstance(item, dict):
                r.errors.append(f"{step_where}: expected an object")
                continue
            steps.append((step_where, _step(r, step_where, item, order_id or "", customer,
                                            priority, type_ids, slot_ids)))
        if not isinstance(order.get("steps"), list):
            r.errors.append(f"{where}.steps: expected a list")
    return steps, order_rows


def _step(r: _Reader, where: str, item: dict, order_id: str, customer: str, priority: int,
          type_ids: set[str], slot_ids: list[str]) -> Step:
    task_type = r.text(item, "task_type", where) or ""
    if task_type and task_type not in type_ids:
        r.errors.append(f'{where}.task_type: unknown task type "{task_type}"')
    slots: dict[str, str | None] = {}
    for key in ("release_slot", "due_slot"):
        value = r.text(item, key, where, nullable=True)
        if value is not None and value not in slot_ids:
            r.errors.append(f'{where}.{key}: unknown slot "{value}"')
        slots[key] = value
    return Step(id=r.text(item, "id", where) or "", order=order_id, customer=customer,
                priority=priority, task_type=task_type,
                quantity=r.integer(item, "quantity", where, 1) or 1,
                seconds_per_unit=r.integer(item, "seconds_per_unit", where, 1) or 1,
                release_slot=slots["release_slot"], due_slot=slots["due_slot"])


def _participant(r: _Reader, where: str, item: dict, slot_ids: list[str],
                 type_ids: set[str]) -> Participant:
    routine = r.need(item, "needs_routine", where, (bool,))
    return Participant(
        id=r.text(item, "id", where) or "",
        attends=tuple(r.id_list(item, "attends", where, slot_ids, "slot")),
        productivity=r.integer(item, "productivity", where, 1, 200) or 100,
        skills=frozenset(r.id_list(item, "skills", where, type_ids, "task type")),
        avoid_tags=frozenset(r.id_list(item, "avoid_tags", where, None, "tag")),
        prefers=frozenset(r.id_list(item, "prefers", where, type_ids, "task type")),
        dislikes=frozenset(r.id_list(item, "dislikes", where, type_ids, "task type")),
        support_points=r.integer(item, "support_points", where, 0) or 0,
        needs_routine=bool(routine),
    )


def _instructor(r: _Reader, where: str, item: dict, slot_ids: list[str],
                area_ids: set[str]) -> Instructor:
    return Instructor(
        id=r.text(item, "id", where) or "",
        attends=frozenset(r.id_list(item, "attends", where, slot_ids, "slot")),
        capacity=r.integer(item, "capacity", where, 0) or 0,
        areas=frozenset(r.id_list(item, "areas", where, area_ids, "area")),
    )


def _triples(r: _Reader, data: dict, key: str, people: set[str], slots: set[str],
             steps: set[str], *, strict: bool, warnings: list[str] | None = None) -> list[Triple]:
    if key not in data:
        return []
    result: list[Triple] = []
    for where, item in r.items(data, key):
        values = {name: r.text(item, name, where) for name in ("participant", "slot", "step")}
        if any(v is None for v in values.values()):
            continue
        unknown = [f'unknown {name} "{values[name]}"' for name, known in
                   (("participant", people), ("slot", slots), ("step", steps))
                   if values[name] not in known]
        if unknown and strict:
            r.errors.append(f"{where}: {', '.join(unknown)}")
        elif unknown and warnings is not None:
            warnings.append(f"{where}: ignored, {', '.join(unknown)}")
        else:
            triple = Triple(values["participant"], values["slot"], values["step"])
            if triple not in result:
                result.append(triple)
    return result


def _weights(r: _Reader, data: dict) -> dict[str, int]:
    weights = dict(DEFAULT_WEIGHTS)
    given = data.get("weights")
    if given is None:
        return weights
    if not isinstance(given, dict):
        r.errors.append("weights: expected an object")
        return weights
    for name, value in given.items():
        if name not in DEFAULT_WEIGHTS:
            r.errors.append(f'weights.{name}: unknown term "{name}"')
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            r.errors.append(f"weights.{name}: expected a non-negative integer, got {value!r}")
        else:
            weights[name] = value
    return weights
