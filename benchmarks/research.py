"""Deep research on the embedded model: wall time, calls and tokens per report, the speed-up
of parallel workers over one worker, and a quality table over several questions.

    python benchmarks/research.py speed   [--workspace WS] [--collection NAME] [--workers 3]
    python benchmarks/research.py quality [--workspace WS] [--collection NAME] [--out DIR]

The workspace must hold an ingested corpus (by default the small real corpus of the tests
is ingested into a temporary workspace). `speed` first makes an untimed warm-up run of the
question, which fills the in-memory cache of the sources' results and loads the embedding
model and the claim verifier; then it times the question once with one worker and once
with `--workers`, with the model's exact cache off, so both timed runs read the same
cached passages and neither pays for a first search or a model load the other skips. The
local backend decodes `--slots` sequences at once in every run. `quality` runs each question once and prints
citation precision (draft sentences the verifier supports as written), the share of
statements carrying a citation, and whether paper.tex compiled.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from lyceum.config import GatewaySettings, Settings, load_settings
from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.research import ResearchSettings, run_research
from lyceum.research.citations import cited_sentences
from lyceum.research.pipeline import default_scorer
from lyceum.research.sources import build_sources
from lyceum.research.verify import ClaimScorer
from lyceum.sources.base import Hit, Source

CORPUS = Path(__file__).parents[1] / "tests/research/data/corpus"
QUESTIONS = [
    "How do plants turn sunlight into chemical energy?",
    "What causes earthquakes and volcanoes?",
    "How do vaccines train the immune system?",
    "How did penicillin change the treatment of bacterial infections?",
    "What happens when a massive star collapses?",
]


class CachedSource:
    """Serves repeated queries from memory, so timed runs measure the pipeline, not search."""

    def __init__(self, inner: Source) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[tuple[str, int], list[Hit]] = {}

    async def search(self, query: str, k: int = 10) -> list[Hit]:
        key = (query, k)
        if key not in self._cache:
            self._cache[key] = await self.inner.search(query, k)
        return self._cache[key]

    def __len__(self) -> int:
        return len(self._cache)


def workspace_with_corpus(path: Path | None) -> Path:
    if path is not None:
        return path
    ws = Path(tempfile.mkdtemp(prefix="lyceum-research-bench-"))
    from lyceum.retrieval import ingest

    ingest([str(CORPUS)], collection="bench", settings=load_settings(ws))
    return ws


def settings_for(ws: Path, db_dir: Path, slots: int) -> Settings:
    """`ws`'s corpus, a fresh database in `db_dir`, no exact cache, `slots` decoding slots."""
    base = load_settings(ws)
    return load_settings(
        ws,
        models={
            "local": LocalBackendConfig(n_parallel=slots, max_concurrency=slots, timeout_s=900)
        },
        gateway=GatewaySettings(exact_cache=False),
        store={"url": f"sqlite:///{db_dir / 'bench.db'}"},
        sections=base.sections,
    )


async def one_run(
    question: str,
    settings: Settings,
    config: ResearchSettings,
    sources: list[Source],
    out: Path,
    scorer: ClaimScorer | None = None,
) -> dict[str, float]:
    t0 = time.perf_counter()
    result = await run_research(
        question, out_dir=out, settings=settings, config=config, sources=sources, scorer=scorer
    )
    wall = time.perf_counter() - t0
    m = result.state.meter
    v = result.state.verification
    finals = cited_sentences(result.state)
    statements = [
        s for sec in result.state.sections for s in sec.sentences if s.status != "dropped"
    ]
    return {
        "wall_s": wall,
        "calls": m.calls,
        "prompt_tokens": m.prompt_tokens,
        "completion_tokens": m.completion_tokens,
        "checked": v.checked if v else 0,
        "supported": v.supported if v else 0,
        "rewritten": v.rewritten if v else 0,
        "dropped": v.dropped if v else 0,
        "statements": len(statements),
        "cited": len(finals),
        "final_supported": sum(
            1 for s in finals if (s.verdict or {}).get("verdict") == "supported"
        ),
        "pdf": float("pdf" in result.files),
        "problems": len(result.state.problems),
    }


