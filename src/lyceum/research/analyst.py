"""Analyze: find gaps in the evidence and turn them into follow-up sub-questions.

Gaps are found in code (a sub-question with no notes; evidence from a single document);
the brain model adds follow-up queries that may also seek contradicting evidence. Model
suggestions are checked (known sub-question, new query) and code supplies a keyword query
for every gap the model left open, so the loop makes progress even on bad output.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from lyceum.errors import ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams
from lyceum.research import prompts
from lyceum.research.matching import keywords, normalize_space
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Gap, ResearchState, SubQuestion
from lyceum.sources.untrusted import wrap_untrusted

REFORMULATIONS = ("{kw} overview", "{kw} definition facts", "{kw} evidence")


class FollowUp(BaseModel):
    sub_question: str = Field(description="Id of the sub-question this query serves, e.g. q2.")
    query: str = Field(description="Short keyword query.")


class AnalysisOut(BaseModel):
    """What the analyst model is asked for."""

    follow_ups: list[FollowUp] = Field(default_factory=list, max_length=6)


def find_gaps(state: ResearchState) -> list[Gap]:
    gaps: list[Gap] = []
    for root in state.roots():
        notes = state.notes_for(root.id)
        docs = {state.passages[n.passage_id].document_key for n in notes}
        if not notes:
            gaps.append(Gap(sub_question=root.id, kind="no_evidence", detail="no evidence found"))
        elif len(docs) == 1:
            gaps.append(
                Gap(
                    sub_question=root.id,
                    kind="single_source",
                    detail="evidence from one document only",
                )
            )
    return gaps


def _evidence_summary(state: ResearchState) -> str:
    lines = []
    for root in state.roots():
        claims = [n.claim for n in state.notes_for(root.id)][:3]
        body = wrap_untrusted("\n".join(claims), doc_id=f"notes-{root.id}") if claims else "(none)"
        lines.append(f"{root.id}: {root.question}\n{body}")
    return "\n".join(lines)


def _queries_run(state: ResearchState) -> set[str]:
    run = {q.query.lower() for q in state.queries}
    assert state.plan is not None
    for sq in state.plan.sub_questions:
        run.update(q.lower() for q in sq.queries)
    return run


async def plan_follow_ups(
    model: Model, state: ResearchState, config: ResearchSettings, next_round: int
) -> list[SubQuestion]:
    """Record this round's gaps in `state` and return follow-up sub-questions (possibly none)."""
    gaps = find_gaps(state)
    for gap in state.gaps:
        gap.closed = not any(
            g.sub_question == gap.sub_question and g.kind == gap.kind for g in gaps
        )
    state.gaps += [
        g
        for g in gaps
        if not any(o.sub_question == g.sub_question and o.kind == g.kind for o in state.gaps)
    ]
    if not gaps:
        return []
    roots = {r.id: r for r in state.roots()}
    used = _queries_run(state)
    wanted: dict[str, list[str]] = {}

    def add(root_id: str, query: str) -> None:
        query = normalize_space(query.strip().strip("\"'"))
        if len(query.split()) > 10:
            query = keywords(query, limit=10)
        if query and query.lower() not in used and root_id in roots:
            used.add(query.lower())
            wanted.setdefault(root_id, []).append(query)

    gap_text = "\n".join(f"- {g.sub_question}: {g.detail}" for g in gaps)
    messages = prompts.messages(
        "analyst",
        question=state.question,
        evidence=_evidence_summary(state),
        gaps=gap_text,
        n=config.breadth,
    )
    try:
        with call_context(caller="research.analyst"):
            out = await generate_structured(
                model, messages, AnalysisOut, GenerateParams(max_tokens=300)
            )
        gap_ids = {g.sub_question for g in gaps}
        for f in out.follow_ups:
            if f.sub_question.strip() in gap_ids:
                add(f.sub_question.strip(), f.query)
    except ModelError as exc:
        state.problem(f"analyst round {next_round}: {type(exc).__name__}; used keyword follow-ups")
    for gap in gaps:
        if gap.sub_question not in wanted:
            kw = keywords(roots[gap.sub_question].question, limit=5)
            for template in REFORMULATIONS:
                add(gap.sub_question, template.format(kw=kw))
                if gap.sub_question in wanted:
                    break
    follow_ups = []
    for root_id, queries in list(wanted.items())[: config.breadth]:
        root = roots[root_id]
        follow_ups.append(
            SubQuestion(
                id=f"{root_id}.r{next_round}",
                question=root.question,
                queries=queries[: config.queries_per_question],
                round=next_round,
                origin="gap",
                part=root.part,
                parent=root_id,
                reason="; ".join(g.detail for g in gaps if g.sub_question == root_id),
            )
        )
    return follow_ups
