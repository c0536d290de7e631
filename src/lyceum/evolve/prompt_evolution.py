"""Prompt-level evolution (no GPU): distil principles from successful and failed episodes
into a system-prompt addendum, deduplicated against the production one, and register it
as a new candidate prompt version.

An episode is one task with its outcome: a lab answer scored correct or wrong, or a research
sentence the verifier found supported or not.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from lyceum.evolve.harvest import trajectory_files
from lyceum.evolve.registry import Registry, Version
from lyceum.evolve.settings import EvolveSettings
from lyceum.lab.results import get_run, load_results
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams, Message
from lyceum.retrieval.embeddings import Embedder
from lyceum.store.db import Database

DISTIL_SYSTEM = (
    "You study how an assistant did on past tasks and write short, general principles that "
    "would make it succeed more often. Each principle is one imperative sentence that applies "
    "to many tasks, not to one question. Do not restate the tasks."
)
DISTIL_USER = (
    "Successful episodes:\n{successes}\n\nFailed episodes:\n{failures}\n\n"
    'Write at most {limit} principles as JSON: {{"principles": ["...", ...]}}.'
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


class Principles(BaseModel):
    principles: list[str] = Field(description="Short general principles, one sentence each.")


class EvolutionResult(BaseModel):
    version: Version | None
    """The new candidate, or None when no new principle survived deduplication."""
    proposed: list[str]
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
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("type") == "question":
                question = str(r.get("question", ""))
            elif r.get("type") == "verdict":
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
                limit=settings.max_principles,
            )
        ),
    ]
    with call_context(run_id=run_id, caller="evolve.prompt"):
        proposed = await generate_structured(
            model, messages, Principles, GenerateParams(max_tokens=400, temperature=0.0)
        )
    production = registry.production("prompt")
    existing = list(production.payload.get("principles", [])) if production else []
    merged = deduplicate([*existing, *proposed.principles], embedder, settings.principle_similarity)
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
        new=new,
        principles=principles,
        successes=len(successes),
        failures=len(failures),
    )
