"""Task files from the `bigbench` 1.0.0 sdist, read without installing it.

The sdist (358 MB) is fetched once with `pip download --no-deps --no-binary :all:` into
the data cache (`$LYCEUM_DATA_DIR`, else `~/.cache/lyceum/data`). Its members are read
with `tarfile`; none of its code is imported. On first use every supported task file is
extracted in one pass over the archive (one pass costs ~5 s of gunzip; the files total
~60 MB), each written atomically so an interrupted extraction leaves no half file.

A directory that already holds `bigbench-1.0.0.tar.gz` can be passed as `source_dir`
(or set in `$LYCEUM_BIGBENCH_SOURCE_DIR`) to skip the download. The `*_examples`
iterators take the same `cache_dir=` / `source_dir=` keywords as `task_path`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from lyceum.config import data_dir
from lyceum.errors import LyceumError, NotFoundError

VERSION = "1.0.0"
SDIST_NAME = f"bigbench-{VERSION}.tar.gz"
TASKS_PREFIX = f"bigbench-{VERSION}/bigbench/benchmark_tasks/"

_ARITHMETIC_SUBTASKS = [
    f"{digits}_digit_{op}"
    for digits in range(1, 6)
    for op in ("addition", "subtraction", "multiplication", "division")
]

#: Supported task name -> member path under `benchmark_tasks/` in the sdist.
TASK_FILES: dict[str, str] = {
    "squad": "squad_shifts/squaddev_v1.1.json",
    "truthfulqa": "truthful_qa/questions.json",
    "truthfulqa_mc": "truthful_qa/task_mc.json",
    "strategyqa": "strategyqa/task.json",
    "fever": "fact_checker/fever/task.json",
    "vitaminc": "vitaminc_fact_verification/task.json",
    "coqa": "coqa_conversational_question_answering/coqa.test.json",
    **{f"arithmetic/{name}": f"arithmetic/{name}/task.json" for name in _ARITHMETIC_SUBTASKS},
}

Verdict = Literal["supported", "refuted", "not_enough_info"]


class DatasetFetchError(LyceumError):
    """The bigbench sdist could not be downloaded or read."""


class _Example(BaseModel):
    model_config = ConfigDict(frozen=True)


class SquadExample(_Example):
    id: str
    title: str
    question: str
    context: str
    answers: list[str]


class TruthfulQAExample(_Example):
    id: str
    question: str
    category: str
    best_answer: str
    correct_answers: list[str]
    incorrect_answers: list[str]


class StrategyQAExample(_Example):
    id: str
    question: str
    answer: bool
    explanation: str


class ClaimExample(_Example):
    """A claim with its label; `evidence` is empty where the task gives none (FEVER)."""

    id: str
    claim: str
    evidence: str
    label: Verdict


class CoQATurn(_Example):
    """One question of a CoQA conversation; `answers` are the main and additional free-form
    gold answers of the turn (the first is the one the conversation continues with)."""

    turn: int
    question: str
    answers: list[str]


class CoQAConversation(_Example):
    id: str
    domain: str
    story: str
    turns: list[CoQATurn]


class ArithmeticExample(_Example):
    id: str
    subtask: str
    question: str
    answer: str


def task_names() -> list[str]:
    """Names of the supported tasks, usable with `task_path` and `load_task`."""
    return list(TASK_FILES)


def arithmetic_subtasks() -> list[str]:
    return list(_ARITHMETIC_SUBTASKS)


def task_path(name: str, *, cache_dir: Path | None = None, source_dir: Path | None = None) -> Path:
    """Path of the extracted task file, downloading and extracting on first use."""
    if name not in TASK_FILES:
        raise NotFoundError(
            f"unknown bigbench task {name!r}",
            hint=f"Known tasks: {', '.join(task_names())}",
        )
    root = _extract_root(cache_dir)
    path = root / TASK_FILES[name]
    if not path.exists():
        _extract_all(sdist_path(cache_dir=cache_dir, source_dir=source_dir), root)
    return path


def load_task(
    name: str, *, cache_dir: Path | None = None, source_dir: Path | None = None
) -> dict[str, Any]:
    """The parsed task JSON, as shipped in the sdist."""
    path = task_path(name, cache_dir=cache_dir, source_dir=source_dir)
    with path.open(encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict):
        raise DatasetFetchError(f"bigbench task file {path} is not a JSON object")
    return data


def sdist_path(*, cache_dir: Path | None = None, source_dir: Path | None = None) -> Path:
    """The sdist archive: from `source_dir` if given, else the cache, else `pip download`."""
    source = source_dir or _env_path("LYCEUM_BIGBENCH_SOURCE_DIR")
    if source is not None:
        candidate = Path(source) / SDIST_NAME
        if not candidate.is_file():
            raise DatasetFetchError(
                f"{candidate} does not exist",
                hint="source_dir must hold the bigbench sdist downloaded with "
                f"'pip download --no-deps --no-binary :all: bigbench=={VERSION}'.",
            )
        return candidate
    target_dir = (cache_dir or data_dir()) / "bigbench"
    target = target_dir / SDIST_NAME
    if not target.is_file():
        _pip_download(target_dir)
    return target


def _env_path(var: str) -> Path | None:
    value = os.environ.get(var)
    return Path(value).expanduser() if value else None


def _extract_root(cache_dir: Path | None) -> Path:
    return (cache_dir or data_dir()) / "bigbench" / VERSION


def _pip_download(target_dir: Path) -> None:
    target_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
        "--disable-pip-version-check", "-d", str(target_dir), f"bigbench=={VERSION}",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (target_dir / SDIST_NAME).is_file():
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise DatasetFetchError(
            f"pip could not download bigbench=={VERSION}: {' | '.join(tail)}",
            hint="Check access to PyPI, or pass source_dir= a folder holding " + SDIST_NAME,
        )


def _extract_all(sdist: Path, root: Path) -> None:
    wanted = {TASKS_PREFIX + rel: root / rel for rel in TASK_FILES.values()}
    try:
        with tarfile.open(sdist, "r:gz") as tar:
            for member in tar:
                dest = wanted.get(member.name)
                if dest is None or not member.isfile():
                    continue
                source = tar.extractfile(member)
                if source is None:
                    continue
                _atomic_write(dest, source.read())
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise DatasetFetchError(
            f"cannot read {sdist}: {exc}",
            hint="Delete the file so it is downloaded again.",
        ) from exc
    missing = sorted(str(p) for p in wanted.values() if not p.exists())
    if missing:
        raise DatasetFetchError(f"{sdist} lacks expected task files: {', '.join(missing[:3])}")


def _atomic_write(dest: Path, payload: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _examples(task: dict[str, Any], name: str) -> list[dict[str, Any]]:
    examples = task.get("examples")
    if not isinstance(examples, list):
        raise DatasetFetchError(f"bigbench task {name!r} has no 'examples' list")
    return examples


def _best_target(target_scores: dict[str, float]) -> str:
    return max(target_scores, key=lambda k: target_scores[k])


def squad_examples(**location: Path | None) -> Iterator[SquadExample]:
    """SQuAD v1.1 dev: 10,565 of the official 10,570 questions (bigbench dropped answers
    that span sentences, and 5 questions left with none)."""
    for article in load_task("squad", **location)["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                yield SquadExample(
                    id=qa["id"],
                    title=article["title"],
                    question=qa["question"],
                    context=paragraph["context"],
                    answers=[a["text"] for a in qa["answers"]],
                )


def truthfulqa_examples(**location: Path | None) -> Iterator[TruthfulQAExample]:
    """TruthfulQA generation split (questions with true and false reference answers)."""
    for i, ex in enumerate(_examples(load_task("truthfulqa", **location), "truthfulqa")):
        yield TruthfulQAExample(
            id=f"truthfulqa-{i}",
            question=ex["Question"],
            category=ex.get("Category", ""),
            best_answer=ex["Best answer"],
            correct_answers=list(ex["True answers"]),
            incorrect_answers=list(ex["False answers"]),
        )


def truthfulqa_mc_examples(**location: Path | None) -> Iterator[TruthfulQAExample]:
    """TruthfulQA multiple choice (MC1): one correct option among `incorrect_answers`."""
    for i, ex in enumerate(_examples(load_task("truthfulqa_mc", **location), "truthfulqa_mc")):
        scores: dict[str, float] = ex["target_scores"]
        correct = [k for k, v in scores.items() if v > 0]
        yield TruthfulQAExample(
            id=f"truthfulqa_mc-{i}",
            question=ex["input"],
            category="",
            best_answer=_best_target(scores),
            correct_answers=correct,
            incorrect_answers=[k for k, v in scores.items() if v <= 0],
        )


def strategyqa_examples(**location: Path | None) -> Iterator[StrategyQAExample]:
    """StrategyQA yes/no questions with the annotators' explanation."""
    for i, ex in enumerate(_examples(load_task("strategyqa", **location), "strategyqa")):
        target: str = ex.get("target", "")
        explanation = target.split(".", 1)[1].strip() if "." in target else ""
        yield StrategyQAExample(
            id=f"strategyqa-{i}",
            question=ex["input"],
            answer=_best_target(ex["target_scores"]) == "Yes",
            explanation=explanation,
        )


