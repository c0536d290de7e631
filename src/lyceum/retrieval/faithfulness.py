"""Is a claim supported by a passage? A trained verifier, optionally joined by an LLM judge.

The verifier is all-MiniLM-L6-v2 fine-tuned on VitaminC as a 3-class cross-encoder
(`verifier_train`), shipped in `verifier_model/`. It reads one claim against short
evidence, so a passage is cut into sentences and each sentence, and each pair of adjacent
sentences, is scored. The candidate with the most decisive verdict (highest calibrated
probability of "supported" or "contradicted") gives the passage's probabilities and the
quoted span; a two-sentence window is quoted only when it is clearly more decisive than
any single sentence (by `WINDOW_MARGIN`).

With a judge model, the judge is asked for a schema-constrained verdict with a confidence,
and the two are mixed (see `combine`): the judge's answer becomes a distribution with its
confidence on the chosen label and the rest split evenly, and the final probabilities are
`(1 - judge_weight) * verifier + judge_weight * judge`. A failed judge call leaves the
verifier's verdict in place and records the error.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from lyceum.errors import MissingDependencyError, ModelError, NotFoundError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams, Message

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

Verdict = Literal["supported", "contradicted", "not_enough_info"]
VERDICTS: tuple[Verdict, ...] = ("supported", "contradicted", "not_enough_info")
WINDOW_MARGIN = 0.1

JUDGE_SYSTEM_PROMPT = (
    "You check whether a claim is supported by a passage, using only the passage. "
    "Answer 'supported' if the passage states or directly implies the claim, "
    "'contradicted' if the passage states something incompatible with it, and "
    "'not_enough_info' otherwise. Quote the passage sentence(s) your verdict rests on, "
    "copied exactly, and give your confidence from 0 to 1."
)
JUDGE_USER_PROMPT = "Passage:\n{passage}\n\nClaim: {claim}"


def verifier_model_dir() -> Path:
    """The shipped verifier, loadable as `sentence_transformers.CrossEncoder(dir)`."""
    return Path(__file__).parent / "verifier_model"


class Probabilities(BaseModel):
    model_config = ConfigDict(frozen=True)

    supported: float
    contradicted: float
    not_enough_info: float

    @classmethod
    def from_array(cls, values: Sequence[float] | np.ndarray) -> Probabilities:
        return cls(**{label: round(float(v), 6) for label, v in zip(VERDICTS, values, strict=True)})

    def as_array(self) -> np.ndarray:
        return np.array([self.supported, self.contradicted, self.not_enough_info])

    @property
    def verdict(self) -> Verdict:
        return VERDICTS[int(self.as_array().argmax())]


class JudgeVerdict(BaseModel):
    """What the judge model is asked to return."""

    verdict: Verdict
    quoted_span: str = Field(
        description="The passage sentence(s) the verdict rests on, copied exactly; "
        "empty if none is relevant."
    )
    confidence: float = Field(ge=0.0, le=1.0, description="Probability that the verdict is right.")


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int


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

    @property
    def supported(self) -> bool:
        return self.verdict == "supported"


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs|etc|No|Fig|Eq|al|e\.g|i\.e|U\.S|Inc|Ltd|Co)"
    r"|\b[A-Z])\.$"
)


def split_sentences(passage: str) -> list[Span]:
    """Sentences with character offsets; common abbreviations and initials do not end one."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(passage):
        end = match.start() + 1 if passage[match.start()] in ".!?" else match.start()
        piece = passage[start:end].rstrip()
        if _ABBREVIATION.search(piece):
            continue
        if piece.strip():
            offset = start + len(passage[start:end]) - len(passage[start:end].lstrip())
            spans.append(Span(text=piece.strip(), start=offset, end=start + len(piece)))
        start = match.end()
    tail = passage[start:]
    if tail.strip():
        offset = start + len(tail) - len(tail.lstrip())
        spans.append(Span(text=tail.strip(), start=offset, end=len(passage.rstrip())))
    return spans


def candidate_spans(passage: str) -> list[Span]:
    """Each sentence, then each pair of adjacent sentences."""
    sentences = split_sentences(passage)
    windows = [
        Span(text=passage[a.start : b.end], start=a.start, end=b.end)
        for a, b in pairwise(sentences)
    ]
    return sentences + windows


