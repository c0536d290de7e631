r"""LaTeX: a single file or a project (main file found by `\documentclass`, `\input` and
`\include` followed), comments and preamble stripped, sections kept, equations kept as LaTeX.

A project's inputs are read only from inside the project folder (the main file's folder,
symlinks and `..` resolved): `\input{/etc/hostname}` or a symlink to a file elsewhere is a
missing input, never read. Each figure or table becomes one line, `Figure N: caption ...`
or `Table N: caption ...`, which the clean step's caption rule removes whole."""

from __future__ import annotations

import re
from pathlib import Path

from lyceum.data.extract.deadline import PARSE_SECONDS, Deadline, time_limit
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
_MAX_PROJECT_CHARS = 64 * 1024 * 1024
_FIGURES = ("figure", "figure*", "wrapfigure", "sidewaysfigure")
_TABLES = ("table", "table*", "wraptable", "sidewaystable", "longtable", "tabular", "tabularx")
_FLOAT_BEGIN_RE = re.compile(
    r"\\begin\{(" + "|".join(re.escape(e) for e in _FIGURES + _TABLES) + r")\}"
)
_FLOAT_DROP_RE = re.compile(
    r"\\(?:caption|label|includegraphics|centering|toprule|midrule|bottomrule|hline)\b\*?"
    r"(?:\s*\[[^\]]*\])?\s*"
)
_PLACEHOLDER = "LYCEUMFLOAT{}X"
_PLACEHOLDER_RE = re.compile(r"LYCEUMFLOAT(\d+)X")


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


def _resolve(name: str, base: Path, root: Path) -> Path | None:
    """The file `name` names from `base` (as given, then with `.tex`), if it is a regular
    file inside `root` once symlinks and `..` are resolved; None otherwise."""
    name = name.strip()
    if not name or "\x00" in name:
        return None
    for candidate in (base / name, base / f"{name}.tex"):
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if real.is_relative_to(root) and real.is_file():
            return real
    return None


def _read(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(_MAX_PROJECT_CHARS + 1)
    if len(data) > _MAX_PROJECT_CHARS:
        raise ExtractionError(f"{path}: larger than {_MAX_PROJECT_CHARS} bytes")
    return data.decode("utf-8", errors="replace")


def _expand(
    path: Path, root: Path, seen: list[Path], missing: list[str], depth: int, size: list[int]
) -> str:
    source = strip_comments(_read(path))
    size[0] += len(source)
    if size[0] > _MAX_PROJECT_CHARS:
        raise ExtractionError(f"{root}: the project inlines more than {_MAX_PROJECT_CHARS} bytes")
    if depth > _MAX_INCLUDE_DEPTH:
        return source

    def replace(match: re.Match[str]) -> str:
        name = match.group(2) or match.group(3)
        target = _resolve(name, root, root) or _resolve(name, path.parent, root)
        if target is None:
            missing.append(name)
            return ""
        if target in seen:
            return ""
        seen.append(target)
        body = _expand(target, root, seen, missing, depth + 1, size)
        # \include starts a new page in LaTeX; a paragraph break is its textual equivalent.
        return f"\n{body}\n" if match.group(1) == "include" else body

    return _INPUT_RE.sub(replace, source)


def expand_project(main: Path) -> tuple[str, list[Path], list[str]]:
    r"""The main file with every `\input`/`\include`/`\subfile` inlined (comments stripped),
    the files read (main first) and the names that could not be found. Only files inside
    the main file's folder are read (see `_resolve`); any other name is a missing input."""
    real = main.resolve()
    seen = [real]
    missing: list[str] = []
    text = _expand(real, real.parent, seen, missing, 0, [0])
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


def _drop_commands(latex: str) -> str:
    """`latex` without captions, labels, graphics and rules (with their arguments)."""
    out: list[str] = []
    pos = 0
    while match := _FLOAT_DROP_RE.search(latex, pos):
        out.append(latex[pos : match.start()] + " ")
        pos = match.end()
        if latex.startswith("{", pos):
            _, pos = _braced(latex, pos)
    out.append(latex[pos:])
    return "".join(out)


def _floats(body: str, deadline: Deadline | None = None) -> tuple[str, list[str]]:
    """`body` with each outermost figure/table environment replaced by a placeholder, and
    the one-line text of each (`Figure N: caption content`)."""
    lines: list[str] = []
    counts = {"Figure": 0, "Table": 0}
    out: list[str] = []
    pos = 0
    while match := _FLOAT_BEGIN_RE.search(body, pos):
        env = match.group(1)
        end_tag = f"\\end{{{env}}}"
        depth, scan = 1, match.end()
        begin_tag = f"\\begin{{{env}}}"
        while depth:
            nxt_end = body.find(end_tag, scan)
            if nxt_end < 0:
                break
            nxt_begin = body.find(begin_tag, scan)
            if 0 <= nxt_begin < nxt_end:
                depth, scan = depth + 1, nxt_begin + len(begin_tag)
            else:
                depth, scan = depth - 1, nxt_end + len(end_tag)
        if depth:  # never closed: leave the rest as it is
            break
        inner = body[match.end() : scan - len(end_tag)]
        kind = "Figure" if env in _FIGURES else "Table"
        counts[kind] += 1
        caption = _command_arg(inner, "caption")
        content = _drop_commands(inner)
        content = re.sub(r"^\s*(?:\[[^\]]*\]|\{[^{}]*\})", " ", content)  # placement/columns
        words = " ".join(_to_text(content).split())
        cap = " ".join(_to_text(caption).split()) if caption else ""
        head = f"{kind} {counts[kind]}:" + (f" {cap}" if cap else "")
        lines.append(" ".join(part for part in (head, words) if part))
        out.append(
            body[pos : match.start()] + "\n\n" + _PLACEHOLDER.format(len(lines) - 1) + "\n\n"
        )
        pos = scan
        if deadline is not None:
            deadline.check()
    out.append(body[pos:])
    return "".join(out), lines


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


def extract_latex(
    source: str,
    name: str = "",
    arxiv_id: str | None = None,
    *,
    time_limit_s: float = PARSE_SECONDS,
) -> Document:
    """A LaTeX document whose inputs are already inlined; a fragment without a preamble works.
    Raises `ExtractionTimeout` if parsing takes longer than `time_limit_s`."""
    with time_limit(time_limit_s, name) as deadline:
        return _extract_latex(source, name, arxiv_id, deadline)


def _extract_latex(source: str, name: str, arxiv_id: str | None, deadline: Deadline) -> Document:
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
    body, float_lines = _floats(body, deadline)

    def text_of(latex: str) -> str:
        text = _to_text(latex)
        deadline.check()
        return _PLACEHOLDER_RE.sub(lambda m: float_lines[int(m.group(1))], text)

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
        content = text_of(chunk)
        heading_text = text_of(heading) if heading is not None else None
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


def extract_latex_project(main: Path, *, time_limit_s: float = PARSE_SECONDS) -> Document:
    """Extract a project from its main file; a folder named like an arXiv id supplies it."""
    try:
        text, files, missing = expand_project(main)
    except OSError as exc:
        raise ExtractionError(f"{main}: cannot read LaTeX source ({exc})") from exc
    dir_match = _ARXIV_DIR_RE.match(main.parent.name)
    doc = extract_latex(
        text,
        name=str(main),
        arxiv_id=dir_match.group(1) if dir_match else None,
        time_limit_s=time_limit_s,
    )
    doc.metadata["files"] = [str(p) for p in files]
    if missing:
        doc.metadata["missing_inputs"] = missing
    return doc
