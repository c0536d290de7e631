"""The ReAct agent (`lyceum.agents.run_react`) as a lab method."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from lyceum.lab.datasets.base import Example
from lyceum.lab.methods.base import MethodEnv, MethodParams, method
from lyceum.lab.methods.extraction import extract_answer
from lyceum.lab.outputs import AgentStats, MethodOutput, TraceStep
from lyceum.llm.model import Model
from lyceum.llm.types import GenerateParams


class ReactParams(MethodParams):
    tools: list[str | dict[str, Any]] = Field(
        default_factory=lambda: list[str | dict[str, Any]](["calculator"]),
        description="Tool names, or {name: ..., **options}, from lyceum.agents' registry.",
    )
    max_iterations: int = Field(default=6, ge=1, le=50, description="Most model calls.")
    mode: Literal["auto", "native", "json", "text"] = Field(
        default="auto", description="Native tool calls where supported, else a text protocol."
    )
    use_context: bool = Field(default=True, description="Put the example's context in the task.")

    @field_validator("tools")
    @classmethod
    def _registered(cls, value: list[str | dict[str, Any]]) -> list[str | dict[str, Any]]:
        from lyceum.agents import tool_names

        known = set(tool_names())
        names = [t if isinstance(t, str) else t.get("name") for t in value]
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ValueError(f"unknown tools {unknown}; registered: {sorted(known)}")
        return value


@method("react", params=ReactParams)
class React:
    """ReAct agent: Thought/Action/Observation with tools until a final answer."""

    def __init__(self, params: ReactParams, env: MethodEnv) -> None:
        self.params = params
        self.tools = list(env.agent_tools) if env.agent_tools is not None else params.tools
        self.settings = env.settings

    async def solve(self, example: Example, model: Model) -> MethodOutput:
        from lyceum.agents import run_react

        task = example.question
        if self.params.use_context and example.context:
            task = f"Context: {example.context}\n\nQuestion: {example.question}"
        result = await run_react(
            model,
            task,
            tools=self.tools,
            max_iterations=self.params.max_iterations,
            mode=self.params.mode,
            params=GenerateParams(max_tokens=self.params.max_tokens),
            settings=self.settings,
        )
        steps = [
            TraceStep(
                kind="agent_step",
                content=step.thought,
                detail=step.model_dump(mode="json", exclude={"thought"}),
            )
            for step in result.steps
        ]
        return MethodOutput(
            prediction=extract_answer(result.answer) if result.answer else "",
            raw_output=result.answer,
            agent=AgentStats(
                status=result.status,
                iterations=result.iterations,
                tool_calls=result.tool_calls,
                tool_errors=result.tool_errors,
            ),
            trace=steps,
        )
