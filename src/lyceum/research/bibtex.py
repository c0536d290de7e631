"""references.bib: one @article (arXiv) or @misc entry per cited document.

Every value is escaped, since titles, authors and identifiers come from outside: text
fields as LaTeX text, the DOI and URLs as `\\url` arguments (styles that print a `doi`
field typically hand it to `\\url`/`\\href`; `plain` ignores it and prints the
`howpublished` link). A DOI-only entry is @misc: `plain` requires a journal for @article,
and a DOI does not name one.
"""

from __future__ import annotations

from lyceum.research.citations import BibEntry
from lyceum.research.latex import MAX_FIELD_CHARS, cite_key, escape, url_escape

MAX_AUTHORS = 50


def _text(value: str) -> str:
    """LaTeX-escaped text that BibTeX can hold: BibTeX counts braces without regard to
    backslashes, so an escaped brace (`\\}`) could still end the field early. Cut to
    MAX_FIELD_CHARS first: TeX and BibTeX have line and string limits."""
    text = escape(value[:MAX_FIELD_CHARS])
    text = text.replace("\\{", "\\textbraceleft{}").replace("\\}", "\\textbraceright{}")
    return text


def _author(name: str) -> str:
    """One escaped author name. BibTeX stops with an error on a name with more than two
    commas outside braces ("Last, Jr, First" is the most it reads); such a name is braced
    whole, which BibTeX prints as it is."""
    text = _text(name)
    depth = commas = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        commas += char == "," and depth == 0
    return f"{{{text}}}" if commas > 2 else text


def _field(name: str, value: str) -> str:
    return f"  {name} = {{{value}}},"


def render_entry(e: BibEntry) -> str:
    kind = "article" if e.arxiv_id else "misc"
    lines = [f"@{kind}{{{cite_key(e.key)},", _field("title", "{" + _text(e.title) + "}")]
    if e.authors:
        lines.append(_field("author", " and ".join(_author(a) for a in e.authors[:MAX_AUTHORS])))
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
        lines.append(
            _field("howpublished", f"Local corpus: \\url{{{url_escape(location, path=True)}}}")
        )
    evidence = _text(", ".join(e.notes))
    lines.append(_field("note", f"Lyceum source {_text(e.source)}; evidence {evidence}"))
    lines.append("}")
    return "\n".join(lines)


def render_bibtex(entries: list[BibEntry]) -> str:
    return "\n\n".join(render_entry(e) for e in entries) + ("\n" if entries else "")
