"""The model layer: types, the Model protocol, backends, the gateway and structured output."""

from lyceum.llm.context import call_context, current_context
from lyceum.llm.model import BaseBackend, Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import (
    Completion,
    GenerateParams,
    Message,
    StreamChunk,
    ToolCall,
    ToolSpec,
    Usage,
)

__all__ = [
    "BaseBackend",
    "Completion",
    "GenerateParams",
    "Message",
    "Model",
    "StreamChunk",
    "ToolCall",
    "ToolSpec",
    "Usage",
    "call_context",
    "current_context",
    "generate_structured",
]
