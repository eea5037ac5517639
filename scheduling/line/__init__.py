"""ALWABP line balancing: assign workers to stations and tasks to workers so that the slowest
station is as fast as possible (issue 34). Independent of Flask; see docs/line-balancing.md."""

from .check import Station, cycle_time, loads, violations
from .problem import Line, LineError, parse, read
from .solve import LineProgress, LineResult, solve

__all__ = ["Line", "LineError", "LineProgress", "LineResult", "Station", "cycle_time", "loads",
           "parse", "read", "solve", "violations"]
