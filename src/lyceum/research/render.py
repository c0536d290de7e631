"""Render: report.md, paper.tex, references.bib, trajectory.jsonl and (with TeX) paper.pdf."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lyceum.research.bibtex import render_bibtex
from lyceum.research.citations import build_bibliography
from lyceum.research.latex import render_latex, validate_and_repair
from lyceum.research.markdown import render_markdown
from lyceum.research.pdf import CompileResult, compile_pdf
from lyceum.research.state import ResearchState
from lyceum.research.trajectory import trajectory_records, write_trajectory


@dataclass
class Rendered:
    """The files written, the compile result, and what the LaTeX validator found:
    `latex_problems` before the static repair, `latex_unresolved` still there after it
    (left to the compile-and-repair loop; without TeX, for the reader to fix)."""

    files: dict[str, Path]
    compile: CompileResult | None
    latex_problems: list[str]
    latex_unresolved: list[str]


def render_all(
    state: ResearchState,
    out_dir: Path,
    *,
    compile: bool = True,
    attempts: int = 3,
    author: str = "Lyceum deep research",
) -> Rendered:
    out_dir.mkdir(parents=True, exist_ok=True)
    bibliography, note_keys = build_bibliography(state)
    report = render_markdown(state, bibliography, note_keys)
    tex = render_latex(state, bibliography, note_keys, author=author, repair=False)
    tex, found, unresolved = validate_and_repair(tex, {e.key for e in bibliography})
    files = {
        "report": out_dir / "report.md",
        "tex": out_dir / "paper.tex",
        "bib": out_dir / "references.bib",
        "trajectory": out_dir / "trajectory.jsonl",
    }
    files["report"].write_text(report, "utf-8")
    files["tex"].write_text(tex, "utf-8")
    files["bib"].write_text(render_bibtex(bibliography), "utf-8")
    write_trajectory(
        files["trajectory"], trajectory_records(state, bibliography, note_keys, report)
    )
    result = compile_pdf(out_dir, attempts=attempts) if compile else None
    if result is not None and result.ok and result.pdf is not None:
        files["pdf"] = result.pdf
    return Rendered(files=files, compile=result, latex_problems=found, latex_unresolved=unresolved)
