"""LLM judges: rubric scoring and pairwise preference with position swapping.

Judges are `Model`s and answer through structured output, so a local model and an API
model can sit on the same panel and their verdicts are always parseable.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lyceum.lab.methods.prompts import prompt
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams

Preference = Literal["A", "B", "tie"]


class Rubric(BaseModel):
    """What the judge scores against, and on which integer scale."""

    model_config = ConfigDict(extra="forbid")

    criteria: str = Field(
        default="Correct: agrees with the reference and the facts. Complete: answers what "
        "was asked. Concise: no padding.",
        description="The rubric text shown to the judge.",
    )
    scale_min: int = Field(default=1, description="Worst score.")
    scale_max: int = Field(default=5, description="Best score.")

    @model_validator(mode="after")
    def _ordered(self) -> Rubric:
        if self.scale_max <= self.scale_min:
            raise ValueError("scale_max must be greater than scale_min")
        return self

    def schema_for(self) -> type[BaseModel]:
        """The structured-output schema, with this rubric's bounds on the score."""
        lo, hi = self.scale_min, self.scale_max

        class RubricScore(BaseModel):
            reasoning: str = Field(description="Why this score, in one or two sentences.")
            score: int = Field(ge=lo, le=hi, description=f"Integer from {lo} to {hi}.")

        return RubricScore


class RubricJudgement(BaseModel):
    judge: str
    score: int
    normalized: float = Field(description="Score mapped to 0-1 on the rubric's scale.")
    reasoning: str


class _PairwiseVerdict(BaseModel):
    reasoning: str = Field(description="Why, in one or two sentences.")
    winner: Preference = Field(description='"A", "B", or "tie".')


class PairwiseJudgement(BaseModel):
    """A preference asked in both orders. `winner` refers to the caller's A and B."""

    judge: str
    winner: Preference
    consistent: bool = Field(description="Both orders named the same answer (or both tie).")
    first_order: Preference
    swapped_order: Preference
    reasoning: str


JUDGE_PARAMS = GenerateParams(max_tokens=384, temperature=0.0)


async def rubric_score(
    judge: Model,
    question: str,
    answer: str,
    rubric: Rubric | None = None,
    *,
    reference: str = "",
) -> RubricJudgement:
    """One judge's rubric score of one answer."""
    rubric = rubric or Rubric()
    messages = prompt("rubric", "judges.yaml").render(
        question=question,
        answer=answer,
        reference=reference,
        rubric=rubric.criteria,
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
    )
    verdict = await generate_structured(judge, messages, rubric.schema_for(), JUDGE_PARAMS)
    score = int(verdict.score)  # type: ignore[attr-defined]
    return RubricJudgement(
        judge=judge.name,
        score=score,
        normalized=(score - rubric.scale_min) / (rubric.scale_max - rubric.scale_min),
        reasoning=str(verdict.reasoning),  # type: ignore[attr-defined]
    )


_SWAP: dict[Preference, Preference] = {"A": "B", "B": "A", "tie": "tie"}


async def pairwise_preference(
    judge: Model, question: str, answer_a: str, answer_b: str, *, reference: str = ""
) -> PairwiseJudgement:
    """Which of two answers one judge prefers, asked in both orders to cancel position bias.

    When the two orders disagree the judge is position-biased on this pair, and the
    verdict is a tie.
    """
    template = prompt("pairwise", "judges.yaml")

    async def ask(first: str, second: str) -> _PairwiseVerdict:
        messages = template.render(
            question=question, answer_a=first, answer_b=second, reference=reference
        )
        return await generate_structured(judge, messages, _PairwiseVerdict, JUDGE_PARAMS)

    straight = await ask(answer_a, answer_b)
    swapped = await ask(answer_b, answer_a)
    unswapped = _SWAP[swapped.winner]
    consistent = straight.winner == unswapped
    return PairwiseJudgement(
        judge=judge.name,
        winner=straight.winner if consistent else "tie",
        consistent=consistent,
        first_order=straight.winner,
        swapped_order=unswapped,
        reasoning=straight.reasoning,
    )
