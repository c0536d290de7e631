"""Who is calling: the run and caller every call record is tagged with.

Features wrap their work in `call_context(run_id=..., caller="research.planner")`; the
gateway reads it when it records a call. A context variable follows asyncio tasks, so
parallel workers each keep their own caller without threading it through every function.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class CallContext:
    run_id: str | None = None
    caller: str = ""
    agent_step: bool = False


_current: ContextVar[CallContext] = ContextVar("lyceum_call_context", default=CallContext())  # noqa: B039 - frozen


def current_context() -> CallContext:
    return _current.get()


@contextmanager
def call_context(
    *, run_id: str | None = None, caller: str | None = None, agent_step: bool | None = None
) -> Iterator[CallContext]:
    """Tag every model call made inside this block. Unset arguments inherit the outer block."""
    outer = _current.get()
    ctx = replace(
        outer,
        run_id=run_id if run_id is not None else outer.run_id,
        caller=caller if caller is not None else outer.caller,
        agent_step=agent_step if agent_step is not None else outer.agent_step,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
