"""Lower bounds of a week's objective, used beside the search and to judge its plans:

- `lp`: the work terms' capacity bound and LPs of the week (`WeekLP`, `TightWeekLP`);
- `slots`: each slot's least `unassigned` alone, by a small CP-SAT model per slot;
- `tight`: the tight LP solved beside the search, its bound handed to whoever asks.
"""

from .lp import TightWeekLP, WeekLP, work_term_bounds, work_terms_lp_bound
from .slots import SlotBudget, least_unassigned_by_slot, one_slot
from .tight import TightBound

__all__ = ["SlotBudget", "TightBound", "TightWeekLP", "WeekLP", "least_unassigned_by_slot",
           "one_slot", "work_term_bounds", "work_terms_lp_bound"]
