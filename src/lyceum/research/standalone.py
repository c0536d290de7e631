"""Sentences that stand alone: a quote lifted out of its passage must not lean on the
sentences around it, because the reader of the report never sees them.

A passage sentence often opens with a pronoun ("It results from the supernova explosion")
whose antecedent is the page's subject, i.e. its title: that case is resolved by naming
the subject ("A neutron star results from ..."). References the title cannot settle ("This
theory", "later that century", "the latter", an opening "However,") leave the sentence
out. The rules are heuristics over encyclopedia prose; when unsure they refuse, since a
sentence left out costs less than one the reader misreads.
"""

from __future__ import annotations

import re

from lyceum.research.matching import content_words, sentences

# Connectives that only add to the sentence before: dropping them loses nothing.
_ADDITIVE = re.compile(
    r"^(moreover|furthermore|in addition|additionally|also|besides|what is more|in fact|"
    r"indeed|notably|importantly|in particular),\s+",
    re.IGNORECASE,
)
# Connectives whose meaning is a relation to the sentence before (contrast, consequence, time).
_RELATIONAL = re.compile(
    r"^(?:(however|therefore|thus|hence|consequently|nevertheless|nonetheless|meanwhile|"
    r"accordingly|subsequently|conversely|likewise|similarly|yet|then)\b"
    r"|(instead|still|later|afterwards?|finally|otherwise|earlier|previously),"
    r"|(in contrast|by contrast|on the other hand|as a result|as such|in turn|even so|"
    r"in the same way|at the same time|by then|until then|since then|after that|"
    r"before that)\b)",
    re.IGNORECASE,
)
_PREPOSITION = (
    r"(?:in|on|at|by|during|after|before|from|since|until|throughout|for|with|under|"
    r"following|born|around|about|between|despite|because of|in spite of|due to|apart from|"
    r"unlike|like|as with|along with|beyond|within|without|to|among|over|through)"
)
_DEMONSTRATIVE_OPENER = re.compile(r"^(this|these|those|that|such|here)\b", re.IGNORECASE)
# A demonstrative closing an opening phrase: "In this way,", "Because of this,", "At that time,".
_DEMONSTRATIVE_LEAD = re.compile(
    rf"^{_PREPOSITION}\b[^,;:]{{0,50}}\b(this|these|those|that|such)(\s+\w+)?\s*,",
    re.IGNORECASE,
)
_TIME = (
    r"(century|year|decade|month|week|day|period|era|age|time|season|night|morning|"
    r"evening|summer|winter|spring|autumn|date)"
)
_BACK_REFERENCES = re.compile(
    rf"\bthat {_TIME}\b|\bthose {_TIME}s\b"
    r"|\bthe (same|following|next|previous|preceding|prior) (century|year|decade|month|week|"
    r"day|period|era|season|night|morning|evening|summer|winter|spring|autumn|date)\b"
    r"|\bthe (latter|former|above|aforementioned)\b|\b(mentioned|noted|described) (above|earlier)\b"
    r"|\b\w+ (years?|decades?|months?|weeks?|days?|centuries) (later|earlier|afterwards?)\s*[,.;]"
    r"|,\s+however\s*,",
    re.IGNORECASE,
)
_QUANTIFIED_BACK = re.compile(
    r"^(one|some|many|most|all|none|each|several|few|two|three|half|either|neither|both) "
    r"of (them|these|those|which)\b"
    r"|^the (two|three|four) (are|were|have|had|can|could|may|share|shared|differ|differed)\b"
    r"|^the same\b|^there (he|she|it|they|we)\b",
    re.IGNORECASE,
)
# An opening pronoun, possibly after a short prepositional phrase ("In 1905, he ...").
_OPENER = re.compile(
    rf"^(?P<lead>(?:{_PREPOSITION}\b[^,;:()]{{0,50}},\s+)?)"
    r"(?P<pron>it|its|they|their|he|she|his|her|we|our)\b",
    re.IGNORECASE,
)
_PAPER_LEAD = re.compile(
    r"^in (this|the present|our) (paper|work|study|article|letter|review|thesis),\s+(?=we\b)",
    re.IGNORECASE,
)
# "It" that names nothing: "It is thought that", "It is possible to", "It was not until".
_BE = (
    r"(?:is|was|has been|had been|will be|would be|may be|might be|can be|could be|must be|"
    r"seems|seemed|appears|appeared|remains|remained|became|becomes)"
)
_EXPLETIVE = re.compile(
    rf"^it\s+{_BE}\s+(?:(?:not|also|now|still|often|\w+ly)\s+){{0,2}}"
    r"(?:(?!(?:a|an|the|so|too|very)\b)[\w-]+\s+(?:that|who|whom|whether|if|how|why)\b"
    r"|(?:possible|impossible|difficult|easy|hard|necessary|unnecessary|important|common|"
    r"usual|unusual|customary|unclear|clear|likely|unlikely|uncertain|rare|essential|"
    r"better|best|safe|dangerous|useful|advisable|enough)\s+(?:to|for|that|whether|if)\b"
    r"|until\b)"
    r"|^it\s+(?:seems|seemed|appears|appeared|follows|happens|happened|turns out|turned out)"
    r"\s+(?:that|as if|as though|likely|unlikely)\b",
    re.IGNORECASE,
)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FAMILIES = ({"it", "its"}, {"they", "their"}, {"he", "his"}, {"she", "her"})
_PERSONAL = {"he", "she", "his", "her"}
_POSSESSIVE = {"its", "their", "his", "her", "our"}
# Words that make a capitalised title a thing or a place, not a person.
_THING = _wordset(
    "act airport association award bank battle bridge canal castle cathedral church city "
    "college company corporation council county court cup desert dynasty empire festival "
    "group hall institute island islands kingdom lake league line mount mountains museum "
    "nations ocean palace park party prize railway republic revolution river school sea "
    "society states station street temple tower treaty union university valley war way"
)
# Proper names read with "the": "The Roman Empire", "The Pacific Ocean", "The Moon".
_THE_LAST = _wordset(
    "alps bible bridge canal desert dynasty empire islands kingdom mountains nations ocean "
    "republic revolution river sea states tower union war way moon sun internet "
    "renaissance reformation enlightenment holocaust netherlands"
)
_PARTICLES = {"de", "da", "van", "von", "der", "del", "di", "du", "la", "le", "bin", "ibn", "al"}
_MASS_SUFFIXES = tuple(_wordset("sis ism ity ness ics ogy phy tion sion ence ance ing"))
_MASS = _wordset(
    "water air oxygen hydrogen carbon nitrogen helium chlorophyll energy light gravity "
    "electricity iron gold silver copper steel glass paper music art money software change "
    "research law democracy agriculture literature architecture culture matter heat sound "
    "life weather climate food salt sugar"
)


