"""FreshQA (600 questions, answers as of 18 Dec 2024) from the `inspect-evals` wheel.

The wheel is fetched with `pip download --no-deps` into the data cache
(`<data dir>/inspect-evals/`) and the CSV is read straight out of the zip; nothing is
installed or imported from it. A folder that already holds the wheel can be passed as
`source_dir` (or set in `$LYCEUM_INSPECT_EVALS_SOURCE_DIR`) to skip the download. FreshQA labels
each question's `fact_type` (never-, slow- or fast-changing) and marks false-premise
questions, whose reference answer is a correction ("No animal has landed on the moon").
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

from pydantic import BaseModel, ConfigDict

from lyceum.lab.datasets.bigbench import DatasetFetchError, data_dir

VERSION = "0.26.0"
SOURCE_DIR_ENV = "LYCEUM_INSPECT_EVALS_SOURCE_DIR"
WHEEL_NAME = f"inspect_evals-{VERSION}-py3-none-any.whl"
CSV_MEMBER = "inspect_evals/abstention_bench/data/freshqa/FreshQA_v12182024.csv"


class FreshQAExample(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    split: str
    question: str
    answers: list[str]
    fact_type: str
    false_premise: bool
    num_hops: str
    effective_year: str


def wheel_path(*, cache_dir: Path | None = None, source_dir: Path | None = None) -> Path:
    """The inspect-evals wheel: from `source_dir` if given, else the cache, else pip."""
    if source_dir is None and os.environ.get(SOURCE_DIR_ENV):
        source_dir = Path(os.environ[SOURCE_DIR_ENV]).expanduser()
    if source_dir is not None:
        candidate = Path(source_dir) / WHEEL_NAME
        if not candidate.is_file():
            raise DatasetFetchError(
                f"{candidate} does not exist",
                hint=f"Download it there with: pip download --no-deps -d {source_dir} "
                f"inspect-evals=={VERSION}, or unset ${SOURCE_DIR_ENV}",
            )
        return candidate
    target_dir = (cache_dir or data_dir()) / "inspect-evals"
    target = target_dir / WHEEL_NAME
    if not target.is_file():
        target_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
            "--disable-pip-version-check", "-d", str(target_dir), f"inspect-evals=={VERSION}",
        ]  # fmt: skip
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not target.is_file():
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise DatasetFetchError(
                f"pip could not download inspect-evals=={VERSION}: {' | '.join(tail)}",
                hint=f"Check access to PyPI, or set ${SOURCE_DIR_ENV} to a folder holding "
                + WHEEL_NAME,
            )
    return target


def freshqa_examples(
    *, cache_dir: Path | None = None, source_dir: Path | None = None
) -> Iterator[FreshQAExample]:
    """All 600 questions (500 TEST, 100 DEV), in file order."""
    wheel = wheel_path(cache_dir=cache_dir, source_dir=source_dir)
    try:
        with zipfile.ZipFile(wheel) as zf:
            text = zf.read(CSV_MEMBER).decode("utf-8")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DatasetFetchError(
            f"cannot read FreshQA from {wheel}: {exc}", hint="Delete the file to fetch it again."
        ) from exc
    rows = csv.reader(io.StringIO(text, newline=""))
    # Two banner rows (a warning and a blank line) precede the header.
    header = next((row for row in rows if row and row[0] == "id"), None)
    if header is None:
        raise DatasetFetchError(f"{CSV_MEMBER} in {wheel} has no header row")
    answer_columns = [i for i, name in enumerate(header) if name.startswith("answer_")]
    col = {name: i for i, name in enumerate(header)}
    for row in rows:
        if not row or not row[col["id"]].strip():
            continue
        yield FreshQAExample(
            id=f"freshqa-{row[col['id']]}",
            split=row[col["split"]],
            question=row[col["question"]].strip(),
            answers=[row[i].strip() for i in answer_columns if row[i].strip()],
            fact_type=row[col["fact_type"]],
            false_premise=row[col["false_premise"]].strip().upper() == "TRUE",
            num_hops=row[col["num_hops"]],
            effective_year=row[col["effective_year"]],
        )
