from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, Field

from lyceum.errors import StructuredOutputError
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.structured import extract_json, generate_structured, json_schema_for
from lyceum.llm.types import Message


class Verdict(BaseModel):
    label: Literal["supported", "contradicted"]
    confidence: float = Field(ge=0, le=1)


class Plan(BaseModel):
    steps: list[Verdict]


async def test_valid_json_is_parsed_and_schema_is_sent_to_the_backend():
    model = ScriptedBackend(['{"label": "supported", "confidence": 0.9}'])
    out = await generate_structured(model, [Message.user("judge")], Verdict)
    assert out == Verdict(label="supported", confidence=0.9)
    params = model.history[0].params
    assert params.json_schema is not None and params.json_schema["properties"]["label"]["enum"]
    assert "JSON schema" in model.history[0].messages[0].content


async def test_invalid_output_is_repaired_once_with_the_error_shown():
    model = ScriptedBackend(
        ['{"label": "maybe", "confidence": 2}', '{"label": "contradicted", "confidence": 0.4}']
    )
    out = await generate_structured(model, [Message.user("judge")], Verdict)
    assert out.label == "contradicted"
    repair_prompt = model.history[1].messages[-1].content
    assert "label" in repair_prompt and "confidence" in repair_prompt
    assert model.history[1].params.sample_index == 1


async def test_second_failure_raises_with_the_raw_output():
    model = ScriptedBackend(["not json at all", "still {broken"])
    with pytest.raises(StructuredOutputError) as info:
        await generate_structured(model, [Message.user("judge")], Verdict)
    assert info.value.raw_output == "still {broken"
    assert "Verdict" in str(info.value)


def test_extract_json_tolerates_fences_and_chatter():
    assert extract_json('```json\n{"a": 1}\n```') == '{"a": 1}'
    assert extract_json('Sure! Here it is: {"a": [1, 2]} hope that helps') == '{"a": [1, 2]}'


def test_nested_schemas_are_inlined_without_refs():
    schema = json_schema_for(Plan)
    assert "$ref" not in str(schema) and "$defs" not in schema
    assert schema["properties"]["steps"]["items"]["properties"]["label"]["enum"] == [
        "supported",
        "contradicted",
    ]
