"""references.bib: one @misc or @article entry per cited document."""

from __future__ import annotations

from lyceum.research.citations import BibEntry
from lyceum.research.latex import escape, url_escape


def _field(name: str, value: str) -> str:
    return f"  {name} = {{{value}}},"


def render_entry(e: BibEntry) -> str:
    kind = "article" if e.arxiv_id or e.doi else "misc"
    lines = [f"@{kind}{{{e.key},", _field("title", "{" + escape(e.title) + "}")]
    if e.authors:
        lines.append(_field("author", " and ".join(escape(a) for a in e.authors)))
    if e.year:
        lines.append(_field("year", str(e.year)))
    if e.arxiv_id:
        lines += [
            _field("eprint", e.arxiv_id),
            _field("archivePrefix", "arXiv"),
            _field("journal", f"arXiv preprint arXiv:{escape(e.arxiv_id)}"),
        ]
    if e.doi:
        lines.append(_field("doi", e.doi))
    location = e.location
    if location.startswith(("http://", "https://")):
        safe = url_escape(location)
        lines += [_field("url", safe), _field("howpublished", f"\\url{{{safe}}}")]
    elif location:
        lines.append(_field("howpublished", f"Local corpus: \\url{{{url_escape(location)}}}"))
    lines.append(_field("note", f"Lyceum source {escape(e.source)}; evidence {', '.join(e.notes)}"))
    lines.append("}")
    return "\n".join(lines)


def render_bibtex(entries: list[BibEntry]) -> str:
    return "\n\n".join(render_entry(e) for e in entries) + ("\n" if entries else "")
