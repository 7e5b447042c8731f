"""Seeds run side by side in local processes.

The runs of an ensemble share nothing: each depends only on its scenario and its seed (the
draws are a function of the seed, not of a generator passed along), so running them in
several processes gives the same results as running them one after the other, in less time
where there are idle cores. One run at 100,000 households keeps one core busy (the serial
kernels); two such runs side by side on two cores take about as long as one.

Workers are fresh interpreters (the "spawn" start method: no state, and no threads of the
parent, carried into them), each loading the kernels from numba's cache. A script that asks
for workers must therefore guard its own top level with `if __name__ == "__main__":`, as
with any use of multiprocessing; the `smychka` command does.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from ..errors import InputError


def every_core() -> int:
    """The cores of this machine that this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on every platform
        return os.cpu_count() or 1


def worker_count(workers: int | None, tasks: int, key: str = "workers") -> int:
    """Processes to use for `tasks` independent runs: `workers` (None: 1), at most `tasks`.
    A value that is not a count >= 1 is an InputError under `key`."""
    if workers is None:
        return 1
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)):
        raise InputError(key, f"{workers!r} is not a number of processes", "an integer >= 1")
    if workers < 1:
        raise InputError(key, f"{workers} processes", "1 or more")
    return max(1, min(int(workers), int(tasks)))


def kernels_for(parallel: bool | None, workers: int) -> bool | None:
    """The kernels each worker should use: as asked, except that with no core to spare for
    a second thread the serial kernels are taken (the results are the same either way)."""
    if parallel is None and every_core() // workers <= 1:
        return False
    return parallel


def _start_worker(threads: int) -> None:
    # Ctrl-C is the caller's to handle: it stops the pool, and the workers with it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import numba

    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))


_SHARED: dict = {}   # the pool of the enclosing `shared_workers` block, and its size


def _new_pool(workers: int):
    threads = max(1, every_core() // workers)
    return multiprocessing.get_context("spawn").Pool(workers, initializer=_start_worker,
                                                     initargs=(threads,))


@contextmanager
def shared_workers(workers: int | None) -> Iterator[None]:
    """Within the block, every `map_seeds` asking for at most `workers` processes uses one
    pool, started once: for many small ensembles one after the other (a search evaluates
    hundreds), where starting fresh interpreters for each would cost more than it saves."""
    n = worker_count(workers, workers or 1)
    if n <= 1 or _SHARED:
        yield
        return
    with _new_pool(n) as pool:
        _SHARED.update(pool=pool, size=n)
        try:
            yield
        finally:
            _SHARED.clear()


def map_seeds(job: Callable, seeds: Sequence[int], workers: int,
              done: Callable[[], None] = lambda: None) -> list:
    """[job(seed) for seed in seeds], in that order, computed in `workers` processes; `done`
    is called in this process as each seed finishes. `job` must be picklable (a function of
    a module, or a functools.partial of one).

    A seed is handed to a worker only when one is free, so that on the first error in a
    worker (raised here) or on Ctrl-C no further run starts, and the workers are stopped
    (those of a `shared_workers` block when the error leaves it)."""
    if _SHARED and _SHARED["size"] >= workers:
        return _hand_out(_SHARED["pool"], job, seeds, workers, done)
    with _new_pool(workers) as pool:   # leaving the block terminates the pool
        return _hand_out(pool, job, seeds, workers, done)


def _hand_out(pool, job: Callable, seeds: Sequence[int], workers: int,
              done: Callable[[], None]) -> list:
    """`map_seeds` on a pool, at most `workers` seeds at a time."""
    finished: queue.SimpleQueue = queue.SimpleQueue()
    results: list = [None] * len(seeds)
    todo = iter(enumerate(seeds))

    def hand_out() -> int:
        nxt = next(todo, None)
        if nxt is None:
            return 0
        k, seed = nxt
        pool.apply_async(job, (seed,), callback=lambda r, k=k: finished.put((k, r, None)),
                         error_callback=lambda e, k=k: finished.put((k, None, e)))
        return 1

    running = sum(hand_out() for _ in range(workers))
    while running:
        k, result, error = finished.get()
        if error is not None:
            raise error
        results[k] = result
        done()
        running += hand_out() - 1
    return results
