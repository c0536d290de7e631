"""Plan: the parts of the question, the brain model's sub-questions, and aspects grounded in
the collection; code makes the plan whole.

Every part of the question as asked (`parts.question_parts`) is a sub-question, so no part
goes unanswered or undeclared. The model's sub-questions come next, when they bear on the
question; a small model may return too few, duplicates, off-topic ones, or copy a past
question it was shown, so each is checked. When the plan is still short of `breadth`,
it is filled with *aspects*: documents the question itself retrieves, each read for its
own angle and headed by its title, instead of keyword templates that read as headings
like "Background: printing press change spread knowledge europe".
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, Field, create_model

from lyceum.errors import ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams
from lyceum.research import prompts
from lyceum.research.matching import content_words, keywords, normalize_space
from lyceum.research.part_subject import standalone_part
from lyceum.research.parts import focus, question_parts, with_focus
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Plan, SubQuestion


class PlannedQuestion(BaseModel):
    question: str = Field(description="A focused sub-question.")
    queries: list[str] = Field(default_factory=list, max_length=2, description="Keyword queries.")


class PlanOut(BaseModel):
    """What the planner model is asked for."""

    summary: str = Field(default="", description="One sentence on how to research the question.")
    sub_questions: list[PlannedQuestion] = Field(max_length=8)


@cache
def plan_schema(breadth: int) -> type[PlanOut]:
    """`PlanOut` allowing at most `breadth` sub-questions, the most a plan keeps of the
    model's (`assemble_plan`). With room for eight, the embedded model can repeat one
    sub-question until its token budget runs out, and the cut-off output is not JSON: the
    call and its repair then cost about 30 s of decoding for no plan."""
    return create_model(  # type: ignore[call-overload, no-any-return]
        "PlanOut",
        __base__=PlanOut,
        __doc__=PlanOut.__doc__,
        sub_questions=(list[PlannedQuestion], Field(max_length=max(1, min(breadth, 8)))),
    )


class Candidate(BaseModel):
    """A sub-question before ids and queries are assigned."""

    question: str
    origin: str
    heading: str = ""
    part: int | None = None
    queries: list[str] = Field(default_factory=list)


def _clean_query(query: str) -> str:
    query = normalize_space(query.strip().strip("\"'"))
    return keywords(query, limit=10) if len(query.split()) > 10 else query


# What the plan's JSON schema calls its parts, which a small model sometimes writes as a
# query: a test report's plan searched the collection for "maxItems".
_SCHEMA_WORDS = frozenset(
    {"maxitems", "minitems", "maxlength", "minlength", "properties", "required", "queries"}
    | {"description", "sub_questions", "subquestions"}
)
_IDENTIFIER = re.compile(r"[a-z]+(?:_[a-z]+)+")


def _usable_queries(queries: list[str]) -> list[str]:
    """The model's queries, cleaned, without empty ones and without the schema's own words
    ("maxItems") or snake_case identifiers ("sub_questions"), which search nothing asked;
    "iPhone" and "eBay" stay."""
    cleaned = (_clean_query(q) for q in queries if q.strip())
    return [q for q in cleaned if q.lower() not in _SCHEMA_WORDS and not _IDENTIFIER.fullmatch(q)]


def part_candidates(question: str) -> list[Candidate]:
    """One candidate per part of the question; several parts are headed by their wording."""
    parts = question_parts(question)
    if len(parts) == 1:
        question = normalize_space(question)
        return [Candidate(question=question, origin="part", part=0, queries=[keywords(question)])]
    # A later part is asked as it reads on its own ("How is malaria treated?" for "How is it
    # treated?", "When was the Great Pyramid of Giza built?" for "When?"): its search, its
    # relevance gate and its heading need the subject its pronoun points at.
    asked = [standalone_part(part, question) for part in parts]
    return [
        Candidate(
            question=part,
            origin="part",
            heading=part,
            part=i,
            queries=[keywords(with_focus(part, question), limit=8)],
        )
        for i, part in enumerate(asked)
    ]


def aspect_candidates(question: str, titles: list[str]) -> list[Candidate]:
    """One candidate per retrieved document title, read for what it says on the question."""
    subject = focus(question)
    return [
        Candidate(
            question=f"{normalize_space(question)} ({title})",
            origin="aspect",
            heading=title,
            queries=[f"{title} {subject}".strip(), title],
        )
        for title in titles
    ]


def model_candidates(
    question: str, proposed: PlanOut | None, on_topic: set[int] | None = None
) -> list[Candidate]:
    """The model's sub-questions that are long enough and on topic. `on_topic` gives the
    indexes that passed the caller's relevance gate; without it, sharing a content word
    with the question counts (the crude test, for callers without an embedder)."""
    topic_words = content_words(question)
    out: list[Candidate] = []
    for i, item in enumerate(proposed.sub_questions if proposed else []):
        text = normalize_space(item.question)
        if len(text.split()) < 3:
            continue
        if on_topic is not None:
            if i not in on_topic:
                continue
        elif topic_words and not (
            (content_words(text) | content_words(" ".join(item.queries))) & topic_words
        ):
            continue
        queries = _usable_queries(item.queries)
        out.append(Candidate(question=text, origin="plan", queries=queries))
    return out


def assemble_plan(candidates: list[Candidate], config: ResearchSettings, summary: str = "") -> Plan:
    """Ids and queries for the candidates in order, near-duplicates left out; every part is
    kept, the others only up to `breadth` sub-questions in all."""
    subs: list[SubQuestion] = []
    seen: list[set[str]] = []
    limit = max(config.breadth, sum(c.origin == "part" for c in candidates))
    for c in candidates:
        words = content_words(c.heading or c.question)
        duplicate = any(words and len(words & s) / len(words | s) > 0.8 for s in seen)
        if c.origin != "part" and (duplicate or len(subs) >= limit):
            continue
        seen.append(words)
        queries: list[str] = []
        for q in [*c.queries, keywords(c.question), c.question]:
            if q and q.lower() not in {x.lower() for x in queries}:
                queries.append(q)
        subs.append(
            SubQuestion(
                id=f"q{len(subs) + 1}",
                question=c.question,
                heading=c.heading,
                part=c.part,
                queries=queries[: config.queries_per_question],
                origin=c.origin,  # type: ignore[arg-type]
            )
        )
    summary = normalize_space(summary)[:400]
    if "?" in summary:
        # Asked for a sentence on how to research, a small model may return more questions
        # ("What was the first dinosaur to be killed?"): that is no plan.
        summary = ""
    return Plan(
        summary=summary,  # empty when the model gave none: a filler line says nothing
        sub_questions=subs,
    )


def scaffold_plan(
    question: str,
    proposed: PlanOut | None,
    config: ResearchSettings,
    *,
    aspects: list[str] | None = None,
    on_topic: set[int] | None = None,
    part_queries: dict[int, list[str]] | None = None,
) -> Plan:
    """The plan: the question's parts, the model's sub-questions, then aspects (document
    titles the question retrieves), cut to `breadth` (parts are always kept).
    `part_queries` adds queries to parts (those of model sub-questions that restate one)."""
    parts = part_candidates(question)
    for c in parts:
        extra = (part_queries or {}).get(c.part or 0, [])
        c.queries += _usable_queries(extra)
    candidates = [
        *parts,
        *model_candidates(question, proposed, on_topic),
        *aspect_candidates(question, aspects or []),
    ]
    return assemble_plan(candidates, config, proposed.summary if proposed else "")


async def propose_plan(
    model: Model,
    question: str,
    config: ResearchSettings,
    *,
    past_queries: list[str] | None = None,
    problems: list[str] | None = None,
) -> PlanOut | None:
    """The brain's proposed sub-questions, or None when its output is unusable (recorded in
    `problems`). Past runs reach it only as search queries that worked, never as questions,
    so a past question cannot become a section of this report."""
    lines = "\n".join(f"- {q}" for q in past_queries or [])
    messages = prompts.messages(
        "planner",
        question=question,
        breadth=config.breadth,
        episodes=prompts.render("planner_episodes", lines=lines) if lines else "",
    )
    try:
        with call_context(caller="research.planner"):
            return await generate_structured(
                model, messages, plan_schema(config.breadth), GenerateParams(max_tokens=400)
            )
    except ModelError as exc:
        if problems is not None:
            problems.append(f"planner: {type(exc).__name__}: {exc}; planned without the model")
        return None


async def make_plan(
    model: Model,
    question: str,
    config: ResearchSettings,
    *,
    past_queries: list[str] | None = None,
    aspects: list[str] | None = None,
    problems: list[str] | None = None,
) -> Plan:
    """Ask the brain for sub-questions and complete the plan in code (see `scaffold_plan`);
    a failed call leaves the parts and aspects alone."""
    proposed = await propose_plan(
        model, question, config, past_queries=past_queries, problems=problems
    )
    return scaffold_plan(question, proposed, config, aspects=aspects)
