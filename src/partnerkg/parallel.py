"""Work made in worker processes, its results given back in order.

A stage that makes one result per source document or country (read, cluster, map, reason) runs
the same pure function over many inputs, each on its own: the machine's other core can make
every second one. Workers are forked, so they start with what the build holds (the rows, the rules) without
pickling it; only each result comes back through a pipe. Below ``AT_LEAST`` inputs, or on one
core, everything is made in this process, as before.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")

AT_LEAST = 8  # inputs to make before worker processes are started (each costs a fork)
_TASK: tuple[Callable, Sequence[tuple]] | None = None  # what forked workers make: set before they start


def workers() -> int:
    """The worker processes a stage may start: the cores this process may run on.

    >>> workers() >= 1
    True
    """
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def made_in_order(make: Callable[..., T], arguments: Sequence[tuple], processes: int | None = None,
                  sizes: Sequence[int] = (), ahead: int = 0) -> Iterator[T]:
    """``make(*a)`` for each ``a`` of ``arguments``, in their order, made ahead by ``processes``
    forked workers (``workers()`` by default): two each ahead of the one given back, and more
    while the ``sizes`` of those ahead (one for each of ``arguments``: rows, say) add up to no more
    than ``ahead``, so that workers go on while the caller does something else with a result (a
    store loads it) and the results waiting stay few.

    ``make`` must be a module's function: a worker finds it and its arguments in what it was
    forked with, so neither is pickled; its result is.

    >>> list(made_in_order(pow, [(2, 3), (3, 2)]))
    [8, 9]
    """
    processes = workers() if processes is None else processes
    if processes < 2 or len(arguments) < AT_LEAST or "fork" not in multiprocessing.get_all_start_methods():
        yield from (make(*one) for one in arguments)
        return
    global _TASK
    _TASK = (make, arguments)  # (the workers are forked at the first submit, after this)
    sizes = sizes or [0] * len(arguments)
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
    try:
        waiting: deque = deque()  # (future, its size)
        waiting_size = 0
        for index in range(len(arguments)):
            while len(waiting) > 2 * processes and not 0 < waiting_size + sizes[index] <= ahead:
                future, size = waiting.popleft()
                waiting_size -= size
                yield future.result()
            waiting.append((pool.submit(_made_at, index), sizes[index]))
            waiting_size += sizes[index]
        while waiting:
            yield waiting.popleft()[0].result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _TASK = None


def _made_at(index: int):
    make, arguments = _TASK
    return make(*arguments[index])


__all__ = ["AT_LEAST", "made_in_order", "workers"]
