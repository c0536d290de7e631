"""Lab files named over the API stay inside the workspace's data folder.

An experiment file on the user's own disk may point anywhere; an experiment sent over
HTTP must not make the server read `/home/me/.ssh/…` or `/proc/self/environ` into prompts
and results. Every option of a dataset loader and every method parameter that is a path
(a JSONL dataset, a few-shot examples file) must be relative and, once `..` and symlinks
are resolved, inside `[server] lab_data_dir` (default `<workspace>/data`).
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from lyceum.errors import ConfigError
from lyceum.lab.datasets.base import DATASETS
from lyceum.lab.experiment import ExperimentConfig
from lyceum.lab.methods import METHODS


def _is_path_type(annotation: Any) -> bool:
    if annotation is Path:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_path_type(a) for a in typing.get_args(annotation))
    return False


def _path_fields(model: Any) -> list[str]:
    return [name for name, f in model.model_fields.items() if _is_path_type(f.annotation)]


def path_options(dataset: str) -> list[str]:
    """The options of dataset loader `dataset` that name a file or folder."""
    return _path_fields(DATASETS.get(dataset).options)


def check_dataset_paths(config: ExperimentConfig, data_dir: Path) -> None:
    """`ConfigError` naming the first path of the experiment (dataset options, method
    parameters) that is absolute or leaves `data_dir`."""
    named: list[tuple[str, Any]] = []
    for i, spec in enumerate(config.datasets):
        for option in path_options(spec.name):
            named.append((f"datasets.{i}.options.{option}", spec.options.get(option)))
    for i, method in enumerate(config.methods):
        for param in _path_fields(METHODS.get(method.name).params):
            named.append((f"methods.{i}.params.{param}", method.params.get(param)))
    root = data_dir.resolve()
    hint = (
        f"Over the API, lab files are read from {data_dir} ([server] lab_data_dir); "
        "give a path relative to it."
    )
    for where, value in named:
        if value is None:
            continue
        path = Path(str(value))
        if path.is_absolute() or str(value).startswith("~"):
            raise ConfigError(f"{where}: absolute paths are not accepted: {value!r}", hint=hint)
        if not (root / path).resolve().is_relative_to(root):
            raise ConfigError(f"{where}: {value!r} points outside the data folder", hint=hint)
