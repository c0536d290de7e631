"""A panel of judges: consensus verdicts and how much the judges agree."""

from __future__ import annotations

import asyncio
import statistics
from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from pydantic import BaseModel

from lyceum.lab.judges.agreement import cohens_kappa, fleiss_kappa
from lyceum.lab.judges.judges import (
    PairwiseJudgement,
    Preference,
    Rubric,
    RubricJudgement,
    pairwise_preference,
    rubric_score,
)
from lyceum.llm.model import Model


class PanelRubricResult(BaseModel):
    judgements: list[RubricJudgement]
    consensus: float
    """Median score of the judges."""
    spread: int
    """Highest minus lowest score: 0 when the panel is unanimous."""


class PanelPairwiseResult(BaseModel):
    judgements: list[PairwiseJudgement]
    consensus: Preference
    """The majority winner; no strict majority is a tie."""
    votes: dict[str, int]


class Agreement(BaseModel):
    """Agreement of the panel over many items."""

    judges: list[str]
    items: int
    fleiss_kappa: float | None
    cohens_kappa: dict[str, float]
    """Cohen's kappa per pair of judges, keyed 'judge1 ~ judge2'."""


class JudgePanel:
    """Several judge models asked the same thing; each judge must have a distinct `name`."""

    def __init__(self, judges: Sequence[Model]) -> None:
        if not judges:
            raise ValueError("a judge panel needs at least one judge")
        names = [j.name for j in judges]
        if len(set(names)) != len(names):
            raise ValueError(f"judges need distinct names, got {names}")
        self.judges = list(judges)

    @property
    def names(self) -> list[str]:
        return [j.name for j in self.judges]

    async def rate(
        self, question: str, answer: str, rubric: Rubric | None = None, *, reference: str = ""
    ) -> PanelRubricResult:
        judgements = await asyncio.gather(
            *(rubric_score(j, question, answer, rubric, reference=reference) for j in self.judges)
        )
        scores = [j.score for j in judgements]
        return PanelRubricResult(
            judgements=list(judgements),
            consensus=float(statistics.median(scores)),
            spread=max(scores) - min(scores),
        )

    async def prefer(
        self, question: str, answer_a: str, answer_b: str, *, reference: str = ""
    ) -> PanelPairwiseResult:
        judgements = await asyncio.gather(
            *(
                pairwise_preference(j, question, answer_a, answer_b, reference=reference)
                for j in self.judges
            )
        )
        votes = Counter(j.winner for j in judgements)
        top, count = votes.most_common(1)[0]
        consensus: Preference = top if count * 2 > len(judgements) else "tie"
        return PanelPairwiseResult(
            judgements=list(judgements),
            consensus=consensus,
            votes={k: votes.get(k, 0) for k in ("A", "B", "tie")},
        )


def panel_agreement(labels_by_judge: dict[str, Sequence[object]]) -> Agreement:
    """Agreement from each judge's labels on the same items (rubric scores or winners)."""
    judges = list(labels_by_judge)
    lengths = {len(v) for v in labels_by_judge.values()}
    if len(lengths) != 1:
        raise ValueError("every judge must have labelled the same items")
    items = lengths.pop()
    pairs = {
        f"{a} ~ {b}": cohens_kappa(list(labels_by_judge[a]), list(labels_by_judge[b]))
        for a, b in combinations(judges, 2)
    }
    fleiss = None
    if len(judges) >= 2 and items:
        per_item = [[labels_by_judge[j][i] for j in judges] for i in range(items)]
        fleiss = fleiss_kappa(per_item)
    return Agreement(judges=judges, items=items, fleiss_kappa=fleiss, cohens_kappa=pairs)
