"""How reliably the embedded model answers `generate_structured`, over the schemas and
prompts Lyceum's features really send it: research planner, faithfulness judge, LLM
reranker, lab rubric judge and lab pairwise judge.

Each request is counted as valid at the first try, valid after the one repair round,
or failed (a `StructuredOutputError`, or another model error, named).

    python benchmarks/structured.py [--n 30] [--model qwen2.5-coder-0.5b-instruct]
        [--calls CALLS.jsonl ...] [--json PATH]

`--calls` also replays the structured requests a research run really sent (recorded by
`research_profile.py --calls-out`: planner, worker, writer, rewriter, analyst), exactly as
sent, grammar-constrained from their schema, and counts the replies that validate against
the pydantic model at the first try (no repair round). `--json` writes the counts per
schema with date, machine, commit and load average before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import provenance
from pydantic import BaseModel

from lyceum.claimcheck.faithfulness import JUDGE_SYSTEM_PROMPT, JUDGE_USER_PROMPT, JudgeVerdict
from lyceum.config_backends import LocalBackendConfig
from lyceum.errors import ModelError
from lyceum.lab.judges.judges import JUDGE_PARAMS, Rubric, _PairwiseVerdict
from lyceum.lab.methods.prompts import prompt
from lyceum.llm.backends.local import LocalBackend
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured, parse_as
from lyceum.llm.types import Completion, GenerateParams, Message
from lyceum.llm.weights import resolve_model
from lyceum.research import prompts as research_prompts
from lyceum.research.analyst import AnalysisOut
from lyceum.research.planner import PlanOut
from lyceum.research.verify import RewriteOut
from lyceum.research.workers import NotesOut, PickOut
from lyceum.research.writer import SectionOut
from lyceum.retrieval.rerank import RERANK_SYSTEM_PROMPT, RERANK_USER_TEMPLATE, RerankScores

FACTS = [
    (
        "The Zorbian Bridge over the river Mell was opened in 1923 by mayor Ada Kettering. "
        "It replaced a ferry that had run since 1850.",
        "Who opened the Zorbian Bridge?",
        "Ada Kettering opened the bridge.",
        "The bridge opened in 1850.",
    ),
    (
        "Photosynthesis in plants turns light, water and carbon dioxide into glucose and "
        "oxygen. It takes place in the chloroplasts.",
        "Where does photosynthesis take place?",
        "Photosynthesis happens in chloroplasts.",
        "Photosynthesis produces carbon dioxide.",
    ),
    (
        "Python 3.11 made CPython between 10 and 60 percent faster than 3.10, mostly through "
        "a specialising adaptive interpreter.",
        "How much faster is Python 3.11?",
        "Python 3.11 is up to 60 percent faster than 3.10.",
        "Python 3.11 is slower than 3.10.",
    ),
]
QUESTIONS = [
    "Why do bridges need expansion joints?",
    "How do vaccines train the immune system?",
    "What limits the efficiency of solar panels?",
    "Why did the Roman Empire split in two?",
    "How does a hash table handle collisions?",
    "什么是量子纠缠?",
]


@dataclass
class Request:
    kind: str
    schema: type[BaseModel]
    messages: list[Message]
    params: GenerateParams


def _planner(i: int) -> Request:
    q = QUESTIONS[i % len(QUESTIONS)]
    msgs = research_prompts.messages("planner", question=q, breadth=3 + i % 3, episodes="")
    return Request("planner", PlanOut, msgs, GenerateParams(max_tokens=400))


def _faithfulness(i: int) -> Request:
    passage, _, true_claim, false_claim = FACTS[i % len(FACTS)]
    claim = true_claim if i % 2 == 0 else false_claim
    msgs = [
        Message.system(JUDGE_SYSTEM_PROMPT),
        Message.user(JUDGE_USER_PROMPT.format(passage=passage, claim=claim)),
    ]
    return Request("faithfulness", JudgeVerdict, msgs, GenerateParams(max_tokens=400))


def _rerank(i: int) -> Request:
    passage, question, _, _ = FACTS[i % len(FACTS)]
    others = [f[0] for f in FACTS if f[0] != passage]
    texts = [*others[: 1 + i % 2], passage] if i % 2 else [passage, *others]
    passages = "\n\n".join(f"[{n}] {t}" for n, t in enumerate(texts, start=1))
    msgs = [
        Message.system(RERANK_SYSTEM_PROMPT),
        Message.user(RERANK_USER_TEMPLATE.format(query=question, passages=passages)),
    ]
    return Request("rerank", RerankScores, msgs, GenerateParams(max_tokens=64 + 16 * len(texts)))


def _rubric(i: int) -> Request:
    rubric = Rubric() if i % 2 == 0 else Rubric(scale_min=0, scale_max=10)
    _, question, good, bad = FACTS[i % len(FACTS)]
    msgs = prompt("rubric", "judges.yaml").render(
        question=question,
        answer=good if i % 3 else bad,
        reference=good,
        rubric=rubric.criteria,
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
    )
    return Request("rubric judge", rubric.schema_for(), msgs, JUDGE_PARAMS)


def _pairwise(i: int) -> Request:
    _, question, good, bad = FACTS[i % len(FACTS)]
    a, b = (good, bad) if i % 2 == 0 else (bad, good)
    msgs = prompt("pairwise", "judges.yaml").render(
        question=question, answer_a=a, answer_b=b, reference=good
    )
    return Request("pairwise judge", _PairwiseVerdict, msgs, JUDGE_PARAMS)


BUILDERS: Sequence[Callable[[int], Request]] = (
    _planner,
    _faithfulness,
    _rerank,
    _rubric,
    _pairwise,
)


class CountingModel:
    """The real backend, counting `generate` calls so a repair round is visible."""

    def __init__(self, inner: Model) -> None:
        self.inner = inner
        self.name = inner.name
        self.supports_tools = inner.supports_tools
        self.supports_json_schema = inner.supports_json_schema
        self.context_window = inner.context_window
        self.calls = 0

    async def generate(
        self, messages: Sequence[Message], params: GenerateParams | None = None
    ) -> Completion:
        self.calls += 1
        return await self.inner.generate(messages, params)

    def stream(self, messages: Sequence[Message], params: GenerateParams | None = None):
        return self.inner.stream(messages, params)


RECORDED_SCHEMAS: dict[str, type[BaseModel]] = {
    cls.__name__: cls for cls in (PlanOut, PickOut, NotesOut, SectionOut, RewriteOut, AnalysisOut)
}


def recorded_requests(paths: Sequence[Path]) -> list[Request]:
    """The structured requests of recorded research runs, as they were sent."""
    out = []
    for path in paths:
        for line in path.read_text().splitlines():
            call = json.loads(line)
            body = call["request"]
            schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema")
            cls = RECORDED_SCHEMAS.get((schema or {}).get("title", ""))
            if cls is None:
                continue
            messages = [Message(role=m["role"], content=m["content"]) for m in body["messages"]]
            params = GenerateParams(
                max_tokens=body.get("max_tokens"),
                temperature=body.get("temperature"),
                json_schema=schema,
            )
            out.append(Request(f"{call['caller']} ({cls.__name__})", cls, messages, params))
    return out


async def replay(backend: LocalBackend, requests: list[Request]) -> dict[str, Counter[str]]:
    """First-try validity of requests whose messages already hold the schema instruction."""
    by_kind: dict[str, Counter[str]] = {}
    for request in requests:
        try:
            completion = await backend.generate(request.messages, request.params)
            parse_as(request.schema, completion.text)
            outcome = "first try"
        except (ValueError, ModelError) as exc:
            outcome = f"failed ({type(exc).__name__})"
        by_kind.setdefault(request.kind, Counter())[outcome] += 1
    return by_kind


async def run(model_name: str, n: int, calls: Sequence[Path] = (), out: Path | None = None) -> None:
    load_before = os.getloadavg()
    path = resolve_model(model_name, fetch=True)
    backend = LocalBackend("local", LocalBackendConfig(model=str(path), n_ctx=2048))
    await backend.load()
    model = CountingModel(backend)
    outcomes: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    started = time.perf_counter()
    for i, build in zip(range(n), itertools.cycle(BUILDERS), strict=False):
        request = build(i // len(BUILDERS))
        before = model.calls
        try:
            await generate_structured(model, request.messages, request.schema, request.params)
            outcome = "first try" if model.calls - before == 1 else "after repair"
        except ModelError as exc:
            outcome = f"failed ({type(exc).__name__})"
        outcomes[outcome] += 1
        by_kind.setdefault(request.kind, Counter())[outcome] += 1
    elapsed = time.perf_counter() - started
    replayed = await replay(backend, recorded_requests(calls)) if calls else {}
    await backend.aclose()

    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}  model: {model_name}")
    print(f"{n} structured requests in {elapsed:.0f} s ({elapsed / n:.1f} s each)")
    for kind, counts in by_kind.items():
        print(f"  {kind:15s} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    first, repaired = outcomes["first try"], outcomes["after repair"]
    failed = n - first - repaired
    print(f"valid at first try: {first}/{n} ({first / n:.0%})")
    print(f"valid after repair: {repaired}/{n} ({repaired / n:.0%})")
    print(f"failed:             {failed}/{n} ({failed / n:.0%})")
    print(f"success ratio (valid / requested): {(first + repaired) / n:.2f}")
    for kind, counts in replayed.items():
        total = sum(counts.values())
        print(f"  recorded {kind:40s} first try {counts['first try']}/{total}")
    if out is not None:
        per_schema = {
            kind: {"requests": sum(c.values()), **dict(c)}
            for kind, c in [*by_kind.items(), *(("recorded " + k, c) for k, c in replayed.items())]
        }
        provenance.append_run(
            out, load_before, model=model_name, seconds=elapsed, per_schema=per_schema
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--model", default="qwen2.5-coder-0.5b-instruct")
    parser.add_argument("--calls", type=Path, nargs="*", default=[])
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    asyncio.run(run(args.model, args.n, args.calls, args.json))


if __name__ == "__main__":
    main()
