"""The extracted form of any source file: plain text plus the provenance Lyceum keeps."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lyceum.data.extract.special_tokens import neutralize_specials
from lyceum.errors import LyceumError

FORMATS = ("pdf", "latex", "html", "markdown", "text", "jsonl")

_ARXIV_RE = re.compile(
    r"(?:arxiv\s*:\s*|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)
_DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>{}]+[^\s\"<>{}.,;:)\]])")
_YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


class ExtractionError(LyceumError):
    """A file could not be turned into text (corrupt, encrypted, empty, unsupported)."""


class Section(BaseModel):
    """A titled span of `Document.text`: `text[start:end]` is the section's body."""

    title: str
    level: int = Field(default=1, description="1 for a section, 2 for a subsection, ...")
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @field_validator("title")
    @classmethod
    def _defuse(cls, value: str) -> str:
        return neutralize_specials(value)


class Document(BaseModel):
    """One document's text and provenance, whatever format it came from. Text, title,
    authors and section titles come from outside: chat-template special tokens in them are
    defused (`neutralize_specials`) on the way in and on assignment, so neither retrieval
    chunks nor training files carry `<|im_end|>` and the like."""

    model_config = ConfigDict(validate_assignment=True)

    text: str
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    sections: list[Section] = Field(default_factory=list)
    arxiv_id: str | None = None
    doi: str | None = None
    source: str = Field(default="", description="Path or URL the document was read from.")
    url: str | None = None
    format: str = Field(default="text", description=f"One of {FORMATS}.")
    key: str = Field(
        default="",
        description="Identity within its source: empty for one-document files, the record id "
        "or line number for JSONL.",
    )
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("text", "title")
    @classmethod
    def _defuse(cls, value: str) -> str:
        return neutralize_specials(value)

    @field_validator("authors")
    @classmethod
    def _defuse_all(cls, value: list[str]) -> list[str]:
        return [neutralize_specials(v) for v in value]

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing character `offset`."""
        best: Section | None = None
        for section in self.sections:
            if section.start <= offset < section.end and (
                best is None or section.level >= best.level
            ):
                best = section
        return best


def find_arxiv_id(text: str) -> str | None:
    match = _ARXIV_RE.search(text)
    return match.group(1) if match else None


def find_doi(text: str) -> str | None:
    match = _DOI_RE.search(text)
    return match.group(1) if match else None


def find_year(text: str) -> int | None:
    match = _YEAR_RE.search(text)
    return int(match.group(1)) if match else None


def fill_identifiers(doc: Document, head_chars: int = 4000) -> Document:
    """Fill missing arXiv id and DOI from the start of the text, where papers print them."""
    head = doc.text[:head_chars]
    if doc.arxiv_id is None:
        doc.arxiv_id = find_arxiv_id(head)
    if doc.doi is None:
        doc.doi = find_doi(head)
    return doc
