"""Plan: the brain model proposes sub-questions and queries; code makes the plan whole.

A small model may return too few sub-questions, duplicates, or queries that are whole
sentences. The scaffold in code always yields `breadth` sub-questions, broad to narrow,
each with `queries_per_question` keyword queries: the question itself comes first, the
model's sub-questions next, and templated angles on the question's keywords fill the rest.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from lyceum.errors import ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams
from lyceum.research import prompts
from lyceum.research.matching import content_words, keywords, normalize_space
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Plan, SubQuestion

# Headings rather than questions: they read well whatever words the topic holds.
SCAFFOLD_ANGLES = (
    "Background: {topic}",
    "Mechanisms: {topic}",
    "Effects and applications: {topic}",
    "History: {topic}",
    "Limits and open problems: {topic}",
)


class PlannedQuestion(BaseModel):
    question: str = Field(description="A focused sub-question.")
    queries: list[str] = Field(default_factory=list, max_length=2, description="Keyword queries.")


class PlanOut(BaseModel):
    """What the planner model is asked for."""

    summary: str = Field(default="", description="One sentence on how to research the question.")
    sub_questions: list[PlannedQuestion] = Field(max_length=8)


def _clean_query(query: str) -> str:
    query = normalize_space(query.strip().strip("\"'"))
    return keywords(query, limit=10) if len(query.split()) > 10 else query


def scaffold_plan(question: str, proposed: PlanOut | None, config: ResearchSettings) -> Plan:
    """The plan: the question, then the model's sub-questions (deduplicated, on topic),
    then templated angles, cut to `breadth`; each with keyword queries."""
    question = normalize_space(question)
    topic_words = content_words(question)
    topic = keywords(question, limit=6) or question
    candidates: list[tuple[str, list[str], str]] = [(question, [], "plan")]
    for item in proposed.sub_questions if proposed else []:
        text = normalize_space(item.question)
        if len(text.split()) < 3:
            continue
        # Off-topic sub-questions are a sign the model lost the thread; the angles are safer.
        if (
            topic_words
            and not (content_words(text) | content_words(" ".join(item.queries))) & topic_words
        ):
            continue
        candidates.append((text, [_clean_query(q) for q in item.queries if q.strip()], "plan"))
    candidates += [(angle.format(topic=topic), [], "scaffold") for angle in SCAFFOLD_ANGLES]

    subs: list[SubQuestion] = []
    seen: list[set[str]] = []
    for text, model_queries, origin in candidates:
        words = content_words(text)
        if any(words and len(words & s) / len(words | s) > 0.8 for s in seen):
            continue
        seen.append(words)
        queries: list[str] = []
        for q in [*model_queries, keywords(text), text]:
            if q and q.lower() not in {x.lower() for x in queries}:
                queries.append(q)
        subs.append(
            SubQuestion(
                id=f"q{len(subs) + 1}",
                question=text,
                queries=queries[: config.queries_per_question],
                origin=origin,  # type: ignore[arg-type]
            )
        )
        if len(subs) == config.breadth:
            break
    summary = normalize_space(proposed.summary)[:400] if proposed else ""
    return Plan(
        summary=summary or f"Research '{question}' through {len(subs)} sub-questions.",
        sub_questions=subs,
    )


async def make_plan(
    model: Model,
    question: str,
    config: ResearchSettings,
    *,
    episodes: list[str] | None = None,
    problems: list[str] | None = None,
) -> Plan:
    """Ask the brain for a plan and complete it with the scaffold; a failed call degrades
    to the scaffold alone (recorded in `problems`)."""
    lines = "\n".join(f"- {e}" for e in episodes or [])
    messages = prompts.messages(
        "planner",
        question=question,
        breadth=config.breadth,
        episodes=prompts.render("planner_episodes", lines=lines) if lines else "",
    )
    proposed: PlanOut | None = None
    try:
        with call_context(caller="research.planner"):
            proposed = await generate_structured(
                model, messages, PlanOut, GenerateParams(max_tokens=400)
            )
    except ModelError as exc:
        if problems is not None:
            problems.append(f"planner: {type(exc).__name__}: {exc}; used the scaffold plan")
    return scaffold_plan(question, proposed, config)
