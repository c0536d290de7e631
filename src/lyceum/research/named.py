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

from lyceum.research.matching import stem, words
from lyceum.research.state import ResearchState, Sentence

_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
_ARTICLES = frozenset(["a", "an", "the"])
MIN_TITLE_CHARS = 3


def _sequence(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in _ARTICLES]


def names(text: str, title: str) -> bool:
    """Whether `text` names the document titled `title`: the title's words in a row."""
    wanted = _sequence(_QUALIFIER.sub("", title or ""))
    if not wanted or len(" ".join(wanted)) < MIN_TITLE_CHARS:
        return False
    have = _sequence(text)
    n = len(wanted)
    return any(have[i : i + n] == wanted for i in range(len(have) - n + 1))


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
    if title and names(question, title):
        return f"{title}: {text}"
    return text


def focus_texts(state: ResearchState, sentences: Sequence[Sentence]) -> list[str]:
    """Each cited sentence as the report's focus reads it: in the context of the page its
    first note quotes, when the question names that page (`in_named_context`)."""
    out = []
    for sentence in sentences:
        title = None
        if sentence.notes:
            title = state.passages[state.note(sentence.notes[0]).passage_id].title
        out.append(in_named_context(sentence.text, title, state.question))
    return out
