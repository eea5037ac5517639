"""The weekly planning engine: contract, CP-SAT model, evaluator. Imports no web stack.

    from scheduling import load_instance, solve, evaluate
    plan = solve(load_instance(data), time_limit=30)
"""

from .check import Evaluation, evaluate
from .instance import Instance, InstanceError, load_instance
from .solve import Progress, baseline_plan, solve

__all__ = ["Evaluation", "Instance", "InstanceError", "Progress", "baseline_plan", "evaluate",
           "load_instance", "solve"]