async def speed(args: argparse.Namespace) -> None:
    ws = workspace_with_corpus(args.workspace)
    question = args.question or QUESTIONS[0]
    base_config = ResearchSettings(
        collection=args.collection,
        memory=False,
        compile_pdf=False,
        breadth=args.breadth,
        depth=args.depth,
        max_rounds=args.max_rounds,
    )
    sources: list[Source] = [CachedSource(s) for s in build_sources(base_config, load_settings(ws))]
    # One scorer for every run, so the verifier model is loaded once, during the warm-up.
    scorer = default_scorer(base_config)

    async def timed(workers: int) -> dict[str, float]:
        db_dir = Path(tempfile.mkdtemp(prefix="lyceum-research-db-"))
        config = base_config.with_overrides(concurrency=workers)
        settings = settings_for(ws, db_dir, args.slots)
        before = os.getloadavg()[0]
        result = await one_run(question, settings, config, sources, db_dir / "out", scorer)
        # The machine is shared: a ratio is only meaningful when the load stayed level.
        result["load"] = (before + os.getloadavg()[0]) / 2
        return result

    warm = await timed(args.workers)
    searches = sum(len(s) for s in sources if isinstance(s, CachedSource))
    results = {1: await timed(1), args.workers: await timed(args.workers)}
    one, many = results[1], results[args.workers]
    print(f"machine: {os.cpu_count()} cores; question: {question!r}; local slots: {args.slots}")
    print(
        f"warm-up (untimed for the ratio): {warm['wall_s']:.1f}s wall, {warm['calls']:.0f} "
        f"calls, {searches} distinct searches cached, embedder and verifier loaded"
    )
    for workers, r in results.items():
        print(
            f"{workers} worker(s): {r['wall_s']:.1f}s wall, {r['calls']:.0f} calls, "
            f"{r['prompt_tokens']:.0f} prompt + {r['completion_tokens']:.0f} completion tokens, "
            f"{(r['prompt_tokens'] + r['completion_tokens']) / r['wall_s']:.0f} tokens/s, "
            f"{r['checked']:.0f} claims checked, load average ~{r['load']:.1f}"
        )
    print(f"speed-up of {args.workers} workers over 1: {one['wall_s'] / many['wall_s']:.2f}x")


async def quality(args: argparse.Namespace) -> None:
    ws = workspace_with_corpus(args.workspace)
    config = ResearchSettings(collection=args.collection, memory=False)
    sources = build_sources(config, load_settings(ws))
    db_dir = Path(tempfile.mkdtemp(prefix="lyceum-research-db-"))
    settings = settings_for(ws, db_dir, slots=1)
    rows = []
    for i, question in enumerate(args.questions or QUESTIONS):
        out = args.out / f"q{i + 1}"
        rows.append((question, await one_run(question, settings, config, sources, out)))
        print(f"{question}: {rows[-1][1]}", flush=True)
    print(f"machine: {os.cpu_count()} cores\n")
    print(
        "| question | wall s | calls | tokens | checked | draft precision | final precision | cited share | PDF |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    tot = {
        "checked": 0.0,
        "supported": 0.0,
        "cited": 0.0,
        "final_supported": 0.0,
        "statements": 0.0,
        "pdf": 0.0,
    }
    for question, r in rows:
        for k in tot:
            tot[k] += r[k]
        print(
            f"| {question} | {r['wall_s']:.0f} | {r['calls']:.0f} | {r['prompt_tokens'] + r['completion_tokens']:.0f} | "
            f"{r['checked']:.0f} | {_ratio(r['supported'], r['checked'])} | {_ratio(r['final_supported'], r['cited'])} | "
            f"{_ratio(r['cited'], r['statements'])} | {'yes' if r['pdf'] else 'no'} |"
        )
    print(
        f"| **all {len(rows)}** | | | | {tot['checked']:.0f} | {_ratio(tot['supported'], tot['checked'])} | "
        f"{_ratio(tot['final_supported'], tot['cited'])} | {_ratio(tot['cited'], tot['statements'])} | "
        f"{tot['pdf']:.0f}/{len(rows)} |"
    )


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["speed", "quality"])
    parser.add_argument(
        "--workspace", type=Path, default=None, help="Workspace holding the corpus."
    )
    parser.add_argument("--collection", default=None, help="Collection to search (default: all).")
    parser.add_argument("--question", default=None)
    parser.add_argument("--questions", nargs="*", default=None)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--breadth", type=int, default=3, help="speed: sub-questions.")
    parser.add_argument("--depth", type=int, default=3, help="speed: passages per sub-question.")
    parser.add_argument("--max-rounds", type=int, default=2, help="speed: gather rounds.")
    parser.add_argument(
        "--slots", type=int, default=2, help="Sequences the local model decodes at once."
    )
    parser.add_argument("--out", type=Path, default=Path("research-bench-out"))
    args = parser.parse_args()
    asyncio.run(speed(args) if args.mode == "speed" else quality(args))


if __name__ == "__main__":
    main()
