"""Gather: a worker searches every source for one sub-question, reads the best passages and
takes evidence notes.

The worker model only points at numbered sentences and restates them; the quote of a note
is always the sentence text copied by code, and checked to occur in the passage. A claim
that drifts from its quote is replaced by the quote. Sentences that read as instructions
to the model get the whole passage quarantined, so an injected page cannot be quoted;
sentences that address the reader ("Visit ...", "you must ...") or carry a link are never
offered as quotes.

With a `Relevance` (the pipeline always passes one), a passage is read only when it bears
on the question and the sub-question, and only its sentences that do are shown to the
model: a passage with no such sentence costs no model call, and a definition of a
neighbouring term or a sentence about the article's subject rather than the question is
never taken as evidence.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from lyceum.claimcheck.faithfulness import split_sentences
from lyceum.errors import ModelError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.llm.structured import generate_structured
from lyceum.llm.types import GenerateParams
from lyceum.research import prompts
from lyceum.research.matching import (
    content_words,
    evidence_text,
    instruction_like,
    normalize_space,
    overlap,
    quotable,
    quote_in,
    sentences,
)
from lyceum.research.named import named_tier
from lyceum.research.progress import ProgressCallback, ProgressEvent
from lyceum.research.relevance import (
    Relevance,
    another_instance,
    another_topic,
    defined_kind,
    gate_target,
    subject_pages,
)
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import Note, Passage, QueryRecord, SubQuestion, short_hash
from lyceum.sources.base import Hit, Source, TitledSource
from lyceum.sources.untrusted import wrap_untrusted

PROGRAMMING_ERRORS = (TypeError, AttributeError, NameError, AssertionError, KeyError)
MIN_CLAIM_OVERLAP = 0.5
FALLBACK_OVERLAP = 0.5
_HEADING = re.compile(r"(?m)^\s*#{1,6}\s.*$")


class ExtractedNote(BaseModel):
    sentence: int = Field(ge=1, description="Number of the sentence in the document.")
    claim: str = Field(default="", description="Its fact, restated in one short sentence.")


class PickOut(BaseModel):
    """What a worker model is asked for when claims are the quoted sentences themselves."""

    sentences: list[int] = Field(default_factory=list, max_length=4)


class NotesOut(BaseModel):
    """What a worker model is asked for."""

    notes: list[ExtractedNote] = Field(default_factory=list, max_length=4)


@dataclass
class WorkerResult:
    sub_question: str
    passages: list[Passage] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    queries: list[QueryRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def passage_from_hit(hit: Hit, query: str, limit: int) -> Passage:
    # Markdown heading lines repeat the title and are not sentences.
    text = whole_sentences(normalize_space(_HEADING.sub(" ", hit.text)), hit.metadata)
    if len(text) > limit:
        kept = ""
        for s in sentences(text):
            if len(kept) + len(s) + 1 > limit:
                break
            kept = f"{kept} {s}".strip()
        text = kept or text[:limit]
    meta = hit.metadata
    year = meta.get("year")
    return Passage(
        id="p" + short_hash(hit.source, hit.id),
        source=hit.source,
        hit_id=hit.id,
        title=hit.title,
        url=hit.url,
        path=hit.path,
        text=text,
        arxiv_id=meta.get("arxiv_id") or None,
        doi=meta.get("doi") or None,
        year=year if isinstance(year, int) else None,
        authors=[str(a) for a in meta.get("authors") or []],
        query=query,
    )


async def search_one(source: Source, query: str, k: int) -> tuple[list[Hit], str | None]:
    try:
        return await source.search(query, k), None
    except PROGRAMMING_ERRORS:
        raise
    except Exception as exc:  # a source failing must not end the run; it is recorded
        return [], f"{type(exc).__name__}: {exc}"


async def search_sources(
    sources: list[Source], sq: SubQuestion, config: ResearchSettings
) -> tuple[list[tuple[Hit, str]], list[QueryRecord]]:
    """Every query on every source at once; hits interleaved rank by rank, deduplicated."""
    jobs = [(q, s) for q in sq.queries for s in sources]
    results = await asyncio.gather(*(search_one(s, q, config.hits_per_query) for q, s in jobs))
    records = [
        QueryRecord(
            sub_question=sq.id, source=s.name, query=q, hits=len(hits), round=sq.round, error=err
        )
        for (q, s), (hits, err) in zip(jobs, results, strict=True)
    ]
    ranked: list[tuple[Hit, str]] = []
    seen: set[str] = set()
    longest = max((len(h) for h, _ in results), default=0)
    for rank in range(longest):
        for (q, _), (hits, _) in zip(jobs, results, strict=True):
            if rank < len(hits):
                hit = hits[rank]
                key = f"{hit.source}\x1f{hit.id}"
                text_key = normalize_space(hit.text)[:200].lower()
                if key in seen or text_key in seen or not hit.text.strip():
                    continue
                seen.update((key, text_key))
                ranked.append((hit, q))
    return ranked, records


def page_by_title(sources: Sequence[Source], title: str) -> Hit | None:
    """The opening passage of the page titled `title` in the first source that has it."""
    for source in sources:
        if isinstance(source, TitledSource):
            hit = source.page(title)
            if hit is not None:
                return hit
    return None


def opening_text(sources: Sequence[Source], hit: Hit) -> str:
    """What `hit`'s page opens with, which says what its subject is: the hit's own text
    when it defines its subject already (`relevance.defined_kind`), else the page's
    opening passage when a source can look it up, else the hit's text."""
    if defined_kind(hit.text):
        return hit.text
    try:
        page = page_by_title(sources, hit.title)
    except PROGRAMMING_ERRORS:
        raise
    except Exception:  # a failed lookup leaves the hit's own text to judge by
        page = None
    return page.text if page is not None else hit.text


