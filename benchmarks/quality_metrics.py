"""Quality measures of a research report that do not rely on the pipeline's own checks.

Pure functions over plain text, the hand-read dev set (`data/research_quality/questions.jsonl`)
and the hand labels (`labels.jsonl`): nugget matching, question parts answered or declared
not covered, sentences that open with a pronoun pointing outside them, near-duplicate
sentence pairs, template headings, and precision against the hand labels. Nothing here
imports the research pipeline, so its matching rules can change without moving this yardstick.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator

DATA = Path(__file__).parent / "data" / "research_quality"
QUESTIONS = DATA / "questions.jsonl"
LABELS = DATA / "labels.jsonl"


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A small fixed list, kept here rather than borrowed from the pipeline's matcher on purpose.
STOPWORDS = _wordset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just let may me might more most must my no nor not of off on once only or other our
    out over own same shall she should so some such than that the their them then there these
    they this those through to too under until up very was we were what when where whether
    which while who whom why will with would you your one two many much well often usually
    typically known called"""
)


class Part(BaseModel):
    text: str
    answerable: bool


class Nugget(BaseModel):
    text: str
    article: str
    part: int
    keys: list[list[str]] = Field(
        description="Groups of alternatives; a sentence states the nugget when every group "
        "has an alternative in it."
    )


class Question(BaseModel):
    id: str
    question: str
    split: str
    parts: list[Part]
    nuggets: list[Nugget]
    relevant_articles: list[str] = Field(default_factory=list)


class Label(BaseModel):
    """A hand judgement of one cited sentence against the passage(s) it cites."""

    key: str
    claim: str
    title: str = ""
    passage: str = ""
    question_id: str = ""
    supported: bool
    on_topic: bool
    standalone: bool
    parts: list[int] = Field(
        default_factory=list, description="Question parts the sentence answers (optional)."
    )
    nuggets: list[int] | None = Field(
        default=None,
        description="The question's nuggets the sentence states, judged by hand among those "
        "whose keys it matches; None: not judged, the keys decide.",
    )
    off_topic_kind: Literal["subject", "neighbour", "unrelated"] | None = Field(
        default=None,
        description="For an off-topic sentence, what it is about: 'subject', the question's "
        "own subject, answering no part ('World War I resulted in an estimated 15 to 22 "
        "million deaths' for what triggered the war and how it ended); 'neighbour', a "
        "neighbouring subject or term ('A steam turbine is a machine …' for the steam "
        "engine's role); 'unrelated', a subject the question is not about, sharing words at "
        "most (the end of the Cold War, or the invasion of Poland in 1939, in a report on "
        "World War I). None: not classified.",
    )
    note: str = ""

    @model_validator(mode="after")
    def _off_topic_kind_is_off_topic(self) -> Label:
        if self.off_topic_kind is not None and self.on_topic:
            raise ValueError(f"label {self.key[:12]}: on topic, but has an off_topic_kind")
        return self

    @model_validator(mode="after")
    def _nuggets_are_on_topic(self) -> Label:
        # A nugget is a fact a complete answer states, so a sentence stating one bears on
        # the question; a label saying both would count it for recall and against precision.
        if self.nuggets and not (self.supported and self.on_topic):
            raise ValueError(
                f"label {self.key[:12]}: states nuggets {self.nuggets} but is labelled "
                "unsupported or off topic"
            )
        return self

    @property
    def good(self) -> bool:
        return self.supported and self.on_topic and self.standalone


class CitedRow(BaseModel):
    """One cited sentence of a report, with the text of the passages it cites."""

    key: str
    question_id: str
    claim: str
    passage: str
    title: str
    documents: list[str] = Field(default_factory=list)
    quote: str = ""
    pipeline_verdict: str | None = None
    status: str = ""


