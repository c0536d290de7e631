"""Structured output: ask for JSON matching a pydantic schema, validate, repair once.

Where the backend has constrained decoding (llama.cpp grammars, vLLM guided JSON, OpenAI
`response_format`) the schema is sent with the request, so a small model cannot emit
anything but schema-shaped JSON. The validation and repair step still runs, because a
grammar guarantees syntax, not the semantics pydantic checks (ranges, enums, lengths).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lyceum.errors import StructuredOutputError
from lyceum.llm.model import Model
from lyceum.llm.types import Completion, GenerateParams, Message

T = TypeVar("T", bound=BaseModel)

SCHEMA_INSTRUCTION = (
    "Reply with a single JSON object that matches this JSON schema, and nothing else:\n{schema}"
)
REPAIR_INSTRUCTION = (
    "Your previous reply was not valid for the schema:\n{error}\n"
    "Reply again with only the corrected JSON object."
)


def json_schema_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent to backends, inlined so grammar converters need no $ref support."""
    raw = schema.model_json_schema()
    return _inline_refs(raw, raw.get("$defs", {}))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return _inline_refs(defs[name], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def extract_json(text: str) -> str:
    """The outermost JSON object or array in `text`, tolerating code fences and chatter."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[-1]
        stripped = stripped.rsplit("```", 1)[0]
    starts = [i for i in (stripped.find("{"), stripped.find("[")) if i >= 0]
    if not starts:
        return stripped
    start = min(starts)
    closer = "}" if stripped[start] == "{" else "]"
    end = stripped.rfind(closer)
    return stripped[start : end + 1] if end > start else stripped[start:]


def parse_as(schema: type[T], text: str) -> T:
    """Validate model text against `schema`; raises ValidationError or ValueError."""
    return schema.model_validate_json(extract_json(text))


def _with_schema_instruction(
    messages: Sequence[Message], schema_json: dict[str, Any]
) -> list[Message]:
    instruction = SCHEMA_INSTRUCTION.format(schema=json.dumps(schema_json, separators=(",", ":")))
    out = list(messages)
    if out and out[0].role == "system":
        out[0] = Message.system(out[0].content + "\n\n" + instruction)
    else:
        out.insert(0, Message.system(instruction))
    return out


async def generate_structured_with_completion(
    model: Model,
    messages: Sequence[Message],
    schema: type[T],
    params: GenerateParams | None = None,
) -> tuple[T, Completion]:
    """Like `generate_structured`, also returning the last completion (for usage and cost)."""
    schema_json = json_schema_for(schema)
    base = params or GenerateParams()
    call_params = base.model_copy(update={"json_schema": schema_json, "tools": ()})
    convo = _with_schema_instruction(messages, schema_json)
    completion = await model.generate(convo, call_params)
    try:
        return parse_as(schema, completion.text), completion
    except (ValidationError, ValueError) as first_error:
        error_text = _short_error(first_error)
    repair = [
        *convo,
        Message.assistant(completion.text),
        Message.user(REPAIR_INSTRUCTION.format(error=error_text)),
    ]
    # The repair must not be answered from cache with the same broken output.
    repaired = await model.generate(
        repair, call_params.model_copy(update={"sample_index": call_params.sample_index + 1})
    )
    try:
        return parse_as(schema, repaired.text), repaired
    except (ValidationError, ValueError) as second_error:
        raise StructuredOutputError(
            f"{getattr(model, 'name', 'model')} returned output that does not match "
            f"{schema.__name__} after one repair: {_short_error(second_error)}",
            raw_output=repaired.text,
            backend=repaired.backend,
        ) from second_error


async def generate_structured(
    model: Model,
    messages: Sequence[Message],
    schema: type[T],
    params: GenerateParams | None = None,
) -> T:
    """Ask `model` for an instance of `schema`; one repair round, then `StructuredOutputError`."""
    value, _ = await generate_structured_with_completion(model, messages, schema, params)
    return value


def _short_error(exc: Exception, limit: int = 800) -> str:
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()
        ]
        text = "; ".join(parts)
    else:
        text = str(exc)
    return text[:limit]
