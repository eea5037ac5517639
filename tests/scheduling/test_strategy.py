"""Each generated profile is planned with its own strategy: the bench measures the search it
names, and a caller may pass another."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from scheduling.generate import generate
from scheduling.instance import load_instance
from scheduling.model import build
from scheduling.solve import solve
from scheduling.strategy import CENTRE_FROM, REGION_ABOVE, STRATEGIES, strategy_for
from tests.scheduling.helpers import assert_plan_checks


@pytest.mark.parametrize(("variables", "size"), [
    (0, "pilot"), (CENTRE_FROM - 1, "pilot"),
    (CENTRE_FROM, "centre"), (REGION_ABOVE, "centre"),
    (REGION_ABOVE + 1, "region"),
])
def test_the_strategy_follows_the_assignment_variables(variables, size):
    assert strategy_for(variables) is STRATEGIES[size]
    assert STRATEGIES[size].name == size


@pytest.mark.parametrize("profile", ["pilot", "centre", "region"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_generated_week_has_the_strategy_of_its_profile(profile, seed):
    # The model has one assignment variable per eligible triple (model.add_assignment_vars).
    instance = load_instance(generate(profile, seed))
    assert strategy_for(len(instance.eligible_triples)) is STRATEGIES[profile]


def test_a_strategy_is_a_value_that_cannot_change_under_the_search():
    with pytest.raises(FrozenInstanceError):
        STRATEGIES["pilot"].max_width = 1  # type: ignore[misc]


def test_the_overshoot_cut_follows_the_strategy_or_the_one_passed():
    pilot = load_instance(generate("pilot", 1))
    assert build(pilot).overshoot_vars
    assert not build(pilot, overshoot_cut=False).overshoot_vars


@pytest.mark.parametrize("size", sorted(STRATEGIES))
def test_a_pilot_week_searched_with_any_strategy_gets_a_valid_plan(size):
    instance = load_instance(generate("pilot", 2))
    plan = solve(instance, workers=1, seed=0, deterministic_time=0.5, strategy=STRATEGIES[size])
    assert plan["status"] in ("OPTIMAL", "FEASIBLE")
    assert_plan_checks(instance, plan)
