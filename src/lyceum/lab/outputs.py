"""What a method returns for one example, and what the runner stores beside it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

AgentStatus = Literal["success", "stuck", "max_iterations", "error"]


class TraceStep(BaseModel):
    """One step of a method's work: a model call, a retrieval, a tool call, a vote."""

    kind: str
    content: str = ""
    detail: dict[str, Any] = Field(default_factory=dict)


class AgentStats(BaseModel):
    """How an agent episode went, for the agent metrics."""

    status: AgentStatus
    iterations: int = 0
    tool_calls: int = 0
    tool_errors: int = 0


class MethodOutput(BaseModel):
    """A method's answer for one example.

    `prediction` is the extracted short answer the metrics score; `raw_output` the model's
    full final text; `passages` what retrieval put in front of the model (for faithfulness).
    """

    prediction: str
    raw_output: str = ""
    passages: list[str] = Field(default_factory=list)
    agent: AgentStats | None = None
    trace: list[TraceStep] = Field(default_factory=list)
