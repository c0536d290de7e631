"""Named datasets that install offline: bigbench's SQuAD, TruthfulQA, StrategyQA, FEVER,
VitaminC and arithmetic tasks, and FreshQA from the `inspect-evals` wheel.

Each is normalized into `Example`s with stable ids, so runs on different days pair up.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lyceum.lab.datasets import bigbench
from lyceum.lab.datasets.base import Example, NoOptions, dataset


@dataset("squad")
def squad_dataset(_: NoOptions, base_dir: Path) -> Iterator[Example]:
    """SQuAD v1.1 dev: extractive questions over a Wikipedia paragraph (10,565)."""
    for ex in bigbench.squad_examples():
        yield Example(
            id=ex.id,
            question=ex.question,
            answers=ex.answers,
            context=ex.context,
            metadata={"title": ex.title},
        )


@dataset("truthfulqa")
def truthfulqa_dataset(_: NoOptions, base_dir: Path) -> Iterator[Example]:
    """TruthfulQA generation: questions that tempt a model into a popular falsehood."""
    for ex in bigbench.truthfulqa_examples():
        yield Example(
            id=ex.id,
            question=ex.question,
            answers=list(dict.fromkeys([ex.best_answer, *ex.correct_answers])),
            incorrect_answers=ex.incorrect_answers,
            metadata={"category": ex.category},
        )


@dataset("strategyqa")
def strategyqa_dataset(_: NoOptions, base_dir: Path) -> Iterator[Example]:
    """StrategyQA: yes/no questions that need an implicit multi-step argument."""
    for ex in bigbench.strategyqa_examples():
        yield Example(
            id=ex.id,
            question=f"{ex.question} Answer yes or no.",
            answers=["yes" if ex.answer else "no"],
            metadata={"explanation": ex.explanation},
        )


@dataset("fever")
def fever_dataset(_: NoOptions, base_dir: Path) -> Iterator[Example]:
    """FEVER claims: answer 'true' or 'false' from world knowledge (no evidence given)."""
    for ex in bigbench.fever_examples():
        yield Example(
            id=ex.id,
            question=f"Is this claim true or false? {ex.claim}",
            answers=["true" if ex.label == "supported" else "false"],
            metadata={"claim": ex.claim},
        )


_VITAMINC_ANSWERS = {"supported": "true", "refuted": "false", "not_enough_info": "neither"}


@dataset("vitaminc")
def vitaminc_dataset(_: NoOptions, base_dir: Path) -> Iterator[Example]:
    """VitaminC: is the claim true, false or neither given the evidence (the context)?"""
    for ex in bigbench.vitaminc_examples():
        yield Example(
            id=ex.id,
            question=f"Given the context, is this claim true, false or neither? {ex.claim}",
            answers=[_VITAMINC_ANSWERS[ex.label]],
            context=ex.evidence,
            metadata={"claim": ex.claim},
        )


class ArithmeticOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subtasks: list[str] | None = Field(
        default=None,
        description="e.g. ['2_digit_addition']; all 20 subtasks when unset.",
    )

    @field_validator("subtasks")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        unknown = sorted(set(value or ()) - set(bigbench.arithmetic_subtasks()))
        if unknown:
            raise ValueError(f"unknown subtasks {unknown}; known: {bigbench.arithmetic_subtasks()}")
        return value


@dataset("arithmetic", options=ArithmeticOptions)
def arithmetic_dataset(opts: ArithmeticOptions, base_dir: Path) -> Iterator[Example]:
    """Bigbench arithmetic: 1-5 digit addition, subtraction, multiplication, division."""
    for ex in bigbench.arithmetic_examples(opts.subtasks):
        yield Example(
            id=ex.id, question=ex.question, answers=[ex.answer], metadata={"subtask": ex.subtask}
        )


INSPECT_EVALS_VERSION = "0.26.0"
FRESHQA_MEMBER = "inspect_evals/abstention_bench/data/freshqa/FreshQA_v12182024.csv"


class FreshQAOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    include_false_premise: bool = Field(
        default=True, description="Keep questions built on a false premise."
    )


def inspect_evals_wheel(cache_dir: Path | None = None) -> Path:
    """The inspect-evals wheel (holds FreshQA), from the data cache or `pip download`."""
    source = os.environ.get("LYCEUM_INSPECT_EVALS_SOURCE_DIR")
    target_dir = Path(source) if source else (cache_dir or bigbench.data_dir()) / "inspect-evals"
    name = f"inspect_evals-{INSPECT_EVALS_VERSION}-py3-none-any.whl"
    wheel = target_dir / name
    if wheel.is_file():
        return wheel
    target_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary",
        ":all:",
        "--disable-pip-version-check",
        "-d",
        str(target_dir),
        f"inspect-evals=={INSPECT_EVALS_VERSION}",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not wheel.is_file():
        tail = (result.stderr or result.stdout).strip().splitlines()[-2:]
        raise bigbench.DatasetFetchError(
            f"pip could not download inspect-evals=={INSPECT_EVALS_VERSION}: {' | '.join(tail)}",
            hint=f"Check access to PyPI, or set LYCEUM_INSPECT_EVALS_SOURCE_DIR to a folder "
            f"holding {name}",
        )
    return wheel


def freshqa_rows(wheel: Path) -> list[dict[str, str]]:
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(FRESHQA_MEMBER).decode("utf-8")
    # The file opens with a warning line and a blank line before the header.
    lines = text.splitlines(keepends=True)
    header_at = next(i for i, line in enumerate(lines) if line.startswith("id,split,question"))
    return list(csv.DictReader(io.StringIO("".join(lines[header_at:]))))


@dataset("freshqa", options=FreshQAOptions)
def freshqa_dataset(opts: FreshQAOptions, base_dir: Path) -> Iterator[Example]:
    """FreshQA (600): questions whose answers change over time, some with false premises."""
    for row in freshqa_rows(inspect_evals_wheel()):
        false_premise = row.get("false_premise", "").upper() == "TRUE"
        if false_premise and not opts.include_false_premise:
            continue
        answers = [row[f"answer_{i}"] for i in range(10) if row.get(f"answer_{i}")]
        yield Example(
            id=f"freshqa-{row['id']}",
            question=row["question"],
            answers=answers,
            metadata={
                "split": row.get("split", ""),
                "false_premise": false_premise,
                "fact_type": row.get("fact_type", ""),
                "num_hops": row.get("num_hops", ""),
            },
        )
