"""Which judge tells an on-topic cited sentence from one on a neighbouring subject?

    python benchmarks/relevance_judges.py [--mpnet DIR] [--no-llm]

The yardstick is the hand labels of `benchmarks/data/research_quality/labels.jsonl`
("on_topic": does the sentence answer a part of the question?). Every labelled sentence was
printed in a real report, so it passed the relevance gate of its run: this measures the
judges on the sentences that gate could not sort. For each judge, the AUC (probability that
an on-topic sentence scores above an off-topic one) on the dev and on the test questions:

- `minilm_focus`: `Relevance.focus` on MiniLM (what the report's focus cut uses);
- `mpnet_focus`: the same on all-mpnet-base-v2 (`--mpnet DIR`, the unpacked PyPI chunk
  wheels; see docs/features/claim-check.md), and `minilm_mpnet_focus`, the two averaged;
- `llm_sentence`, `llm_title`: the embedded model (Qwen2.5-Coder-0.5B, greedy) asked "does
  this sentence directly answer part of the question?" and "would the article titled T
  answer part of it?", scored by p(yes) / (p(yes) + p(no)) from its first token's
  log-probabilities.

Results: benchmarks/results/relevance_judges.json.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import time
from pathlib import Path
from typing import Any

import provenance
from report_focus import labelled, scored, split_aucs

ROOT = Path(__file__).parent
RESULTS = ROOT / "results" / "relevance_judges.json"

PROMPTS = {
    "llm_sentence": (
        "You judge whether a sentence answers a research question.",
        "Question: {question}\nSentence ({title}): {claim}\n\nDoes this sentence state a fact "
        "that directly answers part of the question (not just background on a related "
        "term)? Answer yes or no.",
    ),
    "llm_title": (
        "You judge whether an encyclopedia article is about the topic of a research question.",
        "Question: {question}\nArticle title: {title}\n\nWould this article's text directly "
        "answer part of the question? Answer yes or no.",
    ),
}


async def llm_scores(rows: list[dict[str, Any]], kind: str) -> list[float]:
    """p(yes) of the embedded model's first answer token, renormalised over yes/no."""
    from lyceum.llm.backends.local import LocalBackend, build_request
    from lyceum.llm.types import GenerateParams, Message

    backend = LocalBackend()
    system, user = PROMPTS[kind]
    out = []
    for row in rows:
        messages = [
            Message(role="system", content=system),
            Message(role="user", content=user.format(**row)),
        ]
        request = build_request(messages, GenerateParams(max_tokens=1, temperature=0.0))
        request.update(logprobs=True, top_logprobs=20)
        yes = no = 1e-9
        # The chat API does not return log-probabilities; the backend's raw stream does.
        async for chunk in backend._chunks(request):
            for choice in chunk.get("choices", []):
                for item in (choice.get("logprobs") or {}).get("content") or []:
                    for top in item.get("top_logprobs", []):
                        token = top["token"].strip().lower()
                        if token == "yes":
                            yes += math.exp(top["logprob"])
                        elif token == "no":
                            no += math.exp(top["logprob"])
        out.append(yes / (yes + no))
    await backend.aclose()
    return out


async def scores(args: argparse.Namespace, rows: list[dict[str, Any]]) -> dict[str, list[float]]:
    judges = {"minilm_focus": [r["focus"] for r in await scored("minilm")]}
    if args.mpnet:
        judges["mpnet_focus"] = [r["focus"] for r in await scored(str(args.mpnet))]
        # The two models' focus averaged: the mean of their cosines.
        judges["minilm_mpnet_focus"] = [
            (a + b) / 2 for a, b in zip(judges["minilm_focus"], judges["mpnet_focus"], strict=True)
        ]
    if not args.no_llm:
        for kind in PROMPTS:
            judges[kind] = await llm_scores(rows, kind)
    return judges


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mpnet", type=Path, help="all-mpnet-base-v2 directory")
    parser.add_argument("--no-llm", action="store_true", help="skip the embedded-model judge")
    args = parser.parse_args()
    load_before = os.getloadavg()
    started = time.perf_counter()
    rows = labelled()
    judges = asyncio.run(scores(args, rows))
    splits = split_aucs(rows, judges)
    provenance.write(
        RESULTS,
        load_before,
        seconds=round(time.perf_counter() - started, 1),
        judges=list(judges),
        splits=splits,
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