def normalize(text: str) -> str:
    """Lower case, NFKC, every dash a hyphen, runs of whitespace one space."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return " ".join(text.split())


def label_key(claim: str, passage: str) -> str:
    """The key a label is stored under: unchanged sentence and passage, same key."""
    return hashlib.sha256(f"{claim.strip()}\x1f{passage.strip()}".encode()).hexdigest()


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    return [
        Question.model_validate_json(line)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def select_questions(
    questions: Sequence[Question],
    *,
    split: str = "dev",
    ids: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[Question]:
    """`ids` (in the order given) wins over `split`; `limit` keeps the first N."""
    if ids:
        by_id = {q.id: q for q in questions}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise KeyError(f"unknown question ids: {', '.join(unknown)}")
        chosen = [by_id[i] for i in ids]
    else:
        chosen = [q for q in questions if split == "all" or q.split == split]
    return chosen[:limit] if limit is not None else chosen


def label_id(question_id: str, key: str) -> str:
    """Where a label is filed: "on topic" and "parts" are judged against one question, so
    the same sentence and passage cited in another question's report needs its own label
    (a greenhouse-effect sentence is off topic for photosynthesis, on topic for the
    greenhouse effect). A label without a question applies to every question."""
    return f"{question_id}:{key}"


def load_labels(path: Path = LABELS) -> dict[str, Label]:
    """Labels by `label_id`; a later row for the same question and key replaces an
    earlier one."""
    if not path.exists():
        return {}
    labels: dict[str, Label] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            label = Label.model_validate_json(line)
            labels[label_id(label.question_id, label.key)] = label
    return labels


def find_label(labels: dict[str, Label], row: CitedRow) -> Label | None:
    """The label of a cited row: the one filed for its question, else one filed for none."""
    return labels.get(label_id(row.question_id, row.key)) or labels.get(label_id("", row.key))


# --- nuggets and parts -------------------------------------------------------------------


def nugget_matches(keys: Sequence[Sequence[str]], sentence: str) -> bool:
    """True when every group of `keys` has an alternative occurring in `sentence`."""
    text = normalize(sentence)
    return bool(keys) and all(any(normalize(alt) in text for alt in group) for group in keys)


def found_nuggets(question: Question, sentences: Iterable[str]) -> list[int]:
    """Indices of the question's nuggets that some sentence states."""
    texts = list(sentences)
    return [
        i
        for i, nugget in enumerate(question.nuggets)
        if any(nugget_matches(nugget.keys, s) for s in texts)
    ]


def stated_nuggets(question: Question, sentence: str, label: Label | None) -> list[int]:
    """The nuggets a cited sentence states: by its hand label when the label judges them
    (keys are a proxy: "Allosaurus is a genus of theropod dinosaur that lived … during the
    late Jurassic" has the words of "Birds evolved from earlier theropods in the Late
    Jurassic" and states nothing of it), none when it is labelled unsupported, else by the
    keys."""
    if label is not None and not label.supported:
        return []
    if label is not None and label.nuggets is not None:
        return sorted(label.nuggets)
    return found_nuggets(question, [sentence])


def content_words(text: str) -> set[str]:
    """Words of 3+ letters that are not stopwords, with a plural -s and a long word's -ing
    dropped ("copying" is "copy": a report declared "Which enzymes carry out the copying?"
    not covered, and the part "Which enzymes copy DNA" did not match it)."""
    words = re.findall(r"[a-z0-9][a-z0-9'-]*", normalize(text))
    out = set()
    for w in words:
        w = w.strip("'-")
        if len(w) < 3 or w in STOPWORDS:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if len(w) > 6 and w.endswith("ing"):
            w = w[:-3]
        out.add(w)
    return out


def dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def declared_parts(parts: Sequence[str], not_covered: Sequence[str]) -> set[int]:
    """Indices of the parts that one of the report's "not covered" items names: each item
    goes to the part whose content words it shares most (Dice coefficient), when that
    coefficient is 0.45 or more; "How neutron star mergers make gold" names the part about
    mergers, not the one about how neutron stars form."""
    words = [content_words(p) for p in parts]
    declared: set[int] = set()
    for item in not_covered:
        item_words = content_words(item)
        scores = [dice(w, item_words) for w in words]
        best = max(scores, default=0.0)
        if best >= 0.45:
            declared |= {i for i, s in enumerate(scores) if s == best}
    return declared


def part_declared(part: str, not_covered: Sequence[str]) -> bool:
    """Whether one of the "not covered" items names `part` (judged against it alone)."""
    return 0 in declared_parts([part], not_covered)


