"""The evaluator: the example's figures, and each hard rule caught when broken."""

from __future__ import annotations

import copy

import pytest

from scheduling.check import evaluate
from tests.scheduling.helpers import tiny, tiny_plan


def test_example_plan_figures_are_recomputed():
    result = evaluate(tiny(), tiny_plan())
    assert result.ok
    assert result.objective == 300650
    assert result.terms == {"unassigned": 3, "overdue": 0, "open": 0, "task_changes": 0,
                            "routine_changes": 2, "previous_changes": 5, "disliked": 0,
                            "not_preferred": 0}


def broken(change) -> list[str]:
    plan = copy.deepcopy(tiny_plan())
    change(plan)
    return evaluate(tiny(), plan).violations


def add(plan, participant, slot, step):
    plan["assignments"].append({"participant": participant, "slot": slot, "step": step})


def drop(plan, participant, slot):
    plan["assignments"] = [a for a in plan["assignments"]
                           if (a["participant"], a["slot"]) != (participant, slot)]


@pytest.mark.parametrize("change, rule", [
    # p01 twice in mon-am
    (lambda p: add(p, "p01", "mon-am", "O-232/1"), "rule 1"),
    # p02 does not attend mon-am
    (lambda p: add(p, "p02", "mon-am", "O-232/1"), "rule 1"),
    # O-232/2 is released only from tue-am
    (lambda p: (drop(p, "p03", "mon-pm"), add(p, "p03", "mon-pm", "O-232/2")), "rule 1"),
    # three people in pakkaamo (2 seats) in mon-am
    (lambda p: add(p, "p03", "mon-am", "O-232/1"), "rule 2"),
    # staple has max 2 workers: p01, p02 and p04 in tue-am
    (lambda p: (drop(p, "p04", "tue-am"), add(p, "p04", "tue-am", "O-232/2")), "rule 3"),
    # i01 in two areas in mon-am
    (lambda p: p["instructors"].append({"instructor": "i01", "slot": "mon-am",
                                        "area": "kokoonpano"}), "rule 4"),
    # support: no instructor in pakkaamo in mon-am
    (lambda p: p.update(instructors=[x for x in p["instructors"] if x["slot"] != "mon-am"]),
     "rule 5"),
    # the lock p02/tue-am/O-232/2 removed
    (lambda p: drop(p, "p02", "tue-am"), "rule 6"),
])
def test_each_rule_is_enforced(change, rule):
    assert any(v.startswith(rule) for v in broken(change)), broken(change)


def test_support_capacity_is_enforced():
    plan = copy.deepcopy(tiny_plan())
    # i01 alone supervises p01 (2 points) in mon-am; give i01 a capacity of 1.
    instance = tiny()
    instance.instructors[0] = type(instance.instructors[0])(
        id="i01", attends=instance.instructors[0].attends, capacity=1, areas=frozenset())
    instance.__dict__.pop("instructor_by_id", None)
    assert any(v.startswith("rule 5: support") for v in evaluate(instance, plan).violations)


def test_rule7_catches_someone_parked_on_a_finished_step():
    plan = copy.deepcopy(tiny_plan())
    # O-232/1 is finished by p02 in tue-pm (1760 units); p03 added would be parked.
    add(plan, "p03", "tue-pm", "O-232/1")
    violations = evaluate(tiny(), plan).violations
    assert any(v.startswith("rule 7") for v in violations), violations


def test_wrong_figures_are_reported():
    plan = copy.deepcopy(tiny_plan())
    plan["objective"] -= 1
    plan["terms"]["open"] = 5
    plan["steps"][0]["planned_units"] = 1
    plan["unassigned"] = plan["unassigned"][1:]
    result = evaluate(tiny(), plan)
    assert result.valid and not result.ok
    joined = " ".join(result.figure_errors)
    for part in ("objective", "terms.open", "steps", "unassigned"):
        assert part in joined


def test_instructor_outside_their_areas_and_shifts():
    instance = tiny()
    plan = copy.deepcopy(tiny_plan())
    instance.instructors[1] = type(instance.instructors[1])(
        id="i02", attends=frozenset({"tue-pm"}), capacity=5, areas=frozenset({"kokoonpano"}))
    instance.__dict__.pop("instructor_by_id", None)
    violations = evaluate(instance, plan).violations
    assert any("i02 does not attend tue-am" in v for v in violations)
    assert any("i02 may not supervise pakkaamo" in v for v in violations)
