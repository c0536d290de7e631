"""Consoles for command output: fitted to a terminal, unbounded when piped.

A pipe has no width to fit, so rich's default of 80 columns would cut table cells to
`4967…` and wrap long lines (a hint's command among them) mid-word. Piped, a console is
as wide as its longest line and never wraps, so what a script reads is the full value.
"""

from __future__ import annotations

import sys

from rich.console import Console

PIPE_WIDTH = 10_000


def is_piped(stderr: bool = False) -> bool:
    stream = sys.stderr if stderr else sys.stdout
    isatty = getattr(stream, "isatty", None)
    return not (isatty is not None and isatty())


def console(stderr: bool = False) -> Console:
    """A console for stdout (or stderr), made when output is printed so it sees the stream
    the command runs with (a test runner's, a pipe, a terminal)."""
    if is_piped(stderr):
        return Console(stderr=stderr, width=PIPE_WIDTH, soft_wrap=True, highlight=False)
    return Console(stderr=stderr, highlight=False)


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 cluster`, `2 clusters`: the count and the word in the right number."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
