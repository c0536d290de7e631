"""The parts of a research question as the user asked it.

"How do vaccines work and what limits their effectiveness?" asks two things; a report that
answers only the first has not answered the question. The parts are found in code, from
the question's own wording: separate questions, and clauses joined by "and"/"or"/a comma
that open with a question word. Each part becomes a sub-question the report must answer
or declare not covered, whatever the planner model proposes.

A later part often leans on the first for its subject ("their effectiveness"), so
`focus` gives the first part's keywords, which searches and relevance checks add to it.
"""

from __future__ import annotations

import re

from lyceum.claimcheck.lexicon import default_lexicon
from lyceum.research.matching import (
    content_words,
    has_plural_ending,
    keywords,
    normalize_space,
    singular_of,
    stem,
    without_possessive,
)

_QUESTION_WORD = (
    r"what|which|who|whom|whose|why|how|when|where|whether|is|are|was|were|do|does|did|"
    r"can|could|should|would|will|has|have|had"
)
QUESTION_OPENERS = frozenset(_QUESTION_WORD.split("|"))
"""The words that open a question: a question word or an auxiliary."""
# "..., and what ...", " and which ...", ", or how ...", ", why ..."
_JOIN = re.compile(
    rf"\s*(?:,\s*(?:and|or|but)\s+|\s+(?:and|or|but)\s+|,\s+|;\s*)"
    # "When was the printing press invented, and by whom?" (a trial report took it as one
    # part, and dropped Gutenberg's definition as carrying no date).
    rf"(?=(?:{_QUESTION_WORD}|by whom)\b)",
    re.IGNORECASE,
)
_COMPOUND = re.compile(
    rf"\b(?:{_QUESTION_WORD})\s+(?:and|or)\s+(?=(?:{_QUESTION_WORD})\b)", re.IGNORECASE
)
_GLUE = "\x00"
LONE_PART = re.compile(r"(?P<word>when|where|why|how|who|by whom)\?", re.IGNORECASE)
"""A part that is a question word alone ("Who built the pyramid, when, and how long ...")."""
_SENTENCE = re.compile(r"(?<=[?.!])\s+(?=\S)")
MIN_PART_WORDS = 2
# Words of a question's form that say nothing about what would answer it.
_FORM_WORDS = ["long", "take", "role", "play", "difference", "work", "mean", "happen", "cause"]
# "How large did it become?", "How cold does it get?": a copula's kin, no word of the part's
# own (a trial report scored "The Mongol Empire was the largest contiguous empire in history"
# 0.19 against "How large did it become?" and declared the part).
_BECOMING = ["become", "became", "get", "gets", "got"]
# "What happens after one?": "one" stands for the subject (`standalone_part`).
_STANDING_IN = ["one", "ones"]
_GENERIC = frozenset(
    stem(w) for w in [*_FORM_WORDS, *_BECOMING, *_STANDING_IN, "caused"]
)  # as `content_words` stems


def _as_question(text: str) -> str:
    text = normalize_space(text).strip(" ,;")
    text = text.rstrip("?.! ")
    if not text:
        return ""
    return text[0].upper() + text[1:] + "?"


def question_parts(question: str) -> list[str]:
    """The question's parts in order, each a question of its own; at least one."""
    question = normalize_space(question)
    parts: list[str] = []
    for sentence in _sentences(question):
        # "When and where did ...", "How and why ...": one question asked two ways.
        sentence = _COMPOUND.sub(lambda m: m.group(0).replace(" ", _GLUE), sentence)
        for piece in _JOIN.split(sentence):
            part = _as_question(piece.replace(_GLUE, " "))
            # "..., when, and how long ...": a lone question word is a part of its own.
            long_enough = len(part.split()) >= MIN_PART_WORDS or LONE_PART.fullmatch(part)
            if long_enough and part.lower() not in (p.lower() for p in parts):
                parts.append(part)
    return parts or [_as_question(question) or question]


