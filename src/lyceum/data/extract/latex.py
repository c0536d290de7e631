r"""LaTeX: a single file or a project (main file found by `\documentclass`, `\input` and
`\include` followed), comments and preamble stripped, sections kept, equations kept as LaTeX."""

from __future__ import annotations

import re
from pathlib import Path

from lyceum.data.extract.document import (
    Document,
    ExtractionError,
    Section,
    fill_identifiers,
    find_year,
)
from lyceum.errors import MissingDependencyError

_COMMENT_RE = re.compile(r"(?<!\\)%.*")
_INPUT_RE = re.compile(r"\\(input|include|subfile)\s*\{([^}]+)\}|\\input\s+([^\s{}\\]+)")
_DOCCLASS_RE = re.compile(r"^\s*\\documentclass", re.MULTILINE)
_SECTION_RE = re.compile(
    r"\\(part|chapter|section|subsection|subsubsection|paragraph)\*?\s*(?:\[[^\]]*\])?\s*\{"
)
_LEVELS = {
    "part": 1,
    "chapter": 1,
    "section": 1,
    "subsection": 2,
    "subsubsection": 3,
    "paragraph": 4,
}
_DROP_RE = re.compile(
    r"\\(maketitle|tableofcontents|bibliographystyle\s*\{[^}]*\}|bibliography\s*\{[^}]*\}"
    r"|newpage|clearpage|appendix)\b"
)
_MAX_INCLUDE_DEPTH = 20


def strip_comments(source: str) -> str:
    r"""Remove `%` comments (an escaped `\%` is kept) and whole-line comment lines."""
    lines = []
    for line in source.splitlines():
        stripped = _COMMENT_RE.sub("", line)
        if stripped.strip() or not line.lstrip().startswith("%"):
            lines.append(stripped.rstrip())
    return "\n".join(lines)


def is_main_file(source: str) -> bool:
    return bool(_DOCCLASS_RE.search(strip_comments(source)))


