"""Generated weeks: valid instances, the same week for the same seed, and rooms for the people."""

from __future__ import annotations

import pytest

from scheduling.generate import PROFILES, generate
from scheduling.instance import load_instance


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_a_seed_gives_the_same_valid_week(profile):
    week = generate(profile, 3)
    assert week == generate(profile, 3) and week != generate(profile, 4)
    instance = load_instance(week)
    assert len(instance.participants) == PROFILES[profile].participants
    assert len(instance.areas) == PROFILES[profile].areas


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_the_rooms_seat_about_everyone_present(profile):
    """A centre does not invite twice the people it has seats for: the benchmark's weeks would
    leave half the people without work whatever the plan, and be easy to bound."""
    for seed in range(1, 9):
        week = generate(profile, seed)
        seats = sum(area["seats"] for area in week["areas"])
        present = sum(len(p["attends"]) for p in week["participants"]) / len(week["slots"])
        assert seats >= 0.85 * present, (seed, seats, present)
