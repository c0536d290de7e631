"""Agents: the ReAct loop, its tools and traces."""

from lyceum.agents.calculator import calculator, evaluate
from lyceum.agents.react import choose_mode, run_react
from lyceum.agents.tools import (
    FunctionTool,
    Tool,
    ToolArgumentError,
    get_tool,
    register_tool_factory,
    resolve_tools,
    tool,
    tool_factory,
    tool_names,
    tool_spec,
)
from lyceum.agents.trace import AgentResult, AgentStep, read_traces, write_traces

__all__ = [
    "AgentResult",
    "AgentStep",
    "FunctionTool",
    "Tool",
    "ToolArgumentError",
    "calculator",
    "choose_mode",
    "evaluate",
    "get_tool",
    "read_traces",
    "register_tool_factory",
    "resolve_tools",
    "run_react",
    "tool",
    "tool_factory",
    "tool_names",
    "tool_spec",
    "write_traces",
]
