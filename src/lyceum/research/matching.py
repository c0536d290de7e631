"""Deterministic text matching the pipeline relies on instead of trusting a small model:
keywords, word overlap, quote checks, and spotting instruction-like text in documents."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from lyceum.claimcheck.faithfulness import locate, split_sentences

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
        # Pronouns of people: "What did he mean by …?" has no word "he" a sentence answering
        # it must name (a trial report took the part as answered elsewhere by "He is known
        # as 'the father of media studies'").
        # Not "us" (the US), "me" or "my", which name things too.
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
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
# Matching one quarantines the whole passage (see workers.py).
_INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|your)\b"
    r".{0,40}\b(instructions?|prompts?|rules?|directions?)\b"
    # "Disregard everything above", "ignore anything earlier", "Forget what you were told"
    r"|\b(ignore|disregard|forget)\s+(everything|anything|all)\s+"
    r"(above|earlier|previous(ly)?|prior|so far|before this|said before)\b"
    r"|\b(ignore|disregard|forget)\s+(what|whatever|anything|everything)\s+you\b"
    r"|\b(system prompt|you are now|as an ai|new instructions?|do not follow|you were told)\b"
    r"|\b(assistant|model|ai)\b.{0,30}\b(must|should)\b.{0,30}\b(cite|say|write|answer|output)\b"
    # Role markers that try to open a new turn: "SYSTEM: ...", "[INST]", "<|im_start|>".
    r"|(^|[\]>.;!?\n])\s*(system|assistant|developer|user)\s*:\s"
    r"|\[/?inst\]|<\|im_(start|end)\|>|<<sys>>"
    # Output control: "respond only with", "cite only", "list X as the source".
    r"|\b(respond|reply|answer|output|print|say)\s+(only|nothing but|exclusively)\s+"
    r"(with|using)\b|\bcite\s+(only|exclusively)\b"
    r"|\b(list|name|give|use|cite)\b.{0,40}\bas (the|your|a) (only |sole |primary )?sources?\b",
    re.IGNORECASE,
)
# Sentences that tell the reader (or a model) to do something. They are never quoted as
# evidence, and a report statement of that form is not written: an encyclopedia states,
# a prompt injection commands.
_IMPERATIVE_START = re.compile(
    r"^\W*(please\s+\w+"
    r"|(visit|cite|ignore|disregard|forget|respond|reply|click|go to|see|consult|mention|tell|"
    r"refer to|check out|make sure|remember|do not|don't)\b"
    # Words that also start noun phrases ("Use of antibiotics...") need an object after them.
    r"|(list|use|output|copy|follow|open|download|contact|trust|call|send|email|answer|write|"
    r"print|repeat|include|say)\s+(the|this|these|that|only|it|them|my|our|every|all|"
    r"https?://|www\.)"
    r"|(always|never)\s+(cite|use|mention|say|answer|respond|include|trust|list|write)\b)",
    re.IGNORECASE,
)
_ADDRESSES_READER = re.compile(
    r"\byou\s+(must|should|need to|have to|are (required|instructed|asked) to|will now)\b"
    r"|\b(make sure|be sure) (that )?you\b|\bdear (reader|assistant|ai|model)\b"
    # A pointer to the page around the text: "… valid for various units and size scales
    # see the infobox" was printed in a report on the speed of light.
    r"|\bsee\s+(the\s+)?(infobox|table|figure|fig\.|section|chapter|list|appendix|below|"
    r"above|also)\b",
    re.IGNORECASE,
)
_TLDS = (
    "com|org|net|edu|gov|io|ai|co|info|biz|xyz|top|site|online|app|dev|ru|cn|de|uk|me|"
    "tv|cc|ly|example|test|invalid|onion"
)
# A link or a bare domain ("evil.example", "www.x.org"); "e.g." and "U.S." are not.
_LINK = re.compile(
    rf"\b(?:https?://|ftp://|www\.)\S+|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/\S*)?",
    re.IGNORECASE,
)


WORKING_VERBS = frozenset(["work", "function", "operate"])
"""The verbs of "How does X work?", which ask nothing but how X works."""


def words(text: str) -> list[str]:
    """Lower-cased words, a possessive without its "'s": "Earth's surface" names the Earth
    (kept, "earth'" had not matched "Earth" in the question, and a report on the seasons
    declared "What causes the seasons on Earth?" not covered)."""
    return [w.lower().removesuffix("'s").strip("'-") for w in _WORD.findall(text)]


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry meaning (no stopwords, no one-letter words), crudely
    stemmed so that 'plants' and 'plant' match."""
    return set(content_word_list(text))


