"""Does a learned mix of the report's own signals tell on-topic sentences better than focus?

    python benchmarks/focus_features.py

The report keeps or cuts a checked sentence by its focus (`Relevance.focus`, MiniLM) and a
few rules (`focus_cut.py`). Each rule is one more signal the pipeline already computes: the
sentence's cosine to the question, its page title's, whether the question names the page,
whether the sentence names the question's subject, states the cause or the kind a part asks
for, its best part score (`Relevance.part_scores`), whether it carries the kind its best part
asks for, and its distance to the best focus of its question. This fits a logistic
regression on those signals over the dev questions' hand labels (`labels.jsonl` and
`focus_dropped_labels.jsonl`: "on_topic", judged by a person) and reports its AUC on the test
questions, which did not fit it, beside each signal's own AUC.

It answers whether a judge learned from these signals is worth shipping in place of the
focus margins: if it does not beat focus alone on test, the way to keep more on-topic
sentences (and cite more of the collection's relevant pages) is a better relevance model,
not a better mix of these. Results: benchmarks/results/focus_features.json.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import provenance
from report_focus import auc, labelled, with_distances

from lyceum.research.answer_type import asked_type, carries
from lyceum.research.focus_cut import states_asked_kind, states_asked_reason
from lyceum.research.named import in_named_context, names, names_subject
from lyceum.research.part_subject import standalone_part
from lyceum.research.parts import question_parts
from lyceum.research.relevance import load_relevance

ROOT = Path(__file__).parent
RESULTS = ROOT / "results" / "focus_features.json"
LABEL_FILES = ("labels.jsonl", "focus_dropped_labels.jsonl")
SIGNALS = (
    "focus",
    "cosine",
    "title_cosine",
    "named",
    "names_subject",
    "states_reason",
    "states_kind",
    "best_part_score",
    "carries_kind",
    "distance",
)


async def signals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` with each signal of `SIGNALS`."""
    relevance = load_relevance("minilm")
    for row in rows:
        question, claim = row["question"], row["claim"]
        title = row["title"].split(" | ")[0]
        text = in_named_context(claim, title, question)
        [row["focus"]] = await relevance.focus([text], question)
        [row["cosine"]] = await relevance.ascores([claim], question)
        [row["title_cosine"]] = await relevance.ascores([title], question)
        row["named"] = names(question, title)
        row["names_subject"] = names_subject(claim, question)
        row["states_reason"] = states_asked_reason(claim, question)
        row["states_kind"] = states_asked_kind(claim, question)
        parts = question_parts(question)
        scores = [(await relevance.part_scores([text], question, i))[0] for i in range(len(parts))]
        best = max(range(len(parts)), key=lambda i: scores[i])
        row["best_part_score"] = scores[best]
        kind = asked_type(standalone_part(parts[best], question))
        row["carries_kind"] = kind is not None and carries(claim, kind)
    return with_distances(rows)


def _matrix(rows: list[dict[str, Any]]) -> np.ndarray:
    return np.array([[float(r[s]) for s in SIGNALS] for r in rows])


def _with_bias(x: np.ndarray) -> np.ndarray:
    return np.hstack([np.ones((len(x), 1)), x])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method with an L2 penalty `l2` on the weights (not the
    bias): [bias, *weights], whose linear score ranks as the probability does."""
    xb = _with_bias(x)
    w = np.zeros(xb.shape[1])
    penalty = np.eye(len(w)) * l2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        gradient = xb.T @ (p - y) + penalty @ w
        hessian = xb.T @ (xb * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def evaluate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each signal's AUC per split (distance negated: smaller is closer), and the logistic
    mix fitted on dev."""
    by_split = {s: [r for r in rows if r["split"] == s] for s in ("dev", "test")}
    single = {
        s: {
            name: round(
                auc(
                    [(-1 if name == "distance" else 1) * float(r[name]) for r in split_rows],
                    [r["on_topic"] for r in split_rows],
                ),
                3,
            )
            for name in SIGNALS
        }
        for s, split_rows in by_split.items()
    }
    dev = by_split["dev"]
    weights = fit_logistic(_matrix(dev), np.array([r["on_topic"] for r in dev], dtype=float))
    mixed = {
        s: round(
            auc(
                list(_with_bias(_matrix(split_rows)) @ weights), [r["on_topic"] for r in split_rows]
            ),
            3,
        )
        for s, split_rows in by_split.items()
    }
    return {
        "labelled": {s: len(v) for s, v in by_split.items()},
        "on_topic": {s: sum(r["on_topic"] for r in v) for s, v in by_split.items()},
        "signal_auc": single,
        "mix_auc": mixed,
        "mix_fitted_on": "dev",
        "mix_coefficients": dict(
            zip(SIGNALS, [round(float(c), 3) for c in weights[1:]], strict=True)
        ),
    }


def main() -> None:
    load_before = os.getloadavg()
    started = time.perf_counter()
    result = evaluate(asyncio.run(signals(labelled(LABEL_FILES))))
    provenance.write(
        RESULTS, load_before, seconds=round(time.perf_counter() - started, 1), **result
    )
    for split in ("dev", "test"):
        print(
            f"{split}: focus alone AUC {result['signal_auc'][split]['focus']}, "
            f"logistic mix {result['mix_auc'][split]}"
        )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
