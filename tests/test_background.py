"""Work handed to forked children during the site build (smesa.site.background)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from smesa.site import processes
from smesa.site.background import LATER_NICENESS, Forked, Worker
from smesa.site.processes import can_fork, die_with_parent, preexec_dying_with_us


@pytest.fixture(autouse=True)
def only_the_tests_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-xdist runs a thread of its own in each worker: a test sees only the threads
    it starts itself, as `smesa build` does in its own process."""
    real = threading.active_count
    harness = real() - 1
    monkeypatch.setattr(threading, "active_count", lambda: real() - harness)


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


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, dead but not yet reaped, counts as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone_within(pids: list[int], seconds: float) -> list[int]:
    """The pids still alive after `seconds`."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    return [pid for pid in pids if alive(pid)]


def killed_parent_leaves(script: str) -> list[int]:
    """Run `script` (which prints the pids of its children on one line, then waits) in a
    process, kill -9 it, and return its children still alive 5 s later."""
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert children and all(alive(pid) for pid in children)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    survivors = gone_within(children, 5)
    for pid in survivors:  # tidy up before failing
        os.kill(pid, signal.SIGKILL)
    return survivors


KEEP_CHILDREN = """
import time
from smesa.site.background import Forked, Worker
forked = Forked(time.sleep, 600)
worker = Worker(len)
worker.submit("x")
print(forked._process.pid, worker._process.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="children are forked on Linux only")
def test_children_die_when_their_parent_is_killed():
    # Without PR_SET_PDEATHSIG both would wait on their pipes for good: each inherited
    # the other's copy of the parent's end.
    assert killed_parent_leaves(KEEP_CHILDREN) == []


KEEP_A_PROGRAM = """
import subprocess, time
from smesa.site.processes import preexec_dying_with_us
program = subprocess.Popen(["sleep", "600"], preexec_fn=preexec_dying_with_us())
print(program.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="children are forked on Linux only")
def test_a_program_started_with_preexec_dies_with_its_parent():
    assert killed_parent_leaves(KEEP_A_PROGRAM) == []


@pytest.mark.skipif(sys.platform != "linux", reason="children are forked on Linux only")
def test_a_program_started_with_preexec_runs_at_the_niceness_asked():
    here = os.nice(0)
    for more in (0, LATER_NICENESS):
        program = subprocess.run(
            [sys.executable, "-c", "import os; print(os.nice(0))"],
            preexec_fn=preexec_dying_with_us(more),
            capture_output=True,
            text=True,
            check=True,
        )
        assert int(program.stdout) == min(19, here + more)


@pytest.mark.skipif(sys.platform != "linux", reason="children are forked on Linux only")
def test_a_child_whose_parent_died_before_prctl_took_effect_exits():
    # The parent that forked it is gone if getppid() names another process.
    process = multiprocessing.get_context("fork").Process(target=die_with_parent, args=(-1,))
    process.start()
    process.join(10)
    assert process.exitcode == 1


def test_no_fork_while_another_thread_runs():
    # `mkdocs serve` builds with its server and watcher threads running.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork() and preexec_dying_with_us() is None
        assert Forked(pid_and_double, 21).result() == (os.getpid(), 42)
        worker = Worker(pid_and_double)
        worker.submit(1)
        worker.submit(2)
        assert worker.collect() == [(os.getpid(), 2), (os.getpid(), 4)]
        worker.stop()
        with pytest.raises(ValueError, match="cannot take 3"):
            Forked(fail_on_three, 3).result()
    finally:
        stop.set()
        thread.join()
    assert can_fork() == (sys.platform == "linux")


def test_no_fork_where_the_kernel_cannot_kill_orphans(monkeypatch):
    # macOS has fork but no PR_SET_PDEATHSIG: the work is done in this process.
    monkeypatch.setattr(processes, "_LIBC", None)
    assert not can_fork() and preexec_dying_with_us() is None
    forked = Forked(pid_and_double, 4)
    forked.cancel()  # nothing runs until the result is asked for
    assert Forked(pid_and_double, 4).result() == (os.getpid(), 8)
    worker = Worker(fail_on_three)
    for value in range(6):
        worker.submit(value)  # as in a child, the failure waits for collect
    with pytest.raises(ValueError, match="cannot take 3"):
        worker.collect()
    worker.submit(7)
    assert worker.collect() == [7]
    worker.stop()
