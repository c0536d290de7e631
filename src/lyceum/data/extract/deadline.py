"""A per-document time limit for parsing (PDF, LaTeX): a crafted file must not hold a
reader for ever.

Parsers are checked cooperatively (`Deadline.check` between pages and sections); on the
main thread of a POSIX process (the data pipeline's worker processes, the CLI) a real-time
timer also interrupts a parser stuck inside one page or section. A timer already set by
someone else (pytest-timeout, an outer limit) is left alone and only the checks apply.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from lyceum.data.extract.document import ExtractionError

PARSE_SECONDS = 60.0
"""Default time limit for parsing one document."""


class ExtractionTimeout(ExtractionError):
    """Parsing one document took longer than its time limit."""


class Deadline:
    def __init__(self, seconds: float, name: str) -> None:
        self.seconds = seconds
        self.name = name
        self.end = time.monotonic() + seconds

    def error(self) -> ExtractionTimeout:
        return ExtractionTimeout(
            f"{self.name or 'input'}: parsing took longer than {self.seconds:g}s",
            hint="The file may be crafted to be slow to parse; it was skipped.",
        )

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise self.error()


def _can_use_timer() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


@contextmanager
def time_limit(seconds: float, name: str = "") -> Iterator[Deadline]:
    """A `Deadline` for the block; on the main thread, a timer that raises
    `ExtractionTimeout` inside the block when it passes."""
    deadline = Deadline(seconds, name)
    if seconds <= 0 or not _can_use_timer():
        yield deadline
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise deadline.error()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