def _sentences(question: str) -> list[str]:
    """The question's sentences: not split after an initial or an abbreviation ("Who was B.
    R. Ambedkar …?" is one question; a trial report asked "Who was B?")."""
    out: list[str] = []
    for piece in _SENTENCE.split(question):
        # A question word opens a new question: "What is vitamin A. How much do I need?",
        # "I live in the U.S. What taxes do I pay?".
        if out and _ABBREVIATION.search(out[-1]) and not _QUESTION_OPENER.match(piece):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


_QUESTION_OPENER = re.compile(rf"(?:{_QUESTION_WORD})\b", re.IGNORECASE)
# A full stop that ends a word, not a sentence: an initial ("B."), a dotted abbreviation
# ("U.S.", "e.g."), or a title or other short form ("Dr.", "St.", "Jr.", "c.").
_ABBREVIATION = re.compile(
    r"(?:(?<![\w.])[A-Z]|(?<![\w.])(?:[A-Za-z]\.)+[A-Za-z]|\b(?:Dr|Mr|Mrs|Ms|St|Jr|Sr|Mt|Ft|"
    r"Prof|Gen|Lt|Col|Capt|Sgt|Rev|Gov|Sen|Rep|Pres|vs|No|c|ca|approx))\.$"
)


def focus(question: str, limit: int = 4) -> str:
    """Keywords of the question's first part: the subject later parts refer back to."""
    return keywords(question_parts(question)[0], limit=limit)


def with_focus(part: str, question: str) -> str:
    """`part` with the question's subject added when the part does not name it, for search
    and relevance ("What limits their effectiveness?" -> "... (vaccines work)")."""
    subject = focus(question)
    missing = [w for w in subject.split() if w not in part.lower()]
    return f"{part} ({' '.join(missing)})" if missing else part


def distinctive_words(parts: list[str], i: int) -> set[str]:
    """Content words of part `i` that no other part of the question has: what a sentence
    answering that part, rather than the question's subject, tends to name."""
    return content_words(parts[i]) - _other_parts_words(parts, i) - _GENERIC


def distinctive_names(parts: list[str], i: int) -> set[str]:
    """Content words of the names part `i` asks about that no other part has ("Hawking" of
    "Do black holes emit Hawking radiation?"): a sentence that names none of them does not
    answer the part, however close its words are to the part's ("radiation from an active
    galactic nucleus" is not Hawking radiation)."""
    capitalised = [w for w in parts[i].split()[1:] if w[:1].isupper()]
    return content_words(" ".join(capitalised)) - _other_parts_words(parts, i)


_WHICH = re.compile(r"\s*which\s+([\w-]+)(?:\s+([\w-]+))?", re.IGNORECASE)
# "What are his best-known novels?", "Who were its most famous artists?": asks for members of
# a kind, as "which" does. A trial report on Charles Dickens, whose lead names no novel,
# called that part answered by "Charles Dickens's novels and short stories are widely read
# today".
_NOTABLE = re.compile(
    r"\s*(?:what|who) (?:are|were) (?:his|her|its|their|the)\s+(?:(?:most|best|main|major|"
    r"key|principal|famous|best-known|well-known|important|notable|greatest|leading|chief)"
    r"\s+){1,3}[\w-]+s\b",
    re.IGNORECASE,
)
# A capitalised word after a sentence's first: most likely a name ("Germany", "the Montreal
# Protocol").
_CAPITALISED = re.compile(r"(?<=\s)[A-Z][\w-]+")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*\d[A-Z0-9]*\b|^[A-Z]{2,}\b")


# What names members of a kind after its plural: "the enzymes called DNA polymerases".
_INSTANCE_MARKER = r"(?:called|named|known as|such as|including|like)\b"


def asks_what_it_names(part: str) -> bool:
    """Whether `part` is answered by what a sentence names, which `names_the_predicate`
    (a yes/no part) or `names_a_kind` (a "Which X …?" part) checks in its own way: "Corals
    are colonial marine invertebrates" answers "Is it an animal or a plant?" without either
    word, "… covers much of southeastern Turkey and northeastern Iraq" "Which countries
    does it cross?"."""
    return bool(_YES_NO.match(part) or _NOTABLE.match(part)) or _which_kind(part) is not None


