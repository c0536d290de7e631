"""Run torch work on a thread of its own, so its OpenMP team ends with the call.

The embedded llama.cpp (xllamacpp) and torch both parallelise with GNU OpenMP, and the
process loads one `libgomp` for both. libgomp keeps every thread team it ever started, and
once the threads it manages outnumber the cores it stops spinning at barriers
(`gomp_throttled_spin_count_var`: 100 spins, then a futex sleep). llama.cpp meets a
barrier at every layer of every token, so after MiniLM or the claim check had run once on
a long-lived thread (torch's team of 2 plus llama.cpp's team of 2 on a 2-core machine),
2-thread decode ran at 25.4 tok/s against 37.6 with llama.cpp alone in the process, for
the rest of the process (`benchmarks/openmp_team.py`, 5 reps, quiet machine). A team
belongs to the thread that started it and is freed when that thread exits, so torch work
run here leaves nothing behind.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def run_with_own_team(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` on a new thread that exits when it returns; its result or
    exception comes back to the caller. The thread start is small against a model call
    (benchmarks/openmp_team.py: embedding 256 sentences so was not slower)."""
    outcome: list[T] = []
    failure: list[BaseException] = []
    context = contextvars.copy_context()

    def target() -> None:
        try:
            outcome.append(context.run(fn, *args, **kwargs))
        except BaseException as exc:  # re-raised in the caller's thread below
            failure.append(exc)

    thread = threading.Thread(target=target, name="lyceum-openmp-team", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
