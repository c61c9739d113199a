"""Work handed to forked children during the site build (smesa.site.background)."""

from __future__ import annotations

import os
import time

import pytest

from smesa.site.background import LATER_NICENESS, Forked, Worker


def pid_and_double(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def fail_on_three(value: int) -> int:
    if value == 3:
        raise ValueError(f"cannot take {value}")
    return value


def test_forked_returns_the_value_computed_in_another_process():
    pid, doubled = Forked(pid_and_double, 21).result()
    assert doubled == 42 and pid != os.getpid()


def test_forked_raises_what_the_function_raised():
    with pytest.raises(ValueError, match="cannot take 3"):
        Forked(fail_on_three, 3).result()


def test_worker_returns_results_in_order_per_collect():
    worker = Worker(pid_and_double)
    try:
        for value in range(200):
            worker.submit(value)
        first = worker.collect()
        assert [doubled for _, doubled in first] == [v * 2 for v in range(200)]
        assert {pid for pid, _ in first} != {os.getpid()}
        assert len({pid for pid, _ in first}) == 1  # one child for every item
        worker.submit(5)
        assert [doubled for _, doubled in worker.collect()] == [10]
        assert worker.collect() == []
    finally:
        worker.stop()


_waited: list[bool] = []


def wait_for_flag(item: tuple[str, str]) -> bool:
    """True if the flag file appears within 5 s; only the first call waits."""
    flag, _ = item
    if not _waited:
        deadline = time.monotonic() + 5
        while not os.path.exists(flag) and time.monotonic() < deadline:
            time.sleep(0.01)
        _waited.append(os.path.exists(flag))
    return _waited[0]


def test_submit_does_not_wait_for_the_function(tmp_path):
    # The function blocks on its first item until the flag exists, and the flag is made
    # only after 40 MB more were submitted, far more than a pipe holds: that works only
    # if the child keeps reading while its function runs.
    flag = tmp_path / "flag"
    worker = Worker(wait_for_flag)
    try:
        for _ in range(40):
            worker.submit((str(flag), "x" * 1_000_000))
        flag.touch()
        assert worker.collect() == [True] * 40
    finally:
        worker.stop()


def test_worker_reports_the_first_failure_at_collect_and_goes_on():
    worker = Worker(fail_on_three)
    try:
        for value in range(6):
            worker.submit(value)
        with pytest.raises(ValueError, match="cannot take 3"):
            worker.collect()
        worker.submit(7)
        assert worker.collect() == [7]
    finally:
        worker.stop()


def test_a_stopped_worker_leaves_no_process():
    worker = Worker(len)
    process = worker._process
    worker.stop()
    assert process is not None and not process.is_alive()


def niceness(_: object = None) -> int:
    return os.nice(0)


def test_work_wanted_later_runs_at_a_lower_priority():
    here = os.nice(0)
    assert Forked(niceness).result() == here
    assert Forked(niceness, later=True).result() == min(19, here + LATER_NICENESS)
    worker = Worker(niceness, later=True)
    try:
        worker.submit(None)
        assert worker.collect() == [min(19, here + LATER_NICENESS)]
    finally:
        worker.stop()