def names_a_kind(text: str, parts: list[str], i: int) -> bool:
    """Whether `text` can answer part `i` as a "Which X …?" part asks (a "What are its
    best-known X?" part: `_names_a_member`): it names one X
    ("… the only dinosaur lineage …" for "Which dinosaurs survived?", "the enzymes called
    DNA polymerases") or something the question does not ("Germany" for "Which countries
    were hit hardest?"). The kind in the plural alone speaks of the whole class ("The
    molecules on which enzymes act are called substrates" names no enzyme; a dev report
    took it as the answer to "Which enzymes carry out the copying?"). True for a part that
    does not ask "which"."""
    if _NOTABLE.match(parts[i]):
        return _names_a_member(text, parts)
    kind = _which_kind(parts[i])
    if kind is None:
        return True
    living = _LIVING_CLASSES & set(default_lexicon().lemmas(kind))
    if living:
        # A member of a broad class of living things: a word WordNet files under it
        # ("frogs" under animal). "Which animals live in a marsh?" is not answered by a name
        # ("In Europe …", which a trial report took for the answer), nor by the class itself
        # ("… a toxin produced by an animal", taken for the animals that produce venom). A
        # narrower kind keeps the names rule ("Which dinosaurs survived?": "Tyrannosaurus").
        return bool(_members(text, living))
    # "Dickens's" is the question's "Dickens"; a formula or an acronym names something even
    # as a sentence's first word ("N2 forms about 78% of Earth's atmosphere …", which a trial
    # report dropped with "Which gas makes up most of Earth's atmosphere?" declared).
    asked = " ".join(parts).lower()
    opening = _ACRONYM.findall(text.strip()[:12])
    named = (without_possessive(w).lower() for w in [*opening, *_CAPITALISED.findall(text)])
    if any(w not in asked for w in named):
        return True
    singulars = {kind} if not kind.endswith("s") else {kind[:-1], kind[:-2], kind[:-3] + "y"}
    # One X named ("the only dinosaur lineage"), not any X: "An enzyme is a biological
    # macromolecule …" names no enzyme (the dev labels have it off topic for "Which enzymes
    # carry out the copying?").
    if any(
        re.search(
            rf"(?<!\ba )(?<!\ban )(?<!\bany )(?<!\beach )(?<!\bevery )\b{re.escape(w)}\b",
            text,
            re.IGNORECASE,
        )
        for w in singulars
        if len(w) > 2
    ):
        return True
    return re.search(rf"\b{re.escape(kind)}\s+{_INSTANCE_MARKER}", text, re.IGNORECASE) is not None


MEMBER_SENSES = 3
"""Noun senses of a word read to find a member of a class of living things: "muskrat"'s
first sense is its fur."""


def names_members(text: str, part: str) -> bool:
    """Whether `text` names something WordNet files under the kind a "Which X …?" part asks
    for ("Iran", "Iraq" and "Turkey" under country for "Which countries does it cross?",
    which a trial report declared beside "… spanning Iran, northern Iraq, and southeastern
    Turkey": the relevance model scored that sentence 0.27 for the part). A plural kind
    asks for several, and one word filed under it is not an answer: "the Amazon or the
    Congo" (two rivers) had answered "Which countries does the Nile flow through?" in a
    trial report, the Congo being a country in WordNet too."""
    kind = _which_kind(part)
    if kind is None:
        return False
    members = _members(text, set(default_lexicon().lemmas(kind)))
    return len(members) >= (2 if has_plural_ending(kind) else 1)


