"""How the search treats a week, as one value per size class: every choice the search makes by
the size of the week is a field of `Strategy`, and `STRATEGIES` holds the three there are.

The size class follows the model's assignment variables (eligible participant-step-slot
triples), since that is what the solver's time follows. The generated weeks (`generate.py`):
pilot about 400, centre about 4 000, region about 30 000. Why each setting has its value is in
docs/search.md.
"""

from __future__ import annotations

from dataclasses import dataclass

CENTRE_FROM = 1_000  # assignment variables: from here a week is centre-size
REGION_ABOVE = 10_000  # assignment variables: above, the week is region-size


@dataclass(frozen=True)
class Strategy:
    """What the search does on a week of one size class."""

    name: str  # pilot, centre or region
    # -- the starting plan and the bounds beside the search
    lp_share: float = 0.1  # of the wall limit, at most, for the week's LP; half for each re-solve
    overshoot_cut: bool = False  # the model's cut "one worker's minutes past W - 1" (model.py)
    slot_cuts: bool = True  # cut each slot's unassigned to its least alone (bounds/slots.py)
    slot_bounds_share: float = 0.1  # of the time, at most, for those slot leasts
    # -- phase 1: the fewest unassigned half-days alone
    first_phase_share: float = 0.4  # of the time left, at most, per attempt
    first_phase_attempts: int = 1  # a second attempt, with a new seed, when unproven
    first_phase_linearization_2: bool = False  # the heavier LP relaxation, on one worker
    first_phase_probing: bool = False  # probing in presolve (elsewhere it is always off)
    stood_still_share: float = 0.25  # an attempt whose last plan came before this share stood still
    stand_still_seconds: float = 1.0  # wall time: stop an attempt stuck at least this long
    # -- work beside the main search, with a core to spare (wall-time limits only)
    bound_search_beside: bool = False  # a one-worker search proving the fewest unassigned
    bound_search_for_first_phase: bool = False  # it does phase 1's work: phase 1 is skipped
    bound_search_shares_plans: bool = False  # its plans go to the best plan too
    stall_seconds: float = 2.0  # its bound has not moved for this long: it has done its part
    relay: bool = False  # then its core re-plans windows (with another seed)
    windows_beside_whole: bool = False  # phase 1 proven: windows run beside phase 3, not before
    lp_pair_on_two_workers: bool = False  # on two workers, max_lp and default_lp subsolvers
    light_presolve: bool = False  # one presolve round without probing, for every solve
    # -- phase 2: windows (windows.py)
    windows_when_proven: bool = True  # windows also when phase 1 proved its least
    window_share: float = 1.0  # of the time left after phase 1, for the windows
    fewest_first_windows: bool = True  # windows for the fewest unassigned before the whole one
    fewest_windows_share: float = 1.0  # of the windows' time, at most, for those fewest-first
    fewest_stall_share: float = 0.2  # of the windows' time without fewer unassigned: give way
    fewest_max_width: int | None = None  # their widest time window (None: `max_width`)
    max_width: int = 3  # slots in a time window, at most
    passes: int = 2  # a window's time: enough for this many passes over the week
    min_window_seconds: float = 0.2  # of wall time, for a window one slot wide
    max_stretch: int = 4  # a window that ran out of time gets twice the time, up to this many
    people_windows: bool = False  # windows of two people's whole weeks
    rest_failed_windows: bool = False  # a window that found nothing skips the next pass
    guided_windows: bool = False  # windows freeing the cells off the tight LP's task types
    guided_share: float = 0.25  # of the windows' time, for a guided window


STRATEGIES: dict[str, Strategy] = {
    "pilot": Strategy(
        "pilot", overshoot_cut=True, first_phase_attempts=2, first_phase_linearization_2=True,
        first_phase_probing=True, bound_search_beside=True, bound_search_shares_plans=True,
        windows_beside_whole=True, lp_pair_on_two_workers=True, windows_when_proven=False,
        window_share=0.6, fewest_first_windows=False, max_width=5, people_windows=True),
    "centre": Strategy(
        "centre", bound_search_beside=True, bound_search_for_first_phase=True, relay=True,
        lp_pair_on_two_workers=True, passes=4),
    "region": Strategy(
        "region", slot_cuts=False, first_phase_share=0.25, light_presolve=True,
        fewest_windows_share=0.35, fewest_max_width=1, rest_failed_windows=True,
        guided_windows=True),
}


def strategy_for(variables: int) -> Strategy:
    """The strategy of a week whose model has this many assignment variables."""
    if variables > REGION_ABOVE:
        return STRATEGIES["region"]
    return STRATEGIES["centre" if variables >= CENTRE_FROM else "pilot"]
