"""Progress events a research run emits, for the CLI's live view and the server's stream.

`run_research(..., progress=callback)` calls `callback(event)` for every event; a
`ProgressQueue` is such a callback that can also be read as an async iterator, so a server
can stream events while the run goes on in another task.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

EventKind = Literal[
    "run",  # started or resumed
    "phase",  # a phase began
    "plan",  # the plan (sub-questions and queries)
    "worker",  # a worker started or finished a sub-question
    "query",  # a search ran
    "passage",  # a passage was read
    "skipped",  # a passage was not read: it does not bear on the question
    "note",  # evidence notes were taken
    "gap",  # the analyst found gaps and follow-ups
    "section",  # a section was drafted
    "verdict",  # a cited sentence was checked
    "usage",  # tokens and cost so far
    "problem",  # a step degraded and the run went on
    "artifact",  # a file was written
    "done",
]


class ProgressEvent(BaseModel):
    kind: EventKind
    message: str = ""
    data: dict[str, Any] = Field(default_factory=dict)


ProgressCallback = Callable[[ProgressEvent], None]


def ignore_progress(_event: ProgressEvent) -> None:
    """The default callback: drop events."""


class ProgressQueue:
    """A progress callback whose events can be consumed with `async for`.

    The iterator ends after the "done" event, or after `close()`.
    """

    def __init__(self) -> None:
        self._queue: asyncio.Queue[ProgressEvent | None] = asyncio.Queue()

    def __call__(self, event: ProgressEvent) -> None:
        self._queue.put_nowait(event)
        if event.kind == "done":
            self._queue.put_nowait(None)

    def close(self) -> None:
        self._queue.put_nowait(None)

    async def __aiter__(self) -> AsyncIterator[ProgressEvent]:
        while True:
            event = await self._queue.get()
            if event is None:
                return
            yield event
