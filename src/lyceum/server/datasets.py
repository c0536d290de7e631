"""Lab dataset files named over the API stay inside the workspace's data folder.

An experiment file on the user's own disk may point anywhere; an experiment sent over
HTTP must not make the server read `/home/me/.ssh/…` or `/proc/self/environ` into prompts
and results. Every option of a dataset loader that is a path must be relative and, once
`..` and symlinks are resolved, inside `[server] lab_data_dir` (default `<workspace>/data`).
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from lyceum.errors import ConfigError
from lyceum.lab.datasets.base import DATASETS
from lyceum.lab.experiment import ExperimentConfig


def _is_path_type(annotation: Any) -> bool:
    if annotation is Path:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_path_type(a) for a in typing.get_args(annotation))
    return False


def path_options(dataset: str) -> list[str]:
    """The options of dataset loader `dataset` that name a file or folder."""
    fields = DATASETS.get(dataset).options.model_fields
    return [name for name, field in fields.items() if _is_path_type(field.annotation)]


def check_dataset_paths(config: ExperimentConfig, data_dir: Path) -> None:
    """`ConfigError` naming the first dataset path that is absolute or leaves `data_dir`."""
    root = data_dir.resolve()
    for i, spec in enumerate(config.datasets):
        for option in path_options(spec.name):
            value = spec.options.get(option)
            if value is None:
                continue
            where = f"datasets.{i}.options.{option}"
            path = Path(str(value))
            hint = (
                f"Over the API, dataset files are read from {data_dir} "
                "([server] lab_data_dir); give a path relative to it."
            )
            if path.is_absolute() or str(value).startswith("~"):
                raise ConfigError(f"{where}: absolute paths are not accepted: {value!r}", hint=hint)
            if not (root / path).resolve().is_relative_to(root):
                raise ConfigError(f"{where}: {value!r} points outside the data folder", hint=hint)