_NOT_COVERED_HEADING = re.compile(r"^#+\s*.*(not cover|not covered|do not answer)", re.I)


def parse_not_covered(report_md: str) -> list[str]:
    """The items listed under a heading like "What the sources do not cover"."""
    items: list[str] = []
    inside = False
    for line in report_md.splitlines():
        if line.startswith("#"):
            inside = bool(_NOT_COVERED_HEADING.match(line))
            continue
        if inside:
            m = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)", line)
            if m:
                items.append(m.group(1).strip())
    return items


class PartOutcome(BaseModel):
    text: str
    answerable: bool
    answered: bool
    declared: bool

    @property
    def addressed(self) -> bool:
        return self.answered or self.declared


def part_outcomes(
    question: Question,
    found: Sequence[int],
    not_covered: Sequence[str],
    labelled_parts: Iterable[int] = (),
) -> list[PartOutcome]:
    """Per part: answered (a nugget of it found, or a good hand label names it) and
    declared (listed as not covered by the report)."""
    answered = {question.nuggets[i].part for i in found} | set(labelled_parts)
    declared = declared_parts([p.text for p in question.parts], not_covered)
    return [
        PartOutcome(
            text=p.text,
            answerable=p.answerable,
            answered=i in answered,
            declared=i in declared,
        )
        for i, p in enumerate(question.parts)
    ]


# --- text checks -------------------------------------------------------------------------

_POINTING = re.compile(
    r"^(?:it|its|it's|they|their|theirs|them|this|these|that|those|he|she|his|her|him|"
    r"the latter|the former|the same|such|both|the two|the other|"
    # Connectives that continue a sentence the reader of a lone cited sentence never saw.
    r"in response(?! to\b)|for example|for instance|however|therefore|thus|hence|as a result|"
    r"consequently|in addition(?! to\b)|additionally|moreover|furthermore|likewise|similarly|"
    r"in contrast|by contrast|instead|nevertheless|in this way|for this reason|"
    r"because of this|despite this|after this|afterwards|later that)\b",
    re.I,
)
# "It is estimated that ...", "It was not until ..." name nothing outside the sentence.
_EXPLETIVE_IT = re.compile(
    r"^it\s+(?:is|was|has been|had been|remains|seems|appears)\s+(?:not\s+)?(?:widely\s+|"
    r"generally\s+|commonly\s+|now\s+)?(?:estimated|believed|thought|known|said|"
    r"possible|likely|unlikely|unclear|clear|true|important|difficult|necessary|until|"
    r"argued|assumed|reported|expected|suggested)\b",
    re.I,
)