def _subject_openings(
    sources: Sequence[Source], question: str, hits: Sequence[Hit]
) -> list[tuple[str, str]]:
    """The (title, opening) of the pages among `hits` that the question's subject names
    (`relevance.subject_pages`), looked up only for those."""
    last = {" ".join(h.title.split()): h for h in hits if h.title}
    named = subject_pages(question, [(t, h.text) for t, h in last.items()])
    return [(t, opening_text(sources, last[t])) for t, _ in named]


def linked_pages(
    sources: Sequence[Source], sq: SubQuestion
) -> tuple[list[tuple[Hit, str]], list[QueryRecord]]:
    """The pages a link follow-up reads (`research/links.py`), looked up by title; each
    lookup is recorded as a query of the titled source, a failed one with its error."""
    hits: list[tuple[Hit, str]] = []
    records = []
    for title in sq.links:
        error = None
        try:
            hit = page_by_title(sources, title)
        except PROGRAMMING_ERRORS:
            raise
        except Exception as exc:  # a source failing must not end the run; it is recorded
            hit, error = None, f"{type(exc).__name__}: {exc}"
        if hit is not None:
            hits.append((hit, title))
        records.append(
            QueryRecord(
                sub_question=sq.id,
                source=hit.source if hit is not None else "titles",
                query=title,
                hits=int(hit is not None),
                round=sq.round,
                error=error,
            )
        )
    return hits, records


# What a window of a longer document can open on mid-sentence: a lower-case word, a closing
# bracket, a punctuation mark.
_CONTINUES = re.compile(r"[a-z,;:)\]}.]")
# What no sentence ends on: a window cut at a clause.
_CLAUSE_END = re.compile(r"[,;:–—-]$")


def whole_sentences(text: str, metadata: dict[str, object]) -> str:
    """`text` without the pieces of sentences a search window of a longer document cut
    (`retrieval.chunking` windows overlap, and cut at a clause's end when no sentence ends
    in reach): a window that does not start the document (`start_char` past 0) loses a
    first piece that opens mid-sentence ("stage. Combustion: …"), and any window a last
    piece that ends on a clause's mark ("… British colonial rule, which lasted nearly two
    centuries;"). Whole when nothing is left."""
    spans = split_sentences(text)
    start = metadata.get("start_char")
    if spans and isinstance(start, int) and start > 0 and _CONTINUES.match(spans[0].text):
        spans = spans[1:]
    if spans and _CLAUSE_END.search(spans[-1].text):
        spans = spans[:-1]
    return text[spans[0].start : spans[-1].end] if spans else text


def readable_sentences(passage: Passage) -> list[str]:
    """The sentences of `passage` a note may quote: none when it is quarantined."""
    return _numbered(passage)[0]


def _numbered(passage: Passage) -> tuple[list[str], int]:
    """Sentences shown to the model and how many read as instructions to it. A passage
    with any such sentence is quarantined whole: a page that tries to steer the model is
    not trusted for its other sentences either."""
    all_sentences = sentences(passage.text)
    flagged = sum(instruction_like(s) for s in all_sentences)
    if flagged:
        return [], flagged
    return [s for s in all_sentences if quotable(s)], 0


def _fallback_note(shown: list[str], sq: SubQuestion) -> tuple[int, str] | None:
    scored = [(overlap(sq.question, s), i) for i, s in enumerate(shown)]
    best = max(scored, default=(0.0, -1))
    return (best[1], shown[best[1]]) if best[0] >= FALLBACK_OVERLAP else None


