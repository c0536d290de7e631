"""Load a benchmarks/ script as a module for its tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


def load_benchmark(name: str, module: str | None = None) -> ModuleType:
    """benchmarks/`name`.py as the module `module` (default `name`), without putting
    benchmarks/ (whose data.py, lab.py, server.py ... would shadow other imports) on
    sys.path."""
    module = module or name
    if module in sys.modules:
        return sys.modules[module]
    spec = importlib.util.spec_from_file_location(module, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[module] = loaded
    spec.loader.exec_module(loaded)
    return loaded
