"""From paths to documents: format detection, folder walking (LaTeX projects grouped by their
main file) and dispatch to the per-format extractors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lyceum.data.extract.document import Document, ExtractionError
from lyceum.data.extract.html import extract_html
from lyceum.data.extract.jsonl import iter_jsonl
from lyceum.data.extract.latex import (
    expand_project,
    extract_latex,
    extract_latex_project,
    is_main_file,
    rank_main_files,
)
from lyceum.data.extract.markdown import extract_markdown, extract_text
from lyceum.data.extract.pdf import extract_pdf

SUFFIXES = {
    ".pdf": "pdf",
    ".tex": "latex",
    ".latex": "latex",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".rst": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass
class SourceFile:
    """One unit of ingestion: a file, or a LaTeX project named by its main file."""

    path: Path
    format: str
    parts: list[Path] = field(default_factory=list)

    def content_hash(self) -> str:
        """SHA-256 over the file (and, for a LaTeX project, every file it inputs)."""
        digest = hashlib.sha256()
        for part in self.parts or [self.path]:
            digest.update(str(part.name).encode())
            digest.update(part.read_bytes())
        return digest.hexdigest()


def detect_format(path: Path | str) -> str | None:
    """The format name for a path's suffix, or None if Lyceum does not read it."""
    return SUFFIXES.get(Path(path).suffix.lower())


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:8192]:
        raise ExtractionError(f"{source or 'input'}: binary data where text was expected")
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def extract_bytes(
    data: bytes, format: str, source: str = "", *, text_field: str | None = None
) -> list[Document]:
    """Documents in `data` read as `format` (one of SUFFIXES' values). JSONL gives one per
    record; every other format gives one."""
    if format == "pdf":
        return [extract_pdf(data, source)]
    text = _decode(data, source)
    if format == "latex":
        return [extract_latex(text, name=source)]
    if format == "html":
        return [extract_html(text, source)]
    if format == "markdown":
        return [extract_markdown(text, source)]
    if format == "text":
        if not text.strip():
            raise ExtractionError(f"{source or 'input'}: the file is empty")
        return [extract_text(text, source)]
    if format == "jsonl":
        return list(iter_jsonl(text, source, text_field))
    raise ExtractionError(
        f"{source or 'input'}: unsupported format {format!r}",
        hint=f"Supported: {', '.join(sorted(set(SUFFIXES.values())))}.",
    )


def extract_file(path: Path | str, *, text_field: str | None = None) -> list[Document]:
    r"""Documents in one file. A `.tex` file with `\documentclass` is read as a project:
    its `\input`/`\include` files are inlined."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt is None:
        raise ExtractionError(
            f"{path}: unsupported file type {path.suffix or '(none)'}",
            hint=f"Supported suffixes: {' '.join(sorted(SUFFIXES))}.",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if fmt == "latex" and is_main_file(_decode(data, str(path))):
        docs = [extract_latex_project(path)]
    else:
        docs = extract_bytes(data, fmt, str(path), text_field=text_field)
    if fmt != "jsonl":
        for doc in docs:
            doc.title = doc.title or path.stem
    return docs


def _latex_units(tex_files: list[Path]) -> list[SourceFile]:
    """Group a folder tree's .tex files: each main file with the files it inputs;
    .tex files no main file inputs stand alone.

    Main files are ranked once and expanded best first, so a main file that a better one
    inputs becomes part of that project (as `find_main_file` over the leftovers would
    decide), in time linear in the number of files.
    """
    units: list[SourceFile] = []
    consumed: set[Path] = set()
    remaining = sorted(tex_files)
    for main in rank_main_files(remaining):
        if main.resolve() in consumed:
            continue
        parts = _project_parts(main)
        consumed.update(parts)
        units.append(SourceFile(main, "latex", parts))
    for path in remaining:
        if path.resolve() not in consumed:
            units.append(SourceFile(path, "latex", [path]))
    return units


def discover_files(paths: Iterable[Path | str]) -> list[SourceFile]:
    """Every readable unit under `paths` (files and folders, recursively; hidden entries
    skipped). Files with unknown suffixes inside folders are skipped; a file named
    explicitly is returned even so, so that the caller reports it."""
    units: list[SourceFile] = []
    for raw in paths:
        root = Path(raw).expanduser()
        if root.is_file():
            fmt = detect_format(root) or "unknown"
            parts = _project_parts(root) if fmt == "latex" and _is_main(root) else [root]
            units.append(SourceFile(root.resolve(), fmt, [p.resolve() for p in parts]))
            continue
        if not root.is_dir():
            raise ExtractionError(f"{root}: no such file or directory")
        files = inside_files(root)
        tex_files: list[Path] = []
        for path in files:
            found = detect_format(path)
            if found == "latex":
                tex_files.append(path.resolve())
            elif found is not None:
                units.append(SourceFile(path.resolve(), found, [path.resolve()]))
        units.extend(_latex_units(tex_files))
    unique = {u.path: u for u in units}
    return sorted(unique.values(), key=lambda u: str(u.path))


def _project_parts(main: Path) -> list[Path]:
    try:
        return expand_project(main)[1]
    except (ExtractionError, OSError):
        return [main]  # reading it reports the problem


def inside_files(root: Path) -> list[Path]:
    """Regular files under the folder `root`, hidden entries skipped, that are inside it
    once symlinks are resolved: a link to a file or folder elsewhere is not followed."""
    real_root = root.resolve()
    files = []
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if real.is_relative_to(real_root) and real.is_file():
            files.append(path)
    return files


def _is_main(path: Path) -> bool:
    try:
        return is_main_file(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False
