"""HTML: the main content only (trafilatura drops navigation, footers and boilerplate)."""

from __future__ import annotations

from lyceum.data.extract.document import Document, ExtractionError, fill_identifiers, find_year
from lyceum.data.extract.markdown import markdown_sections
from lyceum.errors import MissingDependencyError


def _fallback_text(html: str) -> tuple[str, str]:
    """Body text and <title> with selectolax, for pages too small for trafilatura's heuristics."""
    # selectolax 1.0 removed the Modest backend: `selectolax.parser` raises ImportError.
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, nav, footer, header, noscript"):
        node.decompose()
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else ""
    body = tree.body
    text = body.text(separator="\n", strip=True) if body else ""
    return text, title


def extract_html(html: str, source: str = "", url: str | None = None) -> Document:
    try:
        import trafilatura
    except ImportError as exc:
        raise MissingDependencyError("trafilatura", "retrieval", "HTML extraction") from exc

    text = trafilatura.extract(
        html,
        url=url,
        output_format="markdown",
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    # The date comes from the page's metadata (meta tags, <time>, JSON-LD), not from a
    # text search that finds "Copyright 2024 Example Corp" in the footer.
    meta = trafilatura.extract_metadata(
        html,
        default_url=url,
        date_config={"extensive_search": False, "original_date": True},
    )
    title = (meta.title if meta else None) or ""
    if not text:
        text, fallback_title = _fallback_text(html)
        title = title or fallback_title
    if not text or not text.strip():
        raise ExtractionError(f"{source or 'HTML input'}: no readable text in the page")
    authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()] if meta else []
    doc = Document(
        text=text.strip(),
        title=title,
        authors=authors,
        year=find_year(meta.date) if meta and meta.date else None,
        sections=markdown_sections(text.strip()),
        source=source,
        url=url or (meta.url if meta else None),
        format="html",
        metadata={"sitename": meta.sitename} if meta and meta.sitename else {},
    )
    return fill_identifiers(doc)
