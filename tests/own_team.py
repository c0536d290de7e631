"""For tests that torch work ran on a thread that has ended (lyceum.llm.backends.openmp_team)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def threads_of(obj: Any, method: str, call: Callable[[], Any]) -> list[threading.Thread]:
    """Run `call()` with `obj.method` wrapped to record the thread each call of it runs on."""
    threads: list[threading.Thread] = []
    real = getattr(obj, method)

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    setattr(obj, method, recording)
    try:
        call()
    finally:
        delattr(obj, method)
    return threads


def ran_on_ended_threads(threads: list[threading.Thread]) -> bool:
    return bool(threads) and all(
        t is not threading.current_thread() and not t.is_alive() for t in threads
    )
