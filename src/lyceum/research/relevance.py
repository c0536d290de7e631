"""Relevance: does a passage or a sentence bear on the question being researched?

Search returns the best matches a collection holds, not matches that are good: a question
about tides still retrieves the neutron-star passage a past run left in memory, and an
encyclopedia article on vaccines opens with the definition of a pandemic. Word overlap
cannot tell these apart ("form" in "how do neutron stars form" and "the formation of
tides"), so relevance is the cosine of sentence embeddings (the workspace's embedding
model, MiniLM by default) between the text and what it should bear on. Thresholds live in
`[research]` and were chosen on the dev questions of `benchmarks/research.py quality`.

A text passes the gate when it bears on the research question *and* on the sub-question
it was read for: a passage relevant to one sub-question's wording but not to the question
(or the reverse) is a neighbouring topic.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from lyceum.claimcheck.lexicon import default_lexicon
from lyceum.research.matching import (
    STOPWORDS,
    WORKING_VERBS,
    content_words,
    has_plural_ending,
    names_a_word_of,
    singular_of,
    without_possessive,
)
from lyceum.research.named import heads_a_compound, names, unqualified
from lyceum.research.part_subject import asked_definition, scored_part, standalone_part, subject
from lyceum.research.parts import (
    DEFINITION_OF_A_NAME,
    QUESTION_OPENERS,
    compared,
    defines_another,
    distinctive_words,
    question_parts,
    with_focus,
)
from lyceum.research.standalone import looks_like_person
from lyceum.research.state import SubQuestion
from lyceum.retrieval.embeddings import Embedder

SUB_QUESTION_SLACK = 0.1
"""A sub-question is narrower than the question and its wording shorter, so its cosines run
lower; its gate is the question's less this."""


