"""Is a claim supported by a passage? A trained verifier, optionally joined by an LLM judge.

The verifier is all-MiniLM-L6-v2 fine-tuned on VitaminC as a 3-class cross-encoder
(`lyceum.claimcheck_training.train`), shipped in `verifier_model/` and run by `model.ClaimModel`. It reads
one claim against short evidence, so a passage is cut into sentences and each sentence, and
each pair of adjacent sentences, is scored. The candidate with the most decisive verdict (highest calibrated
probability of "supported" or "contradicted") gives the passage's probabilities and the
quoted span; a two-sentence window is quoted only when it is clearly more decisive than
any single sentence (by `WINDOW_MARGIN`).

With a judge model, the judge is asked for a schema-constrained verdict with a confidence,
and the two are mixed (see `combine`): the judge's answer becomes a distribution with its
confidence on the chosen label and the rest split evenly, and the final probabilities are
`(1 - judge_weight) * verifier + judge_weight * judge`. A failed judge call leaves the
verifier's verdict in place and records the error.

Beside the model, a content check (`content_check`) lists the claim's content words that the
evidence the verdict rests on and the page title do not contain. When there are any, the
verifier's "supported" stands only if it is very sure (`ContentThresholds`, chosen on a
development split of hard negatives); otherwise its supported probability moves to "not
enough info" (or to "contradicted" if the model leans that way) and the verdict names the
words. When the words are missing from the decisive span but present elsewhere in the
passage, the claim is first re-scored against the sentences that together hold them, so a
claim merging two facts of a passage is judged against both. The judge, if any, is mixed
in afterwards as before.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from lyceum.claimcheck.content_check import check_claim, covering_sentences, quoted_sentence
from lyceum.claimcheck.model import (
    VERDICTS,
    WINDOW_MARGIN,
    ClaimModel,
    Probabilities,
    Span,
    Verdict,
    candidate_spans,
    per_pair_titles,
    split_sentences,
    verifier_model_dir,
)
from lyceum.errors import ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams, Message

# The verifier's names stay importable from here, where callers have always found them.
__all__ = [
    "JUDGE_SYSTEM_PROMPT",
    "JUDGE_USER_PROMPT",
    "VERDICTS",
    "WINDOW_MARGIN",
    "ClaimModel",
    "ContentThresholds",
    "FaithfulnessScorer",
    "FaithfulnessVerdict",
    "JudgeVerdict",
    "Probabilities",
    "Span",
    "Verdict",
    "candidate_spans",
    "combine",
    "locate",
    "split_sentences",
    "verifier_model_dir",
]

JUDGE_SYSTEM_PROMPT = (
    "You check whether a claim is supported by a passage, using only the passage. "
    "Answer 'supported' if the passage states or directly implies the claim, "
    "'contradicted' if the passage states something incompatible with it, and "
    "'not_enough_info' otherwise. Quote the passage sentence(s) your verdict rests on, "
    "copied exactly, and give your confidence from 0 to 1."
)
JUDGE_USER_PROMPT = "Passage:\n{passage}\n\nClaim: {claim}"


class JudgeVerdict(BaseModel):
    """What the judge model is asked to return."""

    verdict: Verdict
    quoted_span: str = Field(
        description="The passage sentence(s) the verdict rests on, copied exactly; "
        "empty if none is relevant."
    )
    confidence: float = Field(ge=0.0, le=1.0, description="Probability that the verdict is right.")


class FaithfulnessVerdict(BaseModel):
    """The scorer's answer. `quoted_span` is the passage text the verdict rests on (for
    not_enough_info: the most relevant sentence); offsets index into the passage."""

    claim: str
    verdict: Verdict
    probabilities: Probabilities
    quoted_span: str
    span_start: int
    span_end: int
    source: Literal["verifier", "combined"]
    verifier_probabilities: Probabilities
    judge: JudgeVerdict | None = None
    judge_error: str | None = None
    unsupported_words: list[str] = Field(
        default_factory=list,
        description="Content words of the claim found neither in the quoted span nor in the "
        "title; when non-empty the verifier's 'supported' was overruled unless it was very sure.",
    )
    merged_sentences: bool = Field(
        default=False,
        description="The claim's words were found only across several passage sentences, "
        "which the verifier then read together (the quoted span covers them).",
    )

    @property
    def supported(self) -> bool:
        return self.verdict == "supported"


class ContentThresholds(BaseModel):
    """How sure the verifier must be to call a claim supported despite the content check.
    The defaults were chosen on the dev split of `benchmarks/claim_check.py` (never its test
    split, with VitaminC validation pairs; see `choose_thresholds` there)."""

    model_config = ConfigDict(frozen=True)

    strict: float = Field(
        default=0.9,
        description="Some unsupported word is a number, a name, a negation or a word a near "
        "copy swaps or adds in, or three or more words are unsupported (`ContentCheck.strict`).",
    )
    # 0.8 since a word a near copy of a sentence swaps or adds in is strict
    # (`substituted_words`, `added_words`): those rules turned away the dev false claims a
    # lower bar for the other words would have let through.
    plain: float = Field(default=0.8, description="Only ordinary content words are unsupported.")
    # 0.0 since names are checked in place (`content_check.moved_terms`): a name garbled in
    # from another sentence is caught there, and the dev split then prefers no extra bar.
    merged: float = Field(
        default=0.0,
        description="Every word is in the evidence, in place, but only across sentences scored "
        "together (a claim merging facts of two sentences).",
    )


def _cover(claim: str, passage: str, span: Span, title: str | None) -> Span | None:
    """The sentences (a contiguous stretch of the passage) that together hold the claim's
    words, when the decisive span lacks some that the rest of the passage has."""
    sentences = split_sentences(passage)
    chosen = [i for i, s in enumerate(sentences) if s.start < span.end and span.start < s.end]
    if not chosen:
        return None
    needed = covering_sentences(claim, [s.text for s in sentences], chosen, title=title)
    if needed is None:
        return None
    first, last = sentences[needed[0]], sentences[needed[-1]]
    if needed[-1] - needed[0] + 1 == len(needed):
        return Span(text=passage[first.start : last.end], start=first.start, end=last.end)
    # Non-adjacent sentences: the model reads just them; the quote marks where they lie.
    text = " … ".join(sentences[i].text for i in needed)
    return Span(text=text, start=first.start, end=last.end)


def _quotation(claim: str, passage: str, title: str | None) -> Span | None:
    """The passage's sentences the claim copies word for word (`quoted_sentence`, each of
    its sentences in turn), when they follow one another: the research writer gives a
    quote that points back at the sentence before it that sentence as its opening, and a
    two-sentence copy had been quoted on its better half and failed the content check on
    the other ("… release greenhouse gases. These gases absorb some of the heat …")."""
    sentences = split_sentences(passage)
    texts = [s.text for s in sentences]
    parts = split_sentences(claim)
    found = [
        i for i in (quoted_sentence(p.text, texts, title=title) for p in parts) if i is not None
    ]
    if not found or found != list(range(found[0], found[0] + len(parts))):
        return None
    start, end = sentences[found[0]], sentences[found[-1]]
    return Span(text=passage[start.start : end.end], start=start.start, end=end.end)


def _overrule(probs: Probabilities) -> Probabilities:
    """The supported probability moved to whichever other verdict the model prefers."""
    p = probs.as_array().copy()
    target = 1 if p[1] >= p[2] else 2
    p[target] += p[0]
    p[0] = 0.0
    return Probabilities.from_array(p)


def combine(verifier: Probabilities, judge: JudgeVerdict, judge_weight: float) -> Probabilities:
    """Mix the verifier's probabilities with the judge's verdict read as a distribution."""
    judged = np.full(len(VERDICTS), (1.0 - judge.confidence) / (len(VERDICTS) - 1))
    judged[VERDICTS.index(judge.verdict)] = judge.confidence
    return Probabilities.from_array(
        (1.0 - judge_weight) * verifier.as_array() + judge_weight * judged
    )


def locate(quote: str, passage: str) -> Span | None:
    """Where `quote` occurs in `passage`, ignoring case and runs of whitespace."""
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, passage, flags=re.IGNORECASE)
    return Span(text=match.group(0), start=match.start(), end=match.end()) if match else None


class FaithfulnessScorer:
    """Scores claims against passages with the verifier, plus `judge` when one is given."""

    def __init__(
        self,
        verifier: ClaimModel | None = None,
        judge: Model | None = None,
        *,
        judge_weight: float = 0.6,
        judge_concurrency: int = 4,
        judge_params: GenerateParams | None = None,
        content_check: bool = True,
        thresholds: ContentThresholds | None = None,
    ) -> None:
        if not 0.0 <= judge_weight <= 1.0:
            raise ValueError(f"judge_weight must be within [0, 1], got {judge_weight}")
        self.verifier = verifier or ClaimModel()
        self.judge = judge
        self.judge_weight = judge_weight
        self.judge_params = judge_params or GenerateParams(max_tokens=400)
        self._judge_slots = asyncio.Semaphore(judge_concurrency)
        self.content_check = content_check
        self.thresholds = thresholds or ContentThresholds()

    async def score(
        self, claim: str, passage: str, *, title: str | None = None
    ) -> FaithfulnessVerdict:
        [verdict] = await self.score_many([(claim, passage)], title=title)
        return verdict

    async def score_many(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        title: str | None = None,
        titles: Sequence[str | None] | None = None,
    ) -> list[FaithfulnessVerdict]:
        """Score (claim, passage) pairs: one batched verifier pass, judge calls in parallel.
        `title` is one page title for every pair; `titles` one per pair (or None)."""
        for claim, passage in pairs:
            if not claim.strip() or not passage.strip():
                raise ValueError("claim and passage must both be non-empty")
        per_pair = per_pair_titles(len(pairs), title, titles)
        checked = await asyncio.to_thread(self._check, pairs, per_pair)
        return list(
            await asyncio.gather(
                *(
                    self._finish(claim, passage, probs, span, t, merged)
                    for (claim, passage), (probs, span, merged), t in zip(
                        pairs, checked, per_pair, strict=True
                    )
                )
            )
        )

    def _check(
        self, pairs: Sequence[tuple[str, str]], titles: list[str | None]
    ) -> list[tuple[Probabilities, Span, bool]]:
        """Per pair: probabilities, the span they rest on, and whether that span is a
        merge of sentences found by the content check."""
        checked = [(p, s, False) for p, s in self.verifier.check_many(pairs, titles=titles)]
        if not self.content_check:
            return checked
        covers = [
            _cover(claim, passage, span, t) if span.text else None
            for (claim, passage), (_, span, _), t in zip(pairs, checked, titles, strict=True)
        ]
        todo = [i for i, c in enumerate(covers) if c is not None]
        rescored = self.verifier.probabilities(
            [
                (pairs[i][0], (f"{titles[i]}: " if titles[i] else "") + covers[i].text)  # type: ignore[union-attr]
                for i in todo
            ]
        )
        for i, row in zip(todo, rescored, strict=True):
            probs = Probabilities.from_array(row)
            # The covering stretch replaces the span when the model finds it at least as
            # supportive: it is the evidence a merged claim actually rests on.
            if probs.supported >= checked[i][0].supported:
                checked[i] = (probs, covers[i], True)  # type: ignore[assignment]
        return checked

    def _content_checked(
        self, claim: str, probs: Probabilities, span: Span, title: str | None, merged: bool
    ) -> tuple[Probabilities, list[str]]:
        if not self.content_check or not span.text:
            return probs, []
        check = check_claim(claim, [span.text], title=title)
        if check.passed and not merged:
            return probs, []
        if check.passed:
            needed = self.thresholds.merged
        else:
            needed = self.thresholds.strict if check.strict else self.thresholds.plain
        if probs.verdict == "supported" and probs.supported >= needed:
            return probs, check.words
        if check.passed and probs.verdict != "supported":
            return probs, []
        return _overrule(probs), check.words

    async def _finish(
        self,
        claim: str,
        passage: str,
        model_probs: Probabilities,
        span: Span,
        title: str | None,
        merged: bool,
    ) -> FaithfulnessVerdict:
        probs, unsupported = self._content_checked(claim, model_probs, span, title, merged)
        quote = _quotation(claim, passage, title) if self.content_check else None
        if quote is not None:
            # A sentence of the passage copied word for word is supported by the passage,
            # whatever the verifier reads into it.
            probs, unsupported, span = Probabilities.from_array([1.0, 0.0, 0.0]), [], quote
        verdict = FaithfulnessVerdict(
            claim=claim,
            verdict=probs.verdict,
            probabilities=probs,
            quoted_span=span.text,
            span_start=span.start,
            span_end=span.end,
            source="verifier",
            verifier_probabilities=model_probs,
            unsupported_words=unsupported,
            merged_sentences=merged,
        )
        if self.judge is None:
            return verdict
        try:
            judged = await self._ask_judge(self.judge, claim, passage)
        except ModelError as exc:
            return verdict.model_copy(update={"judge_error": f"{type(exc).__name__}: {exc}"})
        combined = combine(probs, judged, self.judge_weight)
        update: dict[str, object] = {
            "verdict": combined.verdict,
            "probabilities": combined,
            "source": "combined",
            "judge": judged,
        }
        quote = locate(judged.quoted_span, passage) if combined.verdict == judged.verdict else None
        if quote is not None:
            update |= {"quoted_span": quote.text, "span_start": quote.start, "span_end": quote.end}
        return verdict.model_copy(update=update)

    async def _ask_judge(self, judge: Model, claim: str, passage: str) -> JudgeVerdict:
        messages = [
            Message.system(JUDGE_SYSTEM_PROMPT),
            Message.user(JUDGE_USER_PROMPT.format(passage=passage, claim=claim)),
        ]
        async with self._judge_slots:
            with call_context(caller="claimcheck.faithfulness"):
                return await generate_structured(
                    judge, messages, JudgeVerdict, params=self.judge_params
                )
