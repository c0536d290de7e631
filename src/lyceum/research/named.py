"""Documents the question names: read the article on what was asked about first.

A question about the Columbian exchange is answered, first of all, by the article titled
*Columbian exchange*; search ranks it among articles on Indigenous peoples, the Spanish
colonisation and the pre-Columbian era, and a worker with a budget of three passages may
read the neighbours and never the article. On the dev questions of
`benchmarks/research.py quality`, 43 of the 78 articles holding the facts a complete answer
states are named in the question's own words. So a hit whose title the sub-question names
is read first, then one whose title only the question names, then the others; and a
sub-question reads a document it names itself even when another sub-question has read it
already, taking from it the sentences that bear on its own part.

The match is on words, not on meaning: the title's words (crudely stemmed, articles
dropped, a disambiguating "(planet)" ignored) must occur in a row in the question. It holds
for any source that returns titles and whatever model runs the report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lyceum.claimcheck.lexicon import default_lexicon
from lyceum.research.matching import STOPWORDS, same_noun, stem, words
from lyceum.research.part_subject import asked_definition, subject
from lyceum.research.parts import compared
from lyceum.research.state import Note, ResearchState, Sentence

_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
_ARTICLES = frozenset(["a", "an", "the"])
MIN_TITLE_CHARS = 3


def _sequence(text: str, stemmed: bool = True) -> list[str]:
    return [stem(w) if stemmed else w for w in words(text) if w not in _ARTICLES]


def unqualified(title: str) -> str:
    """`title` without a disambiguating qualifier: "Plate (dishware)" -> "Plate"."""
    return _QUALIFIER.sub("", title)


def names(text: str, title: str, *, stemmed: bool = True) -> bool:
    """Whether `text` names the document titled `title`: the title's words in a row (their
    stems, unless not `stemmed`)."""
    wanted = _sequence(unqualified(title or ""))
    if not wanted or len(" ".join(wanted)) < MIN_TITLE_CHARS:
        return False
    # The crude stem takes "Andes" and "Hades" to "and" and "had", which every other
    # question has: such a title is named only by its own words.
    stemmed = stemmed and not all(w in STOPWORDS for w in wanted)
    if not stemmed:
        wanted = _sequence(unqualified(title or ""), stemmed=False)
    written = _sequence(text, stemmed=False)
    have = [stem(w) for w in written] if stemmed else written
    n = len(wanted)
    if stemmed and n == 1:
        # One word shares its crude stem with words that are not its forms: "Ganges" and
        # *Gang*, "wine" and *Win* (a trial report on the Ganges read *Gang* as a page the
        # question names and printed "A gang is a group …" in its short answer). A one-word
        # title is named by the word itself, its plural or its singular.
        title_word = _sequence(unqualified(title or ""), stemmed=False)[0]
        return any(
            stem_ == wanted[0] and same_noun(word, title_word)
            for stem_, word in zip(have, written, strict=True)
        )
    return any(have[i : i + n] == wanted for i in range(len(have) - n + 1))


_TOKEN = re.compile(r"[A-Za-z][\w'’-]*")


def heads_a_compound(question: str, title: str) -> bool:
    """Whether `question` names the one-word `title` only as the head of a longer name or
    compound: *Galaxy* of "the Andromeda Galaxy", *Horizon* of "its event horizon",
    *Cyclone* of "a tropical cyclone"; or a common compound (`_common_compound`) so: *National
    park* of "Yellowstone National Park". Such a page is about the kind, not the thing asked
    about: a trial report on the Andromeda Galaxy printed "A galaxy is a physical system of
    stars …". The word before the head is a name (capitalised, not the question's first
    word) or a word WordNet knows that cannot be a verb ("What causes lightning" and "how
    does it cause earthquakes" name *Lightning* and *Earthquake* themselves)."""
    wanted = unqualified(title or "").split()
    if not wanted or (len(wanted) > 1 and not _common_compound(wanted)):
        return False
    heads = [stem(w.lower()) for w in wanted]
    tokens = _TOKEN.findall(question)
    n = len(heads)
    at = [
        i
        for i in range(len(tokens) - n + 1)
        if [stem(t.lower()) for t in tokens[i : i + n]] == heads
    ]
    # A compound only heads a name ("Yellowstone National Park"): "present-day climate
    # change" and "atmospheric carbon dioxide" are still climate change and carbon dioxide.
    modifies = _modifies if n == 1 else _name_word
    return bool(at) and all(i > 0 and modifies(tokens[i - 1], i - 1) for i in at)


def _name_word(word: str, index: int) -> bool:
    """Whether `word`, at `index` of the question, is a word of a name: capitalised, not the
    question's first word nor a function word."""
    return word[:1].isupper() and index > 0 and word.lower() not in STOPWORDS


def _common_compound(words: list[str]) -> bool:
    """Whether a title of several words is a common compound as Wikipedia writes one, in
    sentence case (*National park*, *Stock exchange*): a kind, as a one-word title is. *Roman
    Empire* is a name, and the Western Roman Empire's question wants its page."""
    return all(w.isalpha() and w.islower() for w in words[1:])


def _modifies(word: str, index: int) -> bool:
    low = word.lower()
    if low in STOPWORDS:
        return False
    if word[:1].isupper():
        return index > 0
    lexicon = default_lexicon()
    return lexicon.known(low) and not lexicon.has_verb_sense(low)


def side_opened(state: ResearchState, note: Note, part: str) -> str | None:
    """The side of comparison `part` (`parts.compared`) whose own page, titled by it, `note`
    quotes the opening sentence of (the page's definition); None otherwise. Each side is half
    the answer: a test report on "What is the difference between special and general
    relativity?" printed *General relativity*'s definition and left *Special relativity*'s
    out, and a trial report on weather and climate never printed "Climate is the long-term
    weather pattern in a region …"."""
    sides = compared(part)
    passage = state.passages.get(note.passage_id)
    if sides is None or passage is None or not passage.text.lstrip().startswith(note.quote):
        return None
    title = passage.title or ""
    return next((side for side in sides if names(side, title) and names(title, side)), None)


# A page's own definition opens on its subject, a person's perhaps with names the title
# leaves out ("Vincent Willem van Gogh was …", "Nelson Rolihlahla Mandela was …").
_MIDDLE_NAMES = r"(?:\s+[A-Z][\w'’.-]*){0,2}"
_COPULA = r"(?:\s*\([^)]*\))?(?:,[^,]{0,120},)?\s+(?:is|was|are|were)\s"


def defines_page(text: str, title: str) -> bool:
    """Whether `text` opens as the definition of the page titled `title`: its name (with
    "The" before it, a person's middle names inside it), an aside at most, then "is", "was",
    "are" or "were"."""
    wanted = unqualified(title or "").split()
    if not wanted:
        return False
    rest = "".join(r"\s+" + re.escape(w) for w in wanted[1:])
    gap = _MIDDLE_NAMES if rest else ""
    name = re.escape(wanted[0]) + gap + rest
    opening = text.strip()
    opening = opening[:1].upper() + opening[1:]
    return re.match(rf"(?:The\s+)?{name}{_COPULA}", opening) is not None


def defines_the_asked(text: str, title: str, part: str) -> bool:
    """Whether `text` opens as the definition (`defines_page`) of the page titled `title`,
    the page of what `part` asks only to have defined (`asked_definition`: "What is typhoid
    fever?" on *Typhoid fever*, "Who was Vincent van Gogh?" on *Vincent van Gogh*)."""
    asked = asked_definition(part)
    if asked is None or not title or not (names(asked, title) and names(title, asked)):
        return False
    return defines_page(text, title)


def named_tier(title: str, sub_question: str, question: str) -> int:
    """0: the sub-question names the document; 1: only the whole question does; 2: neither."""
    if names(sub_question, title):
        return 0
    if names(question, title):
        return 1
    return 2


def in_named_context(text: str, title: str | None, question: str) -> str:
    """`text` headed by its page's title when the question names that page: a sentence of
    the article on what was asked about is about it even when it does not repeat the name
    ("Communicable diseases of Old World origin resulted in an 80 to 95 percent reduction in
    the Indigenous population", on *Columbian exchange*). The report's focus reads cited
    sentences so; on the dev labels it told on-topic sentences from off-topic ones better at
    every margin (`benchmarks/report_focus.py`)."""
    if title and names(question, title) and not named_as_setting(question, title):
        return f"{title}: {text}"
    return text


_SETTING = re.compile(r"\b(?:in|across|throughout|within)\s+(?:the\s+)?$", re.IGNORECASE)


def named_as_setting(question: str, title: str) -> bool:
    """Whether `question` names the page titled `title` only as where its subject is ("What
    was apartheid, and when did it end in South Africa?"): each time after "in", "across",
    "throughout" or "within", and its subject (`part_subject.subject`) something else. Such
    a page's sentences are not about what was asked by being on it: a trial report on
    apartheid printed "South Africa also encloses Lesotho." in its short answer, read as
    "South Africa: South Africa also encloses Lesotho." """
    about = subject(question)
    if about is None or names(about.noun, title):
        return False
    name = re.escape(unqualified(title)).replace(r"\ ", r"\s+")
    found = list(re.finditer(rf"\b{name}\b", question, re.IGNORECASE))
    return bool(found) and all(_SETTING.search(question[: m.start()]) for m in found)


def judged_text(text: str, quote: str | None, title: str | None, question: str) -> str:
    """What the relevance judges (the report's relevance bar, its focus) read of a cited
    sentence `text` quoting `quote`: `text` in its page's context (`in_named_context`); but
    for a quote given the sentences before it as its opening (`writer.stand_alone`), the
    quote alone, when it names the question's subject (`part_subject.subject`).

    The opening only says what the quote points at, and its words dilute the quote's: the
    World War I dev report's "Archduke Franz Ferdinand … were assassinated … They were shot
    at close range … The incident was one of the key events that led to World War I" scores
    0.46 against the question, under the bar, and its last sentence 0.63. A quote that does
    not name the subject is judged with its opening, which says what it is about: "These
    events drastically altered the world's balance of power, marking the end of the Cold
    War" scores 0.59 alone against "What triggered World War I, and how did it end?", 0.43
    after "The revolutions of 1989 were …"."""
    if quote and _joined(text, quote) and names_subject(quote, question):
        text = quote.strip()
    return in_named_context(text, title, question)


def names_subject(text: str, question: str) -> bool:
    """Whether `text` names the question's subject (`part_subject.subject`: "Julius
    Caesar", "the Cold War"), or opens as its definition with middle names inside it
    ("Guglielmo Giovanni Maria Marconi, 1st Marquess of Marconi, was …": a trial report
    declared "What did he invent?" beside it)."""
    about = subject(question)
    return about is not None and (names(text, about.noun) or defines_page(text, about.noun))


def _joined(text: str, quote: str) -> bool:
    """Whether `text` is `quote` with an opening before it."""
    text, quote = text.strip(), quote.strip()
    return len(text) > len(quote) and text.endswith(quote)


def focus_texts(state: ResearchState, sentences: Sequence[Sentence]) -> list[str]:
    """Each cited sentence as the report's focus reads it (`judged_text`): in the context of
    the page its first note quotes, when the question names that page, and a quote given an
    opening on its own when it names the question's subject."""
    out = []
    for sentence in sentences:
        title = quote = None
        if sentence.notes:
            note = state.note(sentence.notes[0])
            title, quote = state.passages[note.passage_id].title, note.quote
        out.append(judged_text(sentence.text, quote, title, state.question))
    return out
