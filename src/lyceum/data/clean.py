"""Clean step: repair and normalize text, strip boilerplate, then filter (see `filters`).

Text transforms, in order: Unicode repair (ftfy), figure/table environments, boilerplate
sections (acknowledgements, references, optionally appendices), configured removal patterns,
whitespace. Then the filters decide whether the record is kept, recording a reason if not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from pydantic import ConfigDict, Field, field_validator

from lyceum.data.filters import FilterConfig, check_record
from lyceum.data.records import Record
from lyceum.data.stats import BatchResult, Drop, StepReport
from lyceum.errors import MissingDependencyError

_FLOAT_ENVS = (
    "figure",
    "figure*",
    "table",
    "table*",
    "tabular",
    "tabular*",
    "tabularx",
    "longtable",
    "wrapfigure",
    "wraptable",
    "sidewaysfigure",
    "sidewaystable",
    "subfigure",
)
_ENV_RE = re.compile(
    r"\\begin\{(" + "|".join(re.escape(e) for e in _FLOAT_ENVS) + r")\}.*?\\end\{\1\}",
    re.DOTALL,
)
_CAPTION_RE = re.compile(r"^[ \t]*(?:Figure|Fig\.|Table)[ \t]+[A-Z]?\d+[a-z]?[.:][^\n]*\n?", re.M)
_MD_TABLE_RE = re.compile(r"(?:^[ \t]*\|[^\n]*\|[ \t]*(?:\n|$)){2,}", re.M)
_HEADING_NUMBER = r"(?:[A-Z]|\d+(?:\.\d+)*)\.?"
# Runs of two or more blanks, or any blank that is not a plain space (single spaces, the vast
# majority, are left alone rather than replaced by themselves).
_SPACES_RE = re.compile(r"[ \t\f\v\u00a0]{2,}|[\t\f\v\u00a0]")
_ASCII_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TRAILING_RE = re.compile(r"[ \t]+\n")
_BLANKS_RE = re.compile(r"\n{3,}")

SECTION_NAMES: dict[str, tuple[str, ...]] = {
    "acknowledgements": (
        "acknowledgements",
        "acknowledgments",
        "acknowledgement",
        "acknowledgment",
    ),
    "references": ("references", "bibliography", "literature cited"),
    "appendix": ("appendix", "appendices", "supplementary material"),
}


class CleanConfig(FilterConfig):
    """Options of the clean step (text transforms here; filters inherited from FilterConfig)."""

    model_config = ConfigDict(extra="forbid")

    fix_unicode: bool = Field(default=True, description="Repair mojibake and odd Unicode (ftfy).")
    normalize_whitespace: bool = Field(
        default=True,
        description="Collapse runs of spaces, strip line ends, at most one blank line.",
    )
    drop_sections: list[str] = Field(
        default_factory=lambda: ["acknowledgements", "references"],
        description=f"Boilerplate sections removed: any of {sorted(SECTION_NAMES)}, or other "
        "heading titles (case-insensitive).",
    )
    drop_appendix: bool = Field(
        default=False, description="Also remove appendices (everything from the first one on)."
    )
    drop_floats: bool = Field(
        default=True,
        description="Remove LaTeX figure/table environments, Markdown tables and caption lines.",
    )
    remove_patterns: list[str] = Field(
        default_factory=list,
        description="Regular expressions (multiline mode) whose matches are deleted from the text.",
    )

    @field_validator("remove_patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern, re.M)
            except re.error as exc:
                raise ValueError(f"remove_patterns: {pattern!r} is not a regex: {exc}") from exc
        return patterns


@lru_cache(maxsize=1)
def _ftfy_fix() -> Any:
    try:
        import ftfy
    except ImportError as exc:
        raise MissingDependencyError("ftfy", "data", "Unicode repair") from exc
    return ftfy.fix_text


def fix_unicode(text: str) -> str:
    """ftfy's repair (mojibake, HTML entities, control characters, odd widths). Plain ASCII
    without entities or escapes cannot hold mojibake, so it only loses control characters and
    gets Unix line breaks, which is what ftfy would do to it, at a fraction of the cost."""
    if text.isascii() and "&" not in text and "\x1b" not in text:
        return _ASCII_CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return str(_ftfy_fix()(text))


@lru_cache(maxsize=32)
def _compiled(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.M) for p in patterns]


@lru_cache(maxsize=32)
def _heading_re(names: tuple[str, ...], labelled: bool = False) -> re.Pattern[str]:
    """A heading line made of one of `names`, optionally numbered; `labelled` also accepts
    a label after the name ("Appendix A: Proofs")."""
    alternatives = "|".join(re.escape(n) for n in names)
    label = r"(?:[ \t]+[A-Z0-9][^\n]{0,80})?" if labelled else ""
    return re.compile(
        rf"^[ \t]*(?:#{{1,6}}[ \t]*)?(?:{_HEADING_NUMBER}[ \t]+)?(?:{alternatives}){label}"
        r"[ \t]*:?[ \t]*$",
        re.I | re.M,
    )


def _section_titles(names: Iterable[str]) -> tuple[str, ...]:
    titles: list[str] = []
    for name in names:
        titles.extend(SECTION_NAMES.get(name.lower(), (name.lower(),)))
    return tuple(titles)


def _title_matches(title: str, titles: tuple[str, ...]) -> bool:
    bare = re.sub(r"^(?:[A-Z]|\d+(?:\.\d+)*)\.?\s+", "", title.strip()).rstrip(":").strip()
    return bare.lower() in titles or title.strip().lower() in titles


def drop_sections_by_offsets(
    text: str,
    sections: list[dict[str, Any]],
    names: Iterable[str],
    *,
    to_end: Iterable[str] = (),
) -> str:
    """Remove the spans of sections (extract's `{title, start, end}` offsets into `text`) whose
    title is one of `names`, and everything from the first section titled in `to_end`."""
    titles, end_titles = _section_titles(names), _section_titles(to_end)
    spans: list[tuple[int, int]] = []
    for sec in sections:
        title = str(sec.get("title", ""))
        start, end = int(sec.get("start", 0)), int(sec.get("end", 0))
        if end_titles and _title_matches(title, end_titles):
            spans.append((start, len(text)))
        elif _title_matches(title, titles):
            spans.append((start, end))
    if not spans:
        return text
    out, pos = [], 0
    for start, end in sorted(spans):
        if start >= pos:
            out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


_NEXT_HEADING_RE = re.compile(
    r"(?:^|\n\n)[ \t]*(#{1,6}[ \t]+[^\n]+|[A-Z0-9][^\n]{0,78}[^\n.,;:!?])[ \t]*(?=\n\n|\n?$)"
)


def _next_heading(text: str, start: int) -> int:
    """Offset of the next heading-like line (a short line standing alone between blank lines,
    not ending in punctuation, or a Markdown heading), else len(text)."""
    match = _NEXT_HEADING_RE.search(text, start)
    return match.start() if match else len(text)


def drop_sections(text: str, names: Iterable[str], *, to_end: Iterable[str] = ()) -> str:
    """Remove sections whose heading line is one of `names` (up to the next heading-like
    line), and everything from the first heading in `to_end`."""
    titles = _section_titles(names)
    end_titles = _section_titles(to_end)
    if end_titles:
        match = _heading_re(end_titles, labelled=True).search(text)
        if match:
            text = text[: match.start()]
    if not titles:
        return text
    pattern = _heading_re(titles)
    pos = 0
    while match := pattern.search(text, pos):
        end = _next_heading(text, match.end())
        text = text[: match.start()] + text[end:]
        pos = match.start()
    return text


def remove_floats(text: str) -> str:
    """Remove LaTeX figure/table environments, Markdown tables and figure/table captions."""
    text = _ENV_RE.sub("", text)
    text = _MD_TABLE_RE.sub("", text)
    return _CAPTION_RE.sub("", text)


def normalize_whitespace(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES_RE.sub(" ", text)
    text = _TRAILING_RE.sub("\n", text)
    return _BLANKS_RE.sub("\n\n", text).strip()


def clean_text(text: str, config: CleanConfig) -> str:
    """Apply the configured transforms to one text (no filtering)."""
    if config.fix_unicode:
        text = fix_unicode(text)
    if config.drop_floats:
        text = remove_floats(text)
    to_end = ("appendix",) if config.drop_appendix else ()
    text = drop_sections(text, config.drop_sections, to_end=to_end)
    for pattern in _compiled(tuple(config.remove_patterns)):
        text = pattern.sub("", text)
    if config.normalize_whitespace:
        text = normalize_whitespace(text)
    return text


def clean_record(record: Record, config: CleanConfig) -> Record | Drop:
    """The cleaned record, or a Drop saying which filter removed it."""
    text = record.text
    sections = record.metadata.get("sections")
    if isinstance(sections, list) and sections:
        # Offsets refer to the text as extracted, so they are applied before any transform.
        to_end = ("appendix",) if config.drop_appendix else ()
        text = drop_sections_by_offsets(text, sections, config.drop_sections, to_end=to_end)
    text = clean_text(text, config)
    reason = check_record(text, config)
    if reason is not None:
        return Drop(record.id, *reason)
    # Cleaning moved text around, so section offsets no longer hold.
    metadata = {k: v for k, v in record.metadata.items() if k != "sections"}
    return Record(id=record.id, text=text, metadata=metadata)


def clean_batch(records: list[Record], config: CleanConfig) -> BatchResult:
    """Clean and filter a batch; the pure function a worker process runs."""
    result = BatchResult(docs_in=len(records))
    for record in records:
        outcome = clean_record(record, config)
        if isinstance(outcome, Drop):
            result.drops.append(outcome)
        else:
            result.records.append(outcome)
    return result


def clean_records(
    records: Iterable[Record],
    config: CleanConfig | None = None,
    *,
    report: StepReport | None = None,
    batch_size: int = 256,
) -> Iterator[Record]:
    """Stream: cleaned records that pass the filters, in input order (single process)."""
    from lyceum.data.batching import batched

    config = config or CleanConfig()
    for batch in batched(records, batch_size):
        result = clean_batch(batch, config)
        kept = report.add_batch(result) if report else result.records
        for record in kept:
            if report:
                report.add_output(record)
            yield record
