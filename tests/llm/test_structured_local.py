"""`generate_structured` on the embedded Qwen2.5-Coder-0.5B, over the schemas Lyceum's
features really ask the local model for, with the prompts those features really send:
the whole validate-and-repair path, not just the backend's constrained decoding."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from lyceum.claimcheck.faithfulness import JUDGE_SYSTEM_PROMPT, JUDGE_USER_PROMPT, JudgeVerdict
from lyceum.config_backends import LocalBackendConfig
from lyceum.lab.judges.judges import JUDGE_PARAMS, Rubric
from lyceum.lab.methods.prompts import prompt
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams, Message
from lyceum.research import prompts as research_prompts
from lyceum.research.planner import PlanOut
from lyceum.retrieval.rerank import RERANK_SYSTEM_PROMPT, RERANK_USER_TEMPLATE, RerankScores

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def qwen(embedded_model_path: Path) -> Iterator[object]:
    from lyceum.llm.backends.local import LocalBackend

    backend = LocalBackend("local", LocalBackendConfig(model=str(embedded_model_path), n_ctx=2048))
    yield backend
    asyncio.run(backend.aclose())


PASSAGE = (
    "The Zorbian Bridge over the river Mell was opened in 1923 by mayor Ada Kettering. "
    "It replaced a ferry that had run since 1850."
)


async def test_the_research_planner_gets_a_valid_plan(qwen) -> None:
    messages = research_prompts.messages(
        "planner", question="Why do bridges need expansion joints?", breadth=3, episodes=""
    )
    plan = await generate_structured(qwen, messages, PlanOut, GenerateParams(max_tokens=400))
    assert isinstance(plan, PlanOut)
    assert 1 <= len(plan.sub_questions) <= 8
    assert all(item.question.strip() for item in plan.sub_questions)


async def test_the_faithfulness_judge_gets_a_valid_verdict(qwen) -> None:
    messages = [
        Message.system(JUDGE_SYSTEM_PROMPT),
        Message.user(JUDGE_USER_PROMPT.format(passage=PASSAGE, claim="The bridge opened in 1923.")),
    ]
    verdict = await generate_structured(
        qwen, messages, JudgeVerdict, GenerateParams(max_tokens=200)
    )
    assert verdict.verdict in ("supported", "contradicted", "not_enough_info")
    assert 0.0 <= verdict.confidence <= 1.0


async def test_the_llm_reranker_gets_scores_in_range(qwen) -> None:
    passages = "\n\n".join(
        f"[{i}] {text}"
        for i, text in enumerate(
            [PASSAGE, "Ferries carry cars across rivers.", "Pasta is boiled in salted water."],
            start=1,
        )
    )
    messages = [
        Message.system(RERANK_SYSTEM_PROMPT),
        Message.user(
            RERANK_USER_TEMPLATE.format(query="Who opened the Zorbian Bridge?", passages=passages)
        ),
    ]
    reply = await generate_structured(qwen, messages, RerankScores, GenerateParams(max_tokens=112))
    assert reply.scores
    assert all(s.index >= 1 and 0 <= s.score <= 10 for s in reply.scores)


async def test_the_lab_rubric_judge_gets_a_score_on_its_scale(qwen) -> None:
    rubric = Rubric()
    schema: type[BaseModel] = rubric.schema_for()
    messages = prompt("rubric", "judges.yaml").render(
        question="Who opened the Zorbian Bridge?",
        answer="Mayor Ada Kettering opened it in 1923.",
        reference="Ada Kettering",
        rubric=rubric.criteria,
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
    )
    verdict = await generate_structured(qwen, messages, schema, JUDGE_PARAMS)
    assert isinstance(verdict, schema)
    assert rubric.scale_min <= verdict.score <= rubric.scale_max  # type: ignore[attr-defined]
