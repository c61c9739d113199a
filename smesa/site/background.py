"""Work the site build hands to a second core.

MkDocs builds on one core, so on a two-core machine (CI, the benchmark) the other one
is idle. Work whose result MkDocs needs only later (the pages of the language it builds
next, the charts, the feeds and downloads) runs there meanwhile, in a forked child:
fork, because the child then starts at once with the code and the loaded repository
already in memory, inherited rather than pickled (as the loader does,
smesa.repository). Where fork is unavailable the work is done in this process when its
result is asked for.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Forked(Generic[T]):
    """`function(*args)` running in a forked child; `result()` waits for its value (or
    raises its exception). `cancel()` stops a child whose result is no longer wanted."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._function = function
        self._args = args
        self._process: Any = None
        self._receive: Connection | None = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=self._run, args=(send,), daemon=True)
            self._process.start()
            send.close()  # the child holds the sending end now

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
            ok, value = self._receive.recv()
        except EOFError:
            raise RuntimeError(f"{self._function.__name__} died in its child process") from None
        finally:
            self._receive.close()
            self._receive = None
            self._process.join()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()
        if self._receive is not None:
            self._receive.close()
            self._receive = None
