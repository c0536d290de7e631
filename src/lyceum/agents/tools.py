"""Tools an agent can call: a protocol, a decorator that makes one from a function, a registry.

A tool is anything with a `name`, a `description`, a JSON schema of its arguments
(`parameters`) and an async `run(arguments) -> str`. `@tool` builds one from a plain or
async function: the argument schema comes from the signature through pydantic, the
description from the docstring, each argument's description from its `Args:` section.

Experiments name tools as strings ("calculator", "wikipedia"), so tools are registered by
name. A registry entry is a factory taking keyword options, so a configurable tool is named
with options: `{"name": "retrieval", "collection": "papers", "k": 3}`. A factory with a
`settings` keyword (the search tools) gets the workspace settings of whoever resolves the
tools (`resolve_tools(tools, settings=...)`, `run_react(..., settings=...)`).
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, get_type_hints, overload, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from lyceum.config import Settings
from lyceum.errors import LyceumError, NotFoundError
from lyceum.llm.structured import json_schema_for
from lyceum.llm.types import ToolSpec

F = TypeVar("F", bound=Callable[..., Any])


class ToolArgumentError(LyceumError, ValueError):
    """The model called a tool with arguments that do not fit its schema."""


@runtime_checkable
class Tool(Protocol):
    """What the agent loop needs of a tool."""

    name: str
    description: str
    parameters: dict[str, Any]

    async def run(self, arguments: Mapping[str, Any]) -> str:
        """Validate `arguments` and run; raise `ToolArgumentError` or `ValueError` on bad input."""
        ...


def tool_spec(t: Tool) -> ToolSpec:
    """The description of `t` sent to a backend with native tool calling."""
    return ToolSpec(name=t.name, description=t.description, parameters=t.parameters)


class FunctionTool:
    """A tool made from a function; see `tool`."""

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> None:
        self.fn = fn
        self.name = name or fn.__name__
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]{0,63}", self.name):
            raise ValueError(f"tool name {self.name!r} must be an identifier (letters, digits, _)")
        summary, arg_docs = _parse_docstring(inspect.getdoc(fn) or "")
        self.description = description or summary
        if not self.description:
            raise ValueError(f"tool {self.name!r} needs a description (docstring or argument)")
        self.args_model = _args_model(fn, self.name, arg_docs)
        self.parameters = _clean_schema(json_schema_for(self.args_model))
        self._is_async = inspect.iscoroutinefunction(fn)

    @property
    def required(self) -> list[str]:
        return list(self.parameters.get("required", []))

    def validate(self, arguments: Mapping[str, Any]) -> BaseModel:
        if not isinstance(arguments, Mapping):
            raise ToolArgumentError(
                f"arguments for {self.name} must be a JSON object, got {type(arguments).__name__}"
            )
        try:
            return self.args_model.model_validate(dict(arguments))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(arguments)'}: {e['msg']}"
                for e in exc.errors()
            )
            expected = ", ".join(self.parameters.get("properties", {})) or "no arguments"
            raise ToolArgumentError(
                f"bad arguments for {self.name}: {problems} (expected: {expected})"
            ) from None

    async def run(self, arguments: Mapping[str, Any]) -> str:
        values = self.validate(arguments)
        kwargs = {field: getattr(values, field) for field in type(values).model_fields}
        result = self.fn(**kwargs)
        if self._is_async or inspect.isawaitable(result):
            result = await result
        return _to_text(result)

    def __repr__(self) -> str:
        return f"FunctionTool({self.name!r})"


ToolFactory = Callable[..., Tool]
_FACTORIES: dict[str, ToolFactory] = {}
_BUILTIN_MODULES = ("lyceum.agents.calculator", "lyceum.agents.search_tools")


def register_tool_factory(name: str, factory: ToolFactory) -> ToolFactory:
    """Register `factory(**options) -> Tool` under `name`; re-registering another is an error."""
    existing = _FACTORIES.get(name)
    if existing is not None and existing is not factory:
        raise ValueError(f"a tool named {name!r} is already registered")
    _FACTORIES[name] = factory
    return factory


def tool_factory(name: str) -> Callable[[F], F]:
    """Decorator form of `register_tool_factory` for configurable tools."""

    def decorate(factory: F) -> F:
        register_tool_factory(name, factory)
        return factory

    return decorate


@overload
def tool(fn: Callable[..., Any], /) -> FunctionTool: ...


@overload
def tool(
    *, name: str | None = None, description: str | None = None, register: bool = True
) -> Callable[[Callable[..., Any]], FunctionTool]: ...


def tool(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    register: bool = True,
) -> FunctionTool | Callable[[Callable[..., Any]], FunctionTool]:
    """Turn a function into a `Tool` (and register it by name unless `register=False`).

    Blocking work belongs in an async function (or `asyncio.to_thread`): tools run on the
    event loop.
    """

    def build(f: Callable[..., Any]) -> FunctionTool:
        made = FunctionTool(f, name=name, description=description)
        if register:
            register_tool_factory(made.name, _fixed(made))
        return made

    return build(fn) if fn is not None else build


def _fixed(made: FunctionTool) -> ToolFactory:
    def factory(**options: Any) -> Tool:
        if options:
            raise ValueError(f"tool {made.name!r} takes no options, got {sorted(options)}")
        return made

    return factory


def _load_builtins() -> None:
    import importlib

    for module in _BUILTIN_MODULES:
        importlib.import_module(module)


def tool_names() -> list[str]:
    """Every registered tool name, built-ins included."""
    _load_builtins()
    return sorted(_FACTORIES)


def get_tool(name: str, *, settings: Settings | None = None, **options: Any) -> Tool:
    """The registered tool `name`, built with `options`; `settings` go to a factory that
    takes them (None: such a tool reads the default workspace's)."""
    _load_builtins()
    factory = _FACTORIES.get(name)
    if factory is None:
        raise NotFoundError(
            f"unknown tool {name!r}", hint=f"Registered tools: {', '.join(sorted(_FACTORIES))}"
        )
    if settings is not None and _takes_settings(factory):
        options["settings"] = settings
    return factory(**options)


def _takes_settings(factory: ToolFactory) -> bool:
    try:
        return "settings" in inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return False


ToolRef = str | Tool | Mapping[str, Any]


def resolve_tools(tools: Sequence[ToolRef], *, settings: Settings | None = None) -> list[Tool]:
    """Turn names, `{"name": ..., **options}` mappings and Tool objects into tools; the
    registered ones that read the workspace (the search tools) read `settings`' (None: the
    default workspace's).

    Duplicate names are an error: the model could not tell the two apart.
    """
    resolved: list[Tool] = []
    for ref in tools:
        if isinstance(ref, str):
            resolved.append(get_tool(ref, settings=settings))
        elif isinstance(ref, Mapping):
            options = dict(ref)
            name = options.pop("name", None)
            if not isinstance(name, str):
                raise ValueError(f"a tool given as a mapping needs a 'name': {dict(ref)!r}")
            if "settings" in options:
                raise ValueError(
                    f"tool {name!r}: 'settings' is not a tool option (the tools get the "
                    "workspace settings of whoever runs them)"
                )
            resolved.append(get_tool(name, settings=settings, **options))
        elif isinstance(ref, Tool):
            resolved.append(ref)
        else:
            raise TypeError(f"not a tool: {ref!r}")
    names = [t.name for t in resolved]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"tools named more than once: {duplicates}")
    return resolved


