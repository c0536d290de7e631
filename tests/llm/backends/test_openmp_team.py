"""Torch work on a thread of its own, so its OpenMP team ends with the call."""

from __future__ import annotations

import contextvars
import threading

import pytest

from lyceum.llm.backends.openmp_team import run_with_own_team

_REQUEST = contextvars.ContextVar("request", default="none")


def test_the_call_runs_on_a_thread_that_has_ended_when_it_returns() -> None:
    def where(x: int, *, y: int) -> tuple[threading.Thread, int]:
        return threading.current_thread(), x + y

    thread, total = run_with_own_team(where, 2, y=3)
    assert total == 5
    assert thread is not threading.current_thread() and not thread.is_alive()


def test_an_exception_reaches_the_caller_as_raised() -> None:
    def fail() -> None:
        raise ValueError("bad batch")

    with pytest.raises(ValueError, match="bad batch"):
        run_with_own_team(fail)


def test_the_caller_s_context_variables_are_seen() -> None:
    token = _REQUEST.set("q07")
    try:
        assert run_with_own_team(_REQUEST.get) == "q07"
    finally:
        _REQUEST.reset(token)
