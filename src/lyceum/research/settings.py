"""The `[research]` section of lyceum.toml: budgets, sources and roles of a research run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lyceum.config import Settings, feature_settings
from lyceum.errors import ConfigError, validation_problems


class ResearchSettings(BaseModel):
    """Budgets and choices for `lyceum research`; every field is also a CLI flag or a key."""

    model_config = ConfigDict(extra="forbid")

    max_rounds: int = Field(
        default=2, ge=1, le=10, description="Gather rounds: the first plus follow-ups on gaps."
    )
    breadth: int = Field(
        default=3, ge=1, le=12, description="Sub-questions planned, and follow-ups per round."
    )
    depth: int = Field(
        default=3, ge=1, le=20, description="Passages read (and mined for notes) per sub-question."
    )
    queries_per_question: int = Field(
        default=2, ge=1, le=6, description="Search queries run per sub-question and source."
    )
    hits_per_query: int = Field(default=6, ge=1, le=50, description="Results asked of a source.")
    notes_per_passage: int = Field(
        default=2, ge=1, le=6, description="Most evidence notes taken from one passage."
    )
    mine_per_part: int = Field(
        default=3,
        ge=0,
        le=12,
        description="After gathering, the sentences of the passages read that best answer a "
        "part of the question become notes of its section, this many per part (0: none; "
        "chosen on the dev runs: benchmarks/research.py quality).",
    )
    restate_claims: bool = Field(
        default=False,
        description="Workers restate each picked sentence as a claim (more tokens); off: the "
        "claim is the quoted sentence, and the worker only names sentence numbers.",
    )
    pick_with_model: bool | None = Field(
        default=None,
        description="A worker model names the sentences of each passage read that answer its "
        "sub-question; off: code takes the `notes_per_passage` sentences that score highest on "
        "the relevance gate, with no worker call. Unset: off when the worker role runs on the "
        "embedded llama.cpp backend, on for any other model (`research.wiring.model_steps`).",
    )
    draft_with_model: bool | None = Field(
        default=None,
        description="The writer model drafts each section from its notes; off: a section is "
        "its notes' sentences as quoted (made to stand alone, near-duplicates left out), with "
        "no writer call. Unset: off when the writer role runs on the embedded llama.cpp "
        "backend, on for any other model.",
    )
    concurrency: int = Field(default=3, ge=1, le=32, description="Workers running at once.")
    max_time_s: float = Field(
        default=900.0, gt=0, description="Wall-time budget; on expiry the run writes what it has."
    )
    max_tokens: int = Field(
        default=200_000, ge=1, description="Token budget (prompt + completion, cache misses)."
    )
    max_cost_usd: float = Field(
        default=1.0, ge=0, description="Spending budget in USD (0: no limit)."
    )
    sources: list[str] = Field(
        default_factory=lambda: ["local"],
        description="Sources searched: local, wikipedia, arxiv, web (or any registered name).",
    )
    collection: str | list[str] | None = Field(
        default=None,
        description="Collection(s) the local source searches: a name, a list of names, or "
        "'*' for all. Default: every collection in the workspace.",
    )
    brain_role: str = Field(default="brain", description="Gateway role that plans and analyzes.")
    worker_role: str = Field(default="worker", description="Gateway role that reads passages.")
    writer_role: str = Field(default="writer", description="Gateway role that drafts sections.")
    verify_judge_role: str | None = Field(
        default=None,
        description="Gateway role of an LLM judge mixed into the claim check (None: the "
        "trained verifier alone, the right choice for the embedded model).",
    )
    verifier_dir: Path | None = Field(
        default=None,
        description="Directory of a trained claim verifier; default: the one shipped with Lyceum.",
    )
    passage_chars: int = Field(
        default=1500, ge=200, description="Longest passage shown to a worker, in characters."
    )
    max_sentences_per_section: int = Field(
        default=6, ge=1, le=30, description="Most sentences a section keeps."
    )
    compile_pdf: bool = Field(default=True, description="Run latexmk/pdflatex when installed.")
    compile_attempts: int = Field(
        default=3, ge=1, le=10, description="Compile, repair, compile again: at most this often."
    )
    memory: bool = Field(
        default=True,
        description="Keep papers read and the run's strategy for future runs, and offer "
        "past strategies to the planner.",
    )
    memory_collection: str = Field(
        default="papers-read", description="Collection that papers read are added to."
    )
    past_episodes: int = Field(
        default=2, ge=0, le=10, description="Similar past runs offered to the planner."
    )

    min_passage_relevance: float = Field(
        default=0.25,
        ge=-1.0,
        le=1.0,
        description="A passage is read only if its embedding cosine to the question and to "
        "its sub-question reaches this (set equal to the sentence gate).",
    )
    min_sentence_relevance: float = Field(
        default=0.25,
        ge=-1.0,
        le=1.0,
        description="A sentence is taken as evidence, and a report sentence kept, only if "
        "its cosine to the question reaches this and to its sub-question reaches this less "
        "0.1 (chosen on the dev questions by benchmarks/relevance_gate.py: keeps 97 % of "
        "nugget sentences, lets 1 % of other articles' sentences through).",
    )
    min_report_relevance: float = Field(
        default=0.5,
        ge=-1.0,
        le=1.0,
        description="A cited sentence is printed only if its cosine to the question reaches "
        "this, read headed by its page's title when the question names the page (stricter "
        "than the evidence gate, which lets neighbouring topics through; chosen on the dev "
        "questions: 0.5 against 0.45 once named pages were read so).",
    )
    min_part_relevance: float = Field(
        default=0.15,
        ge=-1.0,
        le=1.0,
        description="A sentence is evidence for a later part of the question ('what limits "
        "their effectiveness?') only if its cosine to the part's own words, plus 0.3 when it "
        "names one of the part's distinctive words, reaches this.",
    )
    report_focus_margin: float | None = Field(
        default=0.4,
        ge=0.0,
        le=4.0,
        description="A checked sentence is printed only if its focus (cosine to the question "
        "plus its best cosine to a part of it as it reads on its own) is within this of the "
        "report's best sentence's (chosen on the dev questions: benchmarks/report_focus.py "
        "on the hand labels, then whole dev runs; see the research docs). Unset: no such cut.",
    )
    report_body_margin: float | None = Field(
        default=0.3,
        ge=0.0,
        le=4.0,
        description="A checked sentence outside the short answer is printed only if its focus "
        "is within this of the report's best sentence's: on the dev reports' hand labels a "
        "third of such sentences were on topic, against three in four of the short answer's "
        "(chosen on the dev split: the strictest margin keeping nugget recall at the 0.6 "
        "target; see the research docs). Unset: `report_focus_margin` alone.",
    )
    min_neighbour_focus: float | None = Field(
        default=1.1,
        ge=0.0,
        le=4.0,
        description="A checked sentence from a page the question does not name is printed "
        "only if its focus reaches this: on the dev hand labels such sentences were on topic "
        "39% of the time, against 70% for pages the question names (chosen on the dev split: "
        "the highest floor keeping 95% of the dev labels that state a nugget; "
        "benchmarks/report_focus.py). Unset: no such floor.",
    )
    min_part_answer: float = Field(
        default=0.54,
        ge=-1.0,
        le=1.5,
        description="A later part of the question counts as answered only if a checked "
        "sentence scores this for it (the same score); otherwise the report says the sources "
        "do not cover it (chosen on the dev split: benchmarks/results/part_answers.json).",
    )
    min_mined_part_score: float = Field(
        default=0.45,
        ge=-1.0,
        le=1.5,
        description="A sentence of a passage read is mined as a note for a part of the "
        "question only if it scores this for the part (the same score as min_part_answer).",
    )
    min_part_answer_elsewhere: float = Field(
        default=0.38,
        ge=-1.0,
        le=1.5,
        description="A later part none of whose own evidence is printed still counts as "
        "answered when a checked sentence found for another part scores this for it "
        "(chosen on the dev split: benchmarks/results/part_answers.json).",
    )
    follow_links: int = Field(
        default=3,
        ge=0,
        le=20,
        description="Pages named by the passages read, not retrieved by the queries, read "
        "in the next round when one of their sentences reaches min_neighbour_focus "
        "(research/links.py; 0: none; needs max_rounds >= 2).",
    )
    relevance_model: str = Field(
        default="minilm",
        description="Embedding model of the relevance gate: 'minilm' (the thresholds above "
        "were chosen for it) or a sentence-transformers folder; not the retrieval model, "
        "which may be the lexical 'hashing' embedder.",
    )
    aspect_hits: int = Field(
        default=10,
        ge=0,
        le=50,
        description="Documents the question retrieves at planning; relevant ones beyond the "
        "first `depth` become sub-questions of their own when the plan is short (0: none).",
    )
    episode_similarity: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Least similarity (content-word cosine) of a past question on the same "
        "subject for its queries to be offered to the planner.",
    )

    def with_overrides(self, **overrides: Any) -> ResearchSettings:
        """A copy with the non-None overrides applied (CLI flags), validated."""
        data = self.model_dump()
        data.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return ResearchSettings(**data)
        except ValidationError as exc:
            problems = "; ".join(validation_problems(exc))
            raise ConfigError(f"invalid [research] options: {problems}") from exc


def research_settings(settings: Settings) -> ResearchSettings:
    """The `[research]` section, validated; a typo is a `ConfigError` naming the key."""
    return feature_settings(settings, "research", ResearchSettings)
