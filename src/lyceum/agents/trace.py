"""What an agent run did, step by step: the result the lab scores and the trace the
self-improvement loop reads back (one JSON object per line)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from lyceum.errors import validation_problems
from lyceum.jsonl import JsonlError, read_jsonl
from lyceum.llm.types import Usage

AgentStatus = Literal["success", "stuck", "max_iterations", "error"]
AgentMode = Literal["native", "json", "text"]


class AgentStep(BaseModel):
    """One action the model took (or tried to take) and what came back."""

    iteration: int = Field(description="Which model call (0-based) produced this step.")
    thought: str = ""
    action: str | None = Field(
        default=None, description="Tool name, 'final_answer', or None when the reply was unusable."
    )
    args: dict[str, Any] = Field(default_factory=dict)
    observation: str | None = Field(default=None, description="What the model was shown back.")
    error: str | None = Field(
        default=None, description="Why the step failed (bad tool, bad arguments, bad format)."
    )
    model_output: str = Field(default="", description="The raw text of the model's reply.")
    latency_s: float = Field(default=0.0, description="Model call plus tool time of this step.")
    tool_latency_s: float = 0.0


class AgentResult(BaseModel):
    """The outcome of `run_react`."""

    task: str
    answer: str
    status: AgentStatus
    steps: list[AgentStep] = Field(default_factory=list)
    iterations: int = Field(default=0, description="Model calls of the loop itself.")
    tool_calls: int = Field(default=0, description="Tool calls attempted, failed ones included.")
    tool_errors: int = Field(default=0, description="Tool calls that ended in an error.")
    format_errors: int = Field(default=0, description="Replies that held no usable step.")
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float = 0.0
    latency_s: float = 0.0
    mode: AgentMode
    model: str = ""
    error: str | None = Field(default=None, description="The model error that ended the run.")

    @property
    def succeeded(self) -> bool:
        return self.status == "success"

    @property
    def tool_success_rate(self) -> float | None:
        if not self.tool_calls:
            return None
        return 1.0 - self.tool_errors / self.tool_calls


def write_traces(path: Path | str, results: Iterable[AgentResult], *, append: bool = True) -> int:
    """Write results as JSON lines (appending by default); returns how many were written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with target.open("a" if append else "w", encoding="utf-8") as out:
        for result in results:
            out.write(result.model_dump_json() + "\n")
            count += 1
    return count


def read_traces(path: Path | str) -> list[AgentResult]:
    """Read results written by `write_traces`; a malformed line is a `JsonlError` naming it."""
    results = []
    for row in read_jsonl(path):
        try:
            results.append(AgentResult.model_validate(row.value))
        except ValidationError as exc:
            problems = "; ".join(validation_problems(exc))
            raise JsonlError(f"{path}:{row.line}: not an agent trace line: {problems}") from None
    return results