def dangling(text: str) -> str | None:
    """What keeps `text` from standing alone (a pronoun or reference whose antecedent is in
    another sentence), or None when it reads on its own."""
    body = text.strip()
    additive = _ADDITIVE.match(body)
    if additive:
        return f"opens with {additive.group(1)!r}, which joins it to the sentence before"
    body = _PAPER_LEAD.sub("", body)
    problem = _unresolvable(body)
    if problem:
        return problem
    m = _opening_pronoun(body)
    return f"opens with the pronoun {m.group('pron')!r}" if m else None


def resolve(text: str, title: str, context: str | None = None) -> str | None:
    """`text` made to stand alone, or None when it cannot be.

    An opening pronoun is replaced by the page's subject, named from `title` (the title of
    the passage the sentence comes from), when the pronoun can refer to it. `context` is
    the passage text before the sentence ("" when it opens the passage; None: unknown): its
    last sentence must be about the title or continue the same pronoun, else the pronoun
    refers to something else; it also shows whether the title takes an article."""
    body = _capitalised(_ADDITIVE.sub("", text.strip()))
    body = _capitalised(_PAPER_LEAD.sub("", body))
    if _unresolvable(body):
        return None
    m = _opening_pronoun(body)
    if m is None:
        return body
    pronoun, lead, rest = m.group("pron").lower(), m.group("lead"), body[m.end() :]
    if pronoun in ("we", "our"):
        subject = "the authors'" if pronoun == "our" else "the authors"
    else:
        previous = sentences(context)[-1] if context and context.strip() else ""
        if previous and not _about(previous, title, pronoun):
            return None
        subject = _subject(title, pronoun, rest, context or "")
        if subject is None:
            return None
    return lead + (subject if lead else _capitalised(subject)) + rest


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unresolvable(body: str) -> str | None:
    """The back-reference in `body` that no title can settle, named, or None."""
    for pattern in (_RELATIONAL, _DEMONSTRATIVE_OPENER):
        m = pattern.search(body)
        if m:
            return f"opens with {m.group(0).strip(' ,')!r}, which points at an earlier sentence"
    for pattern in (_QUANTIFIED_BACK, _DEMONSTRATIVE_LEAD, _BACK_REFERENCES):
        m = pattern.search(body)
        if m:
            return f"{m.group(0).strip(' ,')!r} refers to something an earlier sentence names"
    if re.match(r"both\b", body, re.IGNORECASE) and " and " not in " ".join(body.split()[:8]):
        return "opens with 'Both', which points at things an earlier sentence names"
    return None


def _opening_pronoun(body: str) -> re.Match[str] | None:
    """The pronoun that opens `body` (after a short prepositional phrase at most), unless
    it is the "it" of "it is thought that", which refers to nothing."""
    m = _OPENER.match(body)
    if m is None or _EXPLETIVE.match(body[len(m.group("lead")) :]):
        return None
    if m.group("lead") and m.group("pron")[0].isupper():
        return None  # a capitalised "It" mid-sentence is a name, not a pronoun
    return m


