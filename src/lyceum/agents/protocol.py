"""Reading one agent step from a model's reply, when the backend has no native tool calls.

Two formats. The JSON step object `{"thought", "action", "action_input"}` is the preferred
one: with schema-constrained decoding (`step_schema`) even a 0.5B model can only emit a
well-formed step naming a real tool with arguments of the right shape. The classic text
format (`Thought: ... / Action: tool[{"arg": ...}]` or `Action Input:` on its own line /
`Final Answer: ...`) is the fallback for backends with neither feature; its parser
tolerates the usual variations: `tool(...)`, a bare argument for a one-argument tool, code
fences, and a hallucinated `Observation:` after the action.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lyceum.agents.tools import Tool
from lyceum.llm.structured import extract_json

FINAL_ACTION = "final_answer"
_FINAL_NAMES = {"final_answer", "finalanswer", "final answer", "finish", "answer"}


@dataclass
class ProposedAction:
    name: str
    args: dict[str, Any]
    call_id: str | None = None


@dataclass
class Decision:
    """What one reply asks for: actions, a final answer, or nothing usable (`error`)."""

    thought: str = ""
    actions: list[ProposedAction] = field(default_factory=list)
    final_answer: str | None = None
    error: str | None = None


def step_schema(tools: Sequence[Tool]) -> dict[str, Any]:
    """The JSON schema of one step: one branch per tool with that tool's argument schema,
    plus the final answer, so constrained decoding cannot name a missing tool."""
    branches = [_branch(t.name, t.parameters) for t in tools]
    branches.append(
        _branch(
            FINAL_ACTION,
            {
                "type": "object",
                "properties": {"answer": {"type": "string"}},
                "required": ["answer"],
                "additionalProperties": False,
            },
        )
    )
    return {"anyOf": branches}


def _branch(name: str, parameters: dict[str, Any]) -> dict[str, Any]:
    # The grammar puts the action first: with the thought first, the 0.5B model "worked
    # out" the result in its thought and answered without the tool (1 of 3 calculator
    # tasks right); action first, 3 of 3 with one tool call each. (The prompt's examples
    # still show the thought first: reordering them too measured worse, 2 of 6 vs 3 of 6.)
    return {
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": [name]},
            "thought": {"type": "string"},
            "action_input": parameters,
        },
        "required": ["action", "thought", "action_input"],
        "additionalProperties": False,
    }


def coerce_args(raw: Any, tool: Tool | None) -> dict[str, Any]:
    """Arguments as a dict; a bare value is given to a tool's single (required) argument."""
    if isinstance(raw, Mapping):
        return dict(raw)
    if raw is None:
        return {}
    if tool is not None:
        properties = list(tool.parameters.get("properties", {}))
        required = list(tool.parameters.get("required", []))
        target = required[0] if len(required) == 1 else None
        if target is None and len(properties) == 1:
            target = properties[0]
        if target is not None:
            return {target: raw}
    return {"input": raw}


def parse_json_step(text: str, tools: Mapping[str, Tool]) -> Decision:
    """A step from a JSON object reply; `error` set when it is not one."""
    try:
        payload = json.loads(extract_json(text))
    except ValueError as exc:
        return Decision(error=f"the reply is not a JSON object ({exc})")
    if not isinstance(payload, dict):
        return Decision(error="the reply is JSON but not an object")
    thought = str(payload.get("thought") or "").strip()
    action = payload.get("action") or payload.get("tool") or payload.get("name")
    raw_args = _first_present(payload, ("action_input", "args", "arguments", "input"))
    if action is None:
        answer = _first_present(payload, ("final_answer", "answer"))
        if answer is not None:
            return Decision(thought=thought, final_answer=_answer_text(answer))
        return Decision(thought=thought, error='the JSON object has no "action"')
    name = str(action).strip()
    if name.lower() in _FINAL_NAMES:
        return Decision(thought=thought, final_answer=_final_from_input(raw_args))
    return Decision(
        thought=thought, actions=[ProposedAction(name, coerce_args(raw_args, tools.get(name)))]
    )


