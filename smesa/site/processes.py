"""Child processes that die with their parent, forked only where that is safe.

Shared by the loader's worker pool (smesa.data.repository) and the site build's children
(smesa.site.background). A child that outlives its parent (`kill -9` of a build) would
otherwise wait for good, or go on writing files nobody asked for.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def can_fork() -> bool:
    """True where a forked child is safe: on Linux, whose kernel kills the child when its
    parent dies (macOS has fork but not that), and only while this process runs no other
    thread (`mkdocs serve` runs its server and watcher in threads): a lock another thread
    held at the fork stays locked in the child, and the kernel kills a child when the
    *thread* that forked it ends."""
    return (
        _LIBC is not None
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def die_with_parent(parent: int) -> None:
    """In a child just forked by process `parent`: have the kernel kill this process when
    the parent ends. If the parent ended before this took effect, end now (the orphan has
    a new parent already)."""
    assert _LIBC is not None
    if _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl(PR_SET_PDEATHSIG): {os.strerror(error)}")
    if os.getppid() != parent:
        os._exit(1)


def preexec_dying_with_us(niceness: int = 0) -> Callable[[], None] | None:
    """A `preexec_fn` for `subprocess` that makes the program die with this process
    (the signal survives exec), at `niceness` more than this process; None where
    `can_fork` is False, as subprocess's own warning about preexec_fn and threads asks."""
    if not can_fork():
        return None
    parent = os.getpid()
    return lambda: become_child(parent, niceness)


def become_child(parent: int, niceness: int = 0) -> None:
    """In a child just forked by process `parent`: die with it (`die_with_parent`), at
    `niceness` more than it."""
    die_with_parent(parent)
    if niceness:
        os.nice(niceness)
