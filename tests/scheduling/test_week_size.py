"""Each generated profile is planned as its own size: the bench measures the search it names."""

from __future__ import annotations

import pytest

from scheduling.generate import generate
from scheduling.instance import load_instance
from scheduling.week_size import CENTRE_FROM, REGION_ABOVE, Size, week_size


@pytest.mark.parametrize(("variables", "size"), [
    (0, Size.PILOT), (CENTRE_FROM - 1, Size.PILOT),
    (CENTRE_FROM, Size.CENTRE), (REGION_ABOVE, Size.CENTRE),
    (REGION_ABOVE + 1, Size.REGION),
])
def test_the_size_follows_the_assignment_variables(variables, size):
    assert week_size(variables) is size


@pytest.mark.parametrize("profile", ["pilot", "centre", "region"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_generated_week_has_the_size_of_its_profile(profile, seed):
    # The model has one assignment variable per eligible triple (model.add_assignment_vars).
    instance = load_instance(generate(profile, seed))
    assert week_size(len(instance.eligible_triples)) is Size(profile)
