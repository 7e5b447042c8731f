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
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait

import numpy as np

from ..errors import InputError


def every_core() -> int:
    """The cores of this machine that this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on every platform
        return os.cpu_count() or 1


def worker_count(workers: int | None, tasks: int, key: str = "workers") -> int:
    """Processes to use for `tasks` independent runs: `workers` (None: 1), at most `tasks`."""
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


def _limit_threads(threads: int) -> None:
    import numba

    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))


def map_seeds(job: Callable, seeds: Sequence[int], workers: int,
              done: Callable[[], None] = lambda: None) -> list:
    """[job(seed) for seed in seeds], in that order, computed in `workers` processes; `done`
    is called in this process as each seed finishes. `job` must be picklable (a function of
    a module, or a functools.partial of one). The first error in a worker is raised here,
    and the runs not yet started are dropped."""
    threads = max(1, every_core() // workers)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_limit_threads,
                             initargs=(threads,)) as pool:
        futures = {pool.submit(job, s): k for k, s in enumerate(seeds)}
        results: list = [None] * len(seeds)
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for f in finished:
                if f.exception() is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise f.exception()
                results[futures[f]] = f.result()
                done()
    return results
