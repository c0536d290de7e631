"""The LoRA trainer for the verifier: hard pairs from dev pages only, balanced sampling, and a
tiny adapter that trains, saves and is merged by `ClaimModel` at load time."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from lyceum.claimcheck.model import ClaimModel, verifier_model_dir
from lyceum.claimcheck_training.data import VerifierPair
from lyceum.claimcheck_training.hard_negatives import split_of
from lyceum.claimcheck_training.lora import (
    KIND_LABELS,
    balanced_sample,
    eligible_pages,
    hard_pairs,
    train_adapter,
)

_PAGES = [
    (
        "Ada Lovelace",
        "Ada Lovelace was an English mathematician who worked with Charles Babbage in London. "
        "She was the first person to publish an algorithm intended for the Analytical Engine. "
        "Her father was the poet Lord Byron, who left England when she was an infant.",
    ),
    (
        "Danube",
        "The Danube is the second-longest river in Europe after the Volga in Russia. "
        "It flows through Vienna, Budapest and Belgrade before reaching the Black Sea. "
        "The river was once a long-standing frontier of the Roman Empire.",
    ),
    (
        "Marie Curie",
        "Marie Curie was a Polish physicist who conducted pioneering research on radioactivity. "
        "She was the first woman to win a Nobel Prize, awarded in 1903 with Pierre Curie. "
        "She founded the Curie Institutes in Paris and in Warsaw during her later career.",
    ),
]


def _dev_pages() -> list[tuple[str, str]]:
    pages = [(t, p) for t, p in _PAGES if split_of(t) == "dev"]
    suffix = 0
    while len(pages) < 3:  # rename until enough of the sample pages hash to dev
        suffix += 1
        pages = [(f"{t} {suffix}", p) for t, p in _PAGES if split_of(f"{t} {suffix}") == "dev"]
    return pages


def test_eligible_pages_keep_only_dev_pages_not_excluded() -> None:
    titles = [f"Page {i}" for i in range(40)]
    text = "First sentence of the page is here. Second sentence of the page is here."
    kept = eligible_pages([(t, text) for t in titles], exclude_titles=[titles[0]])
    assert kept
    assert all(split_of(t) == "dev" for t, _ in kept)
    assert titles[0] not in {t for t, _ in kept}
    assert {t for t in titles[1:] if split_of(t) == "dev"} == {t for t, _ in kept}


def test_hard_pairs_refuse_test_pages() -> None:
    test_title = next(f"Page {i}" for i in range(100) if split_of(f"Page {i}") == "test")
    with pytest.raises(ValueError, match="dev pages only"):
        hard_pairs([(test_title, _PAGES[0][1])], seed=0)


def test_hard_pairs_label_each_kind_with_the_three_class_scheme() -> None:
    pairs = hard_pairs(_dev_pages(), seed=3, negatives_per_sentence=10)
    kinds = {p.origin for p in pairs}
    assert {"copy", "negation", "other_sentence"} <= kinds
    for p in pairs:
        assert p.label == KIND_LABELS[p.origin]
        if p.origin == "copy":
            assert p.claim in p.evidence
    assert KIND_LABELS["negation"] == "contradicted"
    assert KIND_LABELS["swapped_roles"] == "contradicted"
    assert KIND_LABELS["garbled"] == "not_enough_info"


def test_balanced_sample_shares_false_pairs_among_kinds() -> None:
    def pair(kind: str, i: int) -> VerifierPair:
        label = KIND_LABELS[kind]
        return VerifierPair(claim=f"c{i}", evidence="e", label=label, origin=kind, page="p")

    pool = (
        [pair("copy", i) for i in range(100)]
        + [pair("added_cause", i) for i in range(100)]
        + [pair("swapped_roles", i) for i in range(5)]
    )
    chosen = balanced_sample(pool, 50, random.Random(0), supported_fraction=0.4)
    counts = Counter(p.origin for p in chosen)
    assert counts == {"copy": 20, "swapped_roles": 5, "added_cause": 25}


def test_a_tiny_adapter_trains_saves_and_is_merged_at_load(tmp_path: Path) -> None:
    peft = pytest.importorskip("peft", reason="training needs the train extra")
    pairs = hard_pairs(_dev_pages(), seed=1)[:8]
    report = train_adapter(
        pairs,
        pairs[:4],
        out=tmp_path / "adapter",
        base_dir=verifier_model_dir(),
        rank=2,
        lr=1e-2,
        batch_size=4,
        max_length=48,
    )
    assert report["training"]["steps"] == 2
    saved = json.loads((tmp_path / "adapter" / "adapter.json").read_text())
    assert saved["temperature"] == report["temperature"] > 0
    assert (tmp_path / "adapter" / "adapter_model.safetensors").stat().st_size < 2_000_000

    sample = [(p.claim, p.evidence) for p in pairs[:4]]
    adapted = ClaimModel(adapter_dir=tmp_path / "adapter")
    assert adapted.temperature == saved["temperature"]
    with_adapter = adapted.probabilities(sample)
    base = ClaimModel(adapter_dir=False)
    base.temperature = adapted.temperature
    assert not np.allclose(with_adapter, base.probabilities(sample), atol=1e-4)
    # The loader merges without peft; peft's own merge of the same adapter agrees.
    peft.PeftModel.from_pretrained(
        base._load().transformers_model, str(tmp_path / "adapter")
    ).merge_and_unload()
    assert np.allclose(with_adapter, base.probabilities(sample), atol=1e-5)


def test_pages_and_excluded_titles_are_read_from_jsonl_with_bad_lines_named(
    tmp_path: Path,
) -> None:
    from lyceum.claimcheck_training.lora import _read_pages, _titles_in
    from lyceum.jsonl import JsonlError

    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps({"title": t, "extract": e}) + "\n" for t, e in _PAGES))
    assert _read_pages(None, pages) == list(_PAGES)
    assert _titles_in([pages]) == {t for t, _ in _PAGES}
    pages.write_text(pages.read_text() + "\nnot json\n")
    with pytest.raises(JsonlError, match=r"pages\.jsonl:\d+: invalid JSON"):
        _titles_in([pages])
