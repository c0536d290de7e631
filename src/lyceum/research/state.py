"""The state of a research run: everything needed to resume it, checkpointed as JSON.

A run moves through phases (plan, gather, analyze, mine, write, verify, render, done); each
phase reads and extends this state and the pipeline saves it after every step and every
sub-question, so a resumed run starts where the last checkpoint left off. Ids are derived
from content and order, never from clocks or randomness, so the same inputs give the same
report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

Phase = Literal["plan", "gather", "analyze", "mine", "write", "verify", "render", "done"]
PHASES: tuple[Phase, ...] = (
    "plan",
    "gather",
    "analyze",
    "mine",
    "write",
    "verify",
    "render",
    "done",
)
Confidence = Literal["high", "medium", "low"]


def short_hash(*parts: str, n: int = 10) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:n]


class SubQuestion(BaseModel):
    """A unit of gathering work: a question, the queries that search for it, its round."""

    id: str
    question: str
    queries: list[str] = Field(default_factory=list)
    round: int = 0
    origin: Literal["part", "plan", "aspect", "scaffold", "gap", "link"] = Field(
        default="plan",
        description="part: a part of the question as asked; plan: proposed by the planner "
        "model; aspect: a document the question retrieves, read for its own angle; gap: a "
        "follow-up; link: a follow-up reading pages the passages read name; scaffold: runs "
        "made before parts and aspects existed.",
    )
    heading: str = Field(default="", description="Section heading; empty: the question.")
    part: int | None = Field(
        default=None, description="Index in `ResearchState.parts` of the part it answers."
    )
    parent: str | None = Field(default=None, description="Root sub-question of a follow-up.")
    links: list[str] = Field(
        default_factory=list,
        description="Titles of the pages a link follow-up reads, and the only ones it reads.",
    )
    reason: str = ""
    done: bool = False

    @property
    def root(self) -> str:
        return self.parent or self.id

    @property
    def title(self) -> str:
        """What the report's section on it is headed."""
        return self.heading or self.question


class Plan(BaseModel):
    summary: str = ""
    sub_questions: list[SubQuestion] = Field(default_factory=list)


class Passage(BaseModel):
    """A passage a worker read: the exact text notes quote from, and how to cite it."""

    id: str
    source: str = Field(description="Name of the source that returned it.")
    hit_id: str
    title: str = ""
    url: str | None = None
    path: str | None = None
    text: str
    arxiv_id: str | None = None
    doi: str | None = None
    year: int | None = None
    authors: list[str] = Field(default_factory=list)
    query: str = ""

    @property
    def document_key(self) -> str:
        """What makes two passages the same document (one bibliography entry)."""
        if self.arxiv_id:
            return f"arxiv:{self.arxiv_id}"
        if self.doi:
            return f"doi:{self.doi.lower()}"
        return self.url or self.path or f"{self.source}:{self.title or self.hit_id}"


class Note(BaseModel):
    """Evidence: a claim and the passage text that supports it, verbatim from a passage."""

    id: str
    sub_question: str
    claim: str
    quote: str
    passage_id: str
    extracted_by: Literal["model", "ranked", "fallback", "mined", "background"] = Field(
        default="model",
        description="model: the worker picked it; ranked: code picked the best-matching "
        "sentence; fallback: the worker failed; mined: after gathering, the sentence of a "
        "passage read that best answers a part of the question (`research/mining.py`); "
        "background: the opening of the page on the question's subject, for a report that "
        "answers no part of it (`research/background.py`).",
    )


def note_order(note_id: str) -> tuple[int, int]:
    """Sort key of a note within its sub-question: a worker's notes (".n1", ".n2", ...) in
    reading order, then mined ones (".m1", ...)."""
    number = note_id.rpartition(".")[2]
    kind = number[:1]
    return (0 if kind == "n" else 1, int(number[1:]) if number[1:].isdigit() else 0)


class QueryRecord(BaseModel):
    sub_question: str
    source: str
    query: str
    hits: int
    round: int
    error: str | None = None


class Gap(BaseModel):
    sub_question: str
    kind: Literal["no_evidence", "single_source", "model"]
    detail: str
    closed: bool = False


class Sentence(BaseModel):
    """One sentence of the report. `notes` are the evidence it cites (mapped in code)."""

    text: str
    notes: list[str] = Field(default_factory=list)
    kind: Literal["fact", "hypothesis"] = "fact"
    confidence: Confidence | None = None
    status: Literal["draft", "supported", "rewritten", "dropped"] = "draft"
    draft_text: str = Field(default="", description="The first draft, kept when rewritten.")
    verdict: dict[str, Any] | None = Field(
        default=None, description="The claim check of the final text (verifier label)."
    )
    draft_verdict: dict[str, Any] | None = None
    drafted_by: Literal["model", "code"] = Field(
        default="model",
        description="Who wrote the first draft: the writer model, or code (a note's sentence "
        "as quoted, made to stand alone). The self-improvement loop learns only from the "
        "model's drafts.",
    )

    @property
    def checked(self) -> bool:
        """A cited fact the claim check kept (as written or rewritten)."""
        return (
            self.kind == "fact" and bool(self.notes) and self.status in ("supported", "rewritten")
        )