_FEVER_PREFIX = "the following claim was made: "
_FEVER_SUFFIX = "\nQ: Was this claim true or false?"


def fever_examples(**location: Path | None) -> Iterator[ClaimExample]:
    """FEVER claims labelled true/false. Bigbench ships no evidence, so `evidence` is ''."""
    for ex in _examples(load_task("fever", **location), "fever"):
        text: str = ex["input"]
        claim = text.split(_FEVER_PREFIX, 1)[-1].removesuffix(_FEVER_SUFFIX).strip()
        label: Verdict = "supported" if _best_target(ex["target_scores"]) == "true" else "refuted"
        yield ClaimExample(id=f"fever-{ex['id']}", claim=claim, evidence="", label=label)


_VITAMINC_LABELS: dict[str, Verdict] = {
    "True": "supported",
    "False": "refuted",
    "Neither": "not_enough_info",
}


def vitaminc_examples(**location: Path | None) -> Iterator[ClaimExample]:
    """VitaminC claim/evidence pairs (54,668). Evidence is 'Page title: sentence(s)'."""
    for i, ex in enumerate(_examples(load_task("vitaminc", **location), "vitaminc")):
        evidence, sep, claim = ex["input"].rpartition("\nClaim: ")
        if not sep:
            raise DatasetFetchError(f"vitaminc example {i} has no 'Claim:' line")
        yield ClaimExample(
            id=f"vitaminc-{i}",
            claim=claim.strip(),
            evidence=evidence.strip(),
            label=_VITAMINC_LABELS[_best_target(ex["target_scores"])],
        )


