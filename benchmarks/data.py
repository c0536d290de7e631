"""Deduplication throughput and memory: Lyceum's vectorized MinHash LSH vs a datasketch loop.

    nice -n 10 .venv/bin/python benchmarks/data.py            # 100k documents (a few minutes)
    .venv/bin/python benchmarks/data.py --docs 20000 --small 2000   # quick look

1. Builds a synthetic corpus: Zipf-distributed words, 150-250 per document; 70% distinct
   texts, 20% near duplicates (1-2 words changed) and 10% exact copies (case and spacing
   changed), shuffled, as JSONL.
   (Near duplicates sit clearly above the 0.8 threshold, so both methods should find them.)
2. Baseline, measured in the same run: the straightforward single-process loop a user would
   write with datasketch (exact set + MinHash of 5-word shingles + MinHashLSH query/insert).
3. Lyceum: `deduplicate_file` end to end (JSON parsing, fingerprints, clustering, writing the
   kept lines) with 1 and with N worker processes. Prints documents/s and the speed-up ratio,
   and how closely the two agree on which documents are duplicates.
4. Peak RSS of `deduplicate_file` for the small and the full corpus (10x apart), each in a
   fresh subprocess, summed over the whole process tree (driver and workers) by sampling /proc.

    .venv/bin/python benchmarks/data.py --latex-projects 1000

times instead `list_sources` over a folder of N three-file LaTeX projects and of N/4, and
prints the growth ratio (4x for a linear listing; it was ~9.5x when main files were decided
again after each project).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

_WORD_RE = re.compile(r"\w+")


def build_corpus(path: Path, n_docs: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    vocab_size = 50_000
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]
    parts = rng.integers(len(syllables), size=(vocab_size, 3))
    counts = rng.integers(1, 4, size=vocab_size)
    vocab = [
        "".join(syllables[j] for j in parts[i, : counts[i]]) + str(i % 7) for i in range(vocab_size)
    ]
    probs = 1.0 / np.arange(1, vocab_size + 1) ** 1.05
    probs /= probs.sum()
    n_base = int(n_docs * 0.7)
    lengths = rng.integers(150, 251, size=n_base)
    flat = rng.choice(vocab_size, size=int(lengths.sum()), p=probs)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    bases = [flat[offsets[i] : offsets[i + 1]] for i in range(n_base)]

    def text(words: np.ndarray) -> str:
        return " ".join(map(vocab.__getitem__, words.tolist()))

    docs = [text(b) for b in bases]
    group = list(range(n_base))  # which base text each document was made from
    for _ in range(int(n_docs * 0.2)):
        # 1-2 words changed out of 150-250: Jaccard of 5-word shingles about 0.87-0.97.
        source = int(rng.integers(n_base))
        words = bases[source].copy()
        edits = rng.integers(1, 3)
        words[rng.integers(len(words), size=edits)] = rng.integers(vocab_size, size=edits)
        docs.append(text(words))
        group.append(source)
    while len(docs) < n_docs:
        source = int(rng.integers(n_base))
        docs.append("  " + docs[source].upper().replace(" ", "  ") + " ")
        group.append(source)
    order = rng.permutation(len(docs))
    with path.open("w", encoding="utf-8") as fh:
        for i in order:
            fh.write(json.dumps({"id": f"d{i}", "text": docs[i], "group": group[i]}) + "\n")


def planted_recall(path: Path, removed: set[str]) -> tuple[float, int]:
    """Share of the planted duplicates removed (at most size - 1 per group of copies), and the
    number of removed documents that had no copy at all (false positives)."""
    sizes: dict[int, int] = {}
    removed_per_group: dict[int, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            sizes[row["group"]] = sizes.get(row["group"], 0) + 1
            if row["id"] in removed:
                removed_per_group[row["group"]] = removed_per_group.get(row["group"], 0) + 1
    planted = sum(size - 1 for size in sizes.values())
    found = sum(min(n, sizes[g] - 1) for g, n in removed_per_group.items())
    false_positives = sum(n for g, n in removed_per_group.items() if sizes[g] == 1)
    return found / planted if planted else 1.0, false_positives


def datasketch_loop(path: Path, threshold: float, num_perm: int) -> tuple[float, float, set[str]]:
    """The baseline: one process, one document at a time, datasketch MinHash + MinHashLSH."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    seen: set[bytes] = set()
    removed: set[str] = set()
    start, cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = record["text"]
            key = hashlib.blake2b(" ".join(text.lower().split()).encode(), digest_size=8).digest()
            if key in seen:
                removed.add(record["id"])
                continue
            seen.add(key)
            words = _WORD_RE.findall(text.lower())
            shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
            m = MinHash(num_perm=num_perm)
            m.update_batch([s.encode() for s in shingles])
            if lsh.query(m):
                removed.add(record["id"])
                continue
            lsh.insert(record["id"], m)
    return time.perf_counter() - start, time.process_time() - cpu, removed


def lyceum_dedup(path: Path, out: Path, workers: int) -> tuple[float, float, set[str], object]:
    """Wall and CPU seconds (CPU of this process only: exact for 1 worker), removed ids."""
    from lyceum.data.dedup import DedupConfig, deduplicate_file
    from lyceum.data.executors import LocalExecutor

    start, cpu = time.perf_counter(), time.process_time()
    with LocalExecutor(workers) as executor:
        summary = deduplicate_file(path, out, DedupConfig(), executor=executor)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    kept = {json.loads(line)["id"] for line in out.open(encoding="utf-8")}
    all_ids = {json.loads(line)["id"] for line in path.open(encoding="utf-8")}
    return elapsed, cpu, all_ids - kept, summary


