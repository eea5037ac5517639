"""The CP-SAT model of one week: one small function per hard rule and per objective term.

Variables exist only for eligible triples (participant, step, slot) and for placements an
instructor may take. Work flow is modelled exactly: G(j,t), the minutes given to step j up to and
including slot t, is one shared integer per (step, slot) where anyone can work; rule 7 reads it,
and so do the `overdue` and `open` terms (as max(0, W - G)). Auxiliary variables are exact, so
a plan stopped early reports the contract's objective too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .instance import TERMS, Instance, Triple
from .strategy import strategy_for

LinearExpr = cp_model.LinearExprT


@dataclass
class WeekModel:
    instance: Instance
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    # x[(participant, slot, step)] and y[(instructor, slot, area)]
    x: dict[Triple, cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[str, str, str], cp_model.IntVar] = field(default_factory=dict)
    # G(j, t) as a variable per step at the slot indexes where it changes
    given_upto: dict[str, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    terms: dict[str, LinearExpr] = field(default_factory=dict)
    lock_literals: dict[Triple, cp_model.IntVar] = field(default_factory=dict)
    # aux variables with their meaning, so a hint can be completed
    overdue_vars: dict[str, cp_model.IntVar] = field(default_factory=dict)
    open_vars: dict[str, cp_model.IntVar] = field(default_factory=dict)
    change_vars: list[tuple[str, str, str, cp_model.IntVar]] = field(default_factory=list)
    area_used: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    # per step, the literal of the one worker whose minutes may go past W - 1
    overshoot_vars: dict[str, dict[Triple, cp_model.IntVar]] = field(default_factory=dict)
    # the eligible triples of each (participant, slot), filled with x
    by_participant_slot: dict[tuple[str, str], list[Triple]] = field(
        default_factory=lambda: defaultdict(list))
    overshoot_cut: bool = False  # whether build adds `_overshoot_cut`

    # -- shared sums, defined once ---------------------------------------------------------
    def triples_of(self, participant: str, slot: str) -> list[Triple]:
        return self.by_participant_slot.get((participant, slot), [])

    def has_step(self, participant: str, slot: str) -> LinearExpr:
        return sum(self.x[t] for t in self.triples_of(participant, slot))

    def on_kind(self, participant: str, slot: str, kind: str) -> LinearExpr:
        inst = self.instance
        return sum(self.x[t] for t in self.triples_of(participant, slot)
                   if inst.step_by_id[t.step].task_type == kind)

    def term_values(self, value) -> dict[str, int]:
        """The objective's terms in a solution; `value` reads it (a callback's or a solver's)."""
        return {name: term if isinstance(term, int) else round(value(term))
                for name, term in self.terms.items()}

    def plan_in(self, values: list[int]) -> tuple[list[Triple], list[tuple[str, str, str]]]:
        """The assignments and instructor placements a solution's `values` choose (indexed as
        the model's variables)."""
        return ([t for t, var in self.x.items() if values[var.index]],
                [k for k, var in self.y.items() if values[var.index]])

    def given_at(self, step: str, slot_index: int) -> LinearExpr | int:
        """G(j, t): the shared variable in force at slot_index (0 before any work)."""
        value: LinearExpr | int = 0
        for index, var in self.given_upto.get(step, []):
            if index > slot_index:
                break
            value = var
        return value


# -- variables -------------------------------------------------------------------------------
def add_assignment_vars(wm: WeekModel) -> None:
    for triple in wm.instance.eligible_triples:
        wm.x[triple] = wm.model.new_bool_var(f"x|{triple.participant}|{triple.slot}|{triple.step}")
        wm.by_participant_slot[(triple.participant, triple.slot)].append(triple)


def add_placement_vars(wm: WeekModel) -> None:
    inst = wm.instance
    for slot in inst.slots:
        for instructor in inst.instructors:
            if slot.id not in instructor.attends:
                continue
            for area in inst.areas:
                if instructor.may_supervise(area.id):
                    wm.y[(instructor.id, slot.id, area.id)] = wm.model.new_bool_var(
                        f"y|{instructor.id}|{slot.id}|{area.id}")


def hint_all(model: cp_model.CpModel, values: list[int]) -> None:
    """Hint every variable of `model` with `values`, indexed as the model's variables."""
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(values)))
    model.proto.solution_hint.values.extend(values)


