"""Methods the lab compares, registered by name for experiment files."""

from lyceum.lab.methods import ensembles, prompting, rag, react  # noqa: F401 - registers
from lyceum.lab.methods.base import (
    METHODS,
    Method,
    MethodEntry,
    MethodEnv,
    MethodParams,
    Retriever,
    TracedModel,
    build_method,
    method,
    validate_params,
)
from lyceum.lab.methods.ensembles import majority_vote
from lyceum.lab.methods.extraction import extract_answer

__all__ = [
    "METHODS",
    "Method",
    "MethodEntry",
    "MethodEnv",
    "MethodParams",
    "Retriever",
    "TracedModel",
    "build_method",
    "extract_answer",
    "majority_vote",
    "method",
    "validate_params",
]