class Verifier:
    """The trained cross-encoder with its fitted temperature; loads lazily on first use."""

    def __init__(self, model_dir: Path | None = None, *, batch_size: int = 32) -> None:
        self.model_dir = Path(model_dir) if model_dir else verifier_model_dir()
        config_path = self.model_dir / "verifier.json"
        if not config_path.is_file():
            raise NotFoundError(
                f"no verifier model in {self.model_dir} (missing verifier.json)",
                hint="Train one with: python -m lyceum.retrieval.verifier_train --out DIR",
            )
        config = json.loads(config_path.read_text())
        if tuple(config["labels"]) != VERDICTS:
            raise NotFoundError(f"{config_path} has labels {config['labels']}, not {VERDICTS}")
        self.temperature = float(config["temperature"])
        self.max_length = int(config["max_length"])
        self.batch_size = batch_size
        self._model: CrossEncoder | None = None
        self._lock = threading.Lock()

    def _load(self) -> CrossEncoder:
        if self._model is None:
            try:
                import torch
                from sentence_transformers import CrossEncoder
            except ImportError as exc:
                raise MissingDependencyError(
                    "sentence-transformers", "embed", "The faithfulness verifier"
                ) from exc
            # Weights are stored in fp16 to halve the repo size; CPUs compute in fp32.
            self._model = CrossEncoder(
                str(self.model_dir),
                device="cpu",
                max_length=self.max_length,
                local_files_only=True,
                model_kwargs={"dtype": torch.float32},
            )
        return self._model

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Calibrated (claim, evidence) probabilities, shape (n, 3) in `VERDICTS` order."""
        if not pairs:
            return np.zeros((0, len(VERDICTS)))
        with self._lock:
            model = self._load()
            logits = model.predict(list(pairs), batch_size=self.batch_size, show_progress_bar=False)
        z = np.asarray(logits, dtype=np.float64).reshape(len(pairs), len(VERDICTS))
        z = z / self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def check_many(
        self, items: Sequence[tuple[str, str]], *, title: str | None = None
    ) -> list[tuple[Probabilities, Span]]:
        """Per (claim, passage): the passage's probabilities and the span they rest on."""
        prefix = f"{title}: " if title else ""
        spans_per_item = [candidate_spans(passage) for _, passage in items]
        flat = [
            (claim, prefix + span.text)
            for (claim, _), spans in zip(items, spans_per_item, strict=True)
            for span in spans
        ]
        probs = self.probabilities(flat)
        results: list[tuple[Probabilities, Span]] = []
        offset = 0
        for (_, passage), spans in zip(items, spans_per_item, strict=True):
            if not spans:
                results.append(
                    (Probabilities.from_array([0.0, 0.0, 1.0]), Span(text="", start=0, end=0))
                )
                continue
            block = probs[offset : offset + len(spans)]
            offset += len(spans)
            results.append(_pick(block, spans, n_sentences=len(split_sentences(passage))))
        return results


def _pick(block: np.ndarray, spans: list[Span], n_sentences: int) -> tuple[Probabilities, Span]:
    decisive = block[:, : VERDICTS.index("not_enough_info")].max(axis=1)
    best_single = int(decisive[:n_sentences].argmax())
    best = best_single
    if len(spans) > n_sentences:
        best_window = n_sentences + int(decisive[n_sentences:].argmax())
        if decisive[best_window] > decisive[best_single] + WINDOW_MARGIN:
            best = best_window
    return Probabilities.from_array(block[best]), spans[best]


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
        verifier: Verifier | None = None,
        judge: Model | None = None,
        *,
        judge_weight: float = 0.6,
        judge_concurrency: int = 4,
        judge_params: GenerateParams | None = None,
    ) -> None:
        if not 0.0 <= judge_weight <= 1.0:
            raise ValueError(f"judge_weight must be within [0, 1], got {judge_weight}")
        self.verifier = verifier or Verifier()
        self.judge = judge
        self.judge_weight = judge_weight
        self.judge_params = judge_params or GenerateParams(max_tokens=400)
        self._judge_slots = asyncio.Semaphore(judge_concurrency)

    async def score(
        self, claim: str, passage: str, *, title: str | None = None
    ) -> FaithfulnessVerdict:
        [verdict] = await self.score_many([(claim, passage)], title=title)
        return verdict

    async def score_many(
        self, pairs: Sequence[tuple[str, str]], *, title: str | None = None
    ) -> list[FaithfulnessVerdict]:
        """Score (claim, passage) pairs: one batched verifier pass, judge calls in parallel."""
        for claim, passage in pairs:
            if not claim.strip() or not passage.strip():
                raise ValueError("claim and passage must both be non-empty")
        checked = await asyncio.to_thread(self.verifier.check_many, pairs, title=title)
        return list(
            await asyncio.gather(
                *(
                    self._finish(claim, passage, probs, span)
                    for (claim, passage), (probs, span) in zip(pairs, checked, strict=True)
                )
            )
        )

    async def _finish(
        self, claim: str, passage: str, probs: Probabilities, span: Span
    ) -> FaithfulnessVerdict:
        verdict = FaithfulnessVerdict(
            claim=claim,
            verdict=probs.verdict,
            probabilities=probs,
            quoted_span=span.text,
            span_start=span.start,
            span_end=span.end,
            source="verifier",
            verifier_probabilities=probs,
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
            with call_context(caller="retrieval.faithfulness"):
                return await generate_structured(
                    judge, messages, JudgeVerdict, params=self.judge_params
                )