def _args_model(fn: Callable[..., Any], name: str, arg_docs: dict[str, str]) -> type[BaseModel]:
    hints = get_type_hints(fn, include_extras=True)
    fields: dict[str, Any] = {}
    for param in inspect.signature(fn).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"tool {name!r}: *args/**kwargs cannot be described to a model")
        annotation = hints.get(param.name, Any)
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (annotation, Field(default, description=arg_docs.get(param.name)))
    model_name = "".join(part.capitalize() for part in re.split(r"[_\-]", name)) + "Args"
    return create_model(model_name, __config__=ConfigDict(extra="forbid"), **fields)


def _clean_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop pydantic's titles: they cost prompt tokens and tell the model nothing."""
    if isinstance(schema, dict):
        return {k: _clean_schema(v) for k, v in schema.items() if k != "title"}
    if isinstance(schema, list):
        return [_clean_schema(v) for v in schema]
    return schema


_ARG_LINE = re.compile(r"^(\s*)(\w+)\s*(?:\([^)]*\))?\s*:\s*(.+)$")
_ARGS_HEADERS = ("Args:", "Arguments:", "Parameters:")


def _parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """The text before any section, and Google-style `Args:` descriptions of a docstring."""
    summary: list[str] = []
    args: dict[str, str] = {}
    section = "summary"
    current: str | None = None
    arg_indent: int | None = None
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped in _ARGS_HEADERS:
            section, current, arg_indent = "args", None, None
        elif re.fullmatch(r"[A-Z][A-Za-z ]*:", stripped):
            section, current = "other", None
        elif section == "summary" and stripped:
            summary.append(stripped)
        elif section == "args" and stripped:
            match = _ARG_LINE.match(line)
            indent = len(line) - len(line.lstrip())
            if match and (arg_indent is None or indent == arg_indent):
                arg_indent = indent
                current = match.group(2)
                args[current] = match.group(3).strip()
            elif current is not None:
                args[current] += " " + stripped
    return " ".join(summary), args


def _to_text(result: Any) -> str:
    if isinstance(result, str):
        return result
    if isinstance(result, BaseModel):
        return result.model_dump_json()
    if isinstance(result, (dict, list, tuple)):
        return json.dumps(result, ensure_ascii=False, default=str)
    return str(result)