def _ranked_notes(
    shown: list[str],
    ranking: list[float],
    sq: SubQuestion,
    passage: Passage,
    config: ResearchSettings,
) -> list[tuple[str, str, str]]:
    """Notes picked by code, no model call: the sentences that passed the gate, best first
    by cosine to the question plus the gate's score for the sub-question (word overlap with
    the sub-question without an embedder), kept in passage order."""
    scores = ranking or [overlap(sq.question, s) for s in shown]
    best = sorted(range(len(shown)), key=lambda i: -scores[i])[: config.notes_per_passage]
    return [
        (shown[i], shown[i], "ranked") for i in sorted(best) if quote_in(shown[i], passage.text)
    ]


async def extract_notes(
    model: Model,
    question: str,
    sq: SubQuestion,
    passage: Passage,
    config: ResearchSettings,
    relevance: Relevance | None = None,
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(claim, quote, extracted_by) triples from one passage, and problems met. A namesake's
    or a sibling's page never gets here: `choose_passages` passes it over."""
    shown, withheld = _numbered(passage)
    problems = (
        [f"{passage.id} ({passage.title}): quarantined, {withheld} instruction-like sentence(s)"]
        if withheld
        else []
    )
    ranking: list[float] = []
    if relevance is not None:
        target = gate_target(question, sq, config.min_sentence_relevance, config.min_part_relevance)
        gated = [
            (text, q + score)
            for text, (q, score) in zip(
                shown, await relevance.gate_scores(shown, question, target), strict=True
            )
            if target.passes(q, score)
        ]
        shown = [text for text, _ in gated]
        ranking = [rank for _, rank in gated]
    if not shown:
        return [], problems
    if config.pick_with_model is False:  # None (not resolved by the run): the model picks
        return _ranked_notes(shown, ranking, sq, passage, config), problems
    document = wrap_untrusted(
        "\n".join(f"[{i}] {s}" for i, s in enumerate(shown, start=1)),
        doc_id=passage.id,
        source=passage.source,
        title=passage.title,
    )
    step = "worker" if config.restate_claims else "picker"
    messages = prompts.messages(
        step, question=sq.question, document=document, n=config.notes_per_passage
    )
    picked: list[tuple[int, str, str]] = []
    topic = content_words(f"{sq.question} {question}")
    try:
        with call_context(caller="research.worker"):
            if config.restate_claims:
                out = await generate_structured(
                    model, messages, NotesOut, GenerateParams(max_tokens=200)
                )
            else:
                numbers = await generate_structured(
                    model, messages, PickOut, GenerateParams(max_tokens=40)
                )
                out = NotesOut(
                    notes=[ExtractedNote(sentence=n) for n in numbers.sentences if n >= 1]
                )
        for item in out.notes:
            i = item.sentence - 1
            if not 0 <= i < len(shown) or any(i == p[0] for p in picked):
                continue
            quote = shown[i]
            if not content_words(quote) & topic:
                continue
            claim = normalize_space(item.claim)
            if overlap(claim, quote) < MIN_CLAIM_OVERLAP:
                claim = quote
            picked.append((i, claim, "model"))
    except ModelError as exc:
        problems.append(f"{passage.id}: worker output unusable ({type(exc).__name__})")
    # A small model often picks weak sentences; the sentence that best matches the
    # sub-question is taken first, by code, when it matches well enough.
    best = _fallback_note(shown, sq)
    if best is not None and all(best[0] != p[0] for p in picked):
        picked.insert(0, (best[0], best[1], "ranked" if picked else "fallback"))
    notes = []
    for i, claim, by in sorted(picked[: config.notes_per_passage]):
        if quote_in(shown[i], passage.text):  # by construction; checked all the same
            notes.append((claim, shown[i], by))
        else:
            problems.append(f"{passage.id}: quote not found in passage, note dropped")
    return notes, problems


async def choose_passages(
    sources: list[Source],
    question: str,
    sq: SubQuestion,
    config: ResearchSettings,
    progress: ProgressCallback,
    relevance: Relevance | None = None,
    read: set[str] | None = None,
) -> WorkerResult:
    """Search and choose the `depth` best new passages that bear on the question, in
    reading order; no model call. Documents the sub-question or the question names come
    first (`research/named.py`). A link follow-up (`research/links.py`) looks up the pages
    it follows by title instead of searching, and reads those only.

    `read` holds the ids of passages the run's other workers have chosen (shared, and
    updated here): those are passed over, so sub-questions that retrieve the same top
    documents go on to different ones instead of taking the same notes again."""
    read = set() if read is None else read
    result = WorkerResult(sub_question=sq.id)
    progress(
        ProgressEvent(
            kind="worker",
            message=f"{sq.id} started",
            data={"sub_question": sq.id, "status": "running"},
        )
    )
    if sq.links:
        hits, result.queries = linked_pages(sources, sq)
    else:
        hits, result.queries = await search_sources(sources, sq, config)
    for record in result.queries:
        progress(ProgressEvent(kind="query", message=record.query, data=record.model_dump()))
        if record.error:
            result.problems.append(f"{record.source} search '{record.query}': {record.error}")
    # Documents the sub-question names come first, then those only the question names
    # (stable: search order within a tier); see research/named.py.
    tiers = [named_tier(hit.title, sq.question, question) for hit, _ in hits]
    order = sorted(range(len(hits)), key=lambda i: tiers[i])
    subjects = [] if sq.links else _subject_openings(sources, question, [h for h, _ in hits])
    for i in order:
        hit, query = hits[i]
        if len(result.passages) == (len(sq.links) or config.depth):
            break
        passage = passage_from_hit(hit, query, config.passage_chars)
        # A document this sub-question names is read for it even if another sub-question
        # read it: each takes the sentences that bear on its own part.
        if passage.id in read and tiers[i] > 0:
            continue
        other = another_topic(passage.title or "", passage.text, question)
        if other is not None:
            # A namesake's or a sibling's page is not read, and does not use up the reading
            # budget: the dev report on World War I had spent it on World War II's pages.
            _skipped(progress, passage, sq, other)
            continue
        if subjects and tiers[i] == 2:
            # Another instance of the kind the question's subject is, never naming it
            # (`relevance.another_instance`): a trial report on the Mekong had read
            # *Zambezi* and *Amu Darya* for which countries the Mekong flows through, and
            # printed where the Zambezi rises as the answer. Not a page the question names.
            kin = another_instance(
                " ".join((passage.title or "").split()), opening_text(sources, hit), subjects
            )
            if kin is not None:
                _skipped(progress, passage, sq, f"another instance of what {kin!r} is")
                continue
        flagged = _numbered(passage)[1]
        if flagged:
            # Quarantined passages do not use up the reading budget, so a flood of injected
            # pages cannot crowd out the evidence.
            result.problems.append(
                f"{passage.id} ({passage.title}): quarantined, {flagged} instruction-like "
                "sentence(s)"
            )
            continue
        if (
            relevance is not None
            and not (
                await relevance.bears_on(
                    [evidence_text(passage.text) or passage.text],
                    question,
                    gate_target(
                        question,
                        sq.model_copy(update={"part": None}),
                        config.min_passage_relevance,
                        config.min_passage_relevance,
                    ),
                )
            )[0]
        ):
            _skipped(progress, passage, sq, "off topic")
            continue
        if passage.id in read and tiers[i] > 0:  # another worker took it meanwhile
            continue
        read.add(passage.id)
        result.passages.append(passage)
        progress(
            ProgressEvent(
                kind="passage",
                message=passage.title,
                data={"id": passage.id, "source": passage.source, "sub_question": sq.id},
            )
        )
    return result


def _skipped(progress: ProgressCallback, passage: Passage, sq: SubQuestion, why: str) -> None:
    progress(
        ProgressEvent(
            kind="skipped",
            message=f"{why}: {passage.title}",
            data={"id": passage.id, "source": passage.source, "sub_question": sq.id},
        )
    )


async def take_notes(
    model: Model,
    question: str,
    sq: SubQuestion,
    chosen: WorkerResult,
    config: ResearchSettings,
    progress: ProgressCallback,
    relevance: Relevance | None = None,
) -> WorkerResult:
    """Read the chosen passages in order and take notes from each (one model call per
    passage with a sentence that bears on the question); note ids follow reading order."""
    result = chosen
    for passage in result.passages:
        triples, problems = await extract_notes(model, question, sq, passage, config, relevance)
        result.problems += problems
        for claim, quote, by in triples:
            result.notes.append(
                Note(
                    id=f"{sq.id}.n{len(result.notes) + 1}",
                    sub_question=sq.id,
                    claim=claim,
                    quote=quote,
                    passage_id=passage.id,
                    extracted_by=by,  # type: ignore[arg-type]
                )
            )
        progress(
            ProgressEvent(
                kind="note",
                message=f"{len(triples)} note(s) from {passage.id}",
                data={"sub_question": sq.id, "notes": len(result.notes)},
            )
        )
    progress(
        ProgressEvent(
            kind="worker",
            message=f"{sq.id} done",
            data={"sub_question": sq.id, "status": "done", "notes": len(result.notes)},
        )
    )
    return result