_ACTION = re.compile(r"^[ \t]*\**action\**[ \t]*:\**[ \t]*", re.IGNORECASE | re.MULTILINE)
_ACTION_INPUT = re.compile(r"^[ \t]*\**action[ \t]*input\**[ \t]*:\**[ \t]*", re.I | re.M)
_FINAL = re.compile(r"\**final[ \t_]*answer\**[ \t]*:\**[ \t]*", re.IGNORECASE)
_OBSERVATION = re.compile(r"^[ \t]*observation[ \t]*:", re.IGNORECASE | re.MULTILINE)
_THOUGHT_PREFIX = re.compile(r"^\s*\**thought\**\s*:\**\s*", re.IGNORECASE)
_NAME = re.compile(r"final[ _]answer|[A-Za-z_][\w\-]*", re.IGNORECASE)
_JSON_START = re.compile(r"^(```(json)?\s*)?\{", re.IGNORECASE)


def parse_text_step(text: str, tools: Mapping[str, Tool]) -> Decision:
    """A step from the Thought/Action/Final Answer text format (or a JSON step)."""
    body = text.strip()
    observation = _OBSERVATION.search(body)
    if observation:
        body = body[: observation.start()].rstrip()
    if _JSON_START.match(body):
        decision = parse_json_step(body, tools)
        if decision.error is None:
            return decision
    action = _ACTION.search(body)
    final = _FINAL.search(body)
    if final and (action is None or final.start() < action.start()):
        thought = _clean_thought(body[: final.start()])
        answer = body[final.end() :].strip()
        if not answer:
            return Decision(thought=thought, error="'Final Answer:' is followed by nothing")
        return Decision(thought=thought, final_answer=answer)
    if action is None:
        return Decision(
            thought=_clean_thought(body),
            error="the reply has neither an 'Action:' line nor a 'Final Answer:'",
        )
    thought = _clean_thought(body[: action.start()])
    rest = body[action.end() :]
    action_input = _ACTION_INPUT.search(rest)
    head = rest[: action_input.start()] if action_input else rest
    name_match = _NAME.match(head.strip().strip("`*"))
    if name_match is None:
        return Decision(thought=thought, error="'Action:' is not followed by a tool name")
    name = name_match.group(0)
    after_name = head.strip().strip("`*")[name_match.end() :].strip()
    arg_text = rest[action_input.end() :].strip() if action_input else _bracketed(after_name)
    if name.lower() in _FINAL_NAMES:
        return Decision(thought=thought, final_answer=_final_from_input(_decode_arg(arg_text)))
    raw = _decode_arg(arg_text)
    return Decision(
        thought=thought, actions=[ProposedAction(name, coerce_args(raw, tools.get(name)))]
    )


def _bracketed(text: str) -> str:
    """The argument text in `[...]`, `(...)`, or after a colon."""
    text = text.strip()
    pairs = {"[": "]", "(": ")", "{": "}"}
    if text and text[0] in pairs:
        closer = pairs[text[0]]
        end = text.rfind(closer)
        if text[0] == "{":
            return text[: end + 1] if end > 0 else text
        return text[1:end] if end > 0 else text[1:]
    return text.lstrip(":").strip()


def _decode_arg(text: str) -> Any:
    stripped = text.strip().strip("`").strip()
    if stripped.lower().startswith("json"):
        stripped = stripped[4:].strip()
    if not stripped:
        return None
    if stripped[0] in '{["':
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "'\"":
        return stripped[1:-1]
    return stripped


def _clean_thought(text: str) -> str:
    return _THOUGHT_PREFIX.sub("", text.strip()).strip()


def _first_present(payload: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        if key in payload:
            return payload[key]
    return None


def _final_from_input(raw: Any) -> str:
    if isinstance(raw, Mapping):
        value = _first_present(raw, ("answer", "final_answer", "text", "result"))
        if value is None and len(raw) == 1:
            value = next(iter(raw.values()))
        return _answer_text(value if value is not None else "")
    return _answer_text(raw if raw is not None else "")


def _answer_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value, ensure_ascii=False)
