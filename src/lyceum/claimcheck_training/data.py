"""Claim/evidence pairs for training the faithfulness verifier, from VitaminC.

VitaminC (54,668 pairs from the bigbench sdist) is the only labelled claim/evidence set
that installs offline; bigbench's FEVER copy has claims without evidence, so it cannot
teach entailment. Splits are made by Wikipedia page so that no page's contrastive
claims leak from train into test. Three changes fit the data to how the verifier is used:

- the FEVER tokenisation (`-LRB-`, ` , `, ` 's`) is undone, since real passages are prose;
- the `Page title: ` prefix is kept on half the pairs (chosen by hash), so the model
  works with and without a title in front of the passage;
- two augmentations add cases VitaminC has few of: claims paired with evidence from
  another page (not enough info — what retrieval returns when it misses), and supported
  claims negated with a copula rule ("X is Y" → "X is not Y"; contradicted).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from lyceum.lab.datasets.bigbench import ClaimExample, vitaminc_examples

Label = Literal["supported", "contradicted", "not_enough_info"]
LABELS: tuple[Label, ...] = ("supported", "contradicted", "not_enough_info")

_FROM_DATASET: dict[str, Label] = {
    "supported": "supported",
    "refuted": "contradicted",
    "not_enough_info": "not_enough_info",
}


class VerifierPair(BaseModel):
    model_config = ConfigDict(frozen=True)

    claim: str
    evidence: str
    label: Label
    origin: str
    """vitaminc, mismatched or negated here; a hard-negative kind in `claimcheck_training.lora`."""
    page: str

    @property
    def label_id(self) -> int:
        return LABELS.index(self.label)


class VerifierSplits(BaseModel):
    train: list[VerifierPair]
    validation: list[VerifierPair]
    test: list[VerifierPair]


_DETOKENIZE = [
    (re.compile(r"-LRB-\s*"), "("),
    (re.compile(r"\s*-RRB-"), ")"),
    (re.compile(r"-COLON-"), ":"),
    (re.compile(r"-LSB-\s*"), "["),
    (re.compile(r"\s*-RSB-"), "]"),
    (re.compile(r"``\s*|\s*''"), '"'),
    (re.compile(r"\(\s+"), "("),
    (re.compile(r"\s+\)"), ")"),
    (re.compile(r"(?<=s) ' "), "' "),
    (re.compile(r"\s+([,.;:!?%])"), r"\1"),
    (re.compile(r"\s+('s|'re|'ve|'ll|'d|n't)\b"), r"\1"),
    (re.compile(r"\$\s+(?=\d)"), "$"),
    (re.compile(r"\s*\ufffd\s*"), " "),
    (re.compile(r"\s{2,}"), " "),
]


def detokenize(text: str) -> str:
    """Undo FEVER/VitaminC tokenisation: `Larson ( born 1989 ) , an actor .` → prose."""
    for pattern, replacement in _DETOKENIZE:
        text = pattern.sub(replacement, text)
    return text.strip().lstrip(", ")


_COPULA = re.compile(r"\b(is|was|are|were|has been|have been|will be|can|could|did)\b")


def negate(claim: str) -> str | None:
    """Insert "not" after the first copula or modal; None when the claim has none or
    already carries a negation (double negation would keep the meaning)."""
    if re.search(r"\b(not|never|no)\b|n't\b", claim):
        return None
    match = _COPULA.search(claim)
    if match is None:
        return None
    word = match.group(1)
    if " " in word:
        first, rest = word.split(" ", 1)
        negated = f"{first} not {rest}"
    else:
        negated = f"{word} not"
    return claim[: match.start()] + negated + claim[match.end() :]


def _stable_fraction(key: str) -> float:
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def to_pair(example: ClaimExample) -> VerifierPair:
    page, sep, sentence = example.evidence.partition(": ")
    if not sep:
        page, sentence = "", example.evidence
    page_text = detokenize(page)
    evidence = detokenize(sentence)
    if page_text and _stable_fraction(example.id) < 0.5:
        evidence = f"{page_text}: {evidence}"
    return VerifierPair(
        claim=detokenize(example.claim),
        evidence=evidence,
        label=_FROM_DATASET[example.label],
        origin="vitaminc",
        page=page_text,
    )


def _augment(pairs: list[VerifierPair], rng: random.Random, fraction: float) -> list[VerifierPair]:
    """`fraction` of len(pairs) extra pairs of each kind: mismatched NEI and negated claims."""
    n_extra = int(len(pairs) * fraction)
    extra: list[VerifierPair] = []
    for _ in range(n_extra * 4):
        if len(extra) >= n_extra:
            break
        a, b = rng.sample(pairs, 2)
        if a.page != b.page:
            extra.append(
                VerifierPair(
                    claim=a.claim,
                    evidence=b.evidence,
                    label="not_enough_info",
                    origin="mismatched",
                    page=a.page,
                )
            )
    supported = [p for p in pairs if p.label == "supported"]
    rng.shuffle(supported)
    negated = 0
    for pair in supported:
        if negated >= n_extra:
            break
        claim = negate(pair.claim)
        if claim is not None:
            update = {"claim": claim, "label": "contradicted", "origin": "negated"}
            extra.append(pair.model_copy(update=update))
            negated += 1
    return extra


def split_by_page(
    pairs: Iterable[VerifierPair], *, seed: int, validation: float, test: float
) -> tuple[list[VerifierPair], list[VerifierPair], list[VerifierPair]]:
    """Assign whole pages to train/validation/test with the given fractions of pages."""
    by_page: dict[str, list[VerifierPair]] = {}
    for pair in pairs:
        by_page.setdefault(pair.page, []).append(pair)
    pages = sorted(by_page)
    random.Random(seed).shuffle(pages)
    n_test = round(len(pages) * test)
    n_val = round(len(pages) * validation)
    parts = (pages[n_test + n_val :], pages[n_test : n_test + n_val], pages[:n_test])
    train, val, tst = ([p for page in part for p in by_page[page]] for part in parts)
    return train, val, tst


def build_splits(
    *,
    seed: int = 13,
    train_size: int = 24_000,
    validation_size: int = 2_000,
    test_size: int = 4_000,
    augment_fraction: float = 0.08,
    source_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> VerifierSplits:
    """Seeded train/validation/test pairs; sizes count VitaminC pairs before augmentation.

    Pages are split 80/8/12; each split is then subsampled to its size. Augmented pairs
    are added to every split, built only from that split's own pages."""
    pairs = [to_pair(ex) for ex in vitaminc_examples(source_dir=source_dir, cache_dir=cache_dir)]
    train, val, test = split_by_page(pairs, seed=seed, validation=0.08, test=0.12)
    rng = random.Random(seed)
    out: list[list[VerifierPair]] = []
    for part, size in ((train, train_size), (val, validation_size), (test, test_size)):
        if size > len(part):
            raise ValueError(f"asked for {size} pairs but the split holds only {len(part)}")
        chosen = rng.sample(part, size)
        chosen += _augment(chosen, rng, augment_fraction)
        rng.shuffle(chosen)
        out.append(chosen)
    return VerifierSplits(train=out[0], validation=out[1], test=out[2])