def content_word_list(text: str) -> list[str]:
    """`content_words` in the order of the text, each as often as it occurs."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


# Plurals no suffix rule reaches: a question on "a virus and a bacterium" did not name the
# article *Bacteria*, and a trial report left bacteria out of the comparison.
_IRREGULAR_PLURALS = {
    "bacteria": "bacterium", "phenomena": "phenomenon", "criteria": "criterion",
    "nuclei": "nucleus", "fungi": "fungus", "algae": "alga", "larvae": "larva",
    "stimuli": "stimulus", "cacti": "cactus", "genera": "genus", "spectra": "spectrum",
    "strata": "stratum", "mitochondria": "mitochondrion", "vertebrae": "vertebra",
    "radii": "radius", "hypotheses": "hypothesis", "analyses": "analysis", "crises": "crisis",
    "theses": "thesis", "oases": "oasis", "children": "child", "mice": "mouse",
    "teeth": "tooth", "feet": "foot", "geese": "goose", "women": "woman", "men": "man",
}  # fmt: skip


def stem(word: str) -> str:
    """A crude stem that a plural and its singular share: "earthquakes" and "earthquake"
    (both "earthquak"), "volcanoes" and "volcano", "viruses" and "virus" (a word in "-us" is
    taken as singular), "theories" and "theory". Taking "es" off every plural had left
    "earthquak" beside "earthquake", so a question on earthquakes did not name the article
    *Earthquake* (`research/named.py`), and "vaccines" did not match "vaccine"."""
    word = _IRREGULAR_PLURALS.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us")):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def same_noun(a: str, b: str) -> bool:
    """Whether two words are one noun, as written or one the other's plural: "volcano" and
    "volcanoes", "bacterium" and "bacteria"; not "Ganges" and "gang", which share a crude
    `stem`."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    for one, other in ((a, b), (b, a)):
        if other == plural_of(one) or (one.endswith("o") and other == one + "es"):
            return True
        if _IRREGULAR_PLURALS.get(other) == one:
            return True
    return False


# Endings that make a verb's noun or its other forms: "teaching" of "teach", "treatment" of
# "treated", "prevention" of "prevented", "inventor" of "invent". Longest first.
_FORM_ENDINGS = ("ation", "ment", "ing", "ion", "ed", "er", "or")
_MIN_BASE = 4


def base_of(word: str) -> str:
    """A crude stem's base, one of `_FORM_ENDINGS` off when at least `_MIN_BASE` letters
    stay: "teaching" and "teach" share "teach", "treatment" and "treated" "treat"; "light"
    and "lightning" do not, nor "count" and "country"."""
    for ending in _FORM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_BASE:
            return word[: -len(ending)]
    return word


# Words of one meaning that share no form: a death toll answers "How many people did it kill?"
# ("Estimates of deaths range from 17 million to 50 million …" named neither word of the
# part, and a trial report declared it not covered beside that sentence).
_DYING = frozenset(
    stem(w)
    for w in [
        "kill", "killed", "killing", "kills", "die", "died", "dies", "dying", "death", "deaths",
        "dead", "fatality", "fatalities", "casualty", "casualties", "perished",
    ]
)  # fmt: skip


# "form" as a noun ("in the form of a condensation funnel", "a common form of …") names no
# forming: a trial report took "Tornadoes are often visible in the form of a condensation
# funnel …" as the answer to "How do tornadoes form?".
_FORM_NOUN = re.compile(
    r"\b(?:a|an|the|this|that|its|their|other|one|some|many|several|various|all)\s+"
    r"(?:[a-z]+\s+){0,2}forms?\s+of\b",
    re.IGNORECASE,
)


