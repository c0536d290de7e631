"""What the document defences cost (issue #13, items 1, 2, 13, 14).

    PYTHONPATH=src .venv/bin/python benchmarks/security_documents.py [--repeat 5]

Each figure is a ratio against a baseline measured in the same run:

- special-token defusing: `neutralize_specials` over 8 MB of Wikipedia-like text with a
  token every ~2 kB, against one `str.replace` of every `<` over the same text;
- `Document` construction with its validators (defusing text, title, authors, section
  titles) against `Document.model_construct` (no validation), for 2,000 documents of 20 kB;
- LaTeX extraction of a project with figures, against the same text without its figures
  (the float-to-caption-line pass);
- a confined TeX compile (own process group, kpathsea paranoid reads and writes, size and
  CPU limits) against a plain `subprocess.run` of the same pdflatex command (skipped when
  TeX is not installed).

Writes benchmarks/results/security_documents.json with date, machine, load and commit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import provenance

from lyceum.data.extract import Document, Section, extract_latex
from lyceum.research.pdf import _run, tex_tool
from lyceum.sources.untrusted import neutralize_specials

RESULTS = Path(__file__).parent / "results" / "security_documents.json"
_WORDS = (
    "the of and in to a was is for on as by with he that from at his it an were are which "
    "this also be first or has had one their its new after who they two her she been other "
    "when time during there into school more may years over only year most would world city"
)
WORDS = _WORDS.split()


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _text(n_chars: int, rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    while size < n_chars:
        word = rng.choice(WORDS)
        if rng.random() < 0.0005:
            word = rng.choice(["<|im_end|>", "<s>", "[INST]", "<repo_name>", "a<b"])
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)


def bench_specials(repeat: int, rng: random.Random) -> dict[str, float]:
    text = _text(8 * 1024 * 1024, rng)
    base = _best(lambda: text.replace("<", "\u2039"), repeat)
    defuse = _best(lambda: neutralize_specials(text), repeat)
    return {
        "mb": round(len(text) / 1e6, 1),
        "baseline_s": round(base, 4),
        "defuse_s": round(defuse, 4),
        "ratio": round(defuse / base, 1),
        "defuse_mb_per_s": round(len(text) / 1e6 / defuse, 1),
    }


def bench_documents(repeat: int, rng: random.Random) -> dict[str, float]:
    docs = []
    for i in range(2000):
        text = _text(20_000, rng)
        docs.append(
            {
                "text": text,
                "title": f"Doc {i}",
                "authors": ["A. Author", "B. Author"],
                "sections": [Section(title="Intro", start=0, end=len(text))],
            }
        )
    base = _best(lambda: [Document.model_construct(**d) for d in docs], repeat)
    validated = _best(lambda: [Document(**d) for d in docs], repeat)
    return {
        "documents": len(docs),
        "baseline_s": round(base, 4),
        "validated_s": round(validated, 4),
        "per_document_ms": round(validated / len(docs) * 1000, 3),
        "ratio": round(validated / base, 1),
    }


def bench_latex(repeat: int, rng: random.Random) -> dict[str, float]:
    body = []
    plain = []
    for i in range(40):
        para = _text(1500, rng).replace("<", " ").replace("[", " ")
        body.append(f"\\section{{Part {i}}}\n{para}\n")
        plain.append(f"\\section{{Part {i}}}\n{para}\n")
        body.append(
            f"\\begin{{figure}}[t]\\centering\\includegraphics{{f{i}.png}}"
            f"\\caption{{Figure caption {i} about widgets.}}\\label{{f{i}}}\\end{{figure}}\n"
            f"\\begin{{table}}\\begin{{tabular}}{{cc}}a & b\\\\ c & d\\end{{tabular}}"
            f"\\caption{{Table {i}.}}\\end{{table}}\n"
        )
    with_floats = "".join(body)
    without = "".join(plain)
    base = _best(lambda: extract_latex(without), repeat)
    floats = _best(lambda: extract_latex(with_floats), repeat)
    return {
        "figures_and_tables": 80,
        "baseline_s": round(base, 4),
        "with_floats_s": round(floats, 4),
        "ratio": round(floats / base, 2),
    }


def bench_tex(repeat: int) -> dict[str, float] | None:
    if tex_tool() is None:
        return None
    paper = "\\documentclass{article}\\begin{document}\\section{A}Hello world.\\end{document}\n"
    cmd = ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "p.tex"]
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp)
        (build / "p.tex").write_text(paper)

        def plain() -> None:
            subprocess.run(cmd, cwd=build, capture_output=True, check=True)

        def confined() -> None:
            code, out = _run(cmd, build, 60)
            assert code == 0, out[-500:]

        base = _best(plain, repeat)
        sandboxed = _best(confined, repeat)
    return {
        "baseline_s": round(base, 3),
        "confined_s": round(sandboxed, 3),
        "ratio": round(sandboxed / base, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(13)
    load_before = os.getloadavg()
    results = {
        "special_tokens": bench_specials(args.repeat, rng),
        "documents": bench_documents(args.repeat, rng),
        "latex_floats": bench_latex(args.repeat, rng),
        "tex_compile": bench_tex(args.repeat),
    }
    record = {
        **provenance.stamp(load_before),
        "repeat": args.repeat,
        "tex": shutil.which("pdflatex"),
        **results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(record, indent=2) + "\n")
    for name, value in results.items():
        print(f"{name}: {json.dumps(value)}")
    print(f"load average {os.getloadavg()}; written {RESULTS}")


if __name__ == "__main__":
    main()