def _main_rank(path: Path) -> tuple[bool, bool, int] | None:
    r"""How strongly `path` looks like a main file (None: no `\documentclass`, or unreadable):
    has `\begin{document}`, has a conventional name, length."""
    try:
        source = strip_comments(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    if not _DOCCLASS_RE.search(source):
        return None
    conventional = path.stem.lower() in {"main", "ms", "paper", "article"}
    return "\\begin{document}" in source, conventional, len(source)


def rank_main_files(paths: list[Path]) -> list[Path]:
    r"""The files among `paths` with `\documentclass`, best main-file candidate first (see
    `find_main_file`); ties keep the order of `paths`. Each file is read once."""
    ranked = [(rank, path) for path in paths if (rank := _main_rank(path)) is not None]
    ranked.sort(key=lambda item: item[0], reverse=True)  # stable: ties keep input order
    return [path for _, path in ranked]


def find_main_file(paths: list[Path]) -> Path | None:
    r"""The project's main file among `paths`: one with `\documentclass`, preferring one
    with `\begin{document}`, then the conventional names, then the largest."""
    ranked = rank_main_files(paths)
    return ranked[0] if ranked else None


def _resolve(name: str, base: Path) -> Path | None:
    name = name.strip()
    for candidate in (base / name, base / f"{name}.tex"):
        if candidate.is_file():
            return candidate
    return None


def _expand(path: Path, root: Path, seen: list[Path], missing: list[str], depth: int) -> str:
    source = strip_comments(path.read_text(encoding="utf-8", errors="replace"))
    if depth > _MAX_INCLUDE_DEPTH:
        return source

    def replace(match: re.Match[str]) -> str:
        name = match.group(2) or match.group(3)
        target = _resolve(name, root) or _resolve(name, path.parent)
        if target is None:
            missing.append(name)
            return ""
        if target.resolve() in seen:
            return ""
        seen.append(target.resolve())
        body = _expand(target, root, seen, missing, depth + 1)
        # \include starts a new page in LaTeX; a paragraph break is its textual equivalent.
        return f"\n{body}\n" if match.group(1) == "include" else body

    return _INPUT_RE.sub(replace, source)


def expand_project(main: Path) -> tuple[str, list[Path], list[str]]:
    r"""The main file with every `\input`/`\include` inlined (comments stripped), the files
    read (main first) and the names that could not be found."""
    seen = [main.resolve()]
    missing: list[str] = []
    text = _expand(main, main.parent, seen, missing, 0)
    return text, seen, missing


def _braced(text: str, open_at: int) -> tuple[str, int]:
    """Contents of the brace group whose `{` is at `open_at`, and the index after its `}`."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i], i + 1
    return text[open_at + 1 :], len(text)


def _command_arg(source: str, command: str) -> str | None:
    match = re.search(rf"\\{command}\s*(?:\[[^\]]*\])?\s*\{{", source)
    if not match:
        return None
    value, _ = _braced(source, match.end() - 1)
    return value


def _to_text(latex: str) -> str:
    try:
        from pylatexenc.latex2text import LatexNodes2Text
    except ImportError as exc:
        raise MissingDependencyError("pylatexenc", "retrieval", "LaTeX extraction") from exc
    text = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True).latex_to_text(latex)
    text = text.replace("\xa0", " ")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _authors(raw: str | None) -> list[str]:
    if not raw:
        return []
    raw = re.sub(r"\\thanks\s*\{[^{}]*\}", "", raw)
    names = []
    for block in re.split(r"\\and\b|\\AND\b", raw):
        first_line = re.split(r"\\\\", block)[0]
        name = _to_text(first_line).strip(" ,")
        if name:
            names.append(name)
    return names


def extract_latex(source: str, name: str = "", arxiv_id: str | None = None) -> Document:
    """A LaTeX document whose inputs are already inlined; a fragment without a preamble works."""
    source = strip_comments(source)
    title = _command_arg(source, "title")
    author = _command_arg(source, "author")
    date = _command_arg(source, "date")
    begin = source.find("\\begin{document}")
    end = source.rfind("\\end{document}")
    body = (
        source[begin + len("\\begin{document}") : end if end > begin else None]
        if begin >= 0
        else source
    )
    body = _DROP_RE.sub("", body)
    body = body.replace("\\begin{abstract}", "\\section*{Abstract}").replace("\\end{abstract}", "")

    parts: list[str] = []
    sections: list[Section] = []
    offset = 0
    heads = list(_SECTION_RE.finditer(body))
    pieces: list[tuple[str | None, int, str]] = [
        (None, 0, body[: heads[0].start()] if heads else body)
    ]
    for i, head in enumerate(heads):
        title_latex, after = _braced(body, head.end() - 1)
        stop = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        pieces.append((title_latex, _LEVELS[head.group(1)], body[after:stop]))
    for heading, level, chunk in pieces:
        content = _to_text(chunk)
        heading_text = _to_text(heading) if heading is not None else None
        if heading_text is None and not content:
            continue
        block = f"{heading_text}\n\n{content}".strip() if heading_text else content
        start = offset + (2 if parts else 0)
        if heading_text is not None:
            sections.append(Section(title=heading_text, level=level, start=start, end=start))
        parts.append(block)
        offset = start + len(block)
    text = "\n\n".join(parts)
    for i, section in enumerate(sections):
        nxt = next((s.start for s in sections[i + 1 :] if s.level <= section.level), len(text))
        section.end = nxt
    if not text.strip():
        raise ExtractionError(f"{name or 'LaTeX input'}: no text in the document body")
    doc = Document(
        text=text,
        title=_to_text(title) if title else "",
        authors=_authors(author),
        year=find_year(date) if date else None,
        sections=sections,
        arxiv_id=arxiv_id,
        source=name,
        format="latex",
    )
    return fill_identifiers(doc)


_ARXIV_DIR_RE = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")


def extract_latex_project(main: Path) -> Document:
    """Extract a project from its main file; a folder named like an arXiv id supplies it."""
    try:
        text, files, missing = expand_project(main)
    except OSError as exc:
        raise ExtractionError(f"{main}: cannot read LaTeX source ({exc})") from exc
    dir_match = _ARXIV_DIR_RE.match(main.parent.name)
    doc = extract_latex(text, name=str(main), arxiv_id=dir_match.group(1) if dir_match else None)
    doc.metadata["files"] = [str(p) for p in files]
    if missing:
        doc.metadata["missing_inputs"] = missing
    return doc
