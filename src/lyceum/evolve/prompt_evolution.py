"""Prompt-level evolution (no GPU): distil principles from successful and failed episodes
into a system-prompt addendum, deduplicated against the production one, and register it
as a new candidate prompt version.

An episode is one task with its outcome: a lab answer scored correct or wrong, or a research
sentence the verifier found supported or not.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, Field, StringConstraints

from lyceum.errors import StructuredOutputError
from lyceum.evolve.harvest import trajectory_files
from lyceum.evolve.registry import Registry, Version
from lyceum.evolve.settings import EvolveSettings
from lyceum.lab.results import get_run, load_results
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams, Message
from lyceum.research.trajectory import drafted_by_model, read_trajectory
from lyceum.retrieval.embeddings import Embedder
from lyceum.store.db import Database

DISTIL_SYSTEM = (
    "You coach an assistant. From its past successes and failures you write short, general "
    "rules about HOW to answer (format, use of the context, checking, length), never facts "
    "about the topics. Each rule is one imperative sentence that would help on other tasks.\n"
    'Good rules: "Answer with only the requested fact, in as few words as possible." '
    '"Take the answer from the given context, not from memory." '
    'Bad rules (facts, not rules): "The capital of France is Paris."'
)
DISTIL_USER = (
    "Successful episodes:\n{successes}\n\nFailed episodes:\n{failures}\n\n"
    "Compare the failed answers with the expected ones: what habit would have avoided the "
    'mistake? Write at most {limit} rules as JSON: {{"principles": ["...", ...]}}.'
)
DIAGNOSE_USER = (
    "An assistant failed this task.\n{episode}\n\nWhat went wrong? One of: {modes}.\n"
    "- answer_too_long: it said more than the requested fact\n"
    "- not_from_context: the answer is not what the given context says\n"
    "- wrong_target: it answered a different thing than asked\n"
    "- unsupported_claim: it stated something no source supports\n"
    "- ignored_format: it ignored the requested format\n"
    'Reply as JSON: {{"failure_mode": "..."}}.'
)
ADDENDUM_HEADER = "Principles learned from earlier work:"


class Episode(BaseModel):
    task: str
    answer: str
    outcome: Literal["success", "failure"]
    expected: str = ""
    source: str = ""

    def render(self) -> str:
        text = f"- Task: {self.task[:300]}\n  Answer: {self.answer[:200]}"
        if self.expected and self.outcome == "failure":
            text += f"\n  Expected: {self.expected[:120]}"
        return text


# Common ways answers fail, each with the rule that avoids it. A small model that cannot
# write a good general rule can still name the failure; its rule comes from here.
FAILURE_MODES: dict[str, str] = {
    "answer_too_long": "Answer with only the requested fact, in as few words as possible.",
    "not_from_context": "Take the answer from the given context, not from memory.",
    "wrong_target": "Check that the answer is the exact thing the question asks for "
    "(a year, a person, a place, a number).",
    "unsupported_claim": "State only what a source supports; leave out claims the sources "
    "do not make.",
    "ignored_format": "Follow the requested answer format exactly.",
}
FailureMode = Literal[
    "answer_too_long", "not_from_context", "wrong_target", "unsupported_claim", "ignored_format"
]


# Bounds the distilled output: a local model under a JSON grammar must be able to close the
# object within the call's token budget. Without them the embedded model repeated one rule
# until the budget ran out, and the cut-off JSON failed validation.
MAX_DISTILLED = 6
MAX_PRINCIPLE_CHARS = 200


class Principles(BaseModel):
    principles: list[Annotated[str, StringConstraints(max_length=MAX_PRINCIPLE_CHARS)]] = Field(
        max_length=MAX_DISTILLED, description="Short general rules, one sentence each."
    )


class Diagnosis(BaseModel):
    failure_mode: FailureMode = Field(description="What went wrong in this episode.")


class EvolutionResult(BaseModel):
    version: Version | None
    """The new candidate, or None when no new principle survived deduplication."""
    proposed: list[str]
    failure_modes: list[str]
    new: list[str]
    principles: list[str]
    successes: int
    failures: int


def lab_episodes(db: Database, run_id: str) -> list[Episode]:
    run = get_run(db, run_id)
    metric = str((run.config.get("metrics") or ["exact_match"])[0])
    threshold = float(run.config.get("correct_threshold", 0.5))
    out = []
    for r in load_results(db, run.id):
        if r.status != "done":
            continue
        ok = float(r.scores.get(metric) or 0.0) >= threshold
        out.append(
            Episode(
                task=r.question,
                answer=r.prediction,
                outcome="success" if ok else "failure",
                expected=", ".join(r.gold[:3]),
                source=f"lab:{run.id}",
            )
        )
    return out


def research_episodes(paths: Iterable[Path]) -> list[Episode]:
    out = []
    for path in trajectory_files(paths):
        question = ""
        for r in read_trajectory(path).records:
            if r.get("type") == "question":
                question = str(r.get("question", ""))
            elif r.get("type") == "verdict" and drafted_by_model(r):
                ok = r.get("draft_label") == "supported"
                out.append(
                    Episode(
                        task=f"Write a sourced sentence on: {question}",
                        answer=str(r.get("draft_text") or r.get("text") or ""),
                        outcome="success" if ok else "failure",
                        source=f"research:{r.get('run_id', '')}",
                    )
                )
    return out


def restates_episode(principle: str, episodes: Sequence[Episode], n: int = 4) -> bool:
    """A "principle" sharing a run of `n` words with an episode's task or expected answer
    restates it: a fact, not a rule."""
    words = _normal(principle).split()
    grams = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    if not grams:
        return False
    for e in episodes:
        source = _normal(f"{e.task} {e.expected}").split()
        if grams & {tuple(source[i : i + n]) for i in range(len(source) - n + 1)}:
            return True
    return False


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", " ".join(text.lower().split())).strip()


def deduplicate(principles: Sequence[str], embedder: Embedder, threshold: float) -> list[str]:
    """Keep the first of each group of principles that are equal after normalisation or
    whose embeddings have cosine similarity >= threshold."""
    cleaned = [" ".join(p.split()).strip() for p in principles if p.strip()]
    if not cleaned:
        return []
    vectors = embedder.embed(cleaned)
    kept: list[int] = []
    seen: set[str] = set()
    for i, text in enumerate(cleaned):
        key = _normal(text)
        if not key or key in seen:
            continue
        if kept and float(np.max(vectors[kept] @ vectors[i])) >= threshold:
            continue
        kept.append(i)
        seen.add(key)
    return [cleaned[i] for i in kept]


def render_addendum(principles: Sequence[str]) -> str:
    if not principles:
        return ""
    return "\n".join([ADDENDUM_HEADER, *(f"- {p}" for p in principles)])


async def _diagnose(model: Model, episode: Episode) -> str | None:
    """The failure mode of one failed episode; None when the model's reply does not fit."""
    messages = [
        Message.system(DISTIL_SYSTEM),
        Message.user(
            DIAGNOSE_USER.format(episode=episode.render(), modes=", ".join(FAILURE_MODES))
        ),
    ]
    try:
        diagnosis = await generate_structured(
            model, messages, Diagnosis, GenerateParams(max_tokens=40, temperature=0.0)
        )
    except StructuredOutputError:
        # One undiagnosed episode is a lost observation, not a failed evolution.
        return None
    return diagnosis.failure_mode


