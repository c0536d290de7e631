"""Lab runner throughput and overhead, against baselines measured in the same run.

    python benchmarks/lab.py [--examples 48] [--delay 0.05] [--overhead-examples 300]

1. Throughput: a naive-prompting experiment over generated questions, run against an
   OpenAI-compatible HTTP server on 127.0.0.1 (Lyceum's stub server, a fixed delay per
   request) through `OpenAICompatBackend`, with concurrency 1 and 8: examples/s and ratio.
2. Overhead: the runner's time per example (prompt rendering, metering, scoring, one
   committed result row in SQLite) versus the bare model calls it makes, on the scripted
   backend (no model time) and on the HTTP server with no delay.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

from lyceum.config_backends import OpenAIBackendConfig
from lyceum.lab.datasets.base import load_examples
from lyceum.lab.experiment import parse_experiment
from lyceum.lab.methods import build_method
from lyceum.lab.runner import run_experiment
from lyceum.llm.backends.openai_compat import OpenAICompatBackend
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.model import Model
from lyceum.store.db import Database
from lyceum.testing.openai_stub import OpenAIStubServer


def write_dataset(directory: Path, n: int) -> Path:
    path = directory / f"questions-{n}.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {"id": f"q{i}", "question": f"What is {i} plus {i}?", "answers": [str(2 * i)]}
            )
            + "\n"
            for i in range(n)
        )
    )
    return path


def experiment(data: Path, concurrency: int, name: str):  # type: ignore[no-untyped-def]
    return parse_experiment(
        {
            "name": name,
            "datasets": [{"name": "jsonl", "options": {"path": str(data)}}],
            "methods": ["naive"],
            "models": ["m"],
            "concurrency": concurrency,
            "metrics": ["exact_match", "token_f1"],
        }
    )


async def timed_run(db: Database, data: Path, model: Model, concurrency: int, name: str) -> float:
    t0 = time.perf_counter()
    summary = await run_experiment(
        experiment(data, concurrency, name), db=db, resolve_model=lambda _: model
    )
    elapsed = time.perf_counter() - t0
    assert summary.done == summary.total, summary
    return elapsed


async def bare_calls(model: Model, data: Path) -> float:
    """The same prompts the naive method sends, called one after another."""
    method = build_method("naive", {})
    examples = load_examples("jsonl", {"path": str(data)})
    t0 = time.perf_counter()
    for ex in examples:
        await method.solve(ex, model)
    return time.perf_counter() - t0


def http_backend(base_url: str) -> OpenAICompatBackend:
    cfg = OpenAIBackendConfig(
        base_url=base_url, model="stub", api_key_env=None, context_window=4096, max_concurrency=64
    )
    return OpenAICompatBackend("stub", cfg)


async def main(args: argparse.Namespace) -> None:
    print(f"cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = Database(f"sqlite:///{root / 'bench.db'}")

        data = write_dataset(root, args.examples)
        with OpenAIStubServer(delay_s=args.delay) as stub:
            backend = http_backend(stub.base_url)
            await timed_run(db, write_dataset(root, 4), backend, 1, "warm-up")
            serial = await timed_run(db, data, backend, 1, "c1")
            parallel = await timed_run(db, data, backend, 8, "c8")
            await backend.aclose()
        n = args.examples
        print(f"\n1. throughput, {n} examples, HTTP server with {args.delay * 1000:.0f} ms/request")
        print(f"   concurrency 1: {n / serial:7.1f} examples/s")
        print(f"   concurrency 8: {n / parallel:7.1f} examples/s")
        print(f"   ratio c8/c1:   {serial / parallel:7.2f}x (ideal 8x)")

        m = args.overhead_examples
        over = write_dataset(root, m)
        scripted = ScriptedBackend(default_output="42")
        bare = await bare_calls(scripted, over)
        runner = await timed_run(db, over, scripted, 1, "overhead-scripted")
        print(f"\n2. runner overhead, {m} examples, concurrency 1")
        print(f"   scripted backend: bare {bare / m * 1000:.3f} ms/example, runner "
              f"{runner / m * 1000:.3f} ms/example, overhead {(runner - bare) / m * 1000:.3f} ms")  # fmt: skip
        with OpenAIStubServer(delay_s=0.0) as stub:
            backend = http_backend(stub.base_url)
            await bare_calls(backend, write_dataset(root, 4))
            bare_http = await bare_calls(backend, over)
            runner_http = await timed_run(db, over, backend, 1, "overhead-http")
            await backend.aclose()
        print(f"   HTTP, no delay:   bare {bare_http / m * 1000:.3f} ms/example, runner "
              f"{runner_http / m * 1000:.3f} ms/example, ratio runner/bare "
              f"{runner_http / bare_http:.2f}x")  # fmt: skip
        db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=48)
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--overhead-examples", type=int, default=300)
    asyncio.run(main(parser.parse_args()))
