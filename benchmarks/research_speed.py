"""`research.py speed`: the same questions researched by this code and by an earlier commit,
interleaved question by question, same budgets and collection.

The earlier code runs from a `git worktree` of `--base` (made at `--base-tree` if missing).
Each report runs in its own process with that tree's `src` first on the path, so nothing
loaded by one run (model, KV cache, embedder) helps the next. Per run it records wall
time, model calls, prompt and completion tokens, and, where the code reports them (this
code does; the base may not), the embedded model's prompt tokens reused from the KV cache
and evaluated, and speculative drafts accepted. The load average is recorded around every
run: the machine is shared, and only ratios from one interleaved run mean anything.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import provenance

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "research_speed.json"


def ensure_tree(base: str, where: Path) -> Path:
    """A work tree of `base` at `where` (reused if it already holds that commit)."""
    if (where / "src" / "lyceum").is_dir():
        head = subprocess.run(
            ["git", "-C", str(where), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        wanted = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", base], capture_output=True, text=True
        ).stdout.strip()
        if head and head == wanted:
            return where
        raise SystemExit(f"{where} holds {head[:8]}, not {base}; remove it or pick --base-tree")
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(where), base], check=True
    )
    return where


def run_child(tree: Path, args: argparse.Namespace, question: str, ws: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{tree / 'src'}{os.pathsep}{HERE}"}
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--workspace",
        str(ws),
        "--question",
        question,
        "--breadth",
        str(args.breadth),
        "--depth",
        str(args.depth),
        "--max-rounds",
        str(args.max_rounds),
        "--slots",
        str(args.slots),
    ]
    if args.collection:
        command += ["--collection", args.collection]
    before = os.getloadavg()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=str(tree))
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout)[-2000:]
        return {"error": f"exit {done.returncode}: {tail}", "loadavg_before": before}
    result = json.loads(lines[-1][len("RESULT ") :])
    return {**result, "loadavg_before": before, "loadavg_after": os.getloadavg()}


async def child(args: argparse.Namespace) -> None:
    """One report with the code on sys.path (this tree's or the base's)."""
    import research as bench
    from lyceum.config import load_settings
    from lyceum.research import ResearchSettings
    from lyceum.research.sources import build_sources

    try:
        from lyceum.llm.backends.local import local_stats
    except ImportError:  # the base code has no counters
        local_stats = None
    config = ResearchSettings(
        collection=args.collection,
        memory=False,
        compile_pdf=False,
        breadth=args.breadth,
        depth=args.depth,
        max_rounds=args.max_rounds,
    )
    ws = Path(args.workspace)
    db_dir = Path(tempfile.mkdtemp(prefix="lyceum-speed-db-"))
    settings = bench.settings_for(ws, db_dir, args.slots)
    sources = build_sources(config, load_settings(ws))
    before = local_stats() if local_stats else None
    result = await bench.one_run(args.question, settings, config, sources, db_dir / "out")
    if local_stats and before is not None:
        window = local_stats().minus(before)
        result.update(
            prompt_tokens_reused=window.prompt_tokens_reused,
            prompt_tokens_evaluated=window.prompt_tokens_evaluated,
            prefill_s=window.prefill_ms / 1000,
            draft_tokens_accepted=window.draft_tokens_accepted,
            draft_tokens=window.draft_tokens,
        )
    print("RESULT " + json.dumps(result), flush=True)


INGEST = (
    "import sys; from pathlib import Path; from lyceum.config import load_settings; "
    "from lyceum.retrieval import ingest; "
    "ingest([sys.argv[1]], collection='bench', settings=load_settings(Path(sys.argv[2])))"
)


def tree_workspace(tree: Path, given: Path | None) -> Path:
    """The workspace a tree's runs read: `given` as it is, or the test corpus ingested by the
    tree's own code into a new one. Each tree has its own database: the base cannot open a
    database the current code has migrated past its newest revision."""
    if given is not None:
        return given
    import research as bench

    ws = Path(tempfile.mkdtemp(prefix="lyceum-research-bench-"))
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    subprocess.run(
        [sys.executable, "-c", INGEST, str(bench.CORPUS), str(ws)],
        env=env,
        cwd=str(tree),
        check=True,
        capture_output=True,
    )
    return ws


def speed(args: argparse.Namespace) -> None:
    import research as bench

    base_tree = ensure_tree(args.base, Path(args.base_tree))
    workspaces = {
        "base": tree_workspace(base_tree, args.workspace),
        "current": tree_workspace(REPO, args.workspace),
    }
    questions = args.questions.split("|") if args.questions else bench.QUESTIONS[: args.n]
    commit = provenance.commit()
    run: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "commit": commit,
        "base": args.base,
        "budgets": {"breadth": args.breadth, "depth": args.depth, "max_rounds": args.max_rounds},
        "slots": args.slots,
        "loadavg_start": os.getloadavg(),
        "questions": [],
    }
    for question in questions:
        # Interleaved, base first then current, so a drift in load hurts both alike.
        pair = {
            "question": question,
            "base": run_child(base_tree, args, question, workspaces["base"]),
            "current": run_child(REPO, args, question, workspaces["current"]),
        }
        base, now = pair["base"], pair["current"]
        if "wall_s" in base and "wall_s" in now:
            pair["wall_ratio"] = base["wall_s"] / now["wall_s"]
            print(
                f"{question[:50]!r}: base {base['wall_s']:.0f}s, {base['calls']:.0f} calls; "
                f"now {now['wall_s']:.0f}s, {now['calls']:.0f} calls, "
                f"{now.get('prompt_tokens_reused', 0)} prompt tokens reused "
                f"(evaluated {now.get('prompt_tokens_evaluated', 0)}); "
                f"speed-up {pair['wall_ratio']:.2f}x; load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        else:
            print(f"{question[:50]!r}: failed: {base.get('error') or now.get('error')}")
        run["questions"].append(pair)
    run["loadavg_end"] = os.getloadavg()
    out = Path(args.results)
    runs = json.loads(out.read_text()) if out.exists() else []
    out.write_text(json.dumps([*runs, run], indent=2) + "\n")
    if any("wall_ratio" not in pair for pair in run["questions"]):
        raise SystemExit("some runs failed: see their 'error' in " + str(out))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `research.py speed` beyond the ones research.py already has."""
    parser.add_argument("--base", default="3336733", help="speed: the earlier commit.")
    parser.add_argument("--base-tree", default="/tmp/speed-base", help="speed: its worktree.")
    parser.add_argument("--n", type=int, default=2, help="speed: how many questions.")
    parser.add_argument("--questions", default=None, help="speed: questions, '|'-separated.")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--collection", default=None)
    parser.add_argument("--question", default=None)
    parser.add_argument("--breadth", type=int, default=3)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--max-rounds", type=int, default=2)
    parser.add_argument("--slots", type=int, default=1)
    parser.add_argument("--results", default=str(RESULTS))
    add_arguments(parser)
    args = parser.parse_args()
    if args.child:
        asyncio.run(child(args))
    else:
        speed(args)


if __name__ == "__main__":
    main()
