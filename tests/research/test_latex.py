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


def test_static_repair_adds_a_missing_required_package() -> None:
    tex = (MINIMAL % "x").replace("\\usepackage{url}\n", "")
    assert "package url missing" in problems(tex, set())
    assert problems(repair_static(tex, set()), set()) == []


def test_every_tex_command_runs_with_shell_escape_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lyceum.research import pdf

    commands: list[list[str]] = []

    def record(cmd: list[str], cwd: Path, timeout: float) -> tuple[int, str]:
        commands.append(cmd)
        return 1, "! Emergency stop."

    monkeypatch.setattr(pdf, "_run", record)
    (tmp_path / "paper.tex").write_text(MINIMAL % "x \\bibliography{references}", "utf-8")
    for tool in ("latexmk", "pdflatex"):
        monkeypatch.setattr(pdf, "tex_tool", lambda tool=tool: tool)
        assert not compile_pdf(tmp_path, attempts=1).ok
    tex_runs = [c for c in commands if c[0] in ("latexmk", "pdflatex")]
    assert {c[0] for c in tex_runs} == {"latexmk", "pdflatex"}
    for cmd in tex_runs:
        assert "-no-shell-escape" in cmd, cmd
        assert not {"-shell-escape", "-enable-write18", "--shell-escape"} & set(cmd), cmd


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_write18_neither_from_escaped_text_nor_raw_in_the_file_runs(tmp_path: Path) -> None:
    from lyceum.research.pdf import _compile_once, tex_tool

    tool = tex_tool()
    assert tool is not None
    escaped = escape("\\immediate\\write18{touch pwned-escaped}")
    raw = "\\immediate\\write18{touch pwned-raw}"
    (tmp_path / "paper.tex").write_text(MINIMAL % f"{escaped}\n\n{raw}", "utf-8")
    ok, log = _compile_once(tool, tmp_path, timeout=60)
    assert ok, log[-2000:]
    assert not list(tmp_path.glob("pwned*"))
    assert "runsystem(touch pwned-escaped)" not in log  # escaped text is only text
    assert re.search(r"runsystem\(touch pwned-raw\)\.\.\.disabled\.", log), log[-2000:]


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
async def test_a_pipeline_paper_compiles_with_its_bibliography_through_bibtex(
    tmp_path: Path, workspace: Path, scripted, corpus_source, scorer
) -> None:
    from lyceum.config import load_settings
    from lyceum.research import ResearchSettings, run_research

    (workspace / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')
    result = await run_research(
        "How do plants turn light into sugar?",
        out_dir=tmp_path / "out",
        settings=load_settings(),
        config=ResearchSettings(max_rounds=1, breadth=2, compile_pdf=True, memory=False),
        model=scripted,
        sources=[corpus_source],
        scorer=scorer,
    )
    bib = result.files["bib"].read_text()
    keys = re.findall(r"^@\w+\{([^,]+),", bib, flags=re.MULTILINE)
    assert keys and "\\bibliography{references}" in result.files["tex"].read_text()
    assert result.files["pdf"].read_bytes().startswith(b"%PDF"), result.pdf_message
    assert result.state.compile_log[-1].startswith("compiled with")
    assert "unresolved citations" not in result.pdf_message
    assert result.state.latex_problems == []


async def test_the_renderer_repairs_what_the_validator_finds_and_reports_the_rest(
    tmp_path: Path, workspace: Path, scripted, corpus_source, scorer, monkeypatch
) -> None:
    from lyceum.config import load_settings
    from lyceum.research import ResearchSettings, render, run_research

    real = render.render_latex

    def broken(*args, **kwargs) -> str:
        tex = real(*args, **kwargs)
        tex = tex.replace("\\end{abstract}", "")  # fixable: closed before \end{document}
        tex = tex.replace("\\usepackage{amsmath}\n", "")  # fixable: added back
        return tex.replace("\\section{Introduction}", "\\section{Introduction} {")  # not fixable

    monkeypatch.setattr(render, "render_latex", broken)
    (workspace / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')
    result = await run_research(
        "How do plants turn light into sugar?",
        out_dir=tmp_path / "out",
        settings=load_settings(),
        config=ResearchSettings(max_rounds=1, breadth=2, compile_pdf=False, memory=False),
        model=scripted,
        sources=[corpus_source],
        scorer=scorer,
    )
    tex = result.files["tex"].read_text()
    assert "\\usepackage{amsmath}" in tex and "\\end{abstract}" in tex
    state = result.state
    assert state.latex_problems == ["unbalanced braces"]
    assert any(p.startswith("paper.tex: unbalanced braces") for p in state.problems)
    assert "static repair: package amsmath missing" in state.compile_log
    assert "static repair: \\begin{abstract} never ended" in state.compile_log


def _paper(state: object) -> tuple[str, set[str]]:
    from lyceum.research.citations import build_bibliography
    from lyceum.research.latex import render_latex

    bibliography, note_keys = build_bibliography(state)  # type: ignore[arg-type]
    tex = render_latex(state, bibliography, note_keys, repair=False)  # type: ignore[arg-type]
    return tex, {e.key for e in bibliography}


def test_the_paper_opens_with_the_short_answer_and_lists_what_is_not_covered() -> None:
    from .test_markdown import CORE, DENSE, PULSAR, UNCITED, report_state

    tex, keys = _paper(report_state())
    short = tex.index("\\section*{Short answer}")
    assert short < tex.index("\\section{Introduction}")
    assert "\\cite{neutronstar}" in tex[short : tex.index("\\section{Introduction}")]
    assert tex.count(escape(CORE)) == 1 and tex.count(escape(PULSAR)) == 1
    assert escape(DENSE) in tex and escape(UNCITED) not in tex
    assert "\\section{Pulsars}" not in tex  # an aspect section with nothing of its own
    uncovered = tex.index("\\section{What the sources do not cover}")
    assert "\\item how hot is it" in tex[uncovered:]
    assert uncovered < tex.index("\\section{Method}")
    assert problems(tex, keys) == []


HOSTILE = "}\\end{itemize}\\input{/etc/passwd} \\immediate\\write18{id} 100% $x$ #1 _ ^ ~ {"


def test_a_hostile_part_and_heading_are_escaped_in_the_paper() -> None:
    from .test_markdown import report_state

    state = report_state()
    state.not_covered = [HOSTILE]
    assert state.plan is not None
    state.plan.sub_questions[1].heading = HOSTILE
    tex, keys = _paper(state)
    assert "\\input{" not in tex and "\\write18{" not in tex and "\\end{itemize}\\" not in tex
    assert problems(tex, keys) == []
    assert tex.count("\\item") == 1


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_a_paper_with_a_short_answer_and_a_hostile_part_compiles(tmp_path: Path) -> None:
    from .test_markdown import report_state

    state = report_state()
    state.not_covered = [HOSTILE]
    tex, _ = _paper(state)
    (tmp_path / "paper.tex").write_text(tex.replace("\\bibliography{references}", ""), "utf-8")
    result = compile_pdf(tmp_path, attempts=1)
    assert result.ok, result.message
