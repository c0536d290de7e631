"""Batches and the process pool that maps a batch function over them, in order, in bounded memory.

`map_batches(fn, batches, workers)` keeps at most `2 * workers` batches in flight, so a
stream of any length passes through a pool without being read ahead into memory.
`fn` must be a module-level function (or a `functools.partial` of one): workers are started
with the forkserver method and import it by name.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PRELOAD = ("numpy", "lyceum.data.records", "lyceum.data.minhash", "lyceum.data.dedup_index")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    # fork would copy whatever threads the parent runs (progress bars, Ray); forkserver starts
    # workers from a clean single-threaded server instead.
    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has already imported these, so they start in milliseconds.
    ctx.set_forkserver_preload(list(_PRELOAD))
    return ctx


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers start from a forkserver with the data modules preloaded."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context())


def map_batches(
    fn: Callable[[T], R],
    batches: Iterable[T],
    *,
    workers: int = 1,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[R]:
    """Yield `fn(batch)` for each batch, in input order; runs in-process when workers <= 1.
    Uses `pool` if given (left open for the next call), else a pool of its own."""
    if workers <= 1:
        for batch in batches:
            yield fn(batch)
        return
    own = pool is None
    active = process_pool(workers) if pool is None else pool
    pending: deque[Future[R]] = deque()
    try:
        for batch in batches:
            pending.append(active.submit(fn, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # On an error or Ctrl-C (or the consumer stopping early) queued batches are dropped
        # rather than computed for nobody.
        for future in pending:
            future.cancel()
        if own:
            active.shutdown(wait=True, cancel_futures=True)