def defines_a_member(text: str, part: str) -> bool:
    """Whether `text` opens by saying that something named is one of the kind a "Which X …?"
    `part` asks for, and shares a word of the part beyond its kind and the name it is of:
    "The Hoover Dam is a concrete arch-gravity dam in the Black Canyon of the Colorado
    River, …" for "Which dams
    control the Colorado River?" (the relevance model scores it 0.45 for the part, and a
    trial report declared the part beside it); not "Tyrannosaurus is a genus of large
    theropod dinosaur" for "Which dinosaurs survived?", which says nothing of surviving."""
    kind = _which_kind(part)
    if kind is None:
        return False
    one = singular_of(kind.lower())
    beyond = content_words(part) - content_words(f"which {kind} {one}")
    # The name the kind is of says nothing of which ones: "Europa is the smallest of the four
    # Galilean moons orbiting Jupiter" does not answer "Which moons of Jupiter have oceans?"
    # (a review's example), unless the part asks nothing more ("Which moons of Jupiter …?").
    owner = re.search(rf"\b{re.escape(kind)}\s+of\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s*)+)", part)
    if owner is not None and beyond - (of := content_words(owner.group(1))):
        beyond -= of
    if not beyond & content_words(text):
        return False
    # A name, not a pronoun ("It is a concrete dam …"), and the kind within a few words of
    # its article ("Carmen is an opera in four acts by the French composer Georges Bizet" is
    # no composer: a review's example).
    one_of = re.compile(
        r"^(?!(?:It|They|This|These|He|She)\b)(?:The\s+)?[A-Z][\w'’.-]*"
        r"(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*(?:\s*\([^)]*\))?,?"
        rf"\s+(?:is|was|are|were)\s+(?:a|an|the|one of the)\s+(?:[\w'’-]+\s+){{0,4}}"
        rf"{re.escape(one)}s?\b"
    )
    return one_of.search(text) is not None


def _members(text: str, classes: set[str]) -> set[str]:
    """The words of `text` WordNet files under one of `classes`, in their first
    `MEMBER_SENSES` noun senses (a name is looked up in lower case, as WordNet lists it)."""
    found = {w.lower() for w in re.findall(r"\b[A-Za-z]{3,}\b", text)}
    return default_lexicon().filed_under(found, classes, senses=MEMBER_SENSES)


# Broad classes of living things, whose members are common nouns: a place a sentence names is
# no member ("Which animals live in a marsh?").
_LIVING_CLASSES = frozenset(
    ["animal", "plant", "bird", "fish", "insect", "tree", "mammal", "reptile", "amphibian",
     "creature", "organism", "flower"]
)  # fmt: skip


# A run of capitalised words after a sentence's first ("Oliver Twist", "the Mona Lisa").
_NAME_RUN = re.compile(r"(?<=\s)[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+|da\s+|de\s+)?[A-Z][\w'’-]*)*")
# A capitalised adjective of a people, a place or an age: "English", "Victorian", "Baroque".
_ADJECTIVE = re.compile(r"(?:an|ian|ish|ese|ic|que)$")


def _names_a_member(text: str, parts: list[str]) -> bool:
    """Whether `text` names a member of the kind a "What are his best-known novels?" part
    asks for: a name that is not the question's own nor an adjective ("Victorian" of "the
    greatest novelist of the Victorian era", which a trial report on Charles Dickens had
    taken as naming his novels)."""
    asked = {w.lower() for w in re.findall(r"\w+", " ".join(parts))}
    for run in _NAME_RUN.findall(text):
        words = [without_possessive(w) for w in run.split()]
        if any(w.lower() in asked for w in words):
            continue
        if len(words) == 1 and _ADJECTIVE.search(words[0]):
            continue
        return True
    return False


# "Is caffeine addictive?", "Is there a vaccine against it?", "Do black holes emit …?".
_YES_NO = re.compile(
    r"\s*(?:is|are|was|were|do|does|did|can|could|has|have|had|will|would|should)\b",
    re.IGNORECASE,
)
# Words of a part that say where or against what, not what is asked.
_PLACING_WORDS = frozenset(["against", "toward", "towards", "above", "below", "under", "beyond"])
MIN_SHARED_PREFIX = 6
"""Letters two words must open with alike to be forms of one word ("addictive" ~
"addiction"), where neither stem is the other's prefix."""


