from __future__ import annotations

from typing import Literal

import pytest

from lyceum.agents.tools import (
    FunctionTool,
    Tool,
    ToolArgumentError,
    get_tool,
    register_tool_factory,
    resolve_tools,
    tool,
    tool_names,
    tool_spec,
)
from lyceum.errors import NotFoundError


def test_tool_schema_and_description_come_from_signature_and_docstring() -> None:
    @tool(register=False)
    async def lookup(term: str, limit: int = 3, lang: Literal["en", "fr"] = "en") -> str:
        """Look a term up in the glossary.

        Args:
            term: the word to look up.
            limit: how many entries
                to return at most.
            lang: language code.
        """
        return f"{term}:{limit}:{lang}"

    assert lookup.name == "lookup"
    assert lookup.description == "Look a term up in the glossary."
    props = lookup.parameters["properties"]
    assert props["term"] == {"type": "string", "description": "the word to look up."}
    assert props["limit"]["type"] == "integer"
    assert props["limit"]["default"] == 3
    assert props["limit"]["description"] == "how many entries to return at most."
    assert props["lang"]["enum"] == ["en", "fr"]
    assert lookup.parameters["required"] == ["term"]
    assert lookup.parameters["additionalProperties"] is False
    assert "title" not in lookup.parameters
    spec = tool_spec(lookup)
    assert spec.name == "lookup" and spec.parameters == lookup.parameters
    assert isinstance(lookup, Tool)


async def test_sync_and_async_tools_run_with_validated_arguments() -> None:
    @tool(register=False)
    def add(a: int, b: int) -> int:
        """Add two integers."""
        return a + b

    @tool(register=False, name="shout")
    async def loud(text: str) -> dict[str, str]:
        """Upper-case text."""
        return {"text": text.upper()}

    assert await add.run({"a": 2, "b": "3"}) == "5"
    assert await loud.run({"text": "hi"}) == '{"text": "HI"}'
    with pytest.raises(ToolArgumentError, match="a: Field required"):
        await add.run({"b": 1})
    with pytest.raises(ToolArgumentError, match="must be a JSON object"):
        await add.run(["1", "2"])  # type: ignore[arg-type]


def test_tools_need_a_description_and_describable_arguments() -> None:
    def nodoc(x: int) -> int:
        return x

    def varargs(*xs: int) -> int:
        """Sum."""
        return sum(xs)

    with pytest.raises(ValueError, match="needs a description"):
        FunctionTool(nodoc)
    with pytest.raises(TypeError, match=r"\*args"):
        FunctionTool(varargs)
    with pytest.raises(ValueError, match="must be an identifier"):
        FunctionTool(varargs, name="two words", description="x")


def test_registered_tools_are_found_by_name_with_options() -> None:
    @tool(name="echo_for_registry_test")
    def echo(text: str) -> str:
        """Echo the text."""
        return text

    assert "echo_for_registry_test" in tool_names()
    assert {"calculator", "retrieval", "wikipedia", "arxiv", "web_search"} <= set(tool_names())
    assert get_tool("echo_for_registry_test") is echo
    with pytest.raises(ValueError, match="takes no options"):
        get_tool("echo_for_registry_test", k=3)
    with pytest.raises(NotFoundError, match="unknown tool 'nope'"):
        get_tool("nope")
    with pytest.raises(ValueError, match="already registered"):
        register_tool_factory("echo_for_registry_test", lambda: echo)

    resolved = resolve_tools(["calculator", {"name": "retrieval", "k": 2}, echo])
    assert [t.name for t in resolved] == ["calculator", "retrieval", "echo_for_registry_test"]
    with pytest.raises(ValueError, match="more than once"):
        resolve_tools(["calculator", "calculator"])
    with pytest.raises(ValueError, match="needs a 'name'"):
        resolve_tools([{"k": 2}])
