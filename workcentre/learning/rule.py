"""When the reports are evidence enough to suggest a new figure: the rule as data."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Enough:
    """Thresholds a suggestion must pass (docs/reports.md says why each is there)."""

    half_days: int  # at least this many half-days of evidence
    sources: int  # from at least this many people (standard time) or jobs (pace)
    spread: float  # stable: (upper quartile - lower quartile) / median at most this
    change: float  # worth it: the new figure differs from the present one by at least this
    days: int  # evidence from this many days back at most


STANDARD_TIME = Enough(half_days=8, sources=2, spread=0.30, change=0.10, days=182)
PACE = Enough(half_days=10, sources=2, spread=0.30, change=0.10, days=182)


@dataclass(frozen=True)
class Verdict:
    """A figure the evidence supports, with the numbers behind it."""

    median: float
    half_days: int
    sources: int
    spread: float


def judge(values: list[float], sources: int, current: int, rule: Enough) -> Verdict | None:
    """The median of the half-days' figures when the rule holds and it differs enough from
    `current`; None otherwise."""
    if len(values) < rule.half_days or sources < rule.sources:
        return None
    middle = statistics.median(values)
    if middle <= 0:
        return None
    lower, _, upper = statistics.quantiles(values, n=4, method="inclusive")
    spread = (upper - lower) / middle
    if spread > rule.spread or abs(middle - current) < rule.change * current:
        return None
    return Verdict(middle, len(values), sources, round(spread, 2))
