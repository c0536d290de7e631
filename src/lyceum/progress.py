"""Progress events: what long work tells a front end while it runs.

A library function that takes time (a research run, a data pipeline, an ingest) takes
`progress: ProgressCallback | None` and calls it with `ProgressEvent`s; it never draws
anything. The CLI renders them (`lyceum.cli.progress`: a bar per task on a terminal, lines
when stderr is piped), the server streams them, a test collects them in a list.

Counted work uses three kinds, each naming its `task`: "start" (with `total`, None while
unknown; a second "start" of the same task sets the total it learned), "advance" (`n` more
done; `message` a note such as the current file) and "finish" (`message` a note such as
"reused"). A feature adds kinds of its own (research's are listed in
`lyceum.research.progress.EventKind`) and carries their content in `message` and `data`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from pydantic import BaseModel, Field


class ProgressEvent(BaseModel):
    """One thing that happened while work runs."""

    kind: str
    message: str = ""
    data: dict[str, Any] = Field(default_factory=dict)
    task: str = Field(default="", description="The counted work a start/advance/finish is of.")
    total: int | None = Field(default=None, description="On start: how many there are.")
    n: int = Field(default=0, description="On advance: how many more are done.")


ProgressCallback = Callable[[ProgressEvent], None]


def ignore_progress(_event: ProgressEvent) -> None:
    """The default callback: drop events."""


def start(task: str, total: int | None) -> ProgressEvent:
    return ProgressEvent(kind="start", task=task, total=total)


def advance(task: str, n: int = 1, message: str = "") -> ProgressEvent:
    return ProgressEvent(kind="advance", task=task, n=n, message=message)


def finish(task: str, message: str = "", total: int | None = None) -> ProgressEvent:
    return ProgressEvent(kind="finish", task=task, message=message, total=total)


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