def names_a_word_of(words: Collection[str], text: str) -> bool:
    """Whether `text` names one of `words` (crude stems, as `content_words` gives them) or
    another form of one (`base_of`): a trial report on "Who was Confucius, and what did he
    teach?" found no sentence naming "teach" in "His philosophical teachings, called
    Confucianism, emphasized …" and declared the second part not covered. Words of dying
    (`_DYING`) name each other; "form" as a noun names no forming (`_FORM_NOUN`)."""
    if not words:
        return False
    said = {form for w in content_words(_FORM_NOUN.sub(" ", text)) for form in (w, base_of(w))}
    if any(w in said or base_of(w) in said for w in words):
        return True
    return bool(_DYING & set(words)) and bool(_DYING & said)


_POSSESSIVE_END = re.compile(r"['’]s?$")


def without_possessive(word: str) -> str:
    """`word` without a possessive ending: "Dickens's" -> "Dickens", "Rus'" -> "Rus"."""
    return _POSSESSIVE_END.sub("", word)


def possessive(name: str) -> str:
    """`name` with its possessive ending: "Tokyo's", "the Zagros Mountains'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def has_plural_ending(word: str) -> bool:
    """Whether a word ends as a regular plural does ("rings", "elements"; not "grass",
    "virus", "axis"). Case as given."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def plural_of(word: str) -> str:
    """The regular plural of an English noun ("theory" -> "theories", "gas" -> "gases")."""
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s")


def plural_phrase(phrase: str) -> str:
    """The plural of a noun phrase: its head noun's (`plural_of`), which is the word before
    "of" when it has one ("ship of the line" -> "ships of the line", "black hole" -> "black
    holes")."""
    words = phrase.split()
    lowered = [w.lower() for w in words]
    head = lowered.index("of", 1) - 1 if "of" in lowered[1:] else len(words) - 1
    words[head] = plural_of(words[head])
    return " ".join(words)


def singular_of(plural: str) -> str:
    """The singular of a plural noun phrase's last word: "telescopes" -> "telescope",
    "galaxies" -> "galaxy", "churches" -> "church"."""
    *rest, last = plural.split()
    if re.search(r"[^aeiou]ies$", last):
        last = last[:-3] + "y"
    elif re.search(r"(?:ch|sh|x|ss|z)es$", last):
        last = last[:-2]
    else:
        last = last[:-1]
    return " ".join([*rest, last])


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


def swaps_words(text: str, quote: str, most: int = 2) -> bool:
    """Whether `text` is `quote` with a word or two swapped for others: at most `most` of
    the quote's content words gone and as many new ones in, three quarters of the quote's
    kept. Such an edit adds nothing a reader needs and is how a small model swaps a subject
    ("A chloroplast is a type of organelle" → "Chlorophyll is a type of organelle"), which
    the claim check can miss when the new word stands elsewhere in the passage. A pronoun
    resolved ("It results" → "A neutron star results") removes no content word, and a
    trimmed sentence adds none: neither is a swap."""
    mine, theirs = content_words(text), content_words(quote)
    added, removed = mine - theirs, theirs - mine
    return (
        0 < len(added) <= most
        and 0 < len(removed) <= most
        and len(mine & theirs) >= 0.75 * len(theirs)
    )


_ACRONYM = re.compile(r"((?:[\w'’-]+\s+){0,5}[\w'’-]+)\s+\(([A-Z]{2,8})\)")


def _shortened(match: re.Match[str]) -> str:
    """The acronym alone for the words it stands for ("ribonucleic acid (RNA)" -> "RNA"):
    the fewest last words that open on its first letter and hold its letters in order."""
    words, acronym = match.group(1).split(), match.group(2).lower()
    for k in range(1, len(words) + 1):
        spelled = "".join(words[-k:]).lower()
        if spelled[:1] == acronym[0] and _in_order(acronym, spelled):
            return " ".join([*words[:-k], match.group(2)])
    return match.group(0)


def _in_order(letters: str, text: str) -> bool:
    rest = iter(text)
    return all(letter in rest for letter in letters)


