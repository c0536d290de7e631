"""Examples, the dataset registry, and seeded sampling.

Every dataset, whatever its source, becomes a list of `Example`: an id that is stable
across runs (so two methods are compared on the same examples, and a resumed run skips
the ones it finished), a question, the gold answers, and optional context.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lyceum.errors import ConfigError, validation_problems
from lyceum.lab.registry import NameRegistry


class Example(BaseModel):
    """One evaluation item. `answers` are all acceptable gold answers (scored by max)."""

    model_config = ConfigDict(frozen=True)

    id: str
    question: str
    answers: list[str] = Field(default_factory=list)
    context: str = ""
    incorrect_answers: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class DatasetEntry:
    """A registered dataset: its options schema and the loader that yields examples.

    The loader receives validated options and the directory relative paths resolve against
    (the experiment file's directory).
    """

    name: str
    options: type[BaseModel]
    load: Callable[[Any, Path], Iterable[Example]]
    description: str = ""


DATASETS: NameRegistry[DatasetEntry] = NameRegistry("dataset")


def dataset(
    name: str, *, options: type[BaseModel] = NoOptions
) -> Callable[[Callable[[Any, Path], Iterable[Example]]], Callable[[Any, Path], Iterable[Example]]]:
    """Register a loader function `(options, base_dir) -> examples` under `name`."""

    def decorate(
        fn: Callable[[Any, Path], Iterable[Example]],
    ) -> Callable[[Any, Path], Iterable[Example]]:
        doc = (fn.__doc__ or "").strip().splitlines()
        DATASETS.register(name)(
            DatasetEntry(name=name, options=options, load=fn, description=doc[0] if doc else "")
        )
        return fn

    return decorate


def validate_options(name: str, options: dict[str, Any]) -> BaseModel:
    """Options for dataset `name`, validated; errors name the offending option."""
    entry = DATASETS.get(name)
    try:
        return entry.options.model_validate(options)
    except ValidationError as exc:
        problems = "; ".join(validation_problems(exc, prefix="options"))
        raise ValueError(f"dataset {name!r}: {problems}") from None


def load_examples(
    name: str, options: dict[str, Any] | None = None, *, base_dir: Path | None = None
) -> list[Example]:
    """All examples of a registered dataset. Duplicate ids are an error (they break pairing)."""
    entry = DATASETS.get(name)
    try:
        opts = validate_options(name, options or {})
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    examples = list(entry.load(opts, base_dir or Path.cwd()))
    seen: set[str] = set()
    for ex in examples:
        if ex.id in seen:
            raise ConfigError(
                f"dataset {name!r} has duplicate example id {ex.id!r}",
                hint="Example ids must be unique: paired comparison and resume rely on them.",
            )
        seen.add(ex.id)
    return examples


def sample_examples(examples: list[Example], size: int | None, seed: int) -> list[Example]:
    """`size` examples drawn without replacement by a seeded RNG (all of them if size is None)."""
    if size is None or size >= len(examples):
        return list(examples)
    rng = random.Random(seed)
    return rng.sample(examples, size)


def select_by_ids(examples: list[Example], ids: list[str], dataset_name: str) -> list[Example]:
    """The examples with these ids, in this order: how a resumed run restores its sample."""
    by_id = {ex.id: ex for ex in examples}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise ConfigError(
            f"dataset {dataset_name!r} no longer holds {len(missing)} example(s) of the "
            f"saved sample, e.g. {missing[0]!r}",
            hint="The dataset file changed since the run started; start a new run.",
        )
    return [by_id[i] for i in ids]