def names_the_predicate(text: str, parts: list[str], i: int, subject: str = "") -> bool:
    """Whether `text` can answer a yes/no part ("Is caffeine addictive?") by what it names:
    a word of the part no other part has (`distinctive_words`), or another form of one.
    A trial report took "Is caffeine addictive?" as answered by "Caffeine is mainly used
    for its eugeroic … properties; it is also used recreationally …" (0.60 for the part),
    and the lead says nothing of addiction. True for a part that is not a yes/no question
    and for one with no word of its own. The words of the part's `subject` are not what it
    asks: a trial report took "Does Saturn have rings?" as answered by "Saturn is the sixth
    planet from the Sun …", and the lead says nothing of rings."""
    if not _YES_NO.match(parts[i]):
        return True
    asked = distinctive_words(parts, i) - _PLACING_WORDS
    asked = (asked - content_words(subject)) or asked
    # A name the part asks about is what it relates the subject to, not what it asks: "Will
    # it collide with the Milky Way?" asks a collision (a trial report took it as answered
    # by "… the nearest major galaxy to the Milky Way").
    named = content_words(" ".join(_CAPITALISED.findall(" " + parts[i])))
    asked = (asked - named) or asked
    return not asked or names_a_form(asked, text) or defines_as_a_kind_of(text, parts[i])


# "Is a coral an animal or a plant?": two alternatives at the end of a yes/no part.
_ALTERNATIVES = re.compile(
    r"\b(?:an?\s+|the\s+)?(?P<a>[a-z][a-z-]+)\s+or\s+(?:an?\s+|the\s+)?(?P<b>[a-z][a-z-]+)\s*\??$",
    re.IGNORECASE,
)
# What a definition says its subject is: "Corals are colonial marine invertebrates within the
# class Anthozoa" -> "colonial marine invertebrates"; its last word is the kind.
_DEFINED_AS = re.compile(
    r"\b(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?P<kind>[a-z][a-z\s-]*?)"
    r"(?=\s+(?:of|in|within|that|which|who|whose|with|from|found|living|for|on|by|and|or)\b"
    r"|\s*[,;.()]|\s*$)",
    re.IGNORECASE,
)


def defines_as_a_kind_of(text: str, part: str) -> bool:
    """Whether `text` defines something as a kind of one of the alternatives a part asks
    between ("Is a coral an animal or a plant?"): the head of its first "is/are …" phrase is
    one, or WordNet takes it for a kind of one (`Lexicon.kinds`: an invertebrate is an
    animal). A trial report declared that part beside "Corals are colonial marine
    invertebrates within the class Anthozoa". False for a part with no alternatives."""
    asked = _ALTERNATIVES.search(part.strip())
    defined = _DEFINED_AS.search(text)
    if asked is None or defined is None:
        return False
    alternatives = {asked.group("a").lower(), asked.group("b").lower()}
    head = defined.group("kind").split()[-1].lower()
    lexicon = default_lexicon()
    return bool(alternatives & ({head, *lexicon.lemmas(head)} | lexicon.kinds(head)))


# "What was the Mexican Revolution?": a part asking what a named thing is.
_NAMED_RUN = r"[A-Z][\w'’.-]*(?:(?:\s+|\s*[–-]\s*)(?:of\s+|the\s+)?[A-Z][\w'’.-]*)*"
_ASKS_WHAT_NAMED = re.compile(
    rf"^(?i:what (?:is|was|are|were) (?:the |an? )?)(?P<name>{_NAMED_RUN})\s*\?$"
)
# A sentence defining a named thing: "The Mexican–American War, also known …, was an …".
DEFINITION_OF_A_NAME = re.compile(
    rf"^(?:The |An? )?(?P<name>{_NAMED_RUN})(?:\s*\([^)]*\))?(?:,[^,]{{0,150}},)?\s+"
    r"(?:is|was|are|were)\s+(?:a|an|the|one)\b"
)