def _pick(episodes: Sequence[Episode], outcome: str, k: int, seed: int) -> list[Episode]:
    pool = [e for e in episodes if e.outcome == outcome]
    if len(pool) <= k:
        return pool
    return random.Random(f"{seed}:{outcome}").sample(pool, k)


async def evolve_prompt(
    model: Model,
    episodes: Sequence[Episode],
    *,
    registry: Registry,
    embedder: Embedder,
    settings: EvolveSettings,
    max_episodes: int = 8,
    run_id: str | None = None,
) -> EvolutionResult:
    """Ask `model` for principles, merge them into production's, register a candidate."""
    successes = _pick(episodes, "success", max_episodes, settings.seed)
    failures = _pick(episodes, "failure", max_episodes, settings.seed)
    if not successes and not failures:
        raise ValueError("prompt evolution needs at least one episode")
    messages = [
        Message.system(DISTIL_SYSTEM),
        Message.user(
            DISTIL_USER.format(
                successes="\n".join(e.render() for e in successes) or "(none)",
                failures="\n".join(e.render() for e in failures) or "(none)",
                limit=min(settings.max_principles, MAX_DISTILLED),
            )
        ),
    ]
    with call_context(run_id=run_id, caller="evolve.prompt"):
        proposed = await generate_structured(
            model, messages, Principles, GenerateParams(max_tokens=600, temperature=0.0)
        )
        modes = [await _diagnose(model, e) for e in failures]
    shown = [*successes, *failures]
    written = [p for p in proposed.principles if not restates_episode(p, shown)]
    # Most frequent failure first, so the rules for common mistakes come first.
    ranked = [m for m, _ in Counter(m for m in modes if m is not None).most_common()]
    diagnosed = [FAILURE_MODES[m] for m in ranked]
    production = registry.production("prompt")
    existing = list(production.payload.get("principles", [])) if production else []
    merged = deduplicate([*existing, *diagnosed, *written], embedder, settings.principle_similarity)
    new = [p for p in merged if p not in existing]
    principles = merged[-settings.max_principles :]
    version = None
    if new:
        version = registry.register(
            "prompt",
            {
                "addendum": render_addendum(principles),
                "principles": principles,
                "new_principles": new,
                "episodes": {"successes": len(successes), "failures": len(failures)},
            },
            parent_id=production.id if production else None,
            reason=f"distilled {len(new)} new principle(s) from {len(successes)} successful "
            f"and {len(failures)} failed episodes",
        )
    return EvolutionResult(
        version=version,
        proposed=list(proposed.principles),
        failure_modes=ranked,
        new=new,
        principles=principles,
        successes=len(successes),
        failures=len(failures),
    )
