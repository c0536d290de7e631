"""What each step did: documents in and out, tokens, drops by reason, errors by kind.

A step's batch function returns a `BatchResult` (kept records plus a `Drop` for every record it
removed); a `StepReport` folds batches into a `StepStats` and can log each drop to a file, so
every removed document has a recorded reason.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, Field

from lyceum.data.records import Record

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """Word-level token count (words and punctuation marks), a tokenizer-free proxy."""
    return len(_TOKEN_RE.findall(text))


class TextSink(Protocol):
    """Where drop and error lines go: an open text file, or anything with `write(str)`."""

    def write(self, text: str, /) -> int: ...


@dataclass(frozen=True)
class Drop:
    """A record a step removed, and why. `reason` is a short stable code ("too_short")."""

    id: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class SourceError:
    """An input that could not be read (corrupt archive, undecodable file); never fatal."""

    source: str
    kind: str
    message: str


@dataclass
class BatchResult:
    """The output of one step over one batch of records."""

    records: list[Record] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    docs_in: int = 0
    sources: int = 0


class StepStats(BaseModel):
    """Counters for one pipeline step."""

    step: str
    docs_in: int = 0
    docs_out: int = 0
    tokens_out: int = 0
    chars_out: int = 0
    dropped: dict[str, int] = Field(default_factory=dict, description="Drops by reason.")
    errors: dict[str, int] = Field(
        default_factory=dict, description="Unreadable inputs by kind (corrupt_archive, ...)."
    )
    details: dict[str, Any] = Field(
        default_factory=dict, description="Step-specific figures (duplicate rate, clusters...)."
    )
    seconds: float = 0.0

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())


class StepReport:
    """Accumulates a step's counters; writes each drop and error as a JSON line if given files."""

    def __init__(
        self,
        step: str,
        *,
        drops_file: TextSink | None = None,
        errors_file: TextSink | None = None,
        count_tokens: bool = True,
    ) -> None:
        self.step = step
        self._drops_file = drops_file
        self._errors_file = errors_file
        self._count_tokens = count_tokens
        self._dropped: Counter[str] = Counter()
        self._errors: Counter[str] = Counter()
        self.docs_in = 0
        self.docs_out = 0
        self.tokens_out = 0
        self.chars_out = 0
        self.details: dict[str, Any] = {}

    def add_input(self, n: int = 1) -> None:
        self.docs_in += n

    def add_output(self, record: Record) -> None:
        self.add_output_text(record.text)

    def add_output_text(self, text: str) -> None:
        self.docs_out += 1
        self.chars_out += len(text)
        if self._count_tokens:
            self.tokens_out += count_tokens(text)

    def add_drop(self, drop: Drop) -> None:
        self._dropped[drop.reason] += 1
        if self._drops_file is not None:
            row = {"id": drop.id, "step": self.step, "reason": drop.reason}
            if drop.detail:
                row["detail"] = drop.detail
            self._drops_file.write(json.dumps(row, ensure_ascii=False) + "\n")

    def add_error(self, error: SourceError) -> None:
        self._errors[error.kind] += 1
        if self._errors_file is not None:
            row = {"source": error.source, "kind": error.kind, "message": error.message}
            self._errors_file.write(json.dumps(row, ensure_ascii=False) + "\n")

    def add_batch(self, result: BatchResult) -> list[Record]:
        """Count a batch's input, drops and errors; the caller counts outputs as it writes them."""
        self.add_input(result.docs_in)
        for drop in result.drops:
            self.add_drop(drop)
        for error in result.errors:
            self.add_error(error)
        return result.records

    def stats(self, seconds: float = 0.0) -> StepStats:
        return StepStats(
            step=self.step,
            docs_in=self.docs_in,
            docs_out=self.docs_out,
            tokens_out=self.tokens_out,
            chars_out=self.chars_out,
            dropped=dict(self._dropped),
            errors=dict(self._errors),
            details=dict(self.details),
            seconds=round(seconds, 3),
        )
