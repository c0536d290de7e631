"""The validation gate: a batch joins the corpus only if the corpus stays mostly human,
shallow in generations, diverse, and of high quality. Every violated rule is reported."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from lyceum.evolve.diversity import diversity
from lyceum.evolve.examples import CandidateExample
from lyceum.evolve.settings import EvolveSettings
from lyceum.retrieval.embeddings import Embedder

# Thresholds are inclusive: a batch exactly at a limit passes. The tolerance absorbs
# float rounding of shares and means computed from integers.
_EPS = 1e-9


class RuleResult(BaseModel):
    rule: str
    passed: bool
    value: float | None
    threshold: float
    message: str


class GateDecision(BaseModel):
    accepted: bool
    batch_size: int
    corpus_size: int
    rules: list[RuleResult] = Field(default_factory=list)

    @property
    def violations(self) -> list[RuleResult]:
        return [r for r in self.rules if not r.passed]


def _synthetic_share(
    batch: Sequence[CandidateExample], corpus: Sequence[CandidateExample], limit: float
) -> RuleResult:
    synthetic = sum(e.synthetic for e in corpus) + sum(e.synthetic for e in batch)
    total = len(corpus) + len(batch)
    share = synthetic / total
    ok = share <= limit + _EPS
    return RuleResult(
        rule="synthetic_share",
        passed=ok,
        value=share,
        threshold=limit,
        message=f"synthetic share of the resulting corpus {share:.3f} "
        f"({synthetic}/{total}) {'<=' if ok else 'exceeds'} {limit:.2f}",
    )


def _depth(batch: Sequence[CandidateExample], limit: int) -> RuleResult:
    deep = [e for e in batch if e.generation_depth > limit]
    deepest = max(e.generation_depth for e in batch)
    if deep:
        ids = ", ".join(e.id for e in deep[:5]) + (" ..." if len(deep) > 5 else "")
        message = f"{len(deep)} example(s) deeper than generation {limit} ({ids})"
    else:
        message = f"deepest generation {deepest} <= {limit}"
    return RuleResult(
        rule="generation_depth",
        passed=not deep,
        value=float(deepest),
        threshold=float(limit),
        message=message,
    )


def _quality(batch: Sequence[CandidateExample], limit: float) -> RuleResult:
    mean = sum(e.quality for e in batch) / len(batch)
    ok = mean >= limit - _EPS
    return RuleResult(
        rule="quality",
        passed=ok,
        value=mean,
        threshold=limit,
        message=f"mean quality {mean:.3f} {'>=' if ok else 'below'} {limit:.2f}",
    )


def _diversity(
    batch: Sequence[CandidateExample],
    corpus: Sequence[CandidateExample],
    settings: EvolveSettings,
    embedder: Embedder,
) -> RuleResult:
    ratio = settings.min_diversity_ratio
    if len(corpus) < 2:
        return RuleResult(
            rule="diversity",
            passed=True,
            value=None,
            threshold=ratio,
            message="no current corpus to compare diversity with (fewer than 2 examples)",
        )
    options = {"sample": settings.diversity_sample, "seed": settings.seed}
    before = diversity([e.text() for e in corpus], embedder, **options)
    after = diversity([e.text() for e in [*corpus, *batch]], embedder, **options)
    relative = after / before if before > 0 else 1.0
    ok = relative >= ratio - _EPS
    return RuleResult(
        rule="diversity",
        passed=ok,
        value=relative,
        threshold=ratio,
        message=f"diversity {after:.4f} is {relative:.3f} of the corpus's {before:.4f} "
        f"({'>=' if ok else 'below'} {ratio:.2f})",
    )


def check_batch(
    batch: Sequence[CandidateExample],
    corpus: Sequence[CandidateExample],
    settings: EvolveSettings,
    embedder: Embedder,
) -> GateDecision:
    """Apply every rule to `batch` joining `corpus` (anchor + accepted examples)."""
    if not batch:
        raise ValueError("the gate needs a non-empty batch")
    rules = [
        _synthetic_share(batch, corpus, settings.max_synthetic_share),
        _depth(batch, settings.max_generation_depth),
        _diversity(batch, corpus, settings, embedder),
        _quality(batch, settings.min_mean_quality),
    ]
    return GateDecision(
        accepted=all(r.passed for r in rules),
        batch_size=len(batch),
        corpus_size=len(corpus),
        rules=rules,
    )
