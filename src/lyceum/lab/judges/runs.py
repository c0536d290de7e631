"""Judging a stored experiment run: each answer rated (or two methods' answers compared)
by a panel, verdicts saved in `lab_judgements` beside the results they judge."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from pydantic import BaseModel
from sqlalchemy import select

from lyceum.errors import NotFoundError
from lyceum.lab.judges.judges import Rubric
from lyceum.lab.judges.panel import Agreement, JudgePanel, panel_agreement
from lyceum.lab.results import ExampleResult, get_run, load_results
from lyceum.llm.context import call_context
from lyceum.store.db import Database
from lyceum.store.lab_tables import LabJudgementRow


class SubjectRating(BaseModel):
    """Rubric ratings of one condition (model/method) of a run."""

    subject: str
    items: int
    mean_consensus: float
    """Mean of the panel's median normalized score (0-1)."""
    agreement: Agreement


class PairwiseSummary(BaseModel):
    a: str
    b: str
    items: int
    a_wins: int
    b_wins: int
    ties: int
    inconsistent: int
    """Judge verdicts that flipped with the answers' order (counted as ties)."""
    agreement: Agreement


def _subject(result: ExampleResult) -> str:
    return f"{result.dataset}/{result.model}/{result.method}"


async def judge_run(
    db: Database,
    run_id: str,
    panel: JudgePanel,
    rubric: Rubric | None = None,
    *,
    method: str | None = None,
    concurrency: int = 4,
) -> list[SubjectRating]:
    """Rate every finished answer of the run (optionally one method's) with the panel."""
    run = get_run(db, run_id)
    results = [
        r
        for r in load_results(db, run.id)
        if r.status == "done" and (method is None or r.method == method)
    ]
    if not results:
        raise NotFoundError(f"run {run.id} has no finished results to judge")
    semaphore = asyncio.Semaphore(concurrency)
    labels: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    consensus: dict[str, list[float]] = defaultdict(list)
    rubric = rubric or Rubric()
    scale = rubric.scale_max - rubric.scale_min

    async def rate(result: ExampleResult) -> None:
        async with semaphore:
            with call_context(run_id=run.id, caller="lab.judge"):
                verdict = await panel.rate(
                    result.question,
                    result.prediction,
                    rubric,
                    reference=result.gold[0] if result.gold else "",
                )
        subject = _subject(result)
        for j in verdict.judgements:
            labels[subject][j.judge].append(j.score)
        consensus[subject].append((verdict.consensus - rubric.scale_min) / scale)
        with db.session() as session:
            session.add_all(
                LabJudgementRow(
                    run_id=run.id,
                    kind="rubric",
                    judge=j.judge,
                    dataset=result.dataset,
                    example_id=result.example_id,
                    subject=subject,
                    score=j.normalized,
                    verdict=str(j.score),
                    reasoning=j.reasoning,
                )
                for j in verdict.judgements
            )

    await asyncio.gather(*(rate(r) for r in results))
    return [
        SubjectRating(
            subject=subject,
            items=len(consensus[subject]),
            mean_consensus=sum(consensus[subject]) / len(consensus[subject]),
            agreement=panel_agreement(dict(labels[subject])),
        )
        for subject in sorted(consensus)
    ]


async def judge_pair(
    db: Database,
    run_id: str,
    panel: JudgePanel,
    method_a: str,
    method_b: str,
    *,
    concurrency: int = 4,
) -> PairwiseSummary:
    """Compare two methods' answers example by example (same dataset and model)."""
    run = get_run(db, run_id)
    results = [r for r in load_results(db, run.id) if r.status == "done"]
    by_key: dict[tuple[str, str, str], dict[str, ExampleResult]] = defaultdict(dict)
    for r in results:
        by_key[(r.dataset, r.model, r.example_id)][r.method] = r
    pairs = [(v[method_a], v[method_b]) for v in by_key.values() if {method_a, method_b} <= set(v)]
    if not pairs:
        raise NotFoundError(
            f"run {run.id} has no examples answered by both {method_a} and {method_b}"
        )
    semaphore = asyncio.Semaphore(concurrency)
    winners: dict[str, list[str]] = defaultdict(list)
    consensus: list[str] = []
    inconsistent = 0

    async def compare(a: ExampleResult, b: ExampleResult) -> None:
        nonlocal inconsistent
        async with semaphore:
            with call_context(run_id=run.id, caller="lab.judge"):
                verdict = await panel.prefer(
                    a.question, a.prediction, b.prediction, reference=a.gold[0] if a.gold else ""
                )
        consensus.append(verdict.consensus)
        for j in verdict.judgements:
            winners[j.judge].append(j.winner)
            inconsistent += not j.consistent
        with db.session() as session:
            session.add_all(
                LabJudgementRow(
                    run_id=run.id,
                    kind="pairwise",
                    judge=j.judge,
                    dataset=a.dataset,
                    example_id=a.example_id,
                    subject=f"{method_a} vs {method_b}",
                    score=None,
                    verdict=j.winner,
                    reasoning=j.reasoning,
                )
                for j in verdict.judgements
            )

    await asyncio.gather(*(compare(a, b) for a, b in pairs))
    return PairwiseSummary(
        a=method_a,
        b=method_b,
        items=len(pairs),
        a_wins=consensus.count("A"),
        b_wins=consensus.count("B"),
        ties=consensus.count("tie"),
        inconsistent=inconsistent,
        agreement=panel_agreement(dict(winners)),
    )


def count_judgements(db: Database, run_id: str) -> int:
    with db.session() as session:
        return len(
            session.scalars(
                select(LabJudgementRow.id).where(LabJudgementRow.run_id == run_id)
            ).all()
        )