def hint_values(model: cp_model.CpModel) -> list[int] | None:
    """The hint as values of every variable, indexed as the model's; None if it misses one."""
    hint = model.proto.solution_hint
    values = dict(zip(hint.vars, hint.values, strict=True))
    if len(values) != len(model.proto.variables):
        return None
    return [values[index] for index in range(len(values))]


# -- hard rules ------------------------------------------------------------------------------
def rule1_one_step_per_slot(wm: WeekModel) -> None:
    """A participant has at most one step per slot (eligibility: variables exist only so)."""
    for triples in wm.by_participant_slot.values():
        if len(triples) > 1:
            wm.model.add_at_most_one(wm.x[t] for t in triples)


def _workers_by(wm: WeekModel, key) -> dict[tuple[str, str], list[cp_model.IntVar]]:
    groups: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    for triple, var in wm.x.items():
        groups[(key(wm.instance.step_by_id[triple.step]), triple.slot)].append(var)
    return groups


def rule2_seats(wm: WeekModel) -> None:
    """In each slot, the people on an area's task types are at most its seats."""
    inst = wm.instance
    for (area, _slot), workers in _workers_by(wm, inst.area_of).items():
        seats = inst.area_by_id[area].seats
        if len(workers) > seats:
            wm.model.add(sum(workers) <= seats)


def rule3_max_workers(wm: WeekModel) -> None:
    """In each slot, the people on a task type are at most its max_workers."""
    inst = wm.instance
    for (kind, _slot), workers in _workers_by(wm, lambda s: s.task_type).items():
        limit = inst.task_type_by_id[kind].max_workers
        if limit is not None and len(workers) > limit:
            wm.model.add(sum(workers) <= limit)


def rule4_one_area_per_instructor(wm: WeekModel) -> None:
    """An instructor is in at most one area per slot (attendance and areas: by the variables)."""
    groups: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    for (who, slot, _area), var in wm.y.items():
        groups[(who, slot)].append(var)
    for placements in groups.values():
        if len(placements) > 1:
            wm.model.add_at_most_one(placements)


def rule5_support(wm: WeekModel) -> None:
    """Support points in an area fit its instructors' capacity; work needs an instructor there."""
    inst = wm.instance
    by_area_slot: dict[tuple[str, str], list[Triple]] = defaultdict(list)
    for triple in wm.x:
        by_area_slot[(inst.area_of(inst.step_by_id[triple.step]), triple.slot)].append(triple)
    placements: dict[tuple[str, str], list] = defaultdict(list)
    for (who, slot, area), var in wm.y.items():
        placements[(area, slot)].append((inst.instructor_by_id[who], var))
    for (area, slot), triples in by_area_slot.items():
        placed = placements[(area, slot)]
        used = wm.model.new_bool_var(f"used|{area}|{slot}")
        wm.area_used[(area, slot)] = used
        wm.model.add(used <= sum(var for _, var in placed))
        for triple in triples:
            wm.model.add_implication(wm.x[triple], used)
        need = [(inst.participant_by_id[t.participant].support_points, wm.x[t]) for t in triples]
        if any(points for points, _ in need):
            wm.model.add(sum(points * var for points, var in need)
                         <= sum(i.capacity * var for i, var in placed))


def rule6_locks(wm: WeekModel, *, as_assumptions: bool = False) -> None:
    """Every locked assignment is in the plan (or, to explain clashes, assumed to be)."""
    for lock in wm.instance.locked:
        var = wm.x.get(lock)
        if var is None:
            # Not eligible: such a lock can never hold.
            var = wm.model.new_constant(0)
        if as_assumptions:
            literal = wm.model.new_bool_var(f"lock|{lock.participant}|{lock.slot}|{lock.step}")
            wm.model.add_implication(literal, var)
            wm.lock_literals[lock] = literal
        else:
            wm.model.add(var == 1)


