"""How big a week's model is: the search treats pilot-, centre- and region-size weeks apart.

Measured by the model's assignment variables (eligible participant-step-slot triples), since that
is what the solver's time follows. The generated weeks (`generate.py`): pilot about 400, centre
about 4 000, region about 30 000. What each size gets, and why, is in docs/model-notes.md.
"""

from __future__ import annotations

from enum import Enum

CENTRE_FROM = 1_000  # assignment variables: from here the windows take all the time left
REGION_ABOVE = 10_000  # assignment variables: above, the week is region-size


class Size(Enum):
    PILOT = "pilot"
    CENTRE = "centre"
    REGION = "region"


def week_size(variables: int) -> Size:
    """The size class of a model with this many assignment variables."""
    if variables > REGION_ABOVE:
        return Size.REGION
    return Size.CENTRE if variables >= CENTRE_FROM else Size.PILOT
