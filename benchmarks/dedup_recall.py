"""Near-duplicate recall just above the threshold: recall-tuned LSH bands vs the balanced ones.

    .venv/bin/python benchmarks/dedup_recall.py            # 20 trials per corpus, ~1 minute

Each trial draws a 300-word text and 60 copies of it with 1 % (or 2 %) of their words
replaced. Copies at 1 % are ~0.81 Jaccard-similar to each other (5-word shingles), just above
--threshold 0.8, so they form one cluster and dedup should keep 1 of 60; copies at 2 % sit
near 0.66, below it. Both configurations confirm candidates by their estimated Jaccard
similarity; only the bands differ. Quality is judged by exact Jaccard similarity computed
from the shingle sets, not by anything the deduplicator produced: `missed_pairs` counts kept
pairs whose true similarity reaches the threshold, `false_merges` removed documents whose
true similarity to every kept document is below threshold - 0.1. The time ratio is measured
in the same run. Writes benchmarks/results/dedup_recall.json.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import tempfile
import time
from pathlib import Path

import provenance

from lyceum.data.dedup import DedupConfig, deduplicate_file
from lyceum.data.minhash import candidate_probability, optimal_params

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "dedup_recall.json"
THRESHOLD = 0.8


def corpus(rng: random.Random, change: float, copies: int = 60, words: int = 300) -> list[dict]:
    vocabulary = [f"word{i}" for i in range(5000)]
    base = [rng.choice(vocabulary) for _ in range(words)]
    rows = []
    for c in range(copies):
        text = list(base)
        for i in rng.sample(range(words), max(1, round(words * change))):
            text[i] = rng.choice(vocabulary)
        rows.append({"id": f"copy{c}", "text": " ".join(text)})
    return rows


def shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    w = text.split()
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


def run(rows: list[dict], config: DedupConfig, workdir: Path) -> tuple[list[str], float]:
    src, out = workdir / "in.jsonl", workdir / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    start = time.perf_counter()
    deduplicate_file(src, out, config)
    seconds = time.perf_counter() - start
    return [json.loads(line)["id"] for line in out.read_text().splitlines()], seconds


def judge(rows: list[dict], kept: list[str]) -> tuple[int, int]:
    sets = {r["id"]: shingles(r["text"]) for r in rows}
    missed = sum(jaccard(sets[a], sets[b]) >= THRESHOLD for a, b in itertools.combinations(kept, 2))
    removed = set(sets) - set(kept)
    false = sum(max(jaccard(sets[r], sets[k]) for k in kept) < THRESHOLD - 0.1 for r in removed)
    return missed, false


def main() -> None:
    load_before = os.getloadavg()
    balanced = optimal_params(THRESHOLD, 128)
    configs = {
        "balanced_bands": DedupConfig(threshold=THRESHOLD, bands=balanced[0], rows=balanced[1]),
        "recall_bands": DedupConfig(threshold=THRESHOLD),
    }
    results: dict[str, dict] = {}
    for change in (0.01, 0.02):
        for name, config in configs.items():
            rng = random.Random(0)
            kept_counts, missed, false, seconds = [], 0, 0, 0.0
            for _ in range(20):
                rows = corpus(rng, change)
                with tempfile.TemporaryDirectory() as tmp:
                    kept, took = run(rows, config, Path(tmp))
                m, f = judge(rows, kept)
                kept_counts.append(len(kept))
                missed, false, seconds = missed + m, false + f, seconds + took
            key = f"{name}@{change:.0%}"
            results[key] = {
                "bands_rows": list(config.lsh_params()),
                "p_candidate_at_threshold": round(
                    candidate_probability(THRESHOLD, *config.lsh_params()), 3
                ),
                "kept_of_60_per_trial": kept_counts,
                "missed_pairs": missed,
                "false_merges": false,
                "seconds": round(seconds, 2),
            }
            print(key, results[key])
    ratio = results["recall_bands@1%"]["seconds"] / results["balanced_bands@1%"]["seconds"]
    print(f"time ratio recall/balanced at 1 %: {ratio:.2f}")
    provenance.write(
        RESULTS,
        load_before,
        threshold=THRESHOLD,
        trials=20,
        results=results,
        time_ratio_recall_over_balanced_1pct=round(ratio, 2),
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
