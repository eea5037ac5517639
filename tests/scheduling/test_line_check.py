"""The line's validity checker rejects every kind of broken line, and the reader refuses bad
files with a message."""

from __future__ import annotations

import pytest

from scheduling.line import Line, LineError, Station, parse, violations

# Three tasks, two workers; worker 2 cannot do task 3; task 1 before task 3.
LINE = Line(((2, 3), (4, 1), (5, None)), ((0, 2),), stations=2)
GOOD = [Station(0, (0, 2)), Station(1, (1,))]


def test_a_valid_line_passes_with_its_cycle_time():
    assert violations(LINE, GOOD, cycle_time=7) == []


@pytest.mark.parametrize("stations, cycle, expected", [
    ([Station(0, (0, 1, 2))], None, "1 stations, the line has 2"),
    ([Station(0, (0, 2)), Station(0, (1,))], None, "worker 1 runs more than one station"),
    ([Station(0, (0, 2)), Station(0, (1,))], None, "worker 2 runs no station"),
    ([Station(0, (0, 2)), Station(5, (1,))], None, "worker 6 does not exist"),
    ([Station(0, (0, 2)), Station(1, (1, 7))], None, "task 8 does not exist"),
    ([Station(0, (0, 2, 1)), Station(1, (1,))], None, "task 2 is at more than one station"),
    ([Station(0, (0,)), Station(1, (1,))], None, "task 3 is at no station"),
    ([Station(0, (0,)), Station(1, (1, 2))], None, "worker 2 cannot do task 3"),
    ([Station(0, (2,)), Station(1, (0, 1))], None,
     "task 1 must come before task 3 (stations 2 and 1)"),
    (GOOD, 6, "cycle time 6 is not the largest load 7"),
])
def test_each_kind_of_broken_line_is_rejected(stations, cycle, expected):
    found = violations(LINE, stations, cycle_time=cycle)
    assert expected in found, found


def test_a_station_without_work_is_rejected_when_each_must_have_some():
    line = Line(LINE.times, LINE.precedences, 2, all_workers=False, every_station_used=True)
    assert "station 2 has no task" in violations(line, [Station(0, (0, 1, 2)), Station(1, ())])
    assert violations(line, GOOD) == []


def test_in_the_app_a_worker_may_be_left_out():
    line = Line(((2, 3, 1),), (), stations=1, all_workers=False)
    assert violations(line, [Station(2, (0,))]) == []


def test_the_public_format_is_read_one_based():
    line = parse("3\n2 3\n4 Inf\n5 1\n1 3\n2 3\n")
    assert line.tasks == 3 and line.workers == 2 and line.stations == 2
    assert line.times[1] == (4, None) and line.precedences == ((0, 2), (1, 2))


@pytest.mark.parametrize("text, expected", [
    ("", "empty file"),
    ("x\n", "the number of tasks"),
    ("3\n1 2\n", "3 tasks announced"),
    ("2\n1 2\n1 z\n", "not a time"),
    ("2\n1 2\n1 2\n1 2 3\n", "not a pair"),
    ("2\n1 2\n1 2\n1 2\n2 1\n", "cycle"),
    ("2\n1 2\nInf Inf\n", "task 2: no worker can do it"),
    ("2\n1 2\n1\n", "task 2: 1 times for 2 workers"),
])
def test_bad_files_are_refused_with_a_message(text, expected):
    with pytest.raises(LineError, match=expected):
        parse(text, name="f")
