import re
import shutil
from pathlib import Path

import pytest

from lyceum.research.latex import escape, problems, repair_static, url_escape
from lyceum.research.pdf import compile_pdf, repair, sanitize_line

HAS_TEX = shutil.which("pdflatex") is not None

MINIMAL = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage{amsmath}
\usepackage{url}
\usepackage[hidelinks]{hyperref}
\begin{document}
\section{Findings}
%s
\end{document}
"""


def test_escape_makes_special_and_unicode_characters_safe() -> None:
    out = escape("50% of A&B cost $5 #1 a_b {x} ~ ^ \\ café α")
    for raw in "%&$#_":
        assert re.search(r"(?<!\\)" + re.escape(raw), out) is None, raw
    assert "\\{x\\}" in out
    assert "caf\\'e" in out


def test_url_escape_keeps_urls_valid_inside_url() -> None:
    assert (
        url_escape("https://en.wikipedia.org/wiki/Caf%C3%A9#History")
        == "https://en.wikipedia.org/wiki/Caf\\%C3\\%A9\\#History"
    )


def test_validator_finds_unbalanced_environments_braces_and_unknown_keys() -> None:
    tex = MINIMAL % "\\begin{itemize}\\item x \\cite{known,ghost} {"
    found = problems(tex, {"known"})
    assert "\\begin{itemize} never ended" in found
    assert "unbalanced braces" in found
    assert "citation key ghost not in references.bib" in found


def test_static_repair_closes_environments_and_drops_unknown_keys() -> None:
    tex = repair_static(MINIMAL % "\\begin{itemize}\\item x~\\cite{ghost}", {"known"})
    assert problems(tex, {"known"}) == []


def test_sanitize_line_keeps_citations_and_section_command() -> None:
    assert sanitize_line(r"\section{Bad \foo{x} 5% off}") == r"\section{Bad x 5\% off}"
    assert sanitize_line(r"Text with \weird macro.~\cite{a,b}") == r"Text with macro.~\cite{a,b}"


def test_repair_uses_the_line_the_log_blames_then_removes_it() -> None:
    tex = MINIMAL % "Good line. \\undefinedmacro here."
    log = "./paper.tex:8: Undefined control sequence."
    tried: dict[int, int] = {}
    first = repair(tex, log, tried)
    assert first is not None and "\\undefinedmacro" not in first[0].split("\n")[7]
    second = repair(first[0], log, tried)
    assert second is not None and second[0].split("\n")[7].startswith("% removed by repair")


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_compile_repairs_a_broken_line_and_produces_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "paper.tex").write_text(
        MINIMAL % "A sentence with \\brokenmacro{x} inside.", "utf-8"
    )
    result = compile_pdf(tmp_path, attempts=3)
    assert result.ok, result.message
    assert (tmp_path / "paper.pdf").read_bytes().startswith(b"%PDF")
    assert result.attempts == 2 and "rewrote" in result.log[0]


def test_without_tex_the_result_says_how_to_get_the_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    (tmp_path / "paper.tex").write_text(MINIMAL % "x", "utf-8")
    result = compile_pdf(tmp_path)
    assert not result.ok and "latexmk" in result.message and not (tmp_path / "paper.pdf").exists()
