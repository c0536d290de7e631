"""Text extraction: LaTeX, PDF, HTML, Markdown, plain text and JSONL into `Document`s.

The one path from source files to text; retrieval ingest and the data pipeline both use it.

    from lyceum.data.extract import extract_file
    [doc] = extract_file("paper/main.tex")
    doc.title, doc.sections[0].title, doc.text[:200]
"""

from lyceum.data.extract.document import FORMATS, Document, ExtractionError, Section
from lyceum.data.extract.files import (
    SUFFIXES,
    SourceFile,
    detect_format,
    discover_files,
    extract_bytes,
    extract_file,
)
from lyceum.data.extract.html import extract_html
from lyceum.data.extract.jsonl import iter_jsonl, record_to_document
from lyceum.data.extract.latex import extract_latex, extract_latex_project, find_main_file
from lyceum.data.extract.markdown import extract_markdown, extract_text
from lyceum.data.extract.pdf import extract_pdf

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Document",
    "ExtractionError",
    "Section",
    "SourceFile",
    "detect_format",
    "discover_files",
    "extract_bytes",
    "extract_file",
    "extract_html",
    "extract_latex",
    "extract_latex_project",
    "extract_markdown",
    "extract_pdf",
    "extract_text",
    "find_main_file",
    "iter_jsonl",
    "record_to_document",
]
