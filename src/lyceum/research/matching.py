"""Deterministic text matching the pipeline relies on instead of trusting a small model:
keywords, word overlap, quote checks, and spotting instruction-like text in documents."""

from __future__ import annotations

import re

from lyceum.retrieval.faithfulness import locate, split_sentences

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "so",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "about",
        "also",
        "any",
        "each",
        "more",
        "most",
        "other",
        "some",
        "many",
        "much",
        "very",
        "not",
        "no",
        "may",
        "might",
        "should",
        "shall",
        "between",
        "over",
        "under",
        "after",
        "before",
        "during",
        "through",
        "within",
        "without",
        "among",
        "happen",
        "happens",
        "happened",
    ]
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-']*")

# Sentences in a document that address the reader's assistant rather than state facts.
_INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|your)\b"
    r".{0,40}\b(instructions?|prompts?|rules?|directions?)\b"
    r"|\b(system prompt|you are now|as an ai|new instructions?|do not follow)\b"
    r"|\b(assistant|model|ai)\b.{0,30}\b(must|should)\b.{0,30}\b(cite|say|write|answer|output)\b",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    return [w.lower().strip("'-") for w in _WORD.findall(text)]


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry meaning (no stopwords, no one-letter words), crudely
    stemmed so that 'plants' and 'plant' match."""
    return {_stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if len(word) > 4 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def keywords(text: str, limit: int = 8) -> str:
    """The content words of `text` in order, as a search query."""
    seen: list[str] = []
    for w in words(text):
        if w not in STOPWORDS and len(w) > 1 and w not in seen:
            seen.append(w)
    return " ".join(seen[:limit])


def overlap(claim: str, evidence: str) -> float:
    """Share of the claim's content words found in the evidence (0..1)."""
    c = content_words(claim)
    if not c:
        return 0.0
    return len(c & content_words(evidence)) / len(c)


def quote_in(quote: str, text: str) -> bool:
    """Whether `quote` occurs in `text`, ignoring case and runs of whitespace."""
    return bool(quote.strip()) and locate(quote, text) is not None


def sentences(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def instruction_like(sentence: str) -> bool:
    """True for text that tries to instruct the model (prompt injection), not inform."""
    return bool(_INSTRUCTION_LIKE.search(sentence))


def normalize_space(text: str) -> str:
    return " ".join(text.split())