def rule7_everyone_needed(wm: WeekModel) -> None:
    """p works on j in t only if j is not complete at the end of t without p."""
    inst = wm.instance
    by_step_slot: dict[tuple[str, int], list[Triple]] = defaultdict(list)
    for triple in wm.x:
        by_step_slot[(triple.step, inst.slot_index[triple.slot])].append(triple)
    for step in inst.steps:
        running: LinearExpr | int = 0
        upper = 0
        largest = 0
        chain: list[tuple[int, cp_model.IntVar]] = []
        step_caps: dict[Triple, int] = {}
        for index, slot in enumerate(inst.slots):
            triples = by_step_slot.get((step.id, index))
            if not triples:
                continue
            caps = {t: inst.cap(inst.participant_by_id[t.participant], slot) for t in triples}
            step_caps.update(caps)
            upper += sum(caps.values())
            largest = max(largest, *caps.values())
            # Implied by the rule for whoever worked last; as a plain bound it keeps the
            # relaxation from piling more people on a step than its work can use.
            ceiling = min(upper, step.work - 1 + largest)
            cumulative = wm.model.new_int_var(0, ceiling, f"G|{step.id}|{slot.id}")
            wm.model.add(cumulative == running + sum(c * wm.x[t] for t, c in caps.items()))
            for triple, cap in caps.items():
                wm.model.add(cumulative <= step.work - 1 + cap).only_enforce_if(wm.x[triple])
            chain.append((index, cumulative))
            running = cumulative
        wm.given_upto[step.id] = chain
        _cardinality_cut(wm, step, step_caps)
        _overshoot_cut(wm, step, step_caps, chain)


def _cardinality_cut(wm: WeekModel, step, caps_of: dict[Triple, int]) -> None:
    """At most m + 1 people on a step, m being how many of the smallest caps fit under W.

    Rule 7 for any one worker in the step's last slot with work: all the others together give
    at most W - 1 minutes. The relaxation of the enforced rule lets each step take one fractional
    worker more; this cut takes part of that back.
    """
    total, fitting = 0, 0
    for cap in sorted(caps_of.values()):
        if total + cap > step.work - 1:
            break
        total += cap
        fitting += 1
    if fitting + 1 < len(caps_of):
        wm.model.add(sum(wm.x[t] for t in caps_of) <= fitting + 1)


def _overshoot_cut(wm: WeekModel, step, caps_of: dict[Triple, int],
                   chain: list[tuple[int, cp_model.IntVar]]) -> None:
    """Only one worker's minutes may go past W - 1: G(j, t) - cap(e) <= W - 1.

    Implied by rule 7 (e is the largest worker in the step's last slot with work, or nobody
    when the step is not complete). Rule 7 alone relaxes to "one more fractional worker per
    step"; with e at most one and never more than x, the relaxation keeps the overshoot to one
    worker's minutes. Measured: the pilot's fewest unassigned is proven up to 6 times faster,
    but on a centre-size week the doubled variables slow the search down: the strategy of the
    week's size class decides (strategy.py).
    """
    if not wm.overshoot_cut or not chain or sum(caps_of.values()) < step.work:
        return  # a big week, or the step cannot be complete
    inst = wm.instance
    credit = {t: wm.model.new_bool_var(f"e|{t.participant}|{t.slot}|{t.step}") for t in caps_of}
    wm.overshoot_vars[step.id] = credit
    for triple, literal in credit.items():
        wm.model.add_implication(literal, wm.x[triple])
    wm.model.add_at_most_one(credit.values())
    for index, given in chain:
        wm.model.add(given - sum(cap * credit[t] for t, cap in caps_of.items()
                                 if inst.slot_index[t.slot] <= index) <= step.work - 1)


# -- objective terms -------------------------------------------------------------------------
def term_unassigned(wm: WeekModel) -> LinearExpr:
    inst = wm.instance
    pairs = [(p.id, s.id) for s in inst.slots for p in inst.participants if s.id in p.attends]
    return len(pairs) - sum(wm.has_step(p, s) for p, s in pairs)


def _shortfall(wm: WeekModel, step_id: str, slot_index: int, name: str) -> cp_model.IntVar:
    """max(0, W - G(j,t)) as a variable."""
    work = wm.instance.step_by_id[step_id].work
    short = wm.model.new_int_var(0, work, f"{name}|{step_id}")
    # Exact, not just a lower bound: a plan stopped early must report the contract's figures.
    wm.model.add_max_equality(short, [work - wm.given_at(step_id, slot_index), 0])
    return short


def term_overdue(wm: WeekModel) -> LinearExpr:
    inst = wm.instance
    total: LinearExpr | int = 0
    for step in inst.steps:
        if step.due_slot is None:
            continue
        short = _shortfall(wm, step.id, inst.due_index(step), "overdue")
        wm.overdue_vars[step.id] = short
        total += step.priority * short
    return total


