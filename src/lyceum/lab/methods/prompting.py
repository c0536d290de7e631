"""Prompting methods: naive, zero-shot chain-of-thought, few-shot chain-of-thought."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from lyceum.errors import ConfigError, NotFoundError, validation_problems
from lyceum.jsonl import parse_jsonl
from lyceum.lab.datasets.base import Example
from lyceum.lab.methods.base import MethodEnv, MethodParams, method
from lyceum.lab.methods.extraction import extract_answer, states_answer
from lyceum.lab.methods.prompts import prompt
from lyceum.lab.outputs import MethodOutput
from lyceum.llm.model import Model
from lyceum.llm.types import GenerateParams, Message


class NaiveParams(MethodParams):
    max_tokens: int = Field(default=64, ge=1, description="Token budget of the answer.")
    use_context: bool = Field(default=True, description="Show the example's context.")


@method("naive", params=NaiveParams)
class Naive:
    """Ask the question and take the reply as the answer."""

    def __init__(self, params: NaiveParams, env: MethodEnv) -> None:
        self.params = params
        self.template = prompt("naive")

    async def solve(self, example: Example, model: Model) -> MethodOutput:
        context = example.context if self.params.use_context else ""
        messages = self.template.render(question=example.question, context=context)
        completion = await model.generate(
            messages, GenerateParams(max_tokens=self.params.max_tokens)
        )
        return MethodOutput(prediction=extract_answer(completion.text), raw_output=completion.text)


class CoTParams(MethodParams):
    use_context: bool = Field(default=True, description="Show the example's context.")
    answer_stage: bool = Field(
        default=True,
        description="When the reasoning stops before stating an answer, ask for the answer "
        "in a second short call (two-stage zero-shot CoT).",
    )


async def reason_then_answer(
    model: Model, messages: list[Message], params: CoTParams, question: str
) -> MethodOutput:
    """One reasoning call; a second, short call for the answer only if the first was cut
    off by the token budget or ended without stating an answer."""
    completion = await model.generate(messages, GenerateParams(max_tokens=params.max_tokens))
    text = completion.text
    cut_off = completion.finish_reason == "length"
    if params.answer_stage and (cut_off or not states_answer(text)):
        follow_up = [
            *messages,
            Message.assistant(text),
            prompt("answer_stage").render_user(question=question),
        ]
        answer = await model.generate(follow_up, GenerateParams(max_tokens=32))
        return MethodOutput(
            prediction=extract_answer(answer.text), raw_output=f"{text}\n{answer.text}"
        )
    return MethodOutput(prediction=extract_answer(text), raw_output=text)


@method("cot", params=CoTParams)
class ChainOfThought:
    """Zero-shot chain-of-thought: "Let's think step by step", then extract the answer."""

    def __init__(self, params: CoTParams, env: MethodEnv) -> None:
        self.params = params
        self.template = prompt("cot")

    async def solve(self, example: Example, model: Model) -> MethodOutput:
        context = example.context if self.params.use_context else ""
        messages = self.template.render(question=example.question, context=context)
        return await reason_then_answer(model, messages, self.params, example.question)


class Demonstration(BaseModel):
    """One worked example of a few-shot prompt."""

    question: str
    reasoning: str = ""
    answer: str


class FewShotParams(CoTParams):
    examples_file: Path = Field(
        description="YAML list or JSONL of {question, reasoning, answer}, relative to the "
        "experiment file."
    )
    k: int = Field(default=3, ge=1, description="How many demonstrations to show.")


def load_demonstrations(path: Path) -> list[Demonstration]:
    """Worked examples from a YAML list or a JSONL file."""
    if not path.is_file():
        raise NotFoundError(f"few-shot examples file {path} does not exist")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        raw = [row.value for row in parse_jsonl(text.splitlines(), str(path), error=ConfigError)]
    else:
        raw = yaml.safe_load(text)
    if not isinstance(raw, list):
        raise ConfigError(f"{path} must hold a list of {{question, reasoning, answer}}")
    try:
        return [Demonstration.model_validate(item) for item in raw]
    except ValidationError as exc:
        raise ConfigError(f"{path}: {'; '.join(validation_problems(exc))}") from None


@method("few_shot_cot", params=FewShotParams)
class FewShotChainOfThought:
    """Chain-of-thought with k worked examples from a file."""

    def __init__(self, params: FewShotParams, env: MethodEnv) -> None:
        self.params = params
        path = params.examples_file
        self.demonstrations = load_demonstrations(
            path if path.is_absolute() else env.base_dir / path
        )
        self.template = prompt("few_shot_cot")

    async def solve(self, example: Example, model: Model) -> MethodOutput:
        # A demonstration that is the question being asked would leak its answer.
        shots = [d for d in self.demonstrations if d.question != example.question][: self.params.k]
        context = example.context if self.params.use_context else ""
        messages = self.template.render(
            question=example.question, context=context, examples=[d.model_dump() for d in shots]
        )
        return await reason_then_answer(model, messages, self.params, example.question)
