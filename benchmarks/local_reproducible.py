"""Does the embedded model give the same text for the same prompt? And what does it cost?

    python benchmarks/local_reproducible.py [--questions 8] [--busy N] [--json PATH]
    python benchmarks/local_reproducible.py --markdown PATH

The prompts are the research planner's, for the first dev questions of the research-quality
set (`benchmarks/data/research_quality/questions.jsonl`), decoded greedily. Each setting runs
them twice in one process: in order, then in reverse order, so that each prompt follows a
different prompt the second time (what the KV cache holds before it differs). Settings:

- `default`: the shipped backend (threads follow the load, prompt prefixes reused from the
  KV cache);
- `default, 2 threads` and `default, 1 thread`: the same with `n_threads` pinned;
- `reproducible`: `reproducible = true` (threads fixed at every core, no prefix reuse).

Reported: prompts whose text differs between the two orders of one setting (the cache's
effect), between 1 and 2 threads in the same order (the thread count's effect, which is
what a changing load does to the default), and the mean seconds per call of each setting
with its ratio against `default` measured in the same run. `--busy N` keeps N busy-loop
processes running throughout, as on a loaded machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import provenance

from lyceum.config_backends import LocalBackendConfig
from lyceum.llm.backends.local import LocalBackend
from lyceum.llm.types import GenerateParams, Message
from lyceum.research import prompts
from lyceum.research.planner import plan_schema
from lyceum.research.settings import ResearchSettings

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE / "data" / "research_quality" / "questions.jsonl"
RESULTS = HERE / "results" / "local_reproducible.json"
SETTINGS = {
    "default": LocalBackendConfig(),
    "default, 2 threads": LocalBackendConfig(n_threads=2),
    "default, 1 thread": LocalBackendConfig(n_threads=1),
    "reproducible": LocalBackendConfig(reproducible=True),
}


def planner_prompts(n: int) -> list[list[Message]]:
    config = ResearchSettings()
    questions = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line]
    dev = [q["question"] for q in questions if q["split"] == "dev"][:n]
    return [
        prompts.messages("planner", question=q, breadth=config.breadth, episodes="") for q in dev
    ]


async def run_setting(
    config: LocalBackendConfig, batch: list[list[Message]]
) -> tuple[list[str], list[str], float]:
    """Texts in order, texts in reverse order (re-indexed to the prompts), seconds per call."""
    model = LocalBackend("local", config)
    params = GenerateParams(
        max_tokens=400, json_schema=plan_schema(ResearchSettings().breadth).model_json_schema()
    )
    try:
        await model.generate([Message.user("Say hello.")], GenerateParams(max_tokens=4))  # load
        started = time.perf_counter()
        forward = [(await model.generate(m, params)).text for m in batch]
        backward = [(await model.generate(m, params)).text for m in reversed(batch)]
        seconds = (time.perf_counter() - started) / (2 * len(batch))
    finally:
        await model.aclose()
    return forward, backward[::-1], seconds


def _spin() -> None:
    while True:
        pass


@contextmanager
def busy(n: int) -> Iterator[None]:
    """`n` processes spinning on a core each while the block runs."""
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(n)]
    for p in spinners:
        p.start()
    try:
        yield
    finally:
        for p in spinners:
            p.terminate()
            p.join()


def differing(a: list[str], b: list[str]) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


def measure(n: int, spinners: int) -> dict[str, Any]:
    batch = planner_prompts(n)
    with busy(spinners):
        runs = {name: asyncio.run(run_setting(config, batch)) for name, config in SETTINGS.items()}
    base = runs["default"][2]
    return {
        "prompts": len(batch),
        "busy_loops": spinners,
        "settings": {
            name: {
                "differ_between_orders": differing(fwd, bwd),
                "seconds_per_call": round(sec, 2),
                "ratio_to_default": round(sec / base, 2),
            }
            for name, (fwd, bwd, sec) in runs.items()
        },
        "differ_1_vs_2_threads_in_order": differing(
            runs["default, 1 thread"][0], runs["default, 2 threads"][0]
        ),
    }


def markdown(result: dict[str, Any]) -> str:
    rows = [
        "| setting | prompts whose text differs between two orders | s per call | vs default |",
        "|---|---:|---:|---:|",
    ]
    for name, s in result["settings"].items():
        rows.append(
            f"| {name} | {s['differ_between_orders']} of {result['prompts']} | "
            f"{s['seconds_per_call']} | {s['ratio_to_default']} |"
        )
    rows.append(
        f"\n1 thread against 2, same order: {result['differ_1_vs_2_threads_in_order']} of "
        f"{result['prompts']} prompts differ. Busy-loop processes: {result['busy_loops']}. "
        f"Load {result['load_average_before'][0]:.1f} → {result['load_average_after'][0]:.1f}, "
        f"{result['git_commit']}, {result['date']}."
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=8)
    parser.add_argument("--busy", type=int, default=0, help="busy-loop processes alongside")
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--markdown", type=Path, default=None, help="print this file's table")
    args = parser.parse_args()
    provenance.record_or_show(
        lambda: measure(args.questions, args.busy),
        markdown,
        json_path=args.json,
        show=args.markdown,
    )


if __name__ == "__main__":
    main()