def dangling_opening(sentence: str) -> str | None:
    """The opening pronoun, demonstrative or backward connective when it points outside the
    sentence, else None.

    "This process ...", "It results from ...", "Their ...", "In response, ...", "For
    example, ...": the reader does not see what they refer to when the sentence stands alone
    (as a cited claim does)."""
    text = sentence.strip().lstrip("\"'“‘(*_ ")
    if _EXPLETIVE_IT.match(text):
        return None
    if re.match(r"^that\s+(?:is|said)\b", text, re.I):
        return None
    m = _POINTING.match(text)
    return m.group(0) if m else None


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def near_duplicates(
    sentences: Sequence[str], threshold: float = 0.6
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity) with content-word Jaccard >= threshold, i < j."""
    words = [content_words(s) for s in sentences]
    pairs = []
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            if words[i] and words[j]:
                sim = jaccard(words[i], words[j])
                if sim >= threshold:
                    pairs.append((i, j, round(sim, 3)))
    return pairs


_GENERIC_LABELS = _wordset(
    """background overview introduction summary context history definition definitions
    mechanism mechanisms cause causes effect effects impact impacts application applications
    consequence consequences role roles type types property properties evidence origin origins
    key facts fact detail details analysis finding findings discussion conclusion conclusions
    characteristic characteristics feature features significance importance process processes
    and or other related general further additional main"""
)


def template_heading(heading: str) -> str | None:
    """Why a section heading reads as a template rather than a heading a writer would
    choose, else None: a generic label before a colon ("Background: ...", "Effects and
    applications: ..."), or a list of keywords ("pulsars, neutron stars, supernova")."""
    text = heading.strip().strip("#").strip()
    if ":" in text:
        label = text.split(":", 1)[0]
        words = re.findall(r"[a-z]+", label.lower())
        if words and all(w in _GENERIC_LABELS for w in words):
            return f"generic label '{label.strip()}:'"
    items = [i.strip() for i in re.split(r"[,;/|]", text) if i.strip()]
    if len(items) >= 3 and all(len(i.split()) <= 3 for i in items):
        return "keyword list"
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    if len(words) >= 5 and not any(w.lower() in STOPWORDS for w in words):
        return "keyword list"
    return None


def parse_headings(report_md: str) -> list[str]:
    """Level-2+ headings of a Markdown report, without the title."""
    return [
        line.lstrip("#").strip() for line in report_md.splitlines() if re.match(r"^#{2,}\s", line)
    ]


# Headings every report carries, which say nothing about the question.
FIXED_HEADINGS = frozenset(
    {"method", "references", "open questions", "short answer", "summary", "answer"}
)


def section_headings(report_md: str) -> list[str]:
    return [
        h
        for h in parse_headings(report_md)
        if h.lower() not in FIXED_HEADINGS and not _NOT_COVERED_HEADING.match("## " + h)
    ]


# --- labels ------------------------------------------------------------------------------


class LabelStats(BaseModel):
    cited: int = 0
    labelled: int = 0
    supported: int = 0
    on_topic: int = 0
    standalone: int = 0
    good: int = 0
    unsupported: int = 0
    false_supported: int = Field(
        default=0, description="Labelled unsupported, but the pipeline's verdict: supported."
    )
    pipeline_supported: int = Field(
        default=0, description="Labelled sentences the pipeline called supported."
    )
    not_standalone: int = 0
    unrelated: int = Field(
        default=0, description="Labelled off topic, on a subject the question is not about."
    )
    off_topic_unclassified: int = Field(
        default=0, description="Labelled off topic, without an off_topic_kind."
    )
    dangling_flagged: int = Field(
        default=0, description="Labelled sentences the automatic opening check flags."
    )
    dangling_flagged_not_standalone: int = Field(
        default=0, description="Of those, the ones labelled not standalone (check agrees)."
    )

    def add(self, other: LabelStats) -> LabelStats:
        return LabelStats(
            **{k: getattr(self, k) + getattr(other, k) for k in LabelStats.model_fields}
        )

    def share(self, field: str) -> float | None:
        return getattr(self, field) / self.labelled if self.labelled else None

    @property
    def false_supported_rate(self) -> float | None:
        """Of the sentences labelled unsupported, the share the pipeline called supported."""
        return self.false_supported / self.unsupported if self.unsupported else None


def label_stats(rows: Sequence[CitedRow], labels: dict[str, Label]) -> LabelStats:
    stats = LabelStats(cited=len(rows))
    for row in rows:
        label = find_label(labels, row)
        if label is None:
            continue
        stats.labelled += 1
        stats.supported += label.supported
        stats.on_topic += label.on_topic
        stats.standalone += label.standalone
        stats.good += label.good
        flagged = dangling_opening(row.claim) is not None
        stats.not_standalone += not label.standalone
        stats.unrelated += label.off_topic_kind == "unrelated"
        stats.off_topic_unclassified += not label.on_topic and label.off_topic_kind is None
        stats.dangling_flagged += flagged
        stats.dangling_flagged_not_standalone += flagged and not label.standalone
        said_supported = row.pipeline_verdict == "supported"
        stats.pipeline_supported += said_supported
        if not label.supported:
            stats.unsupported += 1
            stats.false_supported += said_supported
    return stats


def unlabelled(rows: Sequence[CitedRow], labels: dict[str, Label]) -> list[CitedRow]:
    return [r for r in rows if find_label(labels, r) is None]


def write_jsonl(path: Path, rows: Iterable[BaseModel]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row.model_dump(), ensure_ascii=False) + "\n")
