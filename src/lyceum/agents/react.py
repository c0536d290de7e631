"""The ReAct loop: think, act with a tool, observe, until an answer or a stop.

Three ways to ask the model for a step, chosen from its declared capabilities:
- `native`: the backend's own tool calling (`GenerateParams.tools`, `Completion.tool_calls`);
  a reply without tool calls is the answer.
- `json`: a JSON step object under a schema (see `protocol.step_schema`); the way to run a
  small local model, which keeps to a format reliably only under constrained decoding.
- `text`: the classic `Thought/Action/Observation` text, parsed leniently.

What the model gets wrong (unknown tool, bad arguments, a tool's `LyceumError` or
`ValueError`, an unusable reply) becomes an observation and the loop goes on; programming
errors propagate. The same action three times means the model is stuck; on a stuck or
exhausted run the model is asked once for its best answer from the trace.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any, Literal

from lyceum.agents.protocol import (
    FINAL_ACTION,
    Decision,
    ProposedAction,
    parse_json_step,
    parse_text_step,
    step_schema,
)
from lyceum.agents.tools import Tool, ToolRef, resolve_tools, tool_spec
from lyceum.agents.trace import AgentMode, AgentResult, AgentStatus, AgentStep
from lyceum.config import Settings
from lyceum.errors import LyceumError, ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import extract_json
from lyceum.llm.types import Completion, GenerateParams, Message, Usage
from lyceum.sources.untrusted import UNTRUSTED_INSTRUCTION, truncate

MAX_REPEATS = 3
TRANSCRIPT_OBSERVATION_CHARS = 800


@cache
def prompt(name: str) -> Template:
    """A prompt template from `lyceum/agents/prompts/<name>.txt`."""
    text = files("lyceum.agents").joinpath("prompts", f"{name}.txt").read_text(encoding="utf-8")
    return Template(text.strip())


def choose_mode(model: Model, mode: Literal["auto", "native", "json", "text"]) -> AgentMode:
    """`auto` picks a schema-constrained JSON step where the backend can constrain
    decoding, else native tool calls, else the text format.

    JSON first because it holds on every model that has it, while native tool calling
    on the embedded 0.5B model ran away into repeated tool-call text (see docs/features/agents.md).
    """
    if mode == "auto":
        if getattr(model, "supports_json_schema", False):
            return "json"
        if getattr(model, "supports_tools", False):
            return "native"
        return "text"
    if mode not in ("native", "json", "text"):
        raise ValueError(f"unknown agent mode {mode!r}; use auto, native, json or text")
    return mode


def render_tools(tools: Sequence[Tool]) -> str:
    """The tool list as the system prompt shows it."""
    lines = []
    for t in tools:
        lines.append(f"- {t.name}: {t.description}")
        required = set(t.parameters.get("required", []))
        for arg, schema in t.parameters.get("properties", {}).items():
            kind = schema.get("type", "any")
            need = "required" if arg in required else "optional"
            about = f": {schema['description']}" if schema.get("description") else ""
            lines.append(f"    {arg} ({kind}, {need}){about}")
    return "\n".join(lines)


def system_message(tools: Sequence[Tool], mode: AgentMode, instructions: str | None) -> str:
    return prompt("system").substitute(
        instructions=instructions or prompt("instructions").template,
        tools=render_tools(tools) or "(no tools)",
        protocol=prompt(f"protocol_{mode}").template,
        untrusted_instruction=UNTRUSTED_INSTRUCTION,
    )


async def run_react(
    model: Model,
    task: str,
    tools: Sequence[ToolRef],
    *,
    max_iterations: int = 8,
    system_prompt: str | None = None,
    mode: Literal["auto", "native", "json", "text"] = "auto",
    params: GenerateParams | None = None,
    max_observation_chars: int = 3000,
    settings: Settings | None = None,
) -> AgentResult:
    """Run the ReAct loop on `task` with `tools` (Tool objects, registered names, or
    `{"name": ..., **options}`).

    `system_prompt` replaces the opening instructions; the tool list and the step format
    are always appended, since the loop depends on them. Every model call is tagged
    `caller="agents.react", agent_step=True`. Tools named by string or mapping that read
    the workspace (the search tools) read `settings`' (None: the default workspace's).
    """
    if not task.strip():
        raise ValueError("the agent's task is empty")
    if max_iterations < 1:
        raise ValueError(f"max_iterations must be at least 1, got {max_iterations}")
    toolset = resolve_tools(tools, settings=settings)
    if any(t.name == FINAL_ACTION for t in toolset):
        raise ValueError(f"{FINAL_ACTION!r} is reserved for the answer; rename that tool")
    run = _Run(
        model=model,
        task=task,
        tools=toolset,
        mode=choose_mode(model, mode),
        instructions=system_prompt,
        params=params or GenerateParams(),
        max_observation_chars=max_observation_chars,
    )
    with call_context(caller="agents.react", agent_step=True):
        return await run.execute(max_iterations)


class _Run:
    def __init__(
        self,
        *,
        model: Model,
        task: str,
        tools: list[Tool],
        mode: AgentMode,
        instructions: str | None,
        params: GenerateParams,
        max_observation_chars: int,
    ) -> None:
        self.model = model
        self.task = task
        self.tools = {t.name: t for t in tools}
        self.mode = mode
        self.max_observation_chars = max_observation_chars
        self.messages = [
            Message.system(system_message(tools, mode, instructions)),
            Message.user(f"Task: {task}" if mode != "native" else task),
        ]
        self.params = self._step_params(params, tools)
        self.steps: list[AgentStep] = []
        self.seen: Counter[str] = Counter()
        self.usage = Usage()
        self.cost = 0.0
        self.iterations = 0
        self.tool_calls = 0
        self.tool_errors = 0
        self.format_errors = 0
        self.started = time.perf_counter()

    def _step_params(self, base: GenerateParams, tools: list[Tool]) -> GenerateParams:
        if self.mode == "native":
            return base.model_copy(update={"tools": tuple(tool_spec(t) for t in tools)})
        if self.mode == "json":
            return base.model_copy(update={"json_schema": step_schema(tools), "tools": ()})
        return base.model_copy(
            update={"stop": (*base.stop, "\nObservation:", "Observation:"), "tools": ()}
        )

    async def execute(self, max_iterations: int) -> AgentResult:
        for iteration in range(max_iterations):
            started = time.perf_counter()
            try:
                completion = await self._generate(self.messages, self.params)
            except ModelError as exc:
                return self._result("error", "", error=f"{type(exc).__name__}: {exc}")
            self.iterations += 1
            decision = self._decide(completion)
            model_latency = time.perf_counter() - started
            if decision.final_answer is not None:
                self.steps.append(
                    AgentStep(
                        iteration=iteration,
                        thought=decision.thought,
                        action=FINAL_ACTION,
                        args={"answer": decision.final_answer},
                        model_output=completion.text,
                        latency_s=model_latency,
                    )
                )
                return self._result("success", decision.final_answer)
            if decision.error is not None:
                self._record_format_error(iteration, decision, completion, model_latency)
                continue
            self._append_assistant(completion)
            for position, action in enumerate(decision.actions):
                key = _action_key(action)
                if self.seen[key] >= MAX_REPEATS - 1:
                    self.steps.append(
                        AgentStep(
                            iteration=iteration,
                            thought=decision.thought,
                            action=action.name,
                            args=action.args,
                            error=f"the same action was proposed {MAX_REPEATS} times",
                            model_output=completion.text,
                            latency_s=model_latency if position == 0 else 0.0,
                        )
                    )
                    return await self._stop("stuck", "it repeated the same action")
                self.seen[key] += 1
                step = await self._act(iteration, decision.thought, action, completion.text)
                step.latency_s += model_latency if position == 0 else 0.0
                self.steps.append(step)
        return await self._stop("max_iterations", f"it used all {max_iterations} steps")

    async def _generate(self, messages: list[Message], params: GenerateParams) -> Completion:
        completion = await self.model.generate(messages, params)
        self.usage = self.usage + completion.usage
        self.cost += completion.cost_usd
        return completion

    def _decide(self, completion: Completion) -> Decision:
        if self.mode == "native":
            if completion.tool_calls:
                return Decision(
                    thought=completion.text.strip(),
                    actions=[
                        ProposedAction(call.name, dict(call.arguments), call.id)
                        for call in completion.tool_calls
                    ],
                )
            text = completion.text.strip()
            if not text:
                return Decision(error="the reply was empty: call a tool or give the answer")
            parsed = parse_text_step(text, self.tools)
            if parsed.actions and parsed.actions[0].name in self.tools:
                return parsed
            if parsed.final_answer is not None:
                return parsed
            return Decision(final_answer=text)
        if self.mode == "json":
            decision = parse_json_step(completion.text, self.tools)
            if decision.error is None:
                return decision
            fallback = parse_text_step(completion.text, self.tools)
            return fallback if fallback.error is None else decision
        return parse_text_step(completion.text, self.tools)

    async def _act(
        self, iteration: int, thought: str, action: ProposedAction, raw: str
    ) -> AgentStep:
        self.tool_calls += 1
        started = time.perf_counter()
        error: str | None = None
        tool = self.tools.get(action.name)
        if tool is None:
            error = f"unknown tool {action.name!r}; available tools: {', '.join(self.tools)}"
        else:
            try:
                output = await tool.run(action.args)
            except (LyceumError, ValueError) as exc:
                error = str(exc) or type(exc).__name__
        tool_latency = time.perf_counter() - started
        if error is not None:
            self.tool_errors += 1
            observation = f"Error: {error}"
        else:
            observation = truncate(output, self.max_observation_chars)
        self._append_observation(action, observation)
        return AgentStep(
            iteration=iteration,
            thought=thought,
            action=action.name,
            args=action.args,
            observation=observation,
            error=error,
            model_output=raw,
            latency_s=tool_latency,
            tool_latency_s=tool_latency,
        )

    def _record_format_error(
        self, iteration: int, decision: Decision, completion: Completion, latency: float
    ) -> None:
        assert decision.error is not None
        self.format_errors += 1
        self.steps.append(
            AgentStep(
                iteration=iteration,
                thought=decision.thought,
                error=decision.error,
                model_output=completion.text,
                latency_s=latency,
            )
        )
        correction = prompt("format_error").substitute(
            error=decision.error, protocol=prompt(f"protocol_{self.mode}").template
        )
        self.messages.append(Message.assistant(completion.text))
        self.messages.append(Message.user(correction))

    def _append_assistant(self, completion: Completion) -> None:
        if self.mode == "native" and completion.tool_calls:
            self.messages.append(Message.assistant(completion.text, completion.tool_calls))
        else:
            self.messages.append(Message.assistant(completion.text.strip()))

    def _append_observation(self, action: ProposedAction, observation: str) -> None:
        if self.mode == "native" and action.call_id is not None:
            self.messages.append(Message.tool(observation, action.call_id, name=action.name))
        else:
            self.messages.append(
                Message.user(prompt("observation").substitute(observation=observation))
            )

    async def _stop(self, status: AgentStatus, reason: str) -> AgentResult:
        """End early with the model's best answer from the trace so far."""
        messages = [
            Message.system(
                prompt("final_answer").substitute(
                    reason=reason, untrusted_instruction=UNTRUSTED_INSTRUCTION
                )
            ),
            Message.user(
                prompt("final_answer_user").substitute(
                    task=self.task, transcript=self._transcript() or "(no steps)"
                )
            ),
        ]
        # Plain text, not a schema: under a {"answer": ...} grammar the 0.5B model closed
        # the string at once ("") where unconstrained it wrote the right number.
        params = self.params.model_copy(update={"tools": (), "stop": (), "json_schema": None})
        try:
            completion = await self._generate(messages, params)
        except ModelError as exc:
            return self._result(status, "", error=f"final answer failed: {exc}")
        return self._result(status, _answer_from(completion.text))

    def _transcript(self) -> str:
        lines = []
        for step in self.steps:
            if step.thought:
                lines.append(f"Thought: {step.thought}")
            if step.action:
                lines.append(f"Action: {step.action} {json.dumps(step.args, ensure_ascii=False)}")
            if step.observation is not None:
                shown = truncate(step.observation, TRANSCRIPT_OBSERVATION_CHARS)
                lines.append(f"Observation: {shown}")
            elif step.error:
                lines.append(f"Error: {step.error}")
        return "\n".join(lines)

    def _result(self, status: AgentStatus, answer: str, *, error: str | None = None) -> AgentResult:
        return AgentResult(
            task=self.task,
            answer=answer,
            status=status,
            steps=self.steps,
            iterations=self.iterations,
            tool_calls=self.tool_calls,
            tool_errors=self.tool_errors,
            format_errors=self.format_errors,
            usage=self.usage,
            cost_usd=self.cost,
            latency_s=time.perf_counter() - self.started,
            mode=self.mode,
            model=getattr(self.model, "name", ""),
            error=error,
        )


def _action_key(action: ProposedAction) -> str:
    return action.name + " " + json.dumps(action.args, sort_keys=True, default=str)


def _answer_from(text: str) -> str:
    """The answer in a final reply: plain text, a `Final Answer:` line, or `{"answer": ...}`."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            payload: Any = json.loads(extract_json(stripped))
        except ValueError:
            payload = None
        if isinstance(payload, dict) and isinstance(payload.get("answer"), str):
            return payload["answer"].strip()
    parsed = parse_text_step(stripped, {})
    if parsed.final_answer is not None:
        return parsed.final_answer
    return stripped