def defines_another(text: str, part: str) -> bool:
    """Whether `text` defines another named thing than the one a "What was X?" part asks
    about, and never names X: a trial report on "What was the Mexican Revolution, and when
    did it begin?" answered its first part with "The Mexican–American War … was an invasion
    of Mexico by the United States." A definition under another name that says X's name
    too ("World War I, … also known as the Great War, was …") is X's."""
    asked = _ASKS_WHAT_NAMED.match(" ".join(part.split()))
    defined = DEFINITION_OF_A_NAME.match(text.strip())
    if asked is None or defined is None:
        return False
    name, other = asked.group("name").lower(), defined.group("name").lower()
    if name in text.lower():
        return False
    # "The Sahara is a desert …" for "What is the Sahara Desert?": one name holds the other.
    words, others = set(name.split()), set(other.split())
    if words <= others or others <= words:
        return False
    # The head as a word of the other name: "war" is in "Warsaw Pact" only as letters.
    return name.split()[-1] not in others


def names_a_form(asked: set[str], text: str) -> bool:
    """Whether `text` names one of the `asked` stems, or another form of one (`_one_word`)."""
    said = content_words(text)
    return any(_one_word(a, s) for a in asked for s in said)


def _one_word(a: str, b: str) -> bool:
    """Whether two crude stems are forms of one word: equal, one the other's start from
    five letters on, or alike in their first `MIN_SHARED_PREFIX` letters."""
    if a == b or (min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a))):
        return True
    n = MIN_SHARED_PREFIX
    return min(len(a), len(b)) >= n and a[:n] == b[:n]


def _which_kind(part: str) -> str | None:
    """The kind a "Which X …?" part asks for: "enzymes" of "Which enzymes copy DNA?",
    "treaty" of "Which international treaty …"; None for other parts."""
    m = _WHICH.match(part)
    if m is None:
        return None
    first, second = m.group(1).lower(), (m.group(2) or "").lower()
    return second if second and not first.endswith("s") else first  # "which international treaty"


def _other_parts_words(parts: list[str], i: int) -> set[str]:
    """The content words of every part but part `i`."""
    return {w for j, part in enumerate(parts) if j != i for w in content_words(part)}


_SIDE = r"(?:the |a |an )?(?P<{name}>[^?,;]+?)"
_COMPARISONS = [
    re.compile(p.format(a=_SIDE.format(name="a"), b=_SIDE.format(name="b")), re.IGNORECASE)
    for p in (
        r"\bdifferences? between {a} and {b}\s*(?:[?,;]|$)",
        r"\bhow (?:do|does|did|is|are|was|were) {a} (?:differ|different) from {b}\s*(?:[?,;]|$)",
        r"\bwhat distinguishes {a} from {b}\s*(?:[?,;]|$)",
        r"\bhow (?:do|does|did) {a} compare (?:to|with) {b}\s*(?:[?,;]|$)",
        # "How do mitosis and meiosis differ?" (a trial question).
        r"\bhow (?:do|did) {a} and {b} (?:differ|compare)\s*(?:[?,;]|$)",
        r"\bcompare {a} (?:and|with|to) {b}\s*(?:[?,;]|$)",
        r"^{a} (?:vs\.?|versus) {b}\s*(?:[?,;]|$)",
    )
]


def compared(question: str) -> tuple[str, str] | None:
    """The two things a comparison question sets side by side ("How do vaccines differ from
    antibiotics?" -> vaccines, antibiotics; "What is the difference between the Internet
    and the World Wide Web?"), or None. Each side alone is half the question: MiniLM puts
    "An antibiotic is the most important type of antibacterial agent …" at 0.46 against
    "How do vaccines differ from antibiotics?", under the report's bar, and a report on
    that question printed vaccines only."""
    text = normalize_space(question)
    for pattern in _COMPARISONS:
        m = pattern.search(text)
        if m:
            a, b = m.group("a").strip(), m.group("b").strip()
            if len(a.split()) == 1 and len(b.split()) > 1 and a.islower():
                a = f"{a} {b.split()[-1]}"  # "special and general relativity"
            return a, b
    return None