def coqa_conversations(**location: Path | None) -> Iterator[CoQAConversation]:
    """CoQA stories with their question turns (700 stories, 10,930 questions here)."""
    for story in load_task("coqa", **location)["data"]:
        golds: dict[int, list[str]] = {}
        for answer in story["answers"]:
            golds.setdefault(answer["turn_id"], []).append(answer["input_text"])
        for extra in story.get("additional_answers", {}).values():
            for answer in extra:
                golds.setdefault(answer["turn_id"], []).append(answer["input_text"])
        turns = []
        for question in sorted(story["questions"], key=lambda q: q["turn_id"]):
            answers = [a.strip() for a in golds.get(question["turn_id"], []) if a.strip()]
            if not answers:
                raise DatasetFetchError(
                    f"coqa story {story['id']} turn {question['turn_id']} has no answer"
                )
            turns.append(
                CoQATurn(
                    turn=question["turn_id"],
                    question=question["input_text"],
                    answers=list(dict.fromkeys(answers)),
                )
            )
        yield CoQAConversation(
            id=story["id"], domain=story.get("source", ""), story=story["story"], turns=turns
        )


def arithmetic_examples(
    subtasks: list[str] | None = None, **location: Path | None
) -> Iterator[ArithmeticExample]:
    """Arithmetic questions ('What is 80 plus 29?') with integer answers, per subtask."""
    for subtask in subtasks or _ARITHMETIC_SUBTASKS:
        name = f"arithmetic/{subtask}"
        for i, ex in enumerate(_examples(load_task(name, **location), name)):
            yield ArithmeticExample(
                id=f"{subtask}-{i}", subtask=subtask, question=ex["input"], answer=ex["target"]
            )
