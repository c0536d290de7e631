"""PDF: the text layer, page by page (scanned PDFs without one are refused, not OCR'd)."""

from __future__ import annotations

import io
import logging
import re

from lyceum.data.extract.deadline import PARSE_SECONDS, time_limit
from lyceum.data.extract.document import Document, ExtractionError, Section, fill_identifiers
from lyceum.errors import MissingDependencyError

_HYPHEN_BREAK_RE = re.compile(r"(\w)-\n(\w)")


def _split_authors(value: str) -> list[str]:
    return [a.strip() for a in re.split(r";|,| and ", value) if a.strip()]


def extract_pdf(data: bytes, source: str = "", *, time_limit_s: float = PARSE_SECONDS) -> Document:
    """Text of every page; each page becomes a section titled "page N" for provenance.
    Raises `ExtractionTimeout` if reading takes longer than `time_limit_s`."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:
        raise MissingDependencyError("pypdf", "retrieval", "PDF extraction") from exc

    name = source or "PDF input"
    # pypdf logs every recoverable syntax problem; a corrupt file is reported once, by us.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with time_limit(time_limit_s, name) as deadline:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ExtractionError(f"{name}: the PDF is encrypted", hint="Decrypt it first.")
            pages = []
            for page in reader.pages:
                deadline.check()
                pages.append(page.extract_text() or "")
            deadline.check()
            info = reader.metadata
    except ExtractionError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ExtractionError(f"{name}: not a readable PDF ({type(exc).__name__}: {exc})") from exc

    parts: list[str] = []
    sections: list[Section] = []
    offset = 0
    for number, raw in enumerate(pages, start=1):
        page_text = _HYPHEN_BREAK_RE.sub(r"\1\2", raw).strip()
        if not page_text:
            continue
        if parts:
            offset += 2
        sections.append(
            Section(title=f"page {number}", level=1, start=offset, end=offset + len(page_text))
        )
        parts.append(page_text)
        offset += len(page_text)
    text = "\n\n".join(parts)
    if not text.strip():
        raise ExtractionError(
            f"{name}: the PDF has no text layer", hint="Run OCR on it (e.g. ocrmypdf) first."
        )

    title = str(info.title).strip() if info and info.title else ""
    authors = _split_authors(str(info.author)) if info and info.author else []
    year = None
    if info is not None:
        try:
            created = info.creation_date
        except (ValueError, TypeError):
            created = None
        year = created.year if created else None
    if not title:
        title = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")[:200]
    doc = Document(
        text=text,
        title=title,
        authors=authors,
        year=year,
        sections=sections,
        source=source,
        format="pdf",
        metadata={"pages": len(pages)},
    )
    return fill_identifiers(doc)