def without_expansions(text: str) -> str:
    """`text` with each name spelled out before its acronym in brackets left as the acronym
    alone: "DNA and ribonucleic acid (RNA) are nucleic acids" and "RNA and deoxyribonucleic
    acid (DNA) are nucleic acids" say the same (a trial report printed both)."""
    return _ACRONYM.sub(_shortened, text)


def restates(text: str, earlier: Sequence[str], threshold: float = 0.8) -> bool:
    """Whether `text` says again what one of `earlier` said: the same words ignoring case, or
    content words that overlap by at least `threshold` (Jaccard), as when a small model
    repeats a sentence with "leading to" for "and led to", an acronym's words aside
    (`without_expansions`)."""
    mine = content_words(without_expansions(text))
    for other in earlier:
        if text.lower() == other.lower():
            return True
        theirs = content_words(without_expansions(other))
        union = mine | theirs
        if union and len(mine & theirs) / len(union) >= threshold:
            return True
    return False


def quote_in(quote: str, text: str) -> bool:
    """Whether `quote` occurs in `text`, ignoring case and runs of whitespace."""
    return bool(quote.strip()) and locate(quote, text) is not None


def sentences(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def instruction_like(sentence: str) -> bool:
    """True for text that tries to instruct the model (prompt injection), not inform."""
    return bool(_INSTRUCTION_LIKE.search(sentence))


def addresses_reader(sentence: str) -> bool:
    """True for a sentence that tells its reader what to do (an imperative, "you must"),
    or tries to instruct a model: such text is not evidence of anything."""
    return bool(
        instruction_like(sentence)
        or _IMPERATIVE_START.search(sentence)
        or _ADDRESSES_READER.search(sentence)
    )


def links(text: str) -> list[str]:
    """URLs and bare domain names in `text`, lower-cased, trailing punctuation removed."""
    return [m.group(0).rstrip(".,;:!?)]'\"").lower() for m in _LINK.finditer(text)]


MIN_QUOTE_WORDS = 4


# A sentence about the document itself ("This article uses 'crocodile' … to refer only to
# …", printed in a trial report's short answer): it says what the page covers, not a fact.
_ABOUT_THE_DOCUMENT = re.compile(
    r"\b(?:this|the present|the following) (?:article|page|entry|list|section|essay)\b",
    re.IGNORECASE,
)


# A pointer to other reading, which states nothing: "For a discussion of the role of
# drainage practices in agriculture." (*Irrigation*; a trial report printed it), "For more
# information, see Halomethane.".
_NAVIGATION = re.compile(
    r"^\s*For (?:a|an|the|more|further) (?:\w+ )?(?:discussion|information|details?|"
    r"overview|list)\b[^,]*$|^\s*See also\b|,\s+see\s+[A-Z]|^\s*For\b[^.]*,\s+see\b"
)


def quotable(sentence: str) -> bool:
    """Whether a document sentence may serve as evidence: long enough to state something,
    not addressed to the reader, not about the document itself (`_ABOUT_THE_DOCUMENT`), not
    a pointer to other reading (`_NAVIGATION`), and not pointing at a link (a document's own
    address goes in its citation)."""
    return (
        len(sentence.split()) >= MIN_QUOTE_WORDS
        and not addresses_reader(sentence)
        and not _ABOUT_THE_DOCUMENT.search(sentence)
        and not _NAVIGATION.search(sentence)
        and not links(sentence)
    )


def evidence_text(text: str) -> str:
    """`text` with only its quotable sentences: what models and the claim check are shown."""
    return " ".join(s for s in sentences(text) if quotable(s))


def unsafe_statement(text: str, evidence: str = "") -> str | None:
    """Why `text` may not appear in a report as a statement, or None.

    A statement may not instruct the reader, and may carry a link only when the passages it
    cites (`evidence`) carry the same link: links and orders in a report can only have come
    from untrusted text, never from the evidence a sentence is checked against."""
    if addresses_reader(text):
        return "reads as an instruction"
    foreign = [x for x in links(text) if x not in evidence.lower()]
    if foreign:
        return f"carries a link not in its evidence ({foreign[0]})"
    return None


def normalize_space(text: str) -> str:
    return " ".join(text.split())
