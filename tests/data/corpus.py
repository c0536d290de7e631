"""Corpora the data-pipeline tests build for themselves (loaded by conftest as `corpus`).

Near-duplicate pairs have a Jaccard similarity known exactly: a base text of `n` distinct
words has `n - k + 1` distinct k-word shingles; replacing its last `m` words with new distinct
words keeps `n - k + 1 - m` shingles in common, so J = (n - k + 1 - m) / (n - k + 1 + m).
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any


class WordSource:
    """Distinct, reproducible pseudo-words."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._used: set[str] = set()

    def words(self, n: int) -> list[str]:
        out = []
        while len(out) < n:
            word = "".join(
                self._rng.choice("bcdfghjklmnpqrstvwxz") + self._rng.choice("aeiou")
                for _ in range(self._rng.randint(2, 4))
            )
            if word not in self._used:
                self._used.add(word)
                out.append(word)
        return out


def jaccard_after_replacing(n: int, m: int, k: int) -> float:
    shared = n - k + 1 - m
    return shared / (n - k + 1 + m)


def near_duplicate(words: list[str], m: int, source: WordSource) -> list[str]:
    """`words` with its last `m` words replaced by fresh ones."""
    return words[: len(words) - m] + source.words(m)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


LATEX_MAIN = r"""\documentclass{article}
\title{Sparse Widgets}
\author{Ada Lovelace \and Alan Turing}
\begin{document}
\maketitle
\begin{abstract}
We show that sparse widgets compose, and measure how much.
\end{abstract}
\section{Introduction}
\input{sections/intro}
\begin{figure}
\includegraphics{plot.png}
\caption{Widget throughput.}
\end{figure}
\section{Acknowledgements}
We thank the Widget Foundation for funding.
\end{document}
"""

LATEX_INTRO = r"""Widgets are everywhere. % a comment nobody should read
We measure $E = mc^2$ for each widget across many careful experiments in several labs.
"""


def write_latex_project(root: Path) -> Path:
    """A two-file LaTeX project (main.tex inputs sections/intro.tex); returns the folder."""
    (root / "sections").mkdir(parents=True, exist_ok=True)
    (root / "main.tex").write_text(LATEX_MAIN)
    (root / "sections" / "intro.tex").write_text(LATEX_INTRO)
    return root


def near_duplicate_corpus(
    source: WordSource, *, bases: int = 40, length: int = 120, k: int = 5
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Rows and the expected fate of each duplicate, as {removed id: kept id}.

    Base texts `b{i}` are all distinct. Even bases get a near duplicate `n{i}` (2 of 120 words
    replaced: J = 0.966); odd bases get a related but distinct text `d{i}` (40 replaced:
    J = 0.487) that must survive; every fifth base gets an exact copy `x{i}` differing only in
    case and spacing.
    """
    rows: list[dict[str, Any]] = []
    expected: dict[str, str] = {}
    for i in range(bases):
        base = source.words(length)
        rows.append({"id": f"b{i}", "text": " ".join(base)})
        if i % 2 == 0:
            rows.append({"id": f"n{i}", "text": " ".join(near_duplicate(base, 2, source))})
            expected[f"n{i}"] = f"b{i}"
        else:
            rows.append({"id": f"d{i}", "text": " ".join(near_duplicate(base, 40, source))})
        if i % 5 == 0:
            rows.append({"id": f"x{i}", "text": "  " + "  ".join(base).upper() + "\n"})
            expected[f"x{i}"] = f"b{i}"
    return rows, expected
