"""Token-aware chunking: windows of the embedding model's tokens, cut at paragraph or sentence
ends, never inside an equation environment when a cut outside one exists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from lyceum.data.extract import Document

_EQUATION_RE = re.compile(
    r"\\begin\{(equation|align|gather|multline|eqnarray|displaymath|math|split|alignat|flalign)"
    r"(\*?)\}.*?\\end\{\1\2\}|\$\$.+?\$\$|\\\[.+?\\\]",
    re.DOTALL,
)
_PARAGRAPH_RE = re.compile(r"\n\s*\n")
_SENTENCE_RE = re.compile(r"[.!?;:][\"')\]]?\s+|\n")


TITLE_TOKENS = 32


class Tokenizer(Protocol):
    """Anything that maps text to token character spans; `special_tokens` is how many
    the model adds around one text ([CLS] and [SEP] for BERT models)."""

    special_tokens: int

    def token_spans(self, text: str) -> list[tuple[int, int]]: ...


class HFTokenizer:
    """A Hugging Face `tokenizers` tokenizer (no torch): the embedding model's own word pieces."""

    def __init__(self, tokenizer_json: Path) -> None:
        from tokenizers import Tokenizer as _HF

        self._tok = _HF.from_file(str(tokenizer_json))
        self._tok.no_truncation()
        self._tok.no_padding()
        self.special_tokens = self._tok.num_special_tokens_to_add(False)

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        return list(self._tok.encode(text, add_special_tokens=False).offsets)


class WhitespaceTokenizer:
    """Words and punctuation marks as tokens; for the `hashing` embedder and tests."""

    _TOKEN = re.compile(r"\w+|[^\w\s]")
    special_tokens = 0

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self._TOKEN.finditer(text)]


@lru_cache(maxsize=4)
def load_tokenizer(model_dir: Path | None = None) -> HFTokenizer:
    """The tokenizer of a sentence-transformers model dir; the embedded MiniLM by default."""
    if model_dir is None:
        from lyceum.retrieval.model_paths import minilm_dir

        model_dir = minilm_dir()
    return HFTokenizer(Path(model_dir) / "tokenizer.json")


@dataclass(frozen=True)
class ChunkSpan:
    """`text[start:end]` of the chunked text, with its token count."""

    start: int
    end: int
    tokens: int


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _EQUATION_RE.finditer(text)]


def _cut_scores(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """For each token index i, how good a cut *before* token i is: 3 paragraph break,
    2 sentence end, 1 word boundary, 0 inside an equation (or inside a word)."""
    starts = [s for s, _ in spans]
    paragraph_ends = {m.end() for m in _PARAGRAPH_RE.finditer(text)}
    sentence_ends = {m.end() for m in _SENTENCE_RE.finditer(text)}
    protected = _protected(text)
    scores = [0] * (len(spans) + 1)
    p = 0
    for i in range(1, len(spans)):
        pos = starts[i]
        while p < len(protected) and protected[p][1] <= pos:
            p += 1
        if p < len(protected) and protected[p][0] < pos < protected[p][1]:
            continue
        gap = text[spans[i - 1][1] : pos]
        if pos in paragraph_ends or "\n\n" in gap:
            scores[i] = 3
        elif pos in sentence_ends or "\n" in gap:
            scores[i] = 2
        elif gap:
            scores[i] = 1
    scores[len(spans)] = 3
    return scores


def chunk_spans(
    text: str, tokenizer: Tokenizer, max_tokens: int = 256, overlap: int = 50
) -> list[ChunkSpan]:
    """Windows of at most `max_tokens` tokens covering `text`, consecutive ones sharing about
    `overlap` tokens. A window ends at the best cut in its last half (paragraph > sentence >
    word), else at the last cut outside an equation; a cut inside an equation is taken only
    when the equation alone fills the window."""
    if overlap >= max_tokens:
        raise ValueError(f"overlap ({overlap}) must be smaller than max_tokens ({max_tokens})")
    spans = tokenizer.token_spans(text)
    n = len(spans)
    if n == 0:
        return []
    scores = _cut_scores(text, spans)
    chunks: list[ChunkSpan] = []
    start = 0
    while True:
        limit = min(start + max_tokens, n)
        end = limit
        if limit < n:
            lower = start + max(1, max_tokens // 2)
            best = max(range(limit, lower - 1, -1), key=lambda i: (scores[i], i))
            if scores[best] == 0:
                # The last half lies inside one equation: end before it if it starts here.
                best = next((i for i in range(lower - 1, start, -1) if scores[i] > 0), limit)
            end = best
        chunks.append(ChunkSpan(spans[start][0], spans[end - 1][1], end - start))
        if end >= n:
            return chunks
        nxt = max(end - overlap, start + 1)
        # Start the overlap at a word (not mid-word or mid-equation) when one is near.
        candidates = [i for i in range(nxt, end) if scores[i] > 0]
        start = candidates[0] if candidates else end


def title_prefix(title: str, tokenizer: Tokenizer, max_tokens: int = TITLE_TOKENS) -> str:
    """What is embedded before each chunk of a document: its title, cut to `max_tokens`
    tokens so that a long one cannot crowd out the chunk."""
    title = title.strip()
    if not title:
        return ""
    spans = tokenizer.token_spans(title)
    if len(spans) > max_tokens:
        title = title[: spans[max_tokens - 1][1]]
    return title + "\n"


def embedding_window(
    prefix: str,
    tokenizer: Tokenizer,
    max_tokens: int,
    overlap: int,
    model_max_tokens: int | None,
) -> tuple[int, int]:
    """Chunk length and overlap such that special tokens + `prefix` + a chunk fit in the
    embedding model's input (`model_max_tokens`, None for no limit): beyond it the model
    would silently drop the chunk's tail."""
    if model_max_tokens is None:
        return max_tokens, overlap
    room = model_max_tokens - tokenizer.special_tokens - len(tokenizer.token_spans(prefix))
    size = max(1, min(max_tokens, room))
    return size, min(overlap, size - 1)


@dataclass(frozen=True)
class ChunkDraft:
    """A chunk before it is stored: text, position in the document and its section."""

    text: str
    ordinal: int
    start: int
    end: int
    tokens: int
    section: str


def chunk_document(
    doc: Document, tokenizer: Tokenizer, max_tokens: int = 256, overlap: int = 50
) -> list[ChunkDraft]:
    """The document's chunks, each tagged with the section it starts in."""
    drafts = []
    for i, span in enumerate(chunk_spans(doc.text, tokenizer, max_tokens, overlap)):
        section = doc.section_at(span.start)
        drafts.append(
            ChunkDraft(
                text=doc.text[span.start : span.end],
                ordinal=i,
                start=span.start,
                end=span.end,
                tokens=span.tokens,
                section=section.title if section else "",
            )
        )
    return drafts
