from __future__ import annotations

import itertools

import pytest

from lyceum.data.extract import Document, Section
from lyceum.retrieval.chunking import (
    WhitespaceTokenizer,
    chunk_document,
    chunk_spans,
    embedding_window,
    load_tokenizer,
    title_prefix,
)

WORDS = WhitespaceTokenizer()


def _prose(n_sentences: int) -> str:
    return " ".join(f"Sentence number {i} talks about topic {i % 7}." for i in range(n_sentences))


def test_chunks_respect_the_token_budget_and_cover_the_text() -> None:
    text = _prose(200)
    spans = chunk_spans(text, WORDS, max_tokens=64, overlap=10)
    assert len(spans) > 5
    assert all(s.tokens <= 64 for s in spans)
    assert spans[0].start == 0 and spans[-1].end == len(text)
    for a, b in itertools.pairwise(spans):
        assert b.start < a.end, "consecutive chunks overlap"
        assert b.start > a.start


def test_overlap_is_about_the_configured_number_of_tokens() -> None:
    spans = chunk_spans(_prose(200), WORDS, max_tokens=64, overlap=16)
    text = _prose(200)
    shared = [len(WORDS.token_spans(text[b.start : a.end])) for a, b in itertools.pairwise(spans)]
    assert all(8 <= n <= 24 for n in shared), shared


def test_cuts_prefer_sentence_ends() -> None:
    text = _prose(100)
    spans = chunk_spans(text, WORDS, max_tokens=50, overlap=0)
    assert all(text[s.end - 1] == "." for s in spans)


def test_an_equation_environment_is_not_split_when_avoidable() -> None:
    equation = "\\begin{equation}\n" + " + ".join(f"x_{i}" for i in range(12)) + "\n\\end{equation}"
    text = _prose(6) + "\n\n" + equation + "\n\n" + _prose(6)
    for max_tokens in (40, 60, 80, 100):
        for span in chunk_spans(text, WORDS, max_tokens=max_tokens, overlap=5):
            piece = text[span.start : span.end]
            assert ("\\begin{equation}" in piece) == ("\\end{equation}" in piece), (
                max_tokens,
                piece,
            )


def test_an_equation_longer_than_a_chunk_is_split_rather_than_dropped() -> None:
    equation = "\\begin{align}" + " + ".join(f"y_{i}" for i in range(100)) + "\\end{align}"
    spans = chunk_spans(equation, WORDS, max_tokens=50, overlap=5)
    assert len(spans) > 1 and spans[-1].end == len(equation)


def test_overlap_must_be_smaller_than_chunk() -> None:
    with pytest.raises(ValueError, match="overlap"):
        chunk_spans("a b c", WORDS, max_tokens=10, overlap=10)


def test_empty_text_gives_no_chunks() -> None:
    assert chunk_spans("   ", WORDS) == []


def test_chunks_carry_the_section_they_start_in() -> None:
    intro, method = "Intro\n\n" + _prose(30), "Method\n\n" + _prose(30)
    text = intro + "\n\n" + method
    doc = Document(
        text=text,
        sections=[
            Section(title="Intro", start=0, end=len(intro)),
            Section(title="Method", start=len(intro) + 2, end=len(text)),
        ],
    )
    drafts = chunk_document(doc, WORDS, max_tokens=60, overlap=0)
    assert drafts[0].section == "Intro" and drafts[-1].section == "Method"
    assert [d.ordinal for d in drafts] == list(range(len(drafts)))
    assert all(doc.text[d.start : d.end] == d.text for d in drafts)


def test_minilm_tokenizer_budget_is_in_word_pieces() -> None:
    tokenizer = load_tokenizer()
    text = _prose(300)
    spans = chunk_spans(text, tokenizer, max_tokens=256, overlap=50)
    assert all(len(tokenizer.token_spans(text[s.start : s.end])) <= 256 for s in spans)
    assert max(s.tokens for s in spans) > 200


def test_a_chunk_with_its_title_fits_minilm_input() -> None:
    tokenizer = load_tokenizer()
    title = "A very long title " * 20
    prefix = title_prefix(title, tokenizer)
    assert len(tokenizer.token_spans(prefix)) == 32 and title.startswith(prefix.strip())
    size, overlap = embedding_window(prefix, tokenizer, 256, 50, model_max_tokens=256)
    doc = Document(text=_prose(300), title=title)
    drafts = chunk_document(doc, tokenizer, size, overlap)
    encoded = [tokenizer._tok.encode(prefix + d.text).ids for d in drafts]
    assert max(len(ids) for ids in encoded) <= 256
    assert max(len(ids) for ids in encoded) > 240 and overlap == 50


def test_the_window_is_unchanged_without_a_model_limit() -> None:
    assert embedding_window("Title\n", WORDS, 256, 50, model_max_tokens=None) == (256, 50)
    assert embedding_window("", WORDS, 256, 50, model_max_tokens=40) == (40, 39)
    assert title_prefix("  ", WORDS) == ""