def term_open(wm: WeekModel) -> LinearExpr:
    last = len(wm.instance.slots) - 1
    total: LinearExpr | int = 0
    for step in wm.instance.steps:
        short = _shortfall(wm, step.id, last, "open")
        wm.open_vars[step.id] = short
        total += short
    return total


def _kinds_at(wm: WeekModel, participant: str, slot: str) -> set[str]:
    inst = wm.instance
    return {inst.step_by_id[t.step].task_type for t in wm.triples_of(participant, slot)}


def terms_changes(wm: WeekModel) -> tuple[LinearExpr, LinearExpr]:
    """task_changes and routine_changes: adjacent attended slots with different task types."""
    inst = wm.instance
    totals: dict[bool, LinearExpr | int] = {False: 0, True: 0}
    for p in inst.participants:
        attended = inst.attended_slots(p)
        for first, second in zip(attended, attended[1:], strict=False):
            kinds_first = _kinds_at(wm, p.id, first.id)
            kinds_second = _kinds_at(wm, p.id, second.id)
            if not kinds_first or not kinds_second or len(kinds_first | kinds_second) < 2:
                continue  # no change is possible here
            change = wm.model.new_bool_var(f"change|{p.id}|{first.id}")
            has_first, has_second = wm.has_step(p.id, first.id), wm.has_step(p.id, second.id)
            # change = both slots have a step and the task types differ, exactly.
            wm.model.add(change <= has_first)
            wm.model.add(change <= has_second)
            for kind in sorted(kinds_first):
                on_first, on_second = wm.on_kind(p.id, first.id, kind), wm.on_kind(
                    p.id, second.id, kind)
                wm.model.add(change >= on_first + has_second - on_second - 1)
                if kind in kinds_second:
                    wm.model.add(change <= 2 - on_first - on_second)
            wm.change_vars.append((p.id, first.id, second.id, change))
            totals[p.needs_routine] += change
    return totals[False], totals[True]


def term_previous_changes(wm: WeekModel) -> LinearExpr:
    inst = wm.instance
    total: LinearExpr | int = 0
    for entry in inst.previous:
        if entry.slot in inst.participant_by_id[entry.participant].attends:
            var = wm.x.get(entry)
            total += 1 - var if var is not None else 1
    return total


def terms_preferences(wm: WeekModel) -> tuple[LinearExpr, LinearExpr]:
    inst = wm.instance
    disliked: LinearExpr | int = 0
    not_preferred: LinearExpr | int = 0
    for triple, var in wm.x.items():
        p = inst.participant_by_id[triple.participant]
        kind = inst.step_by_id[triple.step].task_type
        if kind in p.dislikes:
            disliked += var
        if p.prefers and kind not in p.prefers:
            not_preferred += var
    return disliked, not_preferred


# -- assembly --------------------------------------------------------------------------------
def build(instance: Instance, *, objective: bool = True, locks_as_assumptions: bool = False,
          overshoot_cut: bool | None = None) -> WeekModel:
    """The whole week as a CP-SAT model (the objective left out for the lock-clash check).

    `overshoot_cut` None: as the strategy of the week's size class has it."""
    wm = WeekModel(instance)
    add_assignment_vars(wm)
    wm.overshoot_cut = strategy_for(len(wm.x)).overshoot_cut if overshoot_cut is None \
        else overshoot_cut
    add_placement_vars(wm)
    rule1_one_step_per_slot(wm)
    rule2_seats(wm)
    rule3_max_workers(wm)
    rule4_one_area_per_instructor(wm)
    rule5_support(wm)
    rule6_locks(wm, as_assumptions=locks_as_assumptions)
    rule7_everyone_needed(wm)
    if objective:
        task_changes, routine_changes = terms_changes(wm)
        disliked, not_preferred = terms_preferences(wm)
        wm.terms = {
            "unassigned": term_unassigned(wm), "overdue": term_overdue(wm),
            "open": term_open(wm), "task_changes": task_changes,
            "routine_changes": routine_changes, "previous_changes": term_previous_changes(wm),
            "disliked": disliked, "not_preferred": not_preferred,
        }
        wm.model.minimize(sum(instance.weights[name] * wm.terms[name] for name in TERMS))
    return wm
