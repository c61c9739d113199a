"""Work the site build hands to a second core.

MkDocs builds on one core, so on a two-core machine (CI, the benchmark) the other one
is idle. Work whose result MkDocs needs only later (the pages of the language it builds
next, the charts, the feeds and downloads) runs there meanwhile, in a forked child:
fork, because the child then starts at once with the code and the loaded repository
already in memory, inherited rather than pickled (as the loader does,
smesa.data.repository). Where a child cannot be forked safely (see `can_fork`) the work is
done in this process when its result is asked for.

A child dies with its parent, however the parent ends (`kill -9` included): the kernel
kills it (Linux's PR_SET_PDEATHSIG). Without that, a child waiting on its pipe would wait
for good, since its siblings inherited the parent's end of that pipe and keep it open.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from smesa.site.processes import become_child, can_fork

T = TypeVar("T")
# Children whose result is wanted later (the pages, each wanted only when MkDocs reads
# it; the downloads; the sanitiser; Pagefind) yield to MkDocs: at equal priority, four of
# them on two cores preempt the MkDocs process hundreds of times a build, and it runs a
# third slower.
LATER_NICENESS = 10


class Forked(Generic[T]):
    """`function(*args)` running in a forked child; `result()` waits for its value (or
    raises its exception). `cancel()` stops a child whose result is no longer wanted."""

    def __init__(self, function: Callable[..., T], *args: Any, later: bool = False) -> None:
        self._function = function
        self._args = args
        self._process, self._receive = _start(self._run, duplex=False, later=later)

    def _run(self, send: Connection) -> None:
        try:
            outcome: tuple[bool, Any] = (True, self._function(*self._args))
        except BaseException as error:  # handed to the parent, which raises it
            outcome = (False, error)
        send.send(outcome)

    def result(self) -> T:
        if self._receive is None:
            return self._function(*self._args)
        try:
            return _outcome(self._receive, self._function)
        finally:
            self._receive.close()
            self._receive = None
            self._process.join()

    def running(self) -> bool:
        """True while the child works (False where the work waits for `result()`)."""
        return self._process is not None and self._receive is not None and self._process.is_alive()

    def cancel(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()
        if self._receive is not None:
            self._receive.close()
            self._receive = None


def _start(target: Callable[[Connection], None], *, duplex: bool, later: bool) -> tuple[Any, Any]:
    """A forked child running `target(connection)`, and this process's end of the
    connection; (None, None) where `can_fork` is False. `later`: the result is wanted
    later, so the child runs at a lower priority (see LATER_NICENESS)."""
    if not can_fork():
        return None, None
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe(duplex=duplex)
    args = (target, theirs, LATER_NICENESS if later else 0, os.getpid())
    process = context.Process(target=_child, args=args, daemon=True)
    process.start()
    theirs.close()  # the child holds it now
    return process, ours


def _child(
    target: Callable[[Connection], None], connection: Connection, niceness: int, parent: int
) -> None:
    become_child(parent, niceness)
    target(connection)


def _outcome(connection: Connection, function: Callable[..., Any]) -> Any:
    """The value a child sent as (ok, value): returned, or raised if it is an error."""
    try:
        ok, value = connection.recv()
    except EOFError:
        raise RuntimeError(f"{function.__name__} died in its child process") from None
    if not ok:
        raise value
    return value


_COLLECT = "collect"
# Items a Worker sends its child in one message. Each message wakes the child, which
# costs the sender a tenth of a millisecond or more on a virtual machine: one message a
# page took 1.1 s of the MkDocs process in a build of 1,970 pages, one per 16 pages
# about a fifth of that (measured, scripts/bench.py site's repository).
BATCH = 16


class Worker(Generic[T]):
    """`function` applied in a forked child to each item `submit`ted; `collect()` returns
    the results of the items submitted since the last `collect`, in order (or raises the
    first exception). The child keeps its results until asked, so `submit` never waits
    for `function`; the items go to the child `BATCH` at a time. `stop()` ends the
    child."""

    def __init__(self, function: Callable[[Any], T], *, later: bool = False) -> None:
        self._function = function
        self._pending: list[Any] = []  # submitted, not sent yet
        self._inline: list[T] = []
        self._inline_error: Exception | None = None
        self._process, self._connection = _start(self._serve, duplex=True, later=later)

    def _serve(self, connection: Connection) -> None:
        # A thread takes every message off the pipe at once: were the pipe left full while
        # `function` runs (on a core other children share), `submit` would wait.
        inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        threading.Thread(target=_drain, args=(connection, inbox), daemon=True).start()
        results: list[T] = []
        error: BaseException | None = None
        while (message := inbox.get()) is not None:
            if message == _COLLECT:
                connection.send((False, error) if error else (True, results))
                results, error = [], None
            else:
                for item in message[1]:
                    if error is not None:
                        break
                    try:
                        results.append(self._function(item))
                    except BaseException as failure:  # reported at the next collect
                        error = failure

    def submit(self, item: Any) -> None:
        if self._connection is not None:
            self._pending.append(item)
            if len(self._pending) >= BATCH:
                self._send_pending()
        elif self._inline_error is None:  # as in the child: the error waits for collect
            try:
                self._inline.append(self._function(item))
            except Exception as failure:
                self._inline_error = failure

    def collect(self) -> list[T]:
        if self._connection is None:
            results, error = self._inline, self._inline_error
            self._inline, self._inline_error = [], None
            if error is not None:
                raise error
            return results
        self._send_pending()
        self._connection.send(_COLLECT)
        return _outcome(self._connection, self._function)

    def _send_pending(self) -> None:
        if self._pending and self._connection is not None:
            self._connection.send(("items", self._pending))
            self._pending = []

    def stop(self) -> None:
        self._pending = []
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._process = None


def _drain(connection: Connection, inbox: queue.SimpleQueue[Any]) -> None:
    """Move messages from `connection` to `inbox`; None once the other end is closed."""
    try:
        while True:
            inbox.put(connection.recv())
    except (EOFError, OSError):
        inbox.put(None)