class ReportSection(BaseModel):
    title: str
    sub_question: str | None = None
    covered_above: bool = Field(
        default=False, description="Its evidence was all reported by earlier sections."
    )
    answered_in_body: bool = Field(
        default=False,
        description="Its part is answered by a sentence printed under another part, and by "
        "none of the short answer's.",
    )
    sentences: list[Sentence] = Field(default_factory=list)


class VerificationStats(BaseModel):
    """checked = supported (as written) + rewritten + dropped."""

    checked: int = 0
    supported: int = 0
    rewritten: int = 0
    dropped: int = 0
    off_topic: int = Field(
        default=0,
        description="Of the dropped, those left out as off the question (its relevance bar, "
        "the report's focus, a part declared not covered), not as unsupported.",
    )
    hypotheses: int = 0

    def recount(self, facts: Sequence[Sentence]) -> None:
        """Count the checked sentences' final statuses again, after a later step (the focus
        cut, a declared part) dropped some of them."""
        self.supported = sum(s.status == "supported" for s in facts)
        self.rewritten = sum(s.status == "rewritten" for s in facts)
        self.dropped = sum(s.status == "dropped" for s in facts)
        self.off_topic = sum(s.status == "dropped" and _off_topic(s) for s in facts)


def _off_topic(sentence: Sentence) -> bool:
    """Whether a dropped sentence was left out as off the question: its final verdict says
    so, or it had none because its draft was off topic (no rewrite is tried then)."""
    verdict = sentence.verdict if sentence.verdict is not None else sentence.draft_verdict
    return (verdict or {}).get("verdict") == "off_topic"


class Meter(BaseModel):
    """Model usage of the run so far (cache misses for tokens, everything for calls)."""

    calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class ResearchState(BaseModel):
    run_id: str
    question: str
    phase: Phase = "plan"
    round: int = 0
    plan: Plan | None = None
    parts: list[str] = Field(
        default_factory=list, description="The parts of the question as asked, in order."
    )
    episodes_offered: list[str] = Field(default_factory=list)
    passages: dict[str, Passage] = Field(default_factory=dict)
    notes: list[Note] = Field(default_factory=list)
    queries: list[QueryRecord] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)
    sections: list[ReportSection] = Field(default_factory=list)
    short_answer: list[Sentence] = Field(
        default_factory=list,
        description="3-5 checked sentences that answer the question as asked, copied from "
        "the sections (which then leave them out).",
    )
    background: list[Sentence] = Field(
        default_factory=list,
        description="For a report with no short answer: the checked opening of the page on "
        "the question's subject, printed as background, not as an answer.",
    )
    not_covered: list[str] = Field(
        default_factory=list,
        description="Parts of the question that no checked sentence answers: the report "
        "says the sources searched do not cover them.",
    )
    verification: VerificationStats | None = None
    meter: Meter = Field(default_factory=Meter)
    elapsed_s: float = 0.0
    stopped_by: str | None = Field(default=None, description="The budget that ended gathering.")
    problems: list[str] = Field(
        default_factory=list, description="Steps that degraded (bad model output, source errors)."
    )
    artifacts: dict[str, str] = Field(default_factory=dict)
    compile_log: list[str] = Field(default_factory=list)
    latex_problems: list[str] = Field(
        default_factory=list,
        description="What the LaTeX validator found in paper.tex after its static repair.",
    )
    resume_overrides: dict[str, Any] = Field(
        default_factory=dict,
        description="Budgets raised or changed when the run was resumed, applied over the "
        "settings it started with.",
    )

    def sub_question(self, sq_id: str) -> SubQuestion:
        assert self.plan is not None
        for sq in self.plan.sub_questions:
            if sq.id == sq_id:
                return sq
        raise KeyError(sq_id)

    def roots(self) -> list[SubQuestion]:
        assert self.plan is not None
        return [sq for sq in self.plan.sub_questions if sq.parent is None]

    def notes_for(self, root_id: str) -> list[Note]:
        ids = {sq.id for sq in (self.plan.sub_questions if self.plan else []) if sq.root == root_id}
        return [n for n in self.notes if n.sub_question in ids]

    def note(self, note_id: str) -> Note:
        for n in self.notes:
            if n.id == note_id:
                return n
        raise KeyError(note_id)

    def source_title(self, sentence: Sentence) -> str:
        """The title of the passage `sentence`'s first note quotes ("" without one)."""
        if not sentence.notes:
            return ""
        return self.passages[self.note(sentence.notes[0]).passage_id].title or ""

    def problem(self, text: str) -> None:
        self.problems.append(text)
