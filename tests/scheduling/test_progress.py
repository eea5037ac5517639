"""Progress reports carry the reported plan's figures in words a person understands (issue 29):
people without work and late orders, equal to the independent evaluator's figures of that plan."""

from __future__ import annotations

from scheduling import Progress, evaluate, load_instance, solve
from scheduling.generate import generate
from scheduling.instance import PLAN_FORMAT


def _evaluated(instance, progress: Progress):
    plan = {"format": PLAN_FORMAT, "instructors": [],
            "assignments": [vars(t) for t in progress.assignments]}
    return evaluate(instance, plan)


def _late(instance, evaluation) -> tuple[int, set[str]]:
    """Late steps and their orders by the evaluator: work missing by the due slot."""
    late = [instance.step_by_id[s["step"]] for s in evaluation.steps
            if instance.step_by_id[s["step"]].due_slot is not None
            and s["on_time_units"] < instance.step_by_id[s["step"]].quantity]
    return len(late), {step.order for step in late}


def test_every_progress_report_carries_the_figures_of_its_plan():
    instance = load_instance(generate("centre", 2))
    reports: list[Progress] = []
    plan = solve(instance, workers=1, seed=0, time_limit=60.0, deterministic_time=3.0,
                 on_progress=reports.append)
    assert len(reports) >= 2  # the starting plan and at least one better one
    for progress in reports:
        evaluation = _evaluated(instance, progress)
        assert progress.objective == evaluation.objective
        assert progress.unassigned == evaluation.terms["unassigned"]
        assert progress.idle_people == len({pid for pid, _ in evaluation.unassigned})
        late_steps, late_orders = _late(instance, evaluation)
        assert progress.late_steps == late_steps
        assert progress.late_orders == len(late_orders)
        assert progress.late_minutes >= progress.late_steps  # a late step misses a minute or more
    last = reports[-1]
    assert last.objective == plan["objective"]
    assert last.unassigned == plan["terms"]["unassigned"]
    assert last.late_steps == sum(1 for s in plan["late_steps"] if s["late"])
    assert last.late_minutes == sum(s["missing_minutes"] for s in plan["late_steps"] if s["late"])


def test_a_week_with_late_work_reports_it():
    """A week too full for its people: the reports name late orders and idle people honestly."""
    instance = load_instance(generate("pilot", 3))
    reports: list[Progress] = []
    solve(instance, workers=1, seed=0, time_limit=60.0, deterministic_time=1.0,
          on_progress=reports.append)
    first = reports[0]
    evaluation = _evaluated(instance, first)
    assert first.unassigned == evaluation.terms["unassigned"]
    assert first.late_steps == _late(instance, evaluation)[0]
