"""Progress events a research run emits, for the CLI's live view and the server's stream.

`run_research(..., progress=callback)` calls `callback(event)` for every event; a
`ProgressQueue` is such a callback that can also be read as an async iterator, so a server
can stream events while the run goes on in another task. The event type is the one every
feature uses (`lyceum.progress`); `EventKind` lists the kinds a research run emits.
"""

from __future__ import annotations

from typing import Literal

from lyceum.progress import ProgressCallback, ProgressEvent, ProgressQueue, ignore_progress

__all__ = ["EventKind", "ProgressCallback", "ProgressEvent", "ProgressQueue", "ignore_progress"]

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
