"""Methods that spend more calls per example: self-consistency and self-critique."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from lyceum.lab.datasets.base import Example
from lyceum.lab.methods.base import MethodEnv, MethodParams, TracedModel, method
from lyceum.lab.methods.extraction import extract_answer
from lyceum.lab.methods.prompts import prompt
from lyceum.lab.metrics.squad import normalize_answer
from lyceum.lab.outputs import MethodOutput
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams


class SelfConsistencyParams(MethodParams):
    samples: int = Field(default=5, ge=1, le=64, description="Chains of thought sampled.")
    temperature: float = Field(default=0.7, gt=0.0, le=2.0, description="Sampling temperature.")
    use_context: bool = Field(default=True, description="Show the example's context.")


def majority_vote(answers: list[str]) -> tuple[str, int]:
    """The most frequent answer (compared after SQuAD normalization; ties go to the
    earliest sample) and its vote count. Empty answers do not vote."""
    keyed = [(normalize_answer(a), a) for a in answers if a.strip()]
    if not keyed:
        return "", 0
    counts = Counter(key for key, _ in keyed)
    best = max(counts.values())
    for key, original in keyed:
        if counts[key] == best:
            return original, best
    raise AssertionError("unreachable: a maximum count belongs to some answer")


@method("self_consistency", params=SelfConsistencyParams)
class SelfConsistency:
    """Sample N chains of thought at temperature > 0 and take the majority answer."""

    def __init__(self, params: SelfConsistencyParams, env: MethodEnv) -> None:
        self.params = params
        self.template = prompt("cot")

    async def solve(self, example: Example, model: Model) -> MethodOutput:
        context = example.context if self.params.use_context else ""
        messages = self.template.render(question=example.question, context=context)
        answers: list[str] = []
        raws: list[str] = []
        for i in range(self.params.samples):
            params = GenerateParams(
                max_tokens=self.params.max_tokens,
                temperature=self.params.temperature,
                sample_index=i,
            )
            completion = await model.generate(messages, params)
            raws.append(completion.text)
            answers.append(extract_answer(completion.text))
        winner, votes = majority_vote(answers)
        if isinstance(model, TracedModel):
            model.note("vote", winner, answers=answers, votes=votes)
        return MethodOutput(
            prediction=winner, raw_output=raws[answers.index(winner)] if winner else ""
        )


class Critique(BaseModel):
    """A checker's verdict on a proposed answer."""

    correct: bool = Field(description="True if the proposed answer is correct and complete.")
    problems: str = Field(default="", description="What is wrong with the answer, if anything.")


class SelfCritiqueParams(MethodParams):
    rounds: int = Field(default=2, ge=1, le=10, description="Most critique-revise rounds.")
    use_context: bool = Field(default=True, description="Show the example's context.")


@method("self_critique", params=SelfCritiqueParams)
class SelfCritique:
    """Answer with chain-of-thought, then critique and revise up to `rounds` times."""

    def __init__(self, params: SelfCritiqueParams, env: MethodEnv) -> None:
        self.params = params
        self.answer_prompt = prompt("cot")
        self.critique_prompt = prompt("critique")
        self.revise_prompt = prompt("revise")

    async def solve(self, example: Example, model: Model) -> MethodOutput:
        context = example.context if self.params.use_context else ""
        gen = GenerateParams(max_tokens=self.params.max_tokens)
        completion = await model.generate(
            self.answer_prompt.render(question=example.question, context=context), gen
        )
        raw, answer = completion.text, extract_answer(completion.text)
        for round_no in range(1, self.params.rounds + 1):
            verdict = await generate_structured(
                model,
                self.critique_prompt.render(
                    question=example.question, context=context, answer=answer
                ),
                Critique,
                gen,
            )
            if isinstance(model, TracedModel):
                model.note("critique", verdict.problems, round=round_no, correct=verdict.correct)
            if verdict.correct:
                break
            completion = await model.generate(
                self.revise_prompt.render(
                    question=example.question,
                    context=context,
                    answer=answer,
                    critique=verdict.problems,
                ),
                gen,
            )
            raw, answer = completion.text, extract_answer(completion.text)
        return MethodOutput(prediction=answer, raw_output=raw)
