"""The skill the loop trains and the arena measures: the research writer's first drafts.

The research pipeline labels this skill itself. Its writer drafts each report sentence
from the notes of a section; the verify step then runs the claim check on the draft *as
written* against the passages its notes came from, and rewrites (or replaces by a quote)
every draft it does not find supported. A research run's `trajectory.jsonl` keeps, per
cited sentence, the draft, the draft's label, the final text and its label, and the notes
and passages behind it. So one drafted sentence is one task:

- input: the research question, the section, the numbered notes (the workers' claims);
- label: whether the claim check supports the draft against the notes' passages.

Training data (`training_examples`): drafts supported as written are SFT rows; a draft the
check rejected and whose rewrite it supported is a DPO pair (chosen = rewrite, rejected =
draft). The arena (`score_drafts`) asks each model for the sentence of a held-out task and
scores it with the same claim check, the same evidence and titles as the verify step; the
metric is the share of drafts supported as written. Tasks come from runs (and questions)
that training never sees: the arena's tasks file names its run ids and questions, and the
loop drops every training example from them (`closed_loop`).

What the arena leaves out of the verify step: the relevance gate (the check that a
sentence bears on the question) and the writer's JSON envelope. A sentence of fewer than
`MIN_WORDS` words counts as unsupported, as the writer drops such sentences.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from lyceum.errors import ConfigError, LyceumError, NotFoundError
from lyceum.evolve.examples import CandidateExample
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.types import GenerateParams, Message
from lyceum.research.trajectory import Trajectory, drafted_by_model, read_trajectory
from lyceum.research.verify import ClaimScorer
from lyceum.sources.untrusted import neutralize

DRAFT_PROMPT = (
    "You write one sentence of a research report using only the numbered notes.\n"
    "Research question: {question}\n"
    "Section: {section}\n\n"
    "Notes:\n{notes}\n\n"
    "Write one sentence for this section that states facts from the notes. Name the subject "
    'instead of starting with "it", "this" or "they". Write nothing the notes do not say.'
)
"""The task as the model sees it, in training rows and in the arena alike."""

MAX_NOTES = 8
MAX_NOTE_CHARS = 400
MIN_WORDS = 4
DRAFT_TOKENS = 80


class TaskPassage(BaseModel):
    """A passage the writer saw for a task: the title and text it may cite."""

    title: str = ""
    text: str


class WriterTask(BaseModel):
    """One drafted report sentence of a research run, with what the writer saw and what
    the claim check said."""

    id: str = Field(description="run id : index of the sentence in the run's verdicts.")
    run_id: str
    question: str
    section: str
    notes: list[str] = Field(min_length=1, description="The claims of the cited notes.")
    passages: list[TaskPassage] = Field(min_length=1, description="The notes' passages.")
    draft: str = ""
    draft_label: str | None = None
    final: str = ""
    label: str | None = None
    draft_support: float | None = None
    final_support: float | None = None

    def prompt(self) -> str:
        listing = "\n".join(
            f"[{i}] {neutralize(n)[:MAX_NOTE_CHARS]}"
            for i, n in enumerate(self.notes[:MAX_NOTES], 1)
        )
        return DRAFT_PROMPT.format(
            question=neutralize(self.question), section=neutralize(self.section), notes=listing
        )


class TaskFileError(LyceumError):
    """A writer-task file has lines that are not tasks."""


def _support(verdict: Any) -> float | None:
    probabilities = verdict.get("probabilities") if isinstance(verdict, dict) else None
    value = (probabilities or {}).get("supported")
    return float(value) if isinstance(value, int | float) else None


def tasks_from_trajectory(trajectory: Trajectory | Path) -> list[WriterTask]:
    """The sentences the writer model drafted in one research run that cite notes with
    passages (not those code wrote from a note's quote: runs on the embedded model write
    every section so, unless `draft_with_model` is on)."""
    if not isinstance(trajectory, Trajectory):
        trajectory = read_trajectory(trajectory)
    if not trajectory.of_type("question"):
        return []
    question = trajectory.question
    run_id = trajectory.run_id
    notes = trajectory.by_id("note")
    passages = trajectory.by_id("passage")
    out: list[WriterTask] = []
    verdicts = trajectory.of_type("verdict")
    for i, v in enumerate(verdicts):
        cited = [notes[n] for n in v.get("notes") or [] if n in notes]
        seen: dict[str, TaskPassage] = {}
        for note in cited:
            p = passages.get(str(note.get("passage_id")))
            if p and str(p.get("text", "")).strip():
                seen.setdefault(str(p["id"]), TaskPassage(title=str(p.get("title") or ""),
                                                      text=str(p["text"])))  # fmt: skip
        claims = [str(n.get("claim", "")) for n in cited if str(n.get("claim", "")).strip()]
        if not claims or not seen or not str(v.get("draft_text") or "").strip():
            continue
        if not drafted_by_model(v):
            continue
        out.append(
            WriterTask(
                id=f"{run_id}:{i}",
                run_id=run_id,
                question=question,
                section=str(v.get("section", "")),
                notes=claims,
                passages=list(seen.values()),
                draft=str(v.get("draft_text") or ""),
                draft_label=v.get("draft_label"),
                final=str(v.get("text") or ""),
                label=v.get("label"),
                draft_support=_support(v.get("draft_verdict")),
                final_support=_support(v.get("verdict")),
            )
        )
    return out


def training_examples(task: WriterTask, *, depth: int) -> list[CandidateExample]:
    """SFT for a draft supported as written; DPO (rewrite over draft) for a draft the
    check rejected and whose rewrite it supported; nothing otherwise.

    Quality is the claim check's verdict on the output (1: supported), on the scale of a
    report row's quality (the share of its sentences supported) and of the gate's
    `min_mean_quality`. The verifier's calibrated supported probability is not: over three
    classes a "supported" verdict typically carries 0.5-0.6, so a batch of drafts all
    supported as written had a mean of 0.57 and the gate refused every writer batch."""
    common: dict[str, Any] = {"instruction": task.prompt(), "synthetic": True,
                              "generation_depth": depth, "source": "research",
                              "source_run": task.run_id, "quality": 1.0}  # fmt: skip
    if task.draft_label == "supported":
        return [CandidateExample(id=f"research:{task.id}:draft", output=task.draft,
                                 **common)]  # fmt: skip
    if task.label == "supported" and task.final.strip() and task.final != task.draft:
        return [CandidateExample(id=f"research:{task.id}:revision", kind="dpo",
                                 output=task.final, rejected=task.draft, **common)]  # fmt: skip
    return []


def write_tasks(path: Path, tasks: Iterable[WriterTask]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [t.model_dump_json() for t in tasks]
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def load_tasks(path: Path) -> list[WriterTask]:
    """A task file written by `write_tasks` (`lyceum evolve tasks`); bad lines are named."""
    if not path.exists():
        raise NotFoundError(f"no writer-task file {path}",
                            hint="Write one with 'lyceum evolve tasks -t RUNS --out FILE'.")  # fmt: skip
    tasks, errors = [], []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            tasks.append(WriterTask.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            errors.append(f"line {i}: {'.'.join(map(str, first['loc'])) or 'row'}: {first['msg']}")
    if errors:
        raise TaskFileError(f"{path} has bad lines: " + "; ".join(errors[:5]),
                            hint="Write the file with 'lyceum evolve tasks'.")  # fmt: skip
    if not tasks:
        raise ConfigError(f"{path} holds no tasks", hint="Hold out research runs with notes.")
    return tasks


_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)]|sentence:)\s*", re.IGNORECASE)
_CITATION = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")


def first_sentence(text: str) -> str:
    """The sentence a model's answer offers: its first non-empty line, without a bullet,
    quotes or note numbers."""
    for line in text.splitlines():
        line = _CITATION.sub("", _BULLET.sub("", line)).strip().strip('"').strip()
        if line:
            return line
    return ""


def _evidence(text: str) -> str:
    # the verify step shows the claim check only a passage's quotable sentences
    from lyceum.research.matching import evidence_text

    return evidence_text(text) or text


async def supported(scorer: ClaimScorer, task: WriterTask, sentence: str) -> bool:
    """The verify step's verdict on `sentence` as written: supported by one of its passages."""
    if len(sentence.split()) < MIN_WORDS:
        return False
    verdicts = await scorer.score_many(
        [(sentence, _evidence(p.text)) for p in task.passages],
        titles=[p.title or None for p in task.passages],
    )
    return any(getattr(v, "verdict", None) == "supported" for v in verdicts)


class DraftScore(BaseModel):
    task_id: str
    sentence: str
    supported: bool


async def score_drafts(
    model: Model, tasks: Sequence[WriterTask], scorer: ClaimScorer, *, concurrency: int = 1
) -> list[DraftScore]:
    """Each task's sentence drafted by `model` (greedy) and labelled by the claim check."""
    slots = asyncio.Semaphore(concurrency)
    params = GenerateParams(max_tokens=DRAFT_TOKENS, temperature=0.0)

    async def one(task: WriterTask) -> DraftScore:
        async with slots:
            with call_context(caller="evolve.arena.writer"):
                completion = await model.generate([Message.user(task.prompt())], params)
        sentence = first_sentence(completion.text)
        return DraftScore(task_id=task.id, sentence=sentence,
                          supported=await supported(scorer, task, sentence))  # fmt: skip

    return list(await asyncio.gather(*(one(t) for t in tasks)))


def held_out_keys(tasks: Sequence[WriterTask]) -> tuple[set[str], set[str]]:
    """The run ids and research questions of the arena's tasks: training must not see them."""
    return {t.run_id for t in tasks}, {t.question for t in tasks}