def _tree_rss_kb(root_pid: int) -> int:
    """Sum of VmRSS over `root_pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/status") as fh:
                vm = next((line for line in fh if line.startswith("VmRSS:")), "VmRSS: 0 kB")
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = int(vm.split()[1])
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def peak_rss_mb(path: Path, workers: int) -> tuple[float, float]:
    """(peak RSS of the process tree in MB, seconds) for deduplicating `path` in a subprocess."""
    code = (
        "import sys; from pathlib import Path\n"
        "from lyceum.data.dedup import DedupConfig, deduplicate_file\n"
        "from lyceum.data.executors import LocalExecutor\n"
        "if __name__ == '__main__':\n"
        "    with LocalExecutor(int(sys.argv[3])) as executor:\n"
        "        deduplicate_file(Path(sys.argv[1]), Path(sys.argv[2]), DedupConfig(),"
        " executor=executor)\n"
    )
    out = path.with_suffix(".rss-out.jsonl")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(out), str(workers)])
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    if proc.returncode != 0:
        raise SystemExit(f"subprocess failed with {proc.returncode}")
    return peak / 1024, time.perf_counter() - start


def build_latex_folder(root: Path, n: int) -> None:
    for i in range(n):
        project = root / f"{i:05d}"
        project.mkdir(parents=True)
        (project / "main.tex").write_text(
            f"\\documentclass{{article}}\n\\title{{Paper {i}}}\n\\begin{{document}}\n"
            f"\\input{{intro}}\n\\input{{method}}\nBody {i}.\n\\end{{document}}\n"
        )
        (project / "intro.tex").write_text(f"\\section{{Intro}}\nIntro of paper {i}.")
        (project / "method.tex").write_text(f"\\section{{Method}}\nMethod of paper {i}.")


def latex_listing(n: int) -> None:
    from lyceum.data.readers import list_sources

    print(f"machine: {len(os.sched_getaffinity(0))} cores, load {os.getloadavg()[0]:.1f}")
    timings = {}
    with tempfile.TemporaryDirectory(prefix="lyceum-bench-") as tmp:
        for size in (n // 4, n):
            root = Path(tmp) / f"corpus{size}"
            build_latex_folder(root, size)
            started = time.perf_counter()
            found = list_sources([root])
            timings[size] = time.perf_counter() - started
            print(
                f"list_sources, {size:>6,} projects: {timings[size]:6.2f}s ({len(found)} sources)"
            )
    print(f"growth for 4x the projects: {timings[n] / timings[n // 4]:.1f}x (linear: 4x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000, help="Smaller corpus for RSS.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument(
        "--latex-projects", type=int, default=0, help="Time folder listing of N projects instead."
    )
    args = parser.parse_args()
    if args.latex_projects:
        latex_listing(args.latex_projects)
        return

    cores = len(os.sched_getaffinity(0))
    print(f"machine: {cores} cores available, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="lyceum-bench-") as tmp:
        tmpdir = Path(tmp)
        corpus, small = tmpdir / "corpus.jsonl", tmpdir / "small.jsonl"
        started = time.perf_counter()
        build_corpus(corpus, args.docs, seed=0)
        build_corpus(small, args.small, seed=1)
        size_mb = corpus.stat().st_size / 1e6
        print(
            f"corpus: {args.docs:,} documents ({size_mb:.0f} MB), built in "
            f"{time.perf_counter() - started:.1f}s"
        )

        print(f"load average before: {os.getloadavg()[0]:.1f}")
        base_s, base_cpu, base_removed = datasketch_loop(corpus, 0.8, 128)
        print(
            f"datasketch loop, 1 process : {base_s:7.1f}s  {args.docs / base_s:8,.0f} docs/s  "
            f"({args.docs / base_cpu:,.0f} per CPU-second)  removed {len(base_removed):,}"
        )
        removed_by: dict[int, set[str]] = {}
        for workers in sorted({1, args.workers}):
            secs, cpu, removed, summary = lyceum_dedup(
                corpus, tmpdir / f"out{workers}.jsonl", workers
            )
            removed_by[workers] = removed
            per_cpu = (
                f"({args.docs / cpu:,.0f} per CPU-second, {base_cpu / cpu:.1f}x)"
                if workers == 1
                else ""
            )
            print(
                f"lyceum, {workers} worker(s)         : {secs:7.1f}s  {args.docs / secs:8,.0f} "
                f"docs/s  ratio {base_s / secs:4.1f}x {per_cpu}  removed {len(removed):,} "
                f"({summary.exact_duplicates:,} exact, {summary.near_duplicates:,} near)"  # type: ignore[attr-defined]
            )
        removed = removed_by[args.workers]
        overlap = len(removed & base_removed) / max(1, len(removed | base_removed))
        print(f"agreement on removed documents (Jaccard of the two sets): {overlap:.3f}")
        for label, ids in (("datasketch", base_removed), ("lyceum", removed)):
            recall, false_pos = planted_recall(corpus, ids)
            print(
                f"planted duplicates removed by {label:10}: {recall:.1%}, "
                f"distinct documents removed: {false_pos}"
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")

        if not args.skip_rss:
            for _name, path, n in (("small", small, args.small), ("full", corpus, args.docs)):
                peak, secs = peak_rss_mb(path, args.workers)
                print(
                    f"peak RSS, {n:>7,} docs, {args.workers} workers (process tree): "
                    f"{peak:6.0f} MB  ({secs:.1f}s)"
                )


if __name__ == "__main__":
    main()
