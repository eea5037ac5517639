"""The weekly planning engine: contract, CP-SAT model, evaluator. Imports no web stack.

    from scheduling import load_instance, solve, evaluate
    plan = solve(load_instance(data), time_limit=30)

Everything the web app uses is exported here, and the app imports nothing else of the engine
(`tests/web/test_engine_boundary.py`).
"""

from .check import Evaluation, evaluate
from .generate import generate
from .instance import (
    DEFAULT_WEIGHTS,
    INSTANCE_FORMAT,
    PLAN_FORMAT,
    Instance,
    InstanceError,
    Triple,
    load_instance,
)
from .placement import place_instructors
from .replan import keep_after, keep_placements, replan_instance
from .solve import Progress, baseline_plan, plan_dict, solve

__all__ = ["DEFAULT_WEIGHTS", "INSTANCE_FORMAT", "PLAN_FORMAT", "Evaluation", "Instance",
           "InstanceError", "Progress", "Triple", "baseline_plan", "evaluate", "generate",
           "keep_after", "keep_placements", "load_instance", "place_instructors", "plan_dict",
           "replan_instance", "solve"]