class Relevance:
    """Cosine relevance of texts to questions, with every vector cached: a run scores the
    same sentences again and again (the worker's gate, mining per part of the question, the
    claim check's relevance bar, the focus cut), and a run's sentences are few."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}
        # The embedder is shared by the workers' threads; its model is not re-entrant.
        self._lock = threading.Lock()

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
            if missing:
                for text, vector in zip(missing, self.embedder.embed(missing), strict=True):
                    self._vectors[text] = vector
            if not texts:
                return self.embedder.embed([])
            return np.stack([self._vectors[t] for t in texts])

    def _target(self, text: str) -> np.ndarray:
        return self._embed([text])[0]

    def scores(self, texts: Sequence[str], target: str) -> list[float]:
        """Cosine of each text to `target` (vectors are L2-normalised)."""
        if not texts:
            return []
        return [float(x) for x in self._embed(texts) @ self._target(target)]

    def matrix(self, texts: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        """Cosines, shape (len(texts), len(targets))."""
        if not texts or not targets:
            return np.zeros((len(texts), len(targets)))
        return self._embed(texts) @ np.stack([self._target(t) for t in targets]).T

    async def ascores(self, texts: Sequence[str], target: str) -> list[float]:
        return await asyncio.to_thread(self.scores, texts, target)

    async def amatrix(self, texts: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        return await asyncio.to_thread(self.matrix, texts, targets)

    async def gate_scores(
        self, texts: Sequence[str], question: str, target: GateTarget
    ) -> list[tuple[float, float]]:
        """Per text: its cosine to `question` and `target.score` of it."""
        if not texts:
            return []
        scores = await self.amatrix(texts, [question, target.text])
        return [
            (float(q), target.score(text, sub))
            for text, (q, sub) in zip(texts, scores, strict=True)
        ]

    async def bears_on(self, texts: Sequence[str], question: str, target: GateTarget) -> list[bool]:
        """Per text: cosine to `question` >= `target.threshold` and `target.score` of it
        >= `target.sub_threshold`."""
        return [target.passes(q, sub) for q, sub in await self.gate_scores(texts, question, target)]

    async def focus(self, texts: Sequence[str], question: str) -> list[float]:
        """How squarely each text answers the question: its cosine to the question plus its
        best cosine to one part of it, the part as it reads on its own ("How is malaria
        treated?", not "how is it treated": `standalone_part`), or to one side of a
        comparison (`_sides`). Absolute cosines do not separate an answer from a
        neighbouring topic (both run 0.45-0.6 on MiniLM); the distance to the report's best
        sentence does (`benchmarks/report_focus.py`)."""
        if not texts:
            return []
        parts = [standalone_part(part, question) for part in question_parts(question)]
        scores = await self.amatrix(texts, [question, *parts, *_sides(question)])
        return [float(row[0] + row[1:].max()) for row in scores]

    async def part_scores(self, texts: Sequence[str], question: str, part: int) -> list[float]:
        """How well each text answers part `part` of `question` (see `GateTarget.score`)."""
        parts = question_parts(question)
        if not texts or not 0 <= part < len(parts):
            return [0.0] * len(texts)
        target = GateTarget(
            scored_part(parts[part], question), 0.0, 0.0, frozenset(distinctive_words(parts, part))
        )
        cosines = await self.ascores(texts, target.text)
        return [target.score(t, c) for t, c in zip(texts, cosines, strict=True)]


_NOT_A_SIDE = frozenset(["they", "them", "it", "its", "their", "another", "one", "other"])


def _sides(question: str) -> list[str]:
    """The two things each comparison part of `question` sets side by side (`compared`),
    each read as a part of its own by the focus: a sentence on one side is half the answer.
    A trial report on "What is the difference between a virus and a bacterium?" read
    *Bacteria* and dropped both of its sentences as far from the focus of the virus's. A
    side that is a pronoun ("How are they different from …", "one … from another") is
    none."""
    out = []
    for part in question_parts(question):
        pair = compared(part)
        for side in pair or ():
            if not _NOT_A_SIDE & set(side.lower().split()):
                out.append(side)
    return out


WORD_BONUS = 0.3
"""Added to a sentence's cosine to a part of the question when it names one of the part's
distinctive words: MiniLM alone scores a sentence on the question's subject about as high
for every part (benchmarks/relevance_gate.py)."""


@dataclass(frozen=True)
class GateTarget:
    """What a text must bear on besides the question, and how closely."""

    text: str
    threshold: float
    sub_threshold: float
    words: frozenset[str] = frozenset()

    def score(self, text: str, cosine: float) -> float:
        return float(cosine) + (WORD_BONUS if names_a_word_of(self.words, text) else 0.0)

    def passes(self, question_cosine: float, score: float) -> bool:
        """The gate: close enough to the question and, by `score`, to this target."""
        return bool(question_cosine >= self.threshold and score >= self.sub_threshold)


def gate_target(
    question: str, sq: SubQuestion, threshold: float, part_threshold: float
) -> GateTarget:
    """The sub-question side of the gate. A later part of the question ("What limits their
    effectiveness?") is matched on its own words, plus a bonus for naming its distinctive
    words: with the question's subject added, every sentence on the subject scores alike.
    Other sub-questions get the subject added and a little slack."""
    if sq.part is not None and sq.part > 0:
        parts = question_parts(question)
        words = (
            frozenset(distinctive_words(parts, sq.part)) if sq.part < len(parts) else frozenset()
        )
        return GateTarget(sq.question, threshold, part_threshold, words)
    return GateTarget(with_focus(sq.question, question), threshold, threshold - SUB_QUESTION_SLACK)


# Two or more capitalised words in a row ("Martin Luther", "Space Race"), allowing "of"/"the".
_NAME = re.compile(r"\b[A-Z][\w'.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'.-]*)+")
# What may follow a name inside a longer name: a capitalised word, a numeral, "Jr."/"Sr.".
_LONGER = r"\s+(?:[A-Z][\w'.-]*|\d+\b|Jr\b|Sr\b)"
# What may precede a name to make another one: "Second Industrial Revolution", "Holy Roman
# Empire", "New York". Not "First": the first of a series is the name itself ("the First
# Industrial Revolution"); not directions: the Western Roman Empire is part of the Empire.
_BEFORE = (
    r"(?:Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Holy|New)"
    r"[\s\N{NO-BREAK SPACE}]+"
)


_QUESTION_WORDS = frozenset(["what", "how", "who", "when", "why", "where", "which"])


def _question_names(question: str) -> list[str]:
    """The question's names of two or more words ("World War I", "Martin Luther"); a
    question word or an opening auxiliary is not part of one ("Which Roman emperor …"
    names no "Which Roman", "Is Giza near Cairo?" no "Is Giza")."""
    out = []
    for match in _NAME.finditer(question):
        name = match.group(0)
        first = name.split()[0].lower()
        # An auxiliary opens a name only at a question's start: "What films did Will Smith
        # star in?" names Will Smith.
        opening = re.search(r"(?:^|[.?!]\s*)$", question[: match.start()]) is not None
        if first in _QUESTION_WORDS or (first in QUESTION_OPENERS and opening):
            name = " ".join(name.split()[1:])
        if len(name.split()) >= 2:
            out.append(name)
    return out


def namesake(text: str, question: str) -> str | None:
    """The question's multi-word name that `text` uses only inside a longer name, if any:
    "Martin Luther King Jr." is not "Martin Luther", "World War II" is not "World War I", the
    "Manhattan Project National Historical Park" is not the Manhattan Project. Embeddings put
    namesakes next to each other (the test split's Reformation report cited Martin Luther
    King Jr.), so a namesake is another topic."""
    for name in _question_names(question):
        if name not in text:
            continue
        # "World War II" holds "World War I" with no space between: a longer name too; a
        # plural ("the Great Lakes" for "Great Lake") is the same name.
        more = rf"(?:(?!e?s\b)\w|{_LONGER})"
        longer = re.compile(rf"{_BEFORE}{re.escape(name)}|{re.escape(name)}(?={more})")
        alone = re.compile(rf"{re.escape(name)}(?!{more})")
        bare = [m for m in alone.finditer(text) if not _after_before(text, m.start())]
        lent = [m for m in bare if _lent(text, m.start(), m.end())]
        if (longer.search(text) or lent) and len(lent) == len(bare):
            return name
    return None


_CALLED = (
    r"\b(?:called|dubbed|nicknamed|known as|described as|referred to as)\s+(?:the\s+)?"
    r"[\"“‘']?"
)
_LENT_TO = re.compile(rf"{_CALLED}[A-Z][\w.-]*['’]s\s+$")
_CALLED_THE = re.compile(rf"{_CALLED}$")
_OF_PLACE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")


def _lent(text: str, start: int, end: int) -> bool:
    """Whether the name at `start:end` of `text` is lent to another thing: "it has been
    called "China's Mona Lisa"" (a Chinese scroll, printed in a report on the Mona Lisa),
    "known as the Venice of the North"; not "the portrait, known as the Mona Lisa"."""
    before = text[:start]
    return bool(
        _LENT_TO.search(before) or (_CALLED_THE.search(before) and _OF_PLACE.match(text[end:]))
    )


def passage_namesake(title: str, text: str, question: str) -> str | None:
    """The question's name that a passage is about a namesake of: one its title uses only
    inside a longer name, or, unless the question names the title, one its text does. The
    dev report on World War I read *Battle of the Atlantic* ("the longest continuous
    military campaign in World War II") and *Battle of Stalingrad*, whose titles name no
    war."""
    other = namesake(title, question)
    if other is None and not names(question, title):
        other = namesake(text, question)
    return other


def common_noun(title: str, text: str, question: str) -> str | None:
    """The question's title of a work ("The Kiss", capitalised after its article) whose
    page `title` is the common noun instead ("A kiss is the touching or pressing of one's
    lips …"): a trial report on "Who painted The Kiss, and what style is it painted in?"
    gave that definition as what the sources say of the painting."""
    for name in _question_names(question):
        words = name.split()
        if words[0] != "The" or " ".join(words[1:]).lower() != title.lower():
            continue
        if re.match(rf"(?:A|An)\s+{re.escape(title.lower())}\b", text.strip()):
            return name
    return None


# A name's numbering: "World War I" is a war, "Apollo 11" an Apollo.
_NUMBERING = re.compile(r"(?:\s+(?:[IVX]+|\d+))+$")


def sibling(title: str, text: str, question: str) -> str | None:
    """The question's multi-word name whose kind a page's title names another of, on a page
    that never mentions the name: *Vietnam War*, *Cold War* or *American Revolutionary War*
    for a question on World War I, *Haitian Revolution* for one on the French Revolution.
    The dev reports read eight such pages and cited none on the question; *Byzantine
    Empire*, which mentions the Western Roman Empire, is read for the question on its fall."""
    words = title.split()
    if len(words) < 2 or not words[-1][:1].isupper() or names(question, title):
        return None
    for name in _question_names(question):
        head = _NUMBERING.sub("", name).split()[-1]
        # "French Revolutionary Wars" are of a war's kind too.
        same_kind = words[-1].lower().removesuffix("s") == head.lower().removesuffix("s")
        if not same_kind or name.lower() in title.lower() or title.lower() in name.lower():
            continue
        if name.lower() not in text.lower():
            return name
    return _another_possessed(words, text, question)


# What a question asks its named subject has: "how large was his empire?", "what was her
# discovery?". A page titled with another name of that kind is someone else's.
_POSSESSED = re.compile(r"\b(?:his|her|its|their)\s+([a-z]+)\b")


def _another_possessed(words: list[str], text: str, question: str) -> str | None:
    """The subject's thing that a page titled `words` is another of, on a page that never
    mentions the question's names: *Russian Empire* ("the third-largest empire in history")
    for "Who was Alexander the Great, and how large was his empire?", which a trial report
    gave as the answer to the second part."""
    names = _question_names(question)
    head = words[-1].lower().removesuffix("s")
    if not names or any(name.lower() in text.lower() for name in names):
        return None
    for owned in _POSSESSED.findall(question):
        if owned.removesuffix("s") == head:
            return f"{names[0]}'s {owned}"
    return None


# The thing a question's possessive names, past its modifiers: "poet" of "its most famous
# poet", "tusks" of "their tusks". Of a common noun only ("their" of "walruses", "its" of
# "the Sun"): a name's "its" may point elsewhere ("What did Marie Curie discover, and what
# were its effects on medicine?").
_OWNED = re.compile(
    r"\b(?:its|their)\s+(?:(?:most|least|more|less|main|first|last|own|best|greatest|"
    r"largest|biggest|major|famous|important|well-known|best-known)\s+){0,2}([a-z]+)\b"
)


def another_possessor(text: str, title: str, question: str) -> str | None:
    """The question's subject whose thing ("their tusks" of "How do walruses use their
    tusks?") `text` speaks of without naming the subject, on a page whose title names
    neither the subject nor that thing: there the thing is the page's subject's. A trial
    report printed *Elephant*'s "Tusks, which are derived from the incisor teeth, serve
    both as weapons and as tools …" as the walrus's. A page on the thing itself (*Tusk*)
    is about it in general, and is kept."""
    about = subject(question)
    # Not "Who was its most famous poet?": the poet's own page answers it.
    owned = [
        m.group(1)
        for part in question_parts(question)
        if not part.lower().startswith("who")
        for m in _OWNED.finditer(part)
    ]
    if about is None or not owned or names(title, about.noun) or names(text, about.noun):
        return None
    if any(word[:1].isupper() for word in about.noun.split()):
        return None  # a name, whose "its" or "their" may be another thing's
    for thing in owned:
        if names(text, thing) and not names(title, thing):
            return about.noun
    return None


def part_of_name(title: str, text: str, question: str) -> str | None:
    """The question's name of which a page's title is only a modifier, on a page that never
    mentions the name: *Black* for the Black Death, *Silk* for the Silk Road, *Giza* for the
    Great Pyramid of Giza. Such a page is about the modifier (a colour, a fabric, a city):
    the dev reports read *Black* for the Black Death and mined "It is an achromatic color,
    without chroma, like white and grey" from it. A page titled with the name's head
    (*Pyramid*, *Road*) is about its kind, and may bear on the question. The names are the
    question's (`_question_names`: *Saturn* for the Saturn V) and the common term its first
    part asks to have defined (`_asked_term`: *Brown* for a brown dwarf)."""
    want = unqualified(title).lower().split()
    n = len(want)
    named = [(name, False) for name in _question_names(question)]
    term = _asked_term(question)
    # Without the page's text (a link's title alone) nothing shows what a common word's
    # page is about.
    if term is not None and text.strip():
        named.append((term, True))
    for name, common in named:
        words = name.lower().split()
        if not want or n >= len(words):
            continue
        if not any(words[i : i + n] == want for i in range(len(words) - n + 1)):
            continue
        base = _NUMBERING.sub("", name.split(" of ")[0]).split()
        # A numbered name of one word is not a kind of what that word names alone: the
        # "Saturn V" is a rocket, and a trial report printed *Saturn*'s "Saturn is the sixth
        # planet from the Sun …" as its short answer ("World War I" is a war). A page whose
        # title says which sense it is (*Saturn (rocket family)*) may be the name's.
        numbered = len(base) == 1 and base != name.split(" of ")[0].split()
        if numbered and unqualified(title) != title:
            continue
        head = None if numbered else base[-1].lower()
        if head in want or _count_words(text, name.lower().split()):
            continue
        if head is not None and _defined_as(text, head):
            continue
        # A common term's modifier the question names again on its own is what it asks
        # about too (*Ozone* for "What is the ozone hole, what causes ozone depletion, …?",
        # *Cell (biology)* for "What is cell division, and why do cells divide?"), and a
        # page saying something else the question asks is context.
        # So is a name's modifier the question writes again, as the title does, outside
        # its names: a trial question "What is Svalbard, who governs it, and what did the
        # Svalbard Treaty establish?" had turned *Svalbard* away and printed *Norway*'s,
        # *Scotland*'s and *NATO*'s sentences, none of which passed the checks.
        if not common and _written_alone(question, unqualified(title), named):
            continue
        if common and (
            _count_words(question, want, plural=True) > _count_words(name, want)
            or _share_a_word(
                content_words(text) - content_words(title), content_words(question) - set(want)
            )
        ):
            continue
        return name
    return None


# What makes an abstract noun of a word ("paganism", "nationalism", "greatness").
_DERIVING = ("ism", "isms", "ist", "ists", "ity", "ness", "hood", "dom")


def _made_from(word: str, first: str) -> bool:
    """Whether lower-case `word` is an abstract noun made from a name's first word `first`
    (of five letters or more): "paganism" from "pagan"; not a plural ("romans")."""
    return len(first) >= 5 and word.startswith(first) and word[len(first) :] in _DERIVING


def derived_from_name(title: str, text: str, question: str) -> str | None:
    """The question's name whose first word a word of a page's title is made from, on a
    page that never mentions the name: *Paganism* and *Modern paganism* for the Pagan
    Kingdom (a trial report printed "Individuals fell into the pagan class …" in its short
    answer on the Burmese kingdom). Such a page is about the common word the name happens
    to share."""
    want = unqualified(title).lower().split()
    if not text.strip():
        return None  # a link's title alone: "Catholicism" may be the Catholic Church's
    for name in _question_names(question):
        first = name.split()[0].lower()
        if any(_made_from(w, first) for w in want) and not _count_words(text, name.lower().split()):
            return name
    return None


def _asked_term(question: str) -> str | None:
    """The common term of two or more words the question's first part asks to have defined
    ("brown dwarf" of "What is a brown dwarf, and how does it differ from a star?"), which
    `_question_names` does not list; None for a name or a single word."""
    asked = asked_definition(question_parts(question)[0])
    if asked is None:
        return None
    words = re.sub(r"^(?:an?|the)\s+", "", asked, flags=re.IGNORECASE).split()
    # "What is insulin made of?", "What is silver used for?" ask no term's definition.
    if len(words) < 2 or any(
        not w.isalpha() or not w.islower() or w in _NOT_IN_A_TERM for w in words
    ):
        return None
    return " ".join(words)


# Words that make "What is X …?" ask something other than a term's definition ("made of",
# "used for", "the difference between …", "the speed of light", whose page *Speed* is its
# kind).
_NOT_IN_A_TERM = frozenset(
    {"of", "for", "in", "on", "at", "by", "to", "from", "with", "about", "like", "made", "used"}
    | {"between", "and", "or", "a", "an", "the"}
)


def _written_alone(question: str, title: str, names: Sequence[tuple[str, bool]]) -> bool:
    """Whether `question` writes `title` (case and all) outside every one of its `names`."""
    rest = question
    for name, _ in sorted(names, key=lambda n: len(n[0]), reverse=True):
        rest = rest.replace(name, " ")
    return re.search(rf"(?<!\w){re.escape(title)}(?!\w)", rest) is not None


def _count_words(text: str, words: Sequence[str], *, plural: bool = False) -> int:
    """How often the run of `words` stands in `text` as whole words, case aside (`plural`:
    its last word plural too)."""
    last = r"(?:s|es)?" if plural else ""
    pattern = r"\b" + r"\s+".join(re.escape(w) for w in words) + last + r"\b"
    return len(re.findall(pattern, text, re.IGNORECASE))


def _defined_as(text: str, kind: str) -> bool:
    """Whether `text` opens by defining its subject as a `kind`: "The Sahara is a desert
    spanning North Africa" is the Sahara Desert (a trial report on "What is the Sahara
    Desert, and which countries does it cover?" had turned the page away as a modifier's
    and printed the Arabian Desert's and Mauritania's sentences instead)."""
    opening = text[:300].split(". ")[0]
    return (
        re.search(
            rf"\b(?:is|was|are|were)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,4}}{re.escape(kind)}s?\b",
            opening,
            re.IGNORECASE,
        )
        is not None
    )


def another_of_name(title: str, text: str, question: str) -> str | None:
    """The question's name whose modifier a page's title shares with another head, on a
    page that never mentions the name: *Amazon rainforest* for the Amazon River, *Black Sea*
    for the Black Death, *Great Depression* for the Great Pyramid of Giza. Such a page is
    about another thing called by the same word: a trial report on "What is the Amazon
    River, and how long is it?" printed the rainforest's definition under "What is the
    Amazon River?". A page titled with the name's head (*River*) is about its kind
    (`part_of_name`), and one whose title holds the whole name is a namesake's."""
    want = unqualified(title).lower().split()
    for found in _question_names(question):
        name = without_possessive(found)  # "the Industrial Revolution's effect"
        words = _NUMBERING.sub("", name.split(" of ")[0]).lower().split()
        modifier, head = words[:-1], words[-1]
        if not modifier or len(want) <= len(modifier) or want[: len(modifier)] != modifier:
            continue
        if head in want or set(want[len(modifier) :]) & set(name.lower().split()):
            continue
        if name.lower() in text.lower():
            continue
        # A page that says something else the question asks about is context, not a
        # namesake: *Roman Republic* for "What is the Roman Senate, and what powers did it
        # have?" speaks of the Senate.
        shared = content_words(" ".join(modifier))
        if not _share_a_word(
            content_words(f"{text} {title}") - shared, content_words(question) - shared
        ):
            return name
    return None


SHARED_PREFIX = 6
"""Letters two words must begin with alike to count as one in `shares_no_word`
("vaccination" and "vaccines", "domestication" and "domesticated"; a shorter word, all of
its letters: "kill" and "killed")."""


def shares_no_word(text: str, title: str, question: str) -> bool:
    """Whether neither `text` nor its page's `title` has a content word of the question
    (alike in their first `SHARED_PREFIX` letters), on a page the question does not name: a
    reader cannot see what such a sentence has to do with the question. The Black Death dev
    report printed "Millions died as a result of massacres, starvation, disease, and
    genocides including the Holocaust" (*World War II*); on the hand labels all four such
    sentences, all of them dev's, were off topic (the others on dinosaur genera and
    cloning)."""
    if names(question, title):
        return False
    said = content_words(f"{text} {title}") - _made_from_names(f"{text} {title}", question)
    return not _share_a_word(said, content_words(question))


def _made_from_names(text: str, question: str) -> set[str]:
    """The words of `text` made from a question name's first word ("paganism" of the Pagan
    Kingdom, as `derived_from_name` reads a title), which share only letters with the
    question: a trial report on the Burmese kingdom printed "Celtic paganism was one of a
    larger group of polytheistic Indo-European religions …" in its short answer."""
    firsts = [n.split()[0].lower() for n in _question_names(question)]
    return {w for w in content_words(text) if any(_made_from(w, f) for f in firsts)}


def _share_a_word(said: set[str], asked: set[str]) -> bool:
    """Whether a word of `said` and one of `asked` begin alike (`SHARED_PREFIX`)."""
    return any(
        w.startswith(a[:SHARED_PREFIX]) or a.startswith(w[:SHARED_PREFIX])
        for w in said
        for a in asked
    )


_SUPERLATIVE = re.compile(
    r"\b(?:largest|biggest|tallest|highest|longest|deepest|oldest|smallest|first|most|"
    r"fastest|hottest|coldest|brightest|heaviest|closest|nearest|greatest)\b"
)


def subtype_definition(text: str, title: str, question: str) -> bool:
    """Whether `text` defines a kind of the question's subject that the question does not
    ask about: the page is titled with the subject's head and more ("Breast cancer", "Stellar
    black hole" for questions on cancer and black holes), the question does not name it, and
    the sentence opens on the title and says what it is ("Breast cancer is a cancer that
    develops from breast tissue"). A trial report on "What is cancer, and what causes it?"
    printed the definitions of breast, skin and lung cancer; the dev report on black holes
    "A stellar black hole is a black hole formed by …", labelled off topic. A kind's cause
    ("Lung cancer is caused by …") is not a definition and is left to the other checks."""
    about = subject(question)
    if about is None or names(question, title):
        return False
    noun = about.noun.lower()
    if has_plural_ending(noun.split()[-1]):
        # "What are black holes?": the kind is "Stellar black hole" (a trial report printed
        # its definition in the short answer).
        noun = singular_of(noun)
    head = noun.split()[-1]
    kind = unqualified(title).lower()
    if not kind.endswith(f" {head}") or kind == noun:
        return False
    if _SUPERLATIVE.search(noun):
        # "What is the largest ocean?" asks which kind: "The Pacific Ocean is the largest and
        # deepest …" answers it (a trial report turned it away and declared the part).
        return False
    # "What is the difference between special and general relativity?" asks about both.
    asked = set(re.findall(r"\w+", question.lower()))
    if set(re.findall(r"\w+", kind.removesuffix(head))) <= asked:
        return False
    defines = re.compile(
        rf"^(?:(?:an?|the)\s+)?{re.escape(kind)}s?\s+(?:is|are|was|were)\s+"
        rf"(?:(?:a|an|the|one|any)\b|{re.escape(head)}s?\b)",
        re.IGNORECASE,
    )
    return defines.match(text.strip()) is not None


# "In meteorology, a cyclone is …": a field named before a page's definition.
_IN_A_FIELD = re.compile(r"^(?:in|within)\s+[\w\s-]{1,40}?,\s+", re.IGNORECASE)


def supertype_definition(text: str, title: str, question: str) -> bool:
    """Whether `text` defines the kind the question's named subject is one of: its page is
    titled with the head of a longer name the question asks about (`heads_a_compound`:
    *Galaxy* of "the Andromeda Galaxy", *Cyclone* of "a tropical cyclone") and the sentence
    opens as that page's definition, perhaps after the field it is in ("In meteorology, a
    cyclone is …", labelled off topic on the dev split). A trial report on "What is the
    Andromeda Galaxy, and how far away is it?" printed "A galaxy is a physical system of
    stars …" in its short answer (focus 1.19, within the short answer's margin)."""
    if not heads_a_compound(question, title):
        return False
    kind = re.escape(unqualified(title))
    defines = re.compile(
        rf"^(?:(?:an?|the)\s+)?{kind}s?(?:\s*\([^)]*\))?(?:,[^,]{{0,120}},)?\s+(?:is|are)\s+"
        r"(?:a|an|the|one|any)\b",
        re.IGNORECASE,
    )
    return defines.match(_IN_A_FIELD.sub("", text.strip())) is not None


def general_kind(title: str, text: str, question: str) -> str | None:
    """The question's name that a page's one-word title (or common compound) is only the
    head of (`heads_a_compound`: *Valley* of "the Great Rift Valley", *Canal* of "the Suez
    Canal", *National park* of "Yellowstone National Park"),
    when the page never names it: such a page speaks of the kind, and what holds of most of
    the kind need not hold of the one thing the name picks out. A trial report on "What is
    the Great Rift Valley, and how did it form?" answered its second part with *Valley*'s
    "Most valleys are formed by erosion of the land surface by rivers or streams …" (the rift
    valley was not). Only a name (capitalised words before the head): a compound of common
    words is itself a kind, whose head's page says much that holds of it; turned away for
    "ordinary ocean waves", *Wave* left its reading budget to *Surfing*, whose "Waves
    suitable for surfing are …" the test report on tsunamis then printed."""
    if not heads_a_compound(question, title):
        return None
    head = [w.lower().removesuffix("s") for w in unqualified(title).split()]
    words = [w.strip("?,.;:!") for w in question.split()]
    n = len(head)
    for j in range(n - 1, len(words)):
        if [w.lower().removesuffix("s") for w in words[j - n + 1 : j + 1]] != head:
            continue
        first = k = j - n + 1
        while k > 1 and words[k - 1][:1].isupper() and words[k - 1].lower() not in STOPWORDS:
            k -= 1
        if k == first:
            continue
        name = " ".join(words[k : j + 1])
        if not (names(text, name) or name.lower() in text.lower()):
            return name
    return None


_NUMBERED_BEARER = re.compile(
    r"(?P<name>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*) (?:II|III|IV|V|VI|VII|VIII|IX|X)"
)


def another_bearer(title: str, text: str, question: str) -> str | None:
    """The question's multi-word name whose first word a page's title shares while the
    title goes on to another last word, on a page that names neither the name nor its last
    word: *Albert Abraham Michelson* for a question on Albert Einstein, which a trial report
    read (both won the Nobel Prize in Physics) and printed "In 1907, Albert A. Michelson
    received the Nobel Prize in Physics …" under "Who was Albert Einstein?". Or a one-word
    name the question goes on from in lower case, which a title of capitalised words opens
    with: *Han Yu* for "the Han dynasty", *Saturn V* for "What is Saturn made of?"."""
    words = unqualified(title).split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words) or names(question, title):
        return None
    # Another of a name's numbered bearers: *Napoleon III* for "Who was Napoleon?" (a trial
    # report printed his presidency under that heading). The first ("Napoleon I") may be the
    # one asked about.
    numbered = _NUMBERED_BEARER.fullmatch(unqualified(title))
    if numbered and re.search(rf"\b{re.escape(numbered.group('name'))}\b(?!\s+[IVX]+\b)", question):
        return numbered.group("name")
    for name in _question_names(question):
        # Only a person the question asks about ("Who was Albert Einstein …"): the first
        # word of another name is often an adjective ("Roman" of the Roman Colosseum, whose
        # question still wants *Roman Empire*).
        if not re.search(rf"\bwho (?:was|is|were|are) {re.escape(name)}", question, re.IGNORECASE):
            continue
        own = name.split()
        if words[0] != own[0] or words[-1] == own[-1]:
            continue
        if name.lower() in text.lower() or re.search(rf"\b{re.escape(own[-1])}\b", text):
            continue
        return name
    # A one-word name the question goes on from in lower case ("the Han dynasty", "Saturn
    # made of"): a longer name that opens with it is another bearer, unless the page says
    # the question's words (a trial report on "When did the Han dynasty rule China, and what
    # is it known for?" printed *Han Yu*'s "… an essayist … during the Tang dynasty").
    for m in _NAME_THEN_WORD.finditer(" " + question):
        if m.group("word") in STOPWORDS or words[0] != m.group("name"):
            continue
        if f"{m.group('name')} {m.group('word')}".lower() not in text.lower():
            return m.group("name")
    return None


# A capitalised word followed by a lower-case one: a name the question goes on from.
_NAME_THEN_WORD = re.compile(r"(?<=\s)(?P<name>[A-Z][a-z]+) (?P<word>(?-i:[a-z]+))\b")


def another_kind(title: str, text: str, question: str) -> str | None:
    """The question's subject when a page is titled with another kind of it, or another
    sense of its word, and says nothing else the question asks about: the title is the
    subject's head with words the question does not use ("Cosmic inflation" for "What causes
    inflation, and how do central banks control it?", "Menstrual cycle" for a question on
    the water cycle), and the page shares no content word of the question but the head. A
    trial report on inflation printed the definition of cosmic inflation in its short
    answer. A kind that bears on the question ("Lymphatic system … part of the immune
    system") shares a word and is read; no hand-labelled sentence of either benchmark split
    comes from a page this turns away. A page whose text is not at hand is left alone.

    A page titled with the subject itself and a qualifier ("Venus (mythology)", whose "Venus
    is a Roman goddess …" a trial report on the planet printed) is not held to this: it is
    as often the only page on the subject ("Dune (novel)" for "Why is Dune important?"), and
    which it is takes the collection's other titles, which this rule does not see."""
    about = subject(question)
    if about is None or not text.strip() or names(question, title):
        return None
    noun = re.sub(r"^(?:the|a|an)\s+", "", about.noun, flags=re.IGNORECASE)
    head = noun.split()[-1].lower()
    kind = unqualified(title).lower()
    if not kind.endswith(f" {head}") or kind == noun.lower():
        return None
    # "Sinking of the Titanic", "History of Buddhism": what happened to the subject, or an
    # aspect of it, not another kind (a trial report on "When did the Titanic sink?" turned
    # the page away and declared both parts). Not "Tropic of Cancer", "University of Tokyo".
    if re.fullmatch(rf"(?:\w+ing|{_ASPECTS}) of (?:the )?{re.escape(noun.lower())}", kind):
        return None
    # "How does a jet engine work?" asks nothing of the work *Steam engine* does.
    asked = content_words(question) - content_words(head) - _HOW_IT_WORKS
    if not asked or _share_a_word(content_words(text) - content_words(head), asked):
        return None
    return noun


_ASPECTS = (
    "history|fall|collapse|death|destruction|discovery|exploration|invention|formation|origins?|"
    "evolution|end|rise|decline|assassination|siege|extinction|eruption|construction"
)
"""Nouns of what happened to a thing or of its story, which a page title puts before "of"
and the thing."""

_HOW_IT_WORKS = frozenset(content_words(" ".join(WORKING_VERBS)))
"""Words asking how something works, which any page on a machine or a process also uses: a
trial report on "How does a jet engine work?" read *Steam engine* ("… performs mechanical
work …") and printed how a steam engine pushes its piston."""


_ASKED_PERSON = re.compile(r"^who (?:was|is) (?P<name>[^,?;]+)", re.IGNORECASE)
# A sentence defining someone or something named: "Giorgio Vasari was an Italian Renaissance
# painter …", "Raffaello Sanzio da Urbino, now generally known in English as Raphael, was an
# Italian painter …". Not one opening on an article ("The Mona Lisa is …").
_DEFINES_NAMED = re.compile(
    r"^(?!(?:The|A|An|This|These|It|He|She|They)\b)"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|da|de['’]?|di|del|della|van|von|der|bin|ibn))*)"
    # Up to three asides before the copula: "Leonardo Bonacci, also Leonardo da Pisa,
    # commonly known as Fibonacci, was …".
    r"(?:\s*\([^)]*\))?(?:(?:,[^,]{0,120}){1,3},)?\s+(?:is|was)\s+"
    # "Ben Jonson is regarded as "the second most important English dramatist …"".
    r"(?:(?:\w+ly\s+)?(?:regarded|considered|described|seen|known)\s+as\s+[\"“]?"
    r"(?:the|a|an)|a|an)\s"
)
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MENTION_WORDS = 20
"""How far past "… was a" a definition must name the person asked about to be about them."""


def another_person(text: str, question: str, title: str = "") -> str | None:
    """The name `text` defines when the question asks about someone else (`_asked_person`),
    and its first sentence does not name that person soon after its copula: a trial report
    on "Who was Leonardo da Vinci, and what are his most famous works?" printed the
    definitions of Raphael and Giorgio Vasari in its short answer. A work defined by its
    maker ("Salvator Mundi is a painting attributed to … Leonardo da Vinci") names the
    person within `MENTION_WORDS` of its copula and is kept."""
    # The first part: "Who was B. R. Ambedkar and what did he contribute …?" asks about
    # Ambedkar, not "… the Constitution of India" (a trial report dropped his page's
    # definition as another person's).
    name = _asked_person(question)
    if name is None:
        return None
    first = _FIRST_SENTENCE.split(text.strip(), maxsplit=1)[0]
    defined = _DEFINES_NAMED.match(first)
    if defined is None:
        return None
    own = [w for w in re.findall(r"[\w'’-]+", name) if w[:1].isupper()]
    opening = re.findall(r"[\w'’-]+", first[: defined.end()])
    # On the page of the person asked about, a definition under a birth name is theirs:
    # "Akinwande Oluwole Babatunde Soyinka is a Nigerian writer …" on *Wole Soyinka*.
    on_own_page = bool(title) and names(name, title)
    if _another_bearer_of_one_name(question, own, defined.group("name"), first, title):
        return defined.group("name")
    if own and own[-1] in opening and (on_own_page or _same_given_name(own, opening)):
        # "Nelson Rolihlahla Mandela was …", "Alexander III of Macedon, commonly known as
        # Alexander the Great, was …": the person asked about, named by the last word of
        # the name asked about. A first name alone is another bearer's: "Leonardo Bonacci,
        # also Leonardo da Pisa, commonly known as Fibonacci, was an Italian mathematician"
        # in a trial report on "Who was Leonardo da Vinci, …?".
        return None
    # What the defined one is, in the words after the copula: Vasari's definition names
    # Leonardo 40 words on, among "the many Italian Renaissance artists he covers".
    said = re.findall(r"[\w'’-]+", first[defined.end() :])[:MENTION_WORDS]
    if any(word in own and _as_maker(said, i) for i, word in enumerate(said)):
        return None
    if _ASKED_PERSON.match(question_parts(question)[0]) is None and names_by_last_name(first, name):
        # Asked what someone did, a definition that names them is of their work: "Anna
        # Karenina is a novel, first published in book form in 1878, by the Russian author
        # Leo Tolstoy" for "What did Leo Tolstoy write?" (a review's example).
        return None
    # Someone the question names is no one else: "… and why did he fall out with Thomas
    # Edison?" asks about Edison too.
    words = defined.group("name").split()
    if any(
        named.split()[0] == words[0] and named.split()[-1] == words[-1]
        for named in _question_names(question)
    ):
        return None
    return defined.group("name")


# "Who was Mary, mother of Jesus?": one name, and the words that tell which bearer of it.
_ONE_NAME_APPOSED = re.compile(
    r"^who (?:was|is) (?P<name>[A-Z][\w'’-]*),\s*(?P<which>[^,?;]+)", re.IGNORECASE
)


def _another_bearer_of_one_name(
    question: str, own: list[str], defined: str, first: str, title: str
) -> bool:
    """Whether a definition under the longer name `defined` is of another bearer of the one
    name the question asks about and says which by an apposition: "Mary Magdalene was a
    woman who, according to the four canonical gospels, travelled with Jesus …" stood
    under "Who was Mary, mother of Jesus?" in a trial report. The asked person's own page
    (its title the name and apposition) and a definition saying what the apposition says
    ("Alexander III of Macedon … was a king of the ancient Greek kingdom of Macedon" for
    "Who was Alexander, king of Macedon?") are the asked person's."""
    parts = question_parts(question)
    asked = _ONE_NAME_APPOSED.match(parts[0]) if parts else None
    if asked is None or len(own) != 1 or len(defined.split()) < 2:
        return False
    if defined.lower() in question.lower():
        return False  # "… and how does she differ from Mary Magdalene?" asks about her too
    if title and names(f"{asked.group('name')}, {asked.group('which')}", title):
        return False
    return not content_words(asked.group("which")) <= content_words(first)


def _asked_person(question: str) -> str | None:
    """The person the question asks about: "Who was X?" in its first part, or the subject
    of a first part asking what someone did (`named_doer`: "What did Hans Krebs discover,
    and why did he receive the Nobel Prize?": a trial report printed "Alfred Bernhard Nobel
    was a Swedish chemist …" under the prize). Only the first form when another part asks
    who: then a definition of someone else may be its answer ("… and who did he work
    with?")."""
    parts = question_parts(question)
    asked = _ASKED_PERSON.match(parts[0])
    if asked is not None:
        return asked.group("name")
    if any(part.lower().startswith("who") for part in parts):
        return None
    return named_doer(parts[0], ("what",))


# Verbs of what a person makes or finds, which "What did X …?" asks of a person: not
# "What does Costa Rica export?" nor "What did Nazi Germany do?", whose subjects are no one.
_DEEDS = frozenset(
    [
        "discover",
        "invent",
        "write",
        "paint",
        "compose",
        "contribute",
        "propose",
        "believe",
        "create",
        "design",
        "develop",
        "found",
        "build",
        "prove",
        "study",
        "teach",
        "direct",
        "sculpt",
        "record",
        "achieve",
        "receive",
        "win",
    ]
)


def named_doer(part: str, openers: Collection[str]) -> str | None:
    """The person a part asks about as the one who did something: "What did Hans Krebs
    discover?" (opener "what", a verb of `_DEEDS`), "Why did Hans Krebs receive the Nobel
    Prize?" (opener "why"); a name of two or more capitalised words that looks like a
    person's. None for an opener not among `openers` ("When did Queen Victoria reign?"),
    and for "the Great Pyramid of Giza", "Halley's Comet"."""
    about = subject(part)
    if about is None or about.opener not in openers or about.auxiliary not in ("did", "does"):
        return None
    if about.opener == "what":
        verb = re.search(rf"{re.escape(about.noun)}\s+(\w+)", part)
        if verb is None or verb.group(1).lower() not in _DEEDS:
            return None
    words = about.noun.split()
    if len(words) < 2 or not all(w[:1].isupper() and without_possessive(w) == w for w in words):
        return None
    return about.noun if looks_like_person(about.noun) else None


_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})


def names_by_last_name(text: str, name: str) -> bool:
    """Whether `text` names the person `name` by their last name, a possessive too ("Krebs's
    discovery"); a suffix ("Jr.") is no last name."""
    words = [w for w in name.split() if w not in _SUFFIXES] or name.split()
    last = re.escape(words[-1])
    return re.search(rf"(?<![\w'’-]){last}(?:['’]s?)?(?![\w'’-])", text) is not None


def reasons_of_another(text: str, title: str, part: str) -> bool:
    """Whether `part` asks why someone did something ("Why did Hans Krebs receive the Nobel
    Prize?", worded on its own: `standalone_part`; `named_doer`) and `text`, not on that
    person's page, does not name them: it cannot say why they did it. A trial report
    answered that part with "A sixth prize, the Prize in Economic Sciences, was established in
    1968 …" and "Nobel is known for inventing dynamite …". Only "why": "How did Martin
    Luther start the Reformation?" is answered by the Reformation's own page (dev labels)."""
    name = named_doer(part, ("why",))
    if name is None or (title and names(title, name)):
        return False
    return not names_by_last_name(text, name)


def defines_another_subject(text: str, question: str) -> bool:
    """Whether `text` defines another named thing than a "What is X?" first part asks about
    (`parts.defines_another`, the part worded on its own), one the question does not name:
    trial reports on "What is Cebuano, and where is it spoken?" printed "Cebu City,
    officially the City of Cebu, is a highly urbanized city …" in the short answer, under
    the first part and under the second. "Martin Luther was …" for "What was the
    Reformation, and who was Martin Luther?" defines a name the question gives."""
    parts = question_parts(question)
    if not parts or not defines_another(text, standalone_part(parts[0], question)):
        return False
    defined = DEFINITION_OF_A_NAME.match(text.strip())
    return defined is None or defined.group("name").lower() not in question.lower()


def on_the_asked_persons_page(text: str, title: str, part: str, page: str = "") -> bool:
    """Whether `part` asks who someone was, `title` is that person's page and `text` names
    them by their last name: all that page's lead says of the person is who they were. A
    trial report on "Who was Lucille Ball, and what was I Love Lucy?" left out "Lucille Ball
    was nominated for 13 Primetime Emmy Awards, winning five, …", which scores 0.37 against
    the question (the report's bar is 0.5). A last name the `page` also writes as a common
    word names a thing too ("braille", on *Louis Braille*): then only the whole name does."""
    asked = _ASKED_PERSON.match(part.strip())
    if asked is None or not title or not names(asked.group("name"), title):
        return False
    name = asked.group("name").strip()
    last = ([w for w in name.split() if w not in _SUFFIXES] or name.split())[-1]
    if re.search(rf"(?<![\w'’-]){re.escape(last.lower())}(?![\w'’-])", page):
        return re.search(rf"(?<![\w'’-]){re.escape(name)}", text) is not None
    return names_by_last_name(text, name)


# Words before a name that are no given name: "Queen Victoria" is defined as "Victoria was …".
_TITLES = frozenset(
    {
        "Chairman",
        "Dr",
        "Doctor",
        "Professor",
        "Mr",
        "Mrs",
        "Ms",
        "Captain",
        "Admiral",
        "Chancellor",
        "Cardinal",
        "Bishop",
        "Archbishop",
        "Duke",
        "King",
        "Queen",
        "Emperor",
        "Empress",
        "Pope",
        "Saint",
        "St",
        "Sir",
        "Lord",
        "Lady",
        "Prince",
        "Princess",
        "President",
        "General",
        "Tsar",
        "Czar",
        "Sultan",
        "Pharaoh",
    }
)


def _same_given_name(own: list[str], opening: list[str]) -> bool:
    """Whether a definition's opening words, holding the surname asked about, hold its given
    name too (or the name asked about has none): "Cosimo di Giovanni de' Medici was …" is
    another Medici than the Lorenzo asked about (a trial report printed it in the short
    answer to "Who was Lorenzo de' Medici?")."""
    if len(own) < 2 or own[0] in _TITLES or own[0] in opening:
        return True
    # Initials stand for the given names, each in turn: "B. R. Ambedkar" is "Bhimrao Ramji
    # Ambedkar"; "J. S. Bach" is not "Johann Christian Bach".
    initials = list(itertools.takewhile(lambda w: len(w) == 1, own))
    return (
        bool(initials)
        and len(opening) > len(initials)
        and all(word.startswith(initial) for initial, word in zip(initials, opening, strict=False))
    )


_MAKER = frozenset({"by", "to"})


def _as_maker(words: list[str], i: int) -> bool:
    """Whether the name at `i` is named as a maker: "a painting by …", "attributed to the
    artist …", "by" or "to" among the three words before it. Not "the second most important English
    dramatist, after William Shakespeare": a trial report on Shakespeare printed Ben Jonson's
    definition under "Who was William Shakespeare?"."""
    return any(w.lower() in _MAKER for w in words[max(0, i - 3) : i])


# What a page's opening says it is: "Tunisia, officially the Republic of Tunisia, is a
# country in the Maghreb region …" -> "country"; "Allosaurus is a genus of theropod
# dinosaur …" -> "genus". The head is the last word before a preposition, a clause or a
# participle.
# The kind ends where a preposition, a relative, a conjunction or a participle begins
# ("spanning"); not at "king" ("… was the first king of the Visigoths" had read as a kind
# "first").
_DEFINED_AS = re.compile(
    r"^[^.;:]{1,160}?\s(?:is|was|are|were)\s+(?:an?|the)\s+(?P<kind>(?:[\w-]+\s+){0,4}?[\w-]+)"
    r"(?=\s+(?:in|of|from|on|at|for|with|by|that|which|who|whose|and|or|[a-z]{2,}ing)\b|[,.;:(])"
)
_GENERIC_KINDS = frozenset([
    "type", "kind", "form", "group", "member", "part", "one", "term", "process", "system",
    "set", "series", "branch", "field", "way", "method", "study", "collection", "number",
    "area", "name", "word", "concept",
])  # fmt: skip


# A rank among a kind: "… is the first of the "big five" major mass extinction events"
# (*Late Ordovician mass extinction*), "… was the fifth of the Abbasid caliphs" define their
# subject as one of the kind after "of", not as a "first" (a trial report on the Late
# Ordovician extinction read *Late Devonian mass extinction*, "… was a mass extinction
# event", and printed its toll).
_RANKED = re.compile(
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|(?:[\w-]+-)?"
    # Superlatives, not "priest", "forest", "test" or "conquest" (a review's examples).
    r"(?:larg|small|bigg|old|young|earli|lat|long|short|high|low|great|tall|deep|bright|"
    r"clos|near|new|rich|poor|strong|fast|heavi|light|hott|cold|wid|narrow|busi|fin)est"
)
_RANKED_AMONG = re.compile(
    r"\s+of\s+(?:the\s+)?(?P<kind>(?:[\w\"“”-]+\s+){0,5}?[\w-]+)"
    r"(?=\s+(?:in|of|from|on|at|for|with|by|that|which|who|whose|and|or|[a-z]{2,}ing)\b|[,.;:(]|$)"
)


def defined_kind(text: str) -> str | None:
    """The head noun of what the first sentence of `text` says its subject is, if it says."""
    first = _FIRST_SENTENCE.split(text.strip(), maxsplit=1)[0]
    m = _DEFINED_AS.match(first)
    if m is None:
        return None
    head = m.group("kind").split()[-1].lower()
    if _RANKED.fullmatch(head):
        among = _RANKED_AMONG.match(first, m.end())
        if among is not None:
            last = among.group("kind").split()[-1].lower()
            head = singular_of(last) if has_plural_ending(last) else last
    return None if head in _GENERIC_KINDS else head


def subject_pages(question: str, pages: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (title, text) of `pages` whose titles the question's subject names ("the capital
    of Morocco": *Morocco*; `part_subject.subject`), none when the subject joins two things
    ("special and general relativity": each is the other's instance, and both are asked)
    or the question's form shows no subject. Not every page the question names: "… who
    first landed on the Moon?" names the Moon, and Sputnik 1 is a satellite too."""
    about = subject(question)
    if about is None or re.search(r"\b(?:and|or|between)\b", about.noun):
        return []
    found = [(title, text) for title, text in pages if title and names(about.noun, title)]
    # A page the subject names word for word over one it names only by stems: *Ganges*,
    # not *Gang* (both stem to "gang"; a trial report on the Ganges read both).
    asked = _in_singular(about.noun)
    exact = [
        (title, text)
        for title, text in found
        if names(asked, _in_singular(unqualified(title)), stemmed=False)
    ]
    found = exact or found
    # The longest names only: *Cold War*, not *War*; *Black Death*, not *Black* or *Death*.
    # Of namesakes, the page without a qualifier: *Jupiter*, not *Jupiter (god)* (each names
    # the other, and a trial report on Jupiter's moons read both); two qualified ones
    # alone (*Mercury (planet)*, *Mercury (element)*) leave the subject unknown.
    return [
        (title, text)
        for title, text in found
        if not any(
            other != title
            and names(other, unqualified(title))
            and (unqualified(other) != unqualified(title) or title != unqualified(title))
            for other, _ in found
        )
    ]


def _in_singular(text: str) -> str:
    """`text` with each plural-looking word in the singular: "dinosaurs" and *Dinosaur*
    compare equal, "the Ganges" and *Gang* do not."""
    return " ".join(singular_of(w) if has_plural_ending(w.lower()) else w for w in text.split())


def another_instance(title: str, text: str, named: Sequence[tuple[str, str]]) -> str | None:
    """The title of a page the question's subject names (of `named`, as (title, text):
    `subject_pages`) of which the page `title` is another instance: its opening defines it
    as the same kind of thing ("a country", "a genus"), and it never names that page. A
    trial report on "What is the capital of Morocco, and what languages are spoken there?"
    read *Tunisia* ("… is a country in the Maghreb region of North Africa", as Morocco is)
    and printed its capital and its language; one on Tyrannosaurus printed Allosaurus's
    dates. The kind may also be the word the named page's title ends on (`_kind_in_name`:
    "desert" of *Atacama Desert*) when that page's opening does not name the page `title`."""
    kind = defined_kind(text)
    if kind is None:
        return None
    for other, other_text in named:
        if other.lower() == title.lower() or names(text, other):
            continue
        if kind == defined_kind(other_text):
            return other
        # The kind a name ends on says less than a definition: a page the subject's own lead
        # names is related to it (*Hürrem Sultan*'s names her husband *Suleiman the
        # Magnificent*, the Forbidden City's *Beijing*: a review's examples), while one
        # defined as the same kind is another instance even so (*Tyrannosaurus*'s names
        # *Allosaurus*, whose dates a trial report had given as its own).
        if kind == _kind_in_name(other) and not names(other_text, title):
            return other
    return None


def _kind_in_name(title: str) -> str | None:
    """The kind a name of two or more words ends on, when WordNet knows its last word:
    "desert" of *Atacama Desert*, whose page calls it "a desert plateau" (a trial report on
    it printed the Sahara's size, from a page defining it as a desert). A name WordNet lists
    passes too ("jesus" of *Mary, mother of Jesus*): no page is defined as one."""
    words = unqualified(title).split()
    if len(words) < 2 or not words[-1][:1].isupper():
        return None
    head = words[-1].lower()
    return head if head not in _GENERIC_KINDS and default_lexicon().known(head) else None


def another_qualifier(title: str, question: str) -> str | None:
    """The question's name a page's title qualifies otherwise: *Eastern Front (World War II)*
    for "What is the Eastern Front of World War I known for?" (a trial report opened on the
    Second World War's front). The name must hold the title's base and give another
    qualifier: *Eastern Front (World War I)* is the page asked for."""
    m = re.fullmatch(r"(?P<base>.+?)\s*\((?P<qualifier>[^()]+)\)", title.strip())
    if m is None:
        return None
    base, qualifier = m.group("base").strip(), m.group("qualifier").strip()
    for name in _question_names(question):
        # A qualifier that is a longer namesake of the name's own: *Western Front (World
        # War II)* for the Eastern Front of World War I (a trial report's aspect section).
        tail = re.split(r"\s+(?:of|in|during)\s+", name)[-1]
        if qualifier != tail and re.fullmatch(rf"{re.escape(tail)}(?:\s*[IVX0-9]+)", qualifier):
            return name
        if not re.search(rf"(?<!\w){re.escape(base)}(?!\w)", name):
            continue
        rest = re.sub(rf"(?<!\w){re.escape(base)}(?!\w)", " ", name).strip()
        rest = re.sub(r"^(?:of|in|during|the)\s+", "", rest).strip()
        if rest[:1].isupper() and qualifier[:1].isupper() and rest.lower() != qualifier.lower():
            return name
    return None


def another_topic(title: str, text: str, question: str) -> str | None:
    """Why a page is about something other than what the question names, if it is: a
    namesake (`passage_namesake`), another qualifier of the question's name
    (`another_qualifier`), the common noun a work's title is made of
    (`common_noun`), a sibling (`sibling`), a modifier of a name (`part_of_name`) or a word
    made from one (`derived_from_name`), another
    bearer of a name's first word (`another_bearer`), another kind or sense of the subject
    (`another_kind`) or the kind a named subject is one of (`general_kind`). Such a page is
    not read and does not use up the reading budget."""
    if (name := passage_namesake(title, text, question)) is not None:
        return f"a namesake of {name!r}"
    if (name := another_qualifier(title, question)) is not None:
        return f"another {unqualified(title)} than {name!r}"
    if (name := common_noun(title, text, question)) is not None:
        return f"the common noun, not the work {name!r}"
    if (name := part_of_name(title, text, question)) is not None:
        return f"a part of the name {name!r}"
    if (name := derived_from_name(title, text, question)) is not None:
        return f"a word made from the name {name!r}"
    if (name := sibling(title, text, question)) is not None:
        return f"another {_NUMBERING.sub('', name).split()[-1].lower()} than {name!r}"
    if (name := another_bearer(title, text, question)) is not None:
        return f"another name than {name!r}"
    if (name := another_of_name(title, text, question)) is not None:
        return f"another thing called like {name!r}"
    if (name := another_kind(title, text, question)) is not None:
        return f"another kind or sense of {name!r}"
    if (name := general_kind(title, text, question)) is not None:
        return f"a page on the kind, not on {name!r}"
    return None


def _after_before(text: str, start: int) -> bool:
    """Whether a word of `_BEFORE` ends just before `start`."""
    return re.search(rf"{_BEFORE}$", text[:start]) is not None


def load_relevance(embedding_model: str, threads: int | None = None) -> Relevance:
    """Relevance over the named embedding model (one loaded model per process)."""
    from lyceum.retrieval.embeddings import load_embedder

    return Relevance(load_embedder(embedding_model, threads=threads))