def _clean_title(title: str) -> str | None:
    """The title as a name, without a disambiguation "(planet)"; None when it reads as a
    document title (a colon, a file name, many words) rather than the page's subject."""
    name = " ".join(re.sub(r"\s*\([^)]*\)\s*$", "", title).split())
    if not name or len(name.split()) > 6 or not re.fullmatch(r"\w[\w' -]*", name):
        return None
    return name


def _about(previous: str, title: str, pronoun: str) -> bool:
    """Whether `previous` is about the title (names it in its first words) or continues
    with the same pronoun, so that the pronoun after it refers to the title too."""
    start = re.sub(r"^[^,;:]{0,50},\s+", "", previous.strip())
    first = start.split()[0].lower() if start.split() else ""
    family = next(f for f in _FAMILIES if pronoun in f)
    if first in family and not _EXPLETIVE.match(start):
        return True
    opening = content_words(" ".join(start.split()[:4]))
    return bool(content_words(_clean_title(title) or "") & opening)


def _subject(title: str, pronoun: str, rest: str, context: str) -> str | None:
    """The noun phrase that replaces `pronoun`, or None when the title cannot be its
    antecedent (a person for "it", a thing for "he", a singular for "they")."""
    name = _clean_title(title)
    if name is None:
        return None
    person, plural = _looks_like_person(name), _plural(name)
    if pronoun in _PERSONAL:
        if not person:
            return None
        phrase = name
    elif pronoun in ("they", "their"):
        if plural is False or (person and len(name.split()) > 1):
            return None
        phrase = _noun_phrase(name, rest, context, plural=True, definite=True)
    else:
        if plural is True or (person and len(name.split()) > 1):
            return None
        phrase = _noun_phrase(name, rest, context, plural=False, definite=pronoun == "its")
    if pronoun in _POSSESSIVE:
        phrase += "'" if pronoun == "their" and phrase.endswith("s") else "'s"
    return phrase


def _looks_like_person(name: str) -> bool:
    """A personal name: capitalised words (bar particles like "da"), no digits, no acronym
    and no word that names a thing or a place ("Tower", "War", "River")."""
    words = name.split()
    if len(words) > 4 or any(c.isdigit() for c in name):
        return False
    if any(w.lower() in _THING or w.lower() in _THE_LAST for w in words):
        return False
    if any(sum(c.isupper() for c in w) > 1 for w in words):
        return False
    return all(w[0].isupper() or w in _PARTICLES for w in words)


def _plural(name: str) -> bool | None:
    """Whether the title is plural; None when its form does not say (a single capitalised
    word ending in s may be "Bees" or "Mars")."""
    words = name.split()
    last = words[-1]
    if len(last) <= 3 or not last.lower().endswith("s"):
        return False
    if last.lower().endswith(("ss", "us", "is", "ics", "sis", "ness")):
        return False
    return None if len(words) == 1 or last[0].isupper() else True


def _noun_phrase(name: str, rest: str, context: str, *, plural: bool, definite: bool) -> str:
    """The title as a subject, with the article English wants: none for names, mass nouns
    and plurals; "a/an" when a present-tense sentence speaks of the kind ("A volcano
    erupts"); else "the"."""
    words = name.split()
    if words[0].lower() == "the" or sum(c.isupper() for c in words[0]) > 1:  # "DNA", "NASA"
        return name
    common = words[0].lower() + name[len(words[0]) :]
    # "Calvin cycle", "Higgs boson": capitalised after the sentence's start in the passage.
    eponym = any(w[0].isupper() for w in words[1:]) or _named_mid_sentence(name, context)
    seen_lower = re.search(rf"\b{re.escape(common)}\b", context) is not None
    if all(w[0].isupper() or w in _PARTICLES for w in words) and not seen_lower:
        # A name: "Paris", "Roman Empire" (a single word without evidence is read as one).
        last = words[-1].lower()
        of_name = len(words) > 2 and words[1] == "of" and words[0].lower() in _THING
        return f"the {name}" if last in _THE_LAST or of_name else name
    if eponym:
        return f"the {name}"
    article = re.search(rf"\b(a|an|the)\s+{re.escape(common)}\b", context, re.IGNORECASE)
    if plural or (article is None and _mass(words[-1])):
        return common
    kind_statement = re.match(r"\s+(?!was\b)(is|has|can|may|does|\w+[^s]s)\b", rest) is not None
    if not definite and kind_statement and (article is None or article.group(1) != "the"):
        return ("an " if common[0] in "aeiou" else "a ") + common
    return f"the {common}"


def _named_mid_sentence(name: str, context: str) -> bool:
    for m in re.finditer(rf"\b{re.escape(name)}\b", context):
        before = context[: m.start()].rstrip()
        if before and before[-1] not in ".!?":
            return True
    return False


def _mass(word: str) -> bool:
    return word.lower() in _MASS or word.lower().endswith(_MASS_SUFFIXES)
