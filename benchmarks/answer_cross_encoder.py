"""Does a cross-encoder trained on SQuAD tell a sentence that answers a research question
from one on a neighbouring subject better than MiniLM's focus does?

    python benchmarks/answer_cross_encoder.py [--questions 2500] [--out DIR]

Trains a LoRA adapter over the claim check's cross-encoder base (`verifier_model/`, so the
adapter is the only new weight) on SQuAD v1.1 from the bigbench sdist: for a question, the
sentence of its paragraph that holds the answer is "supported", two other sentences of the
paragraph, one of another paragraph of the article and one of another article are
"not_enough_info"; evidence is "Title: sentence", as research shows it. Articles are split
by a hash of their title, so held-out pairs come from articles training never saw. Then
scores the hand labels of `benchmarks/data/research_quality/labels.jsonl` with p(answers)
for the question, for each part, and the best of both, and prints the AUC on the dev and
the test questions beside MiniLM's focus (`benchmarks/relevance_judges.py`). Nothing of the
research benchmark is used in training.

Measured 2026-12-03 (results/answer_cross_encoder.json): held-out SQuAD accuracy 0.92, but
AUC on the on-topic labels well below MiniLM's focus, so research does not use it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import provenance
from report_focus import labelled, split_aucs

from lyceum.claimcheck.model import ClaimModel, split_sentences, verifier_model_dir
from lyceum.claimcheck_training.data import VerifierPair
from lyceum.claimcheck_training.lora import train_adapter
from lyceum.lab.datasets.bigbench import SquadExample, squad_examples
from lyceum.research.parts import question_parts, with_focus

ROOT = Path(__file__).parent
RESULTS = ROOT / "results" / "answer_cross_encoder.json"
HELD_OUT_PERCENT = 20


def held_out(title: str) -> bool:
    return hashlib.sha256(title.encode()).digest()[0] * 100 // 256 < HELD_OUT_PERCENT


def answer_pairs(
    examples: Sequence[SquadExample], pool: Iterable[SquadExample], seed: int
) -> list[VerifierPair]:
    """Per question: its answer sentence and four that do not answer it (see above)."""
    rng = random.Random(seed)
    paragraphs: dict[str, list[str]] = {}
    by_article: dict[str, list[str]] = {}
    for ex in [*examples, *pool]:
        if ex.context not in paragraphs:
            paragraphs[ex.context] = [s.text for s in split_sentences(ex.context)]
            by_article.setdefault(ex.title, []).extend(paragraphs[ex.context])
    titles = sorted(by_article)
    out: list[VerifierPair] = []
    for ex in examples:
        sentences = paragraphs[ex.context]
        answer = next(
            (i for a in ex.answers for i, s in enumerate(sentences) if a and a in s), None
        )
        if answer is None or len(sentences) < 2:
            continue
        title = ex.title.replace("_", " ")
        others = [s for i, s in enumerate(sentences) if i != answer]
        elsewhere = [s for s in by_article[ex.title] if s not in sentences]
        negatives = [f"{title}: {s}" for s in rng.sample(others, min(2, len(others)))]
        negatives += [f"{title}: {s}" for s in rng.sample(elsewhere, min(1, len(elsewhere)))]
        other = rng.choice([t for t in titles if t != ex.title])
        negatives.append(f"{other.replace('_', ' ')}: {rng.choice(by_article[other])}")
        pairs = [(f"{title}: {sentences[answer]}", "supported")]
        pairs += [(n, "not_enough_info") for n in negatives]
        out += [
            VerifierPair(claim=ex.question, evidence=e, label=label, origin=label, page=ex.title)
            for e, label in pairs
        ]
    return out


def label_scores(adapter: Path) -> dict[str, list[float]]:
    """p(answers) of each hand-labelled sentence: for the question, best part, best of all."""
    model = ClaimModel(adapter_dir=adapter)
    out: dict[str, list[float]] = {"question": [], "best_part": [], "best": []}
    for row in labelled():
        evidence = f"{row['title']}: {row['claim']}"
        targets = [row["question"]] + [
            with_focus(p, row["question"]) for p in question_parts(row["question"])
        ]
        p = model.probabilities([(t, evidence) for t in targets])[:, 0]
        out["question"].append(float(p[0]))
        out["best_part"].append(float(p[1:].max()) if len(p) > 1 else float(p[0]))
        out["best"].append(float(p.max()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=2500, help="SQuAD training questions")
    parser.add_argument("--out", type=Path, help="keep the adapter here (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    load_before = os.getloadavg()
    started = time.perf_counter()
    rng = random.Random(args.seed)
    examples = list(squad_examples())
    train_q = [ex for ex in examples if not held_out(ex.title)]
    test_q = [ex for ex in examples if held_out(ex.title)]
    rng.shuffle(train_q)
    train = answer_pairs(train_q[: args.questions], train_q, args.seed)
    held = rng.sample(answer_pairs(test_q, (), args.seed + 1), 1500)
    with tempfile.TemporaryDirectory() as tmp:
        adapter = args.out or Path(tmp)
        report = train_adapter(
            train,
            held,
            out=adapter,
            base_dir=verifier_model_dir(),
            max_length=96,
            seed=args.seed,
            recipe={"task": "answer relevance, SQuAD v1.1 dev (bigbench sdist)"},
        )
        judges: dict[str, Any] = label_scores(adapter)
    rows = labelled()
    splits = split_aucs(rows, judges)
    provenance.write(
        RESULTS,
        load_before,
        seconds=round(time.perf_counter() - started, 1),
        training=report["training"],
        held_out=report["held_out"],
        splits=splits,
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
