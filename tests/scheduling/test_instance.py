"""Loading and validating instances: clear messages naming the item, never a traceback."""

from __future__ import annotations

import copy
import random

import pytest

from scheduling.instance import InstanceError, load_instance
from tests.scheduling.helpers import tiny, tiny_data


def messages_for(data) -> list[str]:
    with pytest.raises(InstanceError) as caught:
        load_instance(data)
    return caught.value.messages


def test_example_loads_with_derived_figures():
    instance = tiny()
    step = instance.step_by_id["O-232/1"]
    assert step.work == 558  # ceil(1760 * 19 / 60)
    p01 = instance.participant_by_id["p01"]
    assert instance.cap(p01, instance.slot_by_id["mon-pm"]) == 85  # floor(150 * 57 / 100)
    assert instance.weights["unassigned"] == 100000


def test_unknown_skill_names_the_participant():
    data = tiny_data()
    data["participants"][3]["skills"].append("glue")
    assert 'participants[3].skills: unknown task type "glue"' in messages_for(data)


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["slots"].append(dict(d["slots"][0])), 'slots[4].id: duplicate slot id "mon-am"'),
    (lambda d: d["areas"][0].update(seats=-1), "areas[0].seats: -1 is outside 0..inf"),
    (lambda d: d["task_types"][0].update(area="cellar"), 'task_types[0].area: unknown area'),
    (lambda d: d["orders"][0].update(priority=9), "orders[0].priority: 9 is outside 1..5"),
    (lambda d: d["orders"][0]["steps"][0].update(quantity=0),
     "orders[0].steps[0].quantity: 0 is outside 1..inf"),
    (lambda d: d["orders"][0]["steps"][1].update(due_slot="sun-am"),
     'orders[0].steps[1].due_slot: unknown slot "sun-am"'),
    (lambda d: d["participants"][0].update(productivity=250),
     "participants[0].productivity: 250 is outside 1..200"),
    (lambda d: d["participants"][0].update(needs_routine="yes"),
     "participants[0].needs_routine: expected true/false"),
    (lambda d: d["instructors"][1].pop("capacity"), "instructors[1].capacity: missing"),
    (lambda d: d["locked"][0].update(step="O-999/1"), 'locked[0]: unknown step "O-999/1"'),
    (lambda d: d.update(weights={"speed": 3}), 'weights.speed: unknown term "speed"'),
    (lambda d: d.update(format="other/1"), "format: expected"),
])
def test_broken_instances_are_refused_naming_the_item(mutate, expected):
    data = tiny_data()
    mutate(data)
    assert any(m.startswith(expected) for m in messages_for(data)), messages_for(data)


def test_previous_with_unknown_ids_is_ignored_with_a_warning():
    data = tiny_data()
    data["previous"].append({"participant": "p99", "slot": "mon-am", "step": "O-232/1"})
    instance = load_instance(data)
    assert len(instance.previous) == len(tiny_data()["previous"])
    assert any('unknown participant "p99"' in w for w in instance.warnings)


def test_repeated_ids_count_once_and_optional_keys_may_be_absent():
    data = tiny_data()
    data["participants"][0]["skills"] += ["sort", "sort"]
    for key in ("locked", "previous", "weights"):
        data.pop(key, None)
    instance = load_instance(data)
    assert instance.locked == [] and instance.previous == []
    assert sorted(instance.participant_by_id["p01"].skills) == ["sort", "staple"]


def _mutations(value, rng: random.Random):
    junk = [None, -1, "x", [], {}, True, 3.5]
    if isinstance(value, dict) and value:
        key = rng.choice(list(value))
        if rng.random() < 0.3:
            del value[key]
        elif isinstance(value[key], dict | list) and value[key] and rng.random() < 0.7:
            _mutations(value[key], rng)
        else:
            value[key] = rng.choice(junk)
    elif isinstance(value, list) and value:
        index = rng.randrange(len(value))
        if isinstance(value[index], dict | list) and rng.random() < 0.7:
            _mutations(value[index], rng)
        else:
            value[index] = rng.choice(junk)


@pytest.mark.parametrize("seed", range(300))
def test_junk_never_gives_a_traceback(seed):
    rng = random.Random(seed)
    data = copy.deepcopy(tiny_data())
    for _ in range(rng.randint(1, 4)):
        _mutations(data, rng)
    try:
        load_instance(data)
    except InstanceError as error:
        assert error.messages and all(isinstance(m, str) for m in error.messages)


def test_not_an_object():
    assert messages_for([1, 2]) == ["instance: expected a JSON object"]
