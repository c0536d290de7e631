"""Reading JSONL: one JSON object per line, blank lines ignored, and one policy for a bad line.

A bad line (not JSON, not UTF-8, or not an object) is an error naming the file and line
(`JsonlError`, or the caller's own `LyceumError` subclass), unless the caller passes a
`SkippedLines`: then the line is skipped and counted there, so the caller can report how
many it lost. `scan_jsonl` yields the bad lines themselves, for a caller that reports each
one in its own stream (the data pipeline's per-row errors).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lyceum.errors import LyceumError


class JsonlError(LyceumError):
    """A line of a JSONL file is not a JSON object."""


@dataclass(frozen=True)
class JsonlRow:
    """One good line: its 1-based number and its object."""

    line: int
    value: dict[str, Any]


@dataclass(frozen=True)
class BadLine:
    """One line that is not a JSON object, and why."""

    line: int
    problem: str


@dataclass
class SkippedLines:
    """The bad lines a reader skipped because its caller asked it to."""

    count: int = 0
    first: list[str] = field(default_factory=list)
    """`file:line: problem` of the first few, for a message."""

    def add(self, where: str) -> None:
        self.count += 1
        if len(self.first) < 5:
            self.first.append(where)


def scan_jsonl(
    lines: Iterable[str | bytes], *, errors: str = "strict"
) -> Iterator[JsonlRow | BadLine]:
    """Every non-blank line, good or bad, in order. `errors` is how bytes that are not
    UTF-8 are decoded ("strict": the line is bad; "replace": they become U+FFFD)."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8", errors=errors) if isinstance(raw, bytes) else raw
            value = json.loads(text)
        except UnicodeDecodeError as exc:
            yield BadLine(number, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        except json.JSONDecodeError as exc:
            yield BadLine(number, f"invalid JSON ({exc.msg})")
            continue
        if not isinstance(value, dict):
            yield BadLine(number, f"not a JSON object (a JSON {type(value).__name__})")
            continue
        yield JsonlRow(number, value)


def parse_jsonl(
    lines: Iterable[str | bytes],
    name: str,
    *,
    skipped: SkippedLines | None = None,
    error: type[LyceumError] = JsonlError,
    hint: str = "",
    errors: str = "strict",
) -> Iterator[JsonlRow]:
    """The objects of JSONL `lines` read from `name`. A bad line raises `error`
    ("name:line: problem", with `hint`), or is counted in `skipped` when given."""
    for item in scan_jsonl(lines, errors=errors):
        if isinstance(item, JsonlRow):
            yield item
            continue
        where = f"{name}:{item.line}: {item.problem}"
        if skipped is None:
            raise error(where, hint=hint)
        skipped.add(where)


def read_jsonl(
    path: Path | str,
    *,
    skipped: SkippedLines | None = None,
    error: type[LyceumError] = JsonlError,
    hint: str = "",
    errors: str = "strict",
) -> Iterator[JsonlRow]:
    """The objects of the JSONL file at `path`, streamed (see `parse_jsonl`)."""
    with Path(path).open("rb") as fh:
        yield from parse_jsonl(
            fh, str(path), skipped=skipped, error=error, hint=hint, errors=errors
        )
