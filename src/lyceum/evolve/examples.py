"""Candidate examples and batch files (JSONL, one example per line).

A line needs `instruction`, `output`, `synthetic` (bool), `generation_depth` (int) and
`quality` (0-1). Optional: `id`, `kind` (`sft`, or `dpo` with a `rejected` output), `input`,
`source` and `source_run` (provenance).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lyceum.errors import LyceumError, NotFoundError
from lyceum.jsonl import BadLine, scan_jsonl


class BatchFormatError(LyceumError):
    """A batch file has lines that are not valid candidate examples."""


class CandidateExample(BaseModel):
    """One training example with its provenance."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default="", description="Stable id; derived from the content when empty.")
    kind: Literal["sft", "dpo"] = Field(default="sft", description="SFT pair or DPO triple.")
    instruction: str = Field(min_length=1, description="The prompt / question.")
    input: str = Field(default="", description="Optional extra input (context).")
    output: str = Field(min_length=1, description="The answer (the chosen one for DPO).")
    rejected: str | None = Field(default=None, description="The rejected answer (DPO only).")
    synthetic: bool = Field(description="Whether a model wrote the output.")
    generation_depth: int = Field(ge=0, description="0 human, 1 model, 2 model-on-outputs.")
    quality: float = Field(ge=0, le=1, description="Judge or claim-checker score.")
    source: str = Field(default="", description="research | lab | human | ...")
    source_run: str = Field(default="", description="Run the example came from.")

    @model_validator(mode="after")
    def _dpo_has_rejected(self) -> CandidateExample:
        if self.kind == "dpo" and not self.rejected:
            raise ValueError("a dpo example needs a non-empty 'rejected'")
        if not self.id:
            digest = hashlib.sha256(
                json.dumps(
                    [self.kind, self.instruction, self.input, self.output, self.rejected]
                ).encode()
            ).hexdigest()
            self.id = digest[:16]
        return self

    def text(self) -> str:
        """What the diversity measure embeds."""
        return "\n".join(p for p in (self.instruction, self.input, self.output) if p)


def load_batch(path: Path) -> list[CandidateExample]:
    """Every example of a batch file; `BatchFormatError` naming each bad line."""
    if not path.exists():
        raise NotFoundError(f"no batch file {path}")
    examples: list[CandidateExample] = []
    problems: list[str] = []
    with path.open("rb") as lines:
        rows = list(scan_jsonl(lines))
    for row in rows:
        if isinstance(row, BadLine):
            problems.append(f"line {row.line}: {row.problem}")
            continue
        number = row.line
        try:
            examples.append(CandidateExample(**row.value))
        except ValidationError as exc:
            fields = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
                for e in exc.errors()
            )
            problems.append(f"line {number}: {fields}")
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BatchFormatError(
            f"{path} has {len(problems)} invalid line(s):\n  {shown}{more}",
            hint="Each line needs instruction, output, synthetic, generation_depth, quality.",
        )
    if not examples:
        raise BatchFormatError(f"{path} holds no examples")
    return examples


def write_batch(path: Path, examples: Iterable[CandidateExample]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for ex in examples:
            f.write(json.dumps(ex.model_dump(mode="json", exclude_none=True), ensure_ascii=False))
            f.write("\n")
            n += 1
    return n


def batch_id(path: Path) -> str:
    """Identity of a batch: sha256 of its bytes (16 hex digits)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def example_from_row(data: dict[str, Any]) -> CandidateExample:
    return CandidateExample(**data)
