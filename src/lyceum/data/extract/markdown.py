"""Markdown and plain text: sections from `#` headings, title from front matter or the first H1."""

from __future__ import annotations

import re

import yaml

from lyceum.data.extract.document import Document, Section, fill_identifiers, find_year

_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
_FENCE_RE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)


def markdown_sections(text: str) -> list[Section]:
    """Sections delimited by ATX headings; a section runs to the next heading of its level or
    higher. Headings inside fenced code blocks are ignored."""
    fenced = [(m.start(), m.end()) for m in _FENCE_RE.finditer(text)]
    heads = [
        (m.start(), len(m.group(1)), m.group(2).strip())
        for m in _HEADING_RE.finditer(text)
        if not any(a <= m.start() < b for a, b in fenced)
    ]
    sections = []
    for i, (start, level, title) in enumerate(heads):
        end = next((s for s, lv, _ in heads[i + 1 :] if lv <= level), len(text))
        sections.append(Section(title=title, level=level, start=start, end=end))
    return sections


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    return data, text[match.end() :]


def _authors(value: object) -> list[str]:
    if isinstance(value, str):
        return [a.strip() for a in re.split(r",| and ", value) if a.strip()]
    if isinstance(value, list):
        return [str(a).strip() for a in value if str(a).strip()]
    return []


def extract_markdown(text: str, source: str = "") -> Document:
    meta, body = _front_matter(text)
    body = body.strip("\n")
    sections = markdown_sections(body)
    title = str(meta.get("title") or "")
    if not title:
        top = min(sections, key=lambda s: (s.level, s.start), default=None)
        title = top.title if top else ""
    year = meta.get("year")
    if not isinstance(year, int):
        date = meta.get("date")
        year = find_year(str(date)) if date else None
    doc = Document(
        text=body,
        title=title,
        authors=_authors(meta.get("authors") or meta.get("author")),
        year=year,
        sections=sections,
        source=source,
        url=str(meta["url"]) if meta.get("url") else None,
        format="markdown",
        metadata={k: v for k, v in meta.items() if k not in {"title", "author", "authors", "url"}},
    )
    return fill_identifiers(doc)


def extract_text(text: str, source: str = "") -> Document:
    """Plain text: the first non-empty line, if short, serves as the title."""
    body = text.strip("\n")
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    title = first if len(first) <= 120 else ""
    return fill_identifiers(Document(text=body, title=title, source=source, format="text"))
