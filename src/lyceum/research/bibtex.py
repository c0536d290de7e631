"""references.bib: one @article (arXiv) or @misc entry per cited document.

Every value is escaped, since titles, authors and identifiers come from outside: text
fields as LaTeX text, the DOI and URLs as `\\url` arguments (styles that print a `doi`
field typically hand it to `\\url`/`\\href`; `plain` ignores it and prints the
`howpublished` link). A DOI-only entry is @misc: `plain` requires a journal for @article,
and a DOI does not name one.
"""

from __future__ import annotations

from lyceum.research.citations import BibEntry
from lyceum.research.latex import escape, url_escape


def _text(value: str) -> str:
    """LaTeX-escaped text that BibTeX can hold: BibTeX counts braces without regard to
    backslashes, so an escaped brace (`\\}`) could still end the field early."""
    return escape(value).replace("\\{", "\\textbraceleft{}").replace("\\}", "\\textbraceright{}")


def _field(name: str, value: str) -> str:
    return f"  {name} = {{{value}}},"


def render_entry(e: BibEntry) -> str:
    kind = "article" if e.arxiv_id else "misc"
    lines = [f"@{kind}{{{e.key},", _field("title", "{" + _text(e.title) + "}")]
    if e.authors:
        lines.append(_field("author", " and ".join(_text(a) for a in e.authors)))
    if e.year:
        lines.append(_field("year", str(e.year)))
    if e.arxiv_id:
        lines += [
            _field("eprint", _text(e.arxiv_id)),
            _field("archivePrefix", "arXiv"),
            _field("journal", f"arXiv preprint arXiv:{_text(e.arxiv_id)}"),
        ]
    if e.doi:
        lines.append(_field("doi", url_escape(e.doi.strip())))
    location = e.location
    if location.startswith(("http://", "https://")):
        safe = url_escape(location)
        lines += [_field("url", safe), _field("howpublished", f"\\url{{{safe}}}")]
    elif location:
        lines.append(_field("howpublished", f"Local corpus: \\url{{{url_escape(location)}}}"))
    evidence = _text(", ".join(e.notes))
    lines.append(_field("note", f"Lyceum source {_text(e.source)}; evidence {evidence}"))
    lines.append("}")
    return "\n".join(lines)


def render_bibtex(entries: list[BibEntry]) -> str:
    return "\n\n".join(render_entry(e) for e in entries) + ("\n" if entries else "")
