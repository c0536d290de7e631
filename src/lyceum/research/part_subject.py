"""What a question is about, so that a later part of it can be listed on its own.

"What triggered World War I, and how did it end?" lists its second part, when the sources
do not answer it, as "How did World War I end?": the reader of the "not covered" list must
not have to find what "it" was. The subject is read from the form of the question's first
part, and only where the form shows it; otherwise the part is left as asked, because a
wrong subject ("How did triggered World War I end?") is worse than a pronoun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lyceum.claimcheck.lexicon import default_lexicon
from lyceum.research.matching import has_plural_ending, plural_phrase, possessive, singular_of
from lyceum.research.parts import LONE_PART, distinctive_words, question_parts
from lyceum.research.standalone import looks_like_person

_OPENERS = frozenset(
    ["what", "which", "who", "whom", "whose", "why", "how", "when", "where", "whether"]
)
_BE = frozenset(["is", "are", "was", "were"])
_AUXILIARIES = _BE | {"do", "does", "did", "can", "could", "has", "have", "had", "will", "would"}
_DETERMINERS = frozenset(["a", "an", "the"])
# Nouns that name an aspect of what follows them ("the structure of DNA").
_ASPECTS = {"structure", "history", "origin", "origins", "cause", "causes", "composition"} | {
    "difference",
    "differences",
    "function",
    "purpose",
    # "What is the population of Tokyo": an amount of Tokyo, which a sentence naming
    # Tokyo states (a trial report declared it beside "The population of the city proper
    # was over 14 million", its subject read as "the population of Tokyo").
    "population",
    # "What are the symptoms of malaria, and how is it prevented?": "it" is malaria (a
    # trial report headed "How is the symptoms of malaria prevented?").
    "symptoms",
    "signs",
}
_ASPECT_ADJECTIVES = frozenset(
    ["main", "primary", "major", "chief", "principal", "key", "root", "underlying", "basic"]
)
_PREPOSITIONS = frozenset(["of", "from", "by", "with", "in", "on", "for", "to", "into", "up"])
_PLACE_PREPOSITIONS = frozenset(["at", "in", "on", "during"])
_ADVERBS = frozenset(["first", "never", "ever", "still", "also", "then", "later", "once", "not"])
# Adjectives of "How big was X?": a degree of the subject, which follows the copula.
_DEGREES = frozenset([
    "big", "large", "small", "tall", "high", "old", "long", "far", "deep", "wide", "heavy",
    "hot", "cold", "fast", "dense", "bright", "massive", "important", "dangerous", "common",
    "effective", "efficient", "quickly", "rapidly", "often",
])  # fmt: skip
# Past forms whose participle differs or does not end in "-ed": what "When was X built?"
# needs from "Who built X?".
_PARTICIPLES = {
    "built": "built", "made": "made", "began": "begun", "wrote": "written", "drew": "drawn",
    "found": "found", "led": "led", "took": "taken", "gave": "given", "brought": "brought",
    "won": "won", "held": "held", "broke": "broken", "fought": "fought", "taught": "taught",
    "thought": "thought", "sent": "sent", "sank": "sunk", "struck": "struck", "chose": "chosen",
    "drove": "driven", "shot": "shot", "split": "split", "spread": "spread", "set": "set",
    "lost": "lost", "known": "known", "paid": "paid", "laid": "laid", "sold": "sold",
    "put": "put", "cut": "cut", "hit": "hit", "cast": "cast", "kept": "kept", "told": "told",
}  # fmt: skip
# Verbs that follow "do/does/did <subject>" in research questions ("How does the immune
# system recognize ...", "How did farming begin ..."): where the subject ends when it is not
# a name. Common English verbs, not fitted to any question set.
# fmt: off
_BASE_VERBS = frozenset([
    "affect", "arise", "begin", "become", "cause", "change", "come", "connect", "contribute",
    "create", "develop", "differ", "die", "emit", "end", "evolve", "explain", "fall", "form",
    "function", "generate", "get", "go", "grow", "happen", "help", "influence", "lead", "live",
    "make", "move", "occur", "produce", "protect", "reach", "recognize", "recognise",
    "regulate", "reproduce", "respond", "rise", "shape", "spread", "start", "stop", "survive",
    "take", "travel", "turn", "use", "vary", "work",
    # "When did the Han dynasty rule China": a trial report headed "What is the Han known
    # for?" and printed the namesakes Han Yu and Han Fei.
    "rule", "reign", "exist", "flourish", "last", "emerge", "decline", "collapse", "expand",
    "thrive", "erupt",
])
# fmt: on
# A pronoun a later part uses for the question's subject ("How is it treated?").
PRONOUN = re.compile(r"\b(?P<p>they|them|it|their|its)\b", re.IGNORECASE)
_PLURAL_PRONOUNS = frozenset(["they", "them", "their"])
# "Why did the Western Roman Empire fall, and when did it happen?": "it" is the event.
_EVENT = re.compile(
    r"(?P<word>when|where) did (?:it|they) (?:happen|take place|occur)\?", re.IGNORECASE
)
# Verbs of "What <verb> X" whose X is itself the event a later "it" points at.
_CAUSING = frozenset(["caused", "triggered", "started", "sparked", "began", "led", "drove"])


@dataclass(frozen=True)
class Subject:
    """The first part's subject `noun`, and how the part asked about it: `opener` is its
    question word; `auxiliary` its "did"/"is" if any; `verb` the verb of "Who built X?"
    (asked about the doer, `noun` being the object)."""

    noun: str
    opener: str
    auxiliary: str | None = None
    verb: str | None = None


def _words(part: str) -> list[str]:
    return part.rstrip("?.! ").split()


def _strip_compound(words: list[str]) -> list[str]:
    """ "When and where did X begin" asks both of one clause: keep the last question word."""
    while len(words) > 2 and words[1].lower() in ("and", "or") and words[2].lower() in _OPENERS:
        words = words[2:]
    return words


def _leading_name(words: list[str]) -> list[str]:
    """A name at the start of `words`, with its article: "the Industrial Revolution",
    "Martin Luther" ("the Great Pyramid of Giza": "of" inside a name)."""
    i = 1 if words and words[0].lower() in _DETERMINERS else 0
    j = i
    while j < len(words) and (
        words[j][:1].isupper()
        or (words[j] == "of" and j + 1 < len(words) and words[j + 1][:1].isupper() and j > i)
    ):
        j += 1
    return words[:j] if j > i else []


_CLAUSE_PREPOSITIONS = frozenset(["in", "on", "at", "during", "without", "through", "under"])


def _noun_before_verb(words: list[str]) -> list[str]:
    """The subject of "<subject> <base verb> ...": a name, or the words before the first
    common verb, or all but the last word of a short clause ("neutron stars form")."""
    name = _leading_name(words)
    if name and len(name) < len(words):
        # "When did Homo erectus live": a species' name goes on in lower case up to the
        # verb (a trial report headed "Where were Homo's fossils found?").
        after = next(
            (k for k in range(len(name), len(words)) if words[k].lower() in _BASE_VERBS), None
        )
        if (
            after is None
            and len(words) == len(name) + 2
            and words[len(name)].lower() not in _AUXILIARIES
        ):
            # "When did the Maya civilization flourish": the clause ends on its verb, common
            # or not (a trial report headed "Why did the Maya decline?").
            after = len(words) - 1
        between = words[len(name) : after] if after is not None else []
        # Not an adverb: "How did Rome quickly grow", "When did Rome first become …".
        species = (
            len(between) == 1
            and between[0].isalpha()
            and between[0].islower()
            and not between[0].endswith("ly")
            and between[0] not in _ADVERBS
        )
        return words[: len(name) + 1] if species else name
    lexicon = default_lexicon()
    for k, word in enumerate(words[1:], start=1):
        # Or a word WordNet knows only as a verb: "How do vaccines prevent disease" (a trial
        # report headed "Who developed the first vaccines prevent?").
        if word.lower() in _BASE_VERBS or (word.islower() and lexicon.only_a_verb(word)):
            return words[:k]
    if 1 < len(words) <= 3 or (len(words) > 3 and words[-1].lower() in ("do", "does", "did")):
        # "What do red blood cells do": the clause ends on its verb however long its subject
        # (a trial report headed "How long do they live?").
        return words[:-1]
    # "How do bats navigate in the dark": a short clause before a preposition ends on its
    # verb (a trial report found no subject, and gave no background on bats).
    k = next((k for k, w in enumerate(words) if w.lower() in _CLAUSE_PREPOSITIONS), 0)
    return words[: k - 1] if 2 <= k <= 3 and words[k - 1].islower() else []


def _noun_of_be(words: list[str], opener: str) -> list[str]:
    """The subject of "What is an atom made of", "How is malaria transmitted", "What was
    the Cold War": a trailing participle (and its preposition) is not part of it."""
    if opener in ("how", "why", "when", "where"):
        # "How is water purified for drinking?": the subject ends before its participle;
        # "Why was Istanbul important to the Ottoman Empire?" before its adjective (a trial
        # report's background read "What they say of Istanbul important to the Ottoman
        # Empire").
        # Likewise before an adjective that a preposition follows: "Why is bismuth unusual
        # among heavy elements?" is about bismuth (a trial report had asked "What is
        # bismuth unusual among used for?"), "Why is Venus hotter than Mercury?" about Venus.
        k = next(
            (
                k
                for k in range(1, len(words))
                # A capitalised word is a name's ("the United Nations", "the Red Cross", "the
                # Long March").
                if (words[k].islower() and (is_participle(words[k]) or words[k] in _DEGREES))
                or _adjective_before_preposition(words, k)
            ),
            None,
        )
        if (
            k is not None
            and k > 1
            and _adjective_before_preposition(words, k)
            and words[k - 1].islower()
            and words[k - 1].endswith("ing")
        ):
            # "Why are bacteria becoming resistant to it?": about bacteria; not "How is the
            # building constructed?", whose "-ing" word is the noun.
            k -= 1
        if k is not None:
            noun = words[:k]
        else:
            # The word dropped is the predicate ("Why is the sky blue", "Where is it
            # located"), not the end of a name: "Where is the Eiffel Tower" (a trial
            # report's heading read "When was the Eiffel built?").
            named = len(words) > 1 and words[-1][:1].isupper()
            noun = words if named else words[:-1] if len(words) > 1 else []
        # "Why is the Dead Sea so salty?"; "Why is the Drake Passage so dangerous to sail?"
        # (a trial report's background read "What they say of the Drake Passage so").
        while len(noun) > 1 and noun[-1].lower() in ("so", "very", "too"):
            noun = noun[:-1]
        return noun
    if len(words) > 2 and words[-1].lower() in _PREPOSITIONS and is_participle(words[-2]):
        return words[:-2]
    if len(words) > 1 and words[0].lower() in _PLACE_PREPOSITIONS:
        # "Who was on the Apollo 11 mission, and when did it land on the Moon?": the
        # mission (a trial report headed "When did on the Apollo 11 mission land …?").
        return words[1:]
    if len(words) > 2 and is_participle(words[0]) and words[1].lower() in _PLACE_PREPOSITIONS:
        # "What was decided at the Yalta Conference, and who attended it?": the place is the
        # subject (a trial report headed "Who attended decided at the Yalta Conference?").
        return words[2:]
    if len(words) > 1 and words[-1].lower() in ("like", "about"):
        # "What is Venus like, and why is it so hot?" (a trial report headed "Why is Venus
        # like so hot?"); "What is Hamlet about, and when was it written?" ("When was
        # Hamlet about written?").
        return words[:-1]
    # "What is the structure of DNA, how is it copied": "it" is DNA, not its structure;
    # "the difference between special and general relativity ... publish them": the two.
    # Not "the capital of France, and how big is it?": a capital is a topic of its own.
    lowered = [w.lower() for w in words]
    # "the main causes of deforestation": an adjective may come before the aspect (a trial
    # report headed "What are the main causes of deforestation's effects?").
    at = 2 if len(words) > 4 and lowered[1] in _ASPECT_ADJECTIVES else 1
    aspect = len(words) > at + 2 and lowered[0] == "the" and lowered[at] in _ASPECTS
    if aspect and lowered[at + 1] in ("of", "between"):
        return words[at + 2 :]
    return words


_ADJECTIVE_ENDING = re.compile(r"(?:al|ous|ic|ive|ful|less|able|ible|ent|ant|ary)$")
_AFTER_ADJECTIVE = frozenset(["among", "than", "to", "for", "from", "with", "in", "about"])
_AFTER_DETERMINER = frozenset(["the", "a", "an", "its", "their", "his", "her", "this", "that"])


def _adjective_before_preposition(words: list[str], k: int) -> bool:
    """Whether `words[k]` reads as a predicate adjective: a lower-case word with an
    adjective's ending ("unusual", "toxic", "different") or a comparative before "than",
    followed by a preposition ("unusual among", "toxic to", "hotter than")."""
    if k + 1 >= len(words) or not words[k].islower():
        return False
    if words[k - 1].lower() in _AFTER_DETERMINER:
        return False  # a noun: "the government in Rome", "the festival in Rio"
    after = words[k + 1].lower()
    if after not in _AFTER_ADJECTIVE:
        return False
    if after == "than":
        return words[k].endswith(("er", "more", "less"))
    return _ADJECTIVE_ENDING.search(words[k]) is not None


def is_participle(word: str) -> bool:
    w = word.lower()
    return w.endswith("ed") or w in _PARTICIPLES or w in _PARTICIPLES.values()


# Verbs whose object is followed by its complement: "What makes the Dead Sea unusual?".
_CAUSATIVES = frozenset({"make", "makes", "made"})


def subject(question: str) -> Subject | None:
    """The first part's subject, when its form shows it; None when it does not."""
    words = _strip_compound(_words(question_parts(question)[0]))
    if len(words) > 2 and words[0].lower() in _AUXILIARIES:
        return _asked_whether(words)
    if len(words) < 2 or words[0].lower() not in _OPENERS:
        return None
    opener, rest = words[0].lower(), words[1:]
    if opener == "how" and len(rest) > 2 and rest[0].lower() in _DEGREES:
        # "How big was Tyrannosaurus, and when did it live?": a trial report headed its
        # second section "When did it live?" and searched for "live big tyrannosaurus";
        # "How fast does bamboo grow, and where does it grow?" likewise.
        auxiliary = rest[1].lower()
        if auxiliary in _BE:
            noun = _noun_of_be(rest[2:], "what")
        elif auxiliary in _AUXILIARIES:
            noun = _noun_before_verb(rest[2:])
        else:
            return None
        return Subject(" ".join(noun), opener, auxiliary) if noun else None
    if opener == "how" and rest[0].lower() in ("many", "much"):
        return _counted_of(rest[1:])
    if rest[0].lower() in _AUXILIARIES:
        auxiliary, rest = rest[0].lower(), rest[1:]
        noun = _noun_of_be(rest, opener) if auxiliary in _BE else _noun_before_verb(rest)
        return Subject(" ".join(noun), opener, auxiliary) if noun else None
    # "What triggered World War I", "Who built the Great Pyramid of Giza": the verb comes
    # first and the subject is its object. "What role does chlorophyll play" and "Which
    # gases contribute most" have a noun there, so neither form is read.
    if opener not in ("what", "who") or any(w.lower() in _AUXILIARIES for w in rest[:3]):
        return None
    verb, rest = rest[0], rest[1:]
    if not rest or verb[:1].isupper() or verb.lower() in _DETERMINERS:
        return None
    if rest[0].lower() in _PLACE_PREPOSITIONS and len(rest) > 1:
        # "What happened at Chernobyl, and what were its consequences?": the place is the
        # subject, and no verb acts on it (a trial report headed "What were at Chernobyl's
        # consequences?").
        return Subject(" ".join(rest[1:]), opener)
    if verb.lower() in ("happened", "became") and rest[0].lower() in ("to", "of") and rest[1:]:
        # "What happened to Amelia Earhart?", "What became of the dodo?": the one whose
        # fate is asked (a trial report's background had read "What they say of to …").
        return Subject(" ".join(rest[1:]), opener, None, verb.lower())
    while len(rest) > 1 and rest[-1].lower() in _ADVERBS:
        rest = rest[:-1]  # "Who explored Antarctica first": the subject is Antarctica
    if verb.lower() in _CAUSATIVES and len(rest) > 1:
        if rest[0].lower() == "up":
            rest = rest[1:]  # "What makes up the atmosphere": the atmosphere
        elif rest[-1].islower():
            # "What makes the Dead Sea unusual": its complement is no part of the subject (a
            # trial report's background read "What they say of the Dead Sea unusual").
            rest = rest[:-1]
            while len(rest) > 1 and rest[-1].lower() in ("so", "very", "too"):
                rest = rest[:-1]
    return Subject(" ".join(rest), opener, None, verb.lower())


def _counted_of(rest: list[str]) -> Subject | None:
    """What a "How many …" part counts of, `rest` being its words after "many": the subject
    of "How many moons does Jupiter have", the place or event of "How many people died in
    the Chernobyl disaster" (a trial report headed its second section "What caused it?"),
    the thing of "… in the sinking of the Titanic". A later "they" is what is counted, not
    the subject ("… and what are they made of?" asks of the moons), and is left as it is."""
    if len(rest) < 3:
        return None
    auxiliary = rest[1].lower()
    if auxiliary in _AUXILIARIES and auxiliary not in _BE:
        noun = _noun_before_verb(rest[2:])
        return Subject(" ".join(noun), "how many", auxiliary) if noun else None
    for j in range(1, len(rest) - 1):
        if rest[j][:1].isupper():
            return None
        if rest[j].lower() not in _PLACE_PREPOSITIONS:
            continue
        place = rest[j + 1 :]
        gerund = len(place) > 3 and place[0].lower() == "the" and place[1].endswith("ing")
        if gerund and place[2].lower() == "of":
            place = place[3:]
        if place[0][:1].isupper() or place[0].lower() in _DETERMINERS:
            return Subject(" ".join(place), "how many")
        return None
    return None


# "How many are left …?": a count whose noun is left out, before a verb of being or living.
_HOW_MANY_ELIDED = re.compile(
    r"how many(?=\s+(?:are|were|remain|remained|survive|survived|exist|existed|live|still)\b)",
    re.IGNORECASE,
)


def _plural_object(question: str, about: Subject) -> str | None:
    """What a yes/no first part ends on when it is plural ("rings" of "Does Saturn have
    rings"), which a later part's "they" points at: headed by the subject when the part asks
    what it has ("Saturn's rings"); None when the part ends on another word."""
    words = _words(question_parts(question)[0])
    if not (words[-1].isalpha() and has_plural_ending(words[-1].lower())):
        return None
    # After the auxiliary, the subject and its verb: "Does Saturn emit radio waves".
    start = 1 + len(about.noun.split()) + 1
    things = [w for w in words[start:] if w.lower() not in ("any", "many", "some")]
    while things and things[0].lower() in _PREPOSITIONS | _DETERMINERS:
        things = things[1:]
    if not things or start > len(words):
        return words[-1]
    if words[start - 1].lower() != "have":
        return " ".join(things)
    return " ".join([possessive(about.noun), *things])


_AFTER_PARTICIPLE = _PREPOSITIONS | _DETERMINERS | frozenset(["as", "by", "to"])


def _asked_whether(words: list[str]) -> Subject | None:
    """The subject of a yes/no first part: "Is Pluto a planet" -> "Pluto", "Is caffeine
    addictive" -> "caffeine", "Do black holes emit Hawking radiation" -> "black holes" (a
    trial report on Pluto headed its second section "Why was it reclassified?")."""
    auxiliary, rest = words[0].lower(), words[1:]
    if auxiliary not in _BE:
        noun = _noun_before_verb(rest)
    elif (name := _leading_name(rest)) and len(name) < len(rest):
        noun = name
    else:
        article = next((k for k, w in enumerate(rest) if w.lower() in _DETERMINERS), None)
        # Or before its participle: "Is it recognized as a country" -> "it" (read as "it
        # recognized as", a trial report took the part's asked words to be "country" alone
        # and declared it beside "… internationally recognised as part of Moldova").
        # Only a participle its object or agent follows: "seed" in "Is hemp seed oil legal"
        # ends in "-ed" too.
        done = next(
            (
                k
                for k in range(1, len(rest) - 1)
                if is_participle(rest[k]) and rest[k + 1].lower() in _AFTER_PARTICIPLE
            ),
            None,
        )
        end = done if done is not None and (article is None or done < article) else article
        noun = rest[:end] if end else rest[:1] if len(rest) == 2 else []
    return Subject(" ".join(noun), "whether", auxiliary) if noun else None


def _lone_part(word: str, about: Subject, question: str) -> str | None:
    """ "..., when, ..." as a question of its own: "When was the Great Pyramid of Giza
    built?" from "Who built the Great Pyramid of Giza"; "When did the Western Roman Empire
    fall?" from "Why did the Western Roman Empire fall"."""
    if about.verb is not None:
        participle = _PARTICIPLES.get(about.verb, about.verb if about.verb.endswith("ed") else "")
        if not participle:
            return None
        be = "were" if about.noun.endswith("s") and not about.noun.endswith("ss") else "was"
        return f"{word.capitalize()} {be} {about.noun} {participle}?"
    if about.auxiliary is None or about.opener == "how many":
        return None
    words = _strip_compound(_words(question_parts(question)[0]))
    if len(words) > 1 and words[1].lower() in _DEGREES:
        return None  # "How big was it, and when?": not "When big was it?"
    return " ".join([word.capitalize(), *words[1:]]) + "?"


def _after_previous(word: str, part: str, question: str) -> str | None:
    """A lone question word asks it of the part just before it, when that is not the
    first: "What is the Great Wall of China, when was it built, and why?" asks why it was
    built (a trial report headed "Why is the Great Wall of China?", from the first part)."""
    parts = question_parts(question)
    index = next((k for k, p in enumerate(parts) if p.lower() == part.lower()), 0)
    if index < 2:
        return None
    previous = standalone_part(parts[index - 1], question)
    nearer = subject(previous)
    return _lone_part(word, nearer, previous) if nearer is not None else None


# Not the "there" of being: "How many are there?" asks no place.
_THERE = re.compile(
    r"(?<!\bare )(?<!\bis )(?<!\bwere )(?<!\bwas )\bthere(?=\s*\??\s*$)", re.IGNORECASE
)
_NAMED = re.compile(r"^(?:the\s+)?[A-Z]")
# A place a first part names: "the capital of Morocco", "the Great Barrier Reef in Australia".
_PLACE_NAME = re.compile(
    r"\b(?:of|in|at|from)\s+(?:the\s+)?(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
)


def place_of_there(part: str, question: str) -> str | None:
    """The place a closing "there" of `part` stands for: the last place the question's first
    part names after "of", "in", "at" or "from", else its subject when that is a name ("What
    is the capital of Morocco, and what languages are spoken there?": Morocco; a trial report
    answered that part with "The official language of Tunisia is Arabic")."""
    if not _THERE.search(part) or question_parts(question)[0].lower() == part.lower():
        return None
    place = _last_place(question_parts(question)[0])
    named = subject(question)
    # "What is the Great Barrier Reef, and what lives there?"; and a name with "of" inside,
    # whose last words are a place of their own: "the Gulf of California", not "California"
    # (a trial report headed "Which animals live in California?").
    if named and _NAMED.search(named.noun) and (place is None or place in named.noun):
        place = named.noun
    return place


def _kind_of_place(part: str, question: str) -> str | None:
    """The kind of place a closing "there" stands for when the first part asks what one is:
    "a marsh" in "What is a marsh, and which animals live there?" (a trial report headed it
    "Which animals live there?"). Only for the heading: unlike a named place, a sentence
    answering the part need not name the kind ("cacti" of a desert)."""
    if not _THERE.search(part) or question_parts(question)[0].lower() == part.lower():
        return None
    named = subject(question)
    return named.noun if named and re.match(r"(?:a|an)\s", named.noun, re.IGNORECASE) else None


def _last_place(first_part: str) -> str | None:
    """The last name after "of", "in", "at" or "from" in `first_part`, with its "the"."""
    found = list(_PLACE_NAME.finditer(first_part))
    if not found:
        return None
    m = found[-1]
    the = "the " if re.search(r"\bthe\s+$", first_part[: m.start("place")]) else ""
    return the + m.group("place")


# What a thing did, as the noun of the event: "the fall of the Berlin Wall" of "When did the
# Berlin Wall fall?".
_HAPPENINGS = {
    "fall": "fall", "collapse": "collapse", "sink": "sinking", "end": "end",
    "begin": "beginning", "start": "start", "erupt": "eruption", "explode": "explosion",
    "crash": "crash", "die": "death", "die out": "extinction", "go extinct": "extinction",
    "become extinct": "extinction", "disappear": "disappearance", "decline": "decline",
    "burn": "burning", "dissolve": "dissolution", "break up": "breakup", "fail": "failure",
}  # fmt: skip
# A later part whose "it" is what happened, not the thing it happened to: "what led to it",
# "why did it happen".
_POINTS_AT_HAPPENING = re.compile(
    r"^(?:(?:what|who) (?:caused|triggered|started|sparked|drove|led to|brought about|"
    r"followed|prevented|stopped) it|(?:why|how) did it (?:happen|occur|take place))\?$",
    re.IGNORECASE,
)
_IT_ALONE = re.compile(r"\bit\b")
# Subjects that are events themselves: "When did World War II end, and what caused it?" asks
# as well what caused the war.
_EVENT_NOUNS = frozenset(
    ["war", "revolution", "battle", "crisis", "pandemic", "epidemic", "depression",
     "recession", "conflict", "siege", "invasion", "rebellion", "uprising", "era", "age"]
)  # fmt: skip


_DOES_IT = re.compile(
    r"^(?P<wh>why|how|when|where) (?:do|does|did) (?:they|it|he|she) do (?:it|this|that|so)\?$",
    re.IGNORECASE,
)
# A part that leaves out what affects: "Which countries are most affected?".
_AFFECTED_ELIDED = re.compile(
    r"\b(?:most|worst|hardest|least) (?P<verb>affected|hit|impacted|harmed|threatened|"
    r"endangered|at risk)\s*\?$",
    re.IGNORECASE,
)


def _predicate(question: str, about: Subject) -> str | None:
    """What the first part says of its subject after its question word, auxiliary and
    subject: "migrate" of "How do birds migrate", "fall" of "When did the Berlin Wall fall?"."""
    if about.auxiliary is None or about.verb is not None:
        return None
    first = question_parts(question)[0].rstrip("?").strip()
    m = re.match(rf"^\w+ {about.auxiliary} {re.escape(about.noun)} (?P<rest>.+)$", first)
    return m.group("rest") if m else None


def _what_it_does(question: str, about: Subject) -> str | None:
    """The first part's "<auxiliary> <subject> <verb …>", which a later "do it" repeats:
    "do birds migrate" of "How do birds migrate"."""
    if about.auxiliary not in ("do", "does", "did"):
        return None
    rest = _predicate(question, about)
    return f"{about.auxiliary} {about.noun} {rest}" if rest else None


def _happening(question: str, about: Subject) -> str | None:
    """What the first part says happened to its subject, as a noun phrase: "the fall of the
    Berlin Wall" of "When did the Berlin Wall fall?" (a trial report headed "What led to it?"
    as "What led to the Berlin Wall?" and answered it with why the wall was built)."""
    if about.auxiliary != "did" or _EVENT_NOUNS & {w.lower() for w in about.noun.split()}:
        return None
    rest = _predicate(question, about)
    noun = _HAPPENINGS.get(rest.lower()) if rest else None
    return f"the {noun} of {about.noun}" if noun else None


def standalone_part(part: str, question: str) -> str:
    """`part` with a pronoun that points at the question's subject replaced by it, so the
    part reads on its own in a list ("How are they detected?" -> "How are tsunamis
    detected?"); a lone "When?" made a question of its own. Parts without such a pronoun,
    or whose subject the question's form does not show, are unchanged."""
    if question_parts(question)[0].lower() == part.lower():
        return part
    there = _THERE.search(part)
    place = place_of_there(part, question) or _kind_of_place(part, question)
    if there and place:
        return f"{part[: there.start()]}{_on_or_in(place)} {place}{part[there.end() :]}"
    about = subject(question)
    if about is None:
        return part
    lone = LONE_PART.fullmatch(part.strip())
    if lone:
        word = lone.group("word")
        return _after_previous(word, part, question) or _lone_part(word, about, question) or part
    happening = _happening(question, about) if _POINTS_AT_HAPPENING.match(part.strip()) else None
    if happening is not None:
        return _IT_ALONE.sub(happening, part, count=1)
    done = _DOES_IT.match(part.strip())
    if done and (again := _what_it_does(question, about)) is not None:
        # "How do birds migrate, and why do they do it?": "do it" is migrating (a trial
        # report headed "Why do birds do it?").
        return f"{done.group('wh').capitalize()} {again}?"
    event = _EVENT.fullmatch(part.strip())
    # "What destroyed Pompeii, and when did it happen?": "it" is the destruction ("When was
    # Pompeii destroyed?"; a trial report headed "When did Pompeii happen?" and declared it
    # not covered beside a short answer giving 79 AD). After "What caused the Black
    # Death" the event is the subject itself, and the pronoun is replaced as any other.
    acted_on = about.verb is not None and about.verb.lower() not in _CAUSING
    if event and (about.auxiliary == "did" or acted_on):
        return _lone_part(event.group("word"), about, question) or part
    noun = about.noun
    bare = re.sub(r"^(?:a|an|the)\s+", "", noun, flags=re.IGNORECASE)

    # "What is a black hole, and how are they detected?": "they" are black holes.
    many = noun
    if re.match(r"(?:a|an)\s", noun, re.IGNORECASE):
        many = plural_phrase(bare)

    affected = _AFFECTED_ELIDED.search(part)
    if affected and about.verb is None:
        # "What is malaria, and which countries are most affected?": affected by malaria (a
        # trial report headed "Which countries are most affected?"); "How do hurricanes
        # form, and which areas are most affected?" by hurricanes.
        linker = "of" if affected.group("verb").lower() == "at risk" else "by"
        end = affected.end("verb")
        return f"{part[:end]} {linker} {many}{part[end:]}"

    # "Where do lions live, and how many are left in the wild?": the count is of the plural
    # subject (a trial report headed "How many are left in the wild?").
    counted = _HOW_MANY_ELIDED.match(part)
    if counted and (many != noun or has_plural_ending(bare.lower())):
        things = re.sub(r"^the\s+", "", many, flags=re.IGNORECASE)
        return f"{part[: counted.end()]} {things}{part[counted.end() :]}"

    # "Do black holes emit Hawking radiation, and how was it predicted?": "it" is not the
    # subject of a plural "do" or "are". (Only for a yes/no question: "How do antibiotics
    # work, …, and why are bacteria becoming resistant to it?" has long read "… to
    # antibiotics?", and "What is plate tectonics" is singular with a plural's ending.)
    plural = about.opener == "whether" and about.auxiliary in ("do", "are", "were", "have")

    # "Does Saturn have rings, and what are they made of?": "they" are the rings, not Saturn
    # (a trial report headed "What are Saturn made of?").
    singular = about.opener == "whether" and about.auxiliary in ("does", "is", "was", "has")
    things = _plural_object(question, about) if singular else None
    counting = about.opener == "how many"

    def swap(m: re.Match[str]) -> str:
        word = m.group("p").lower()
        if plural and word in ("it", "its"):
            return m.group(0)
        if counting and word in _PLURAL_PRONOUNS | {"their"}:
            return m.group(0)
        if singular and word in _PLURAL_PRONOUNS | {"their"}:
            if things is None:
                return m.group(0)
            return f"{things}'" if word == "their" else things
        if word == "their" and many != noun:
            return f"{many}'"
        if word in ("their", "its"):
            return possessive(noun)
        if word in _PLURAL_PRONOUNS:
            return many
        return noun if word == "it" else bare

    made = _made_by_person(question, about)
    if made is not None and _IT.search(part):
        # "What did Nicolaus Copernicus propose, and why was it controversial?": "it" is
        # what he proposed, never the person (a trial report headed "Why was Nicolaus
        # Copernicus controversial?"; "How does Nikola Tesla work?" after "What did Nikola
        # Tesla invent").
        return _IT.sub(lambda m: made if m.group(0).lower() == "it" else f"{made}'s", part, count=1)
    if about.opener == "who" and about.verb is None and _PERSONAL.search(part):
        # "Who was Joan of Arc, and why was she executed?": a trial report listed "Why was
        # she executed?" as not covered, and headed its section so.
        return _PERSONAL.sub(lambda m: _person(m, noun), part, count=1)
    if _PERSONAL.search(part) and not PRONOUN.search(part) and looks_like_person(noun):
        # "What did Nikola Tesla invent, and why did he fall out with Thomas Edison?": "he"
        # is the person the question names first (a trial report headed "Why did he fall
        # out with Thomas Edison?"). Not after "Who invented the telephone": "he" is the
        # answer then.
        return _PERSONAL.sub(lambda m: _person(m, noun), part, count=1)
    # "Who carried them out?" -> "Who carried out the September 11 attacks?", not "Who
    # carried the September 11 attacks out?" (a trial report's heading).
    part = _PARTICLE_AFTER.sub(r"\g<particle> \g<p>", part, count=1)
    out = PRONOUN.sub(swap, part, count=1)
    if out == part and re.match(r"(?:a|an)\s", noun, re.IGNORECASE):
        # "What is a solar eclipse, and how often does one occur?": "one" is a solar eclipse
        # (a trial report's heading read "How often does one occur?"). Only after an
        # auxiliary and with nothing else pointing back: "How can one see it?" is anyone.
        # "What is a supernova, and what happens after one?", "… which animals have one?":
        # "one" ends the part after a preposition or a verb of having (trial reports headed
        # "What happens after one?" and "Which animals have one?").
        out = _ONE.sub(lambda m: f"{m.group('aux') or m.group('aux2')} {noun}", part, count=1)
    ranked = _RANKED_ONE.search(out)
    if out == part and ranked:
        # "How do telescopes work, and who built the first one?": one telescope (a trial
        # report headed "Who built the first one?").
        one = singular_of(bare) if has_plural_ending(bare.lower()) else bare
        if ranked.group("one").lower() == "ones":
            # "What is a symphony, and who wrote the most famous ones?" (a trial report's
            # heading read so).
            one = plural_phrase(one)
        out = f"{out[: ranked.start('one')]}{one}{out[ranked.end('one') :]}"
    if not re.match(r"the\s", many, re.IGNORECASE):
        # "Where do most of them occur?" -> "Where do most earthquakes occur?", not "most
        # of earthquakes" (a trial report's heading); "Which of the Great Lakes …" stays.
        out = re.sub(rf"\b({_QUANTIFIER}) of ({re.escape(many)})\b", r"\1 \2", out)
    return out


_IT = re.compile(r"\b(?:it|its)\b", re.IGNORECASE)
_WHAT_DID = re.compile(r"what\s+did\s+(?P<who>.+?)\s+(?P<verb>[a-z]+)\s*\??", re.IGNORECASE)


def _made_by_person(question: str, about: Subject) -> str | None:
    """What the person the question opens on made or did, as a noun phrase ("Nicolaus
    Copernicus's proposal"), when its first part is "What did <person> <verb>?" and
    WordNet has a noun for the verb (`Lexicon.nominalisation`)."""
    m = _WHAT_DID.fullmatch(" ".join(question_parts(question)[0].split()))
    who = m.group("who") if m else ""
    if who != about.noun or who.lower().startswith("the ") or not looks_like_person(who):
        return None
    assert m is not None
    noun = default_lexicon().nominalisation(m.group("verb").lower())
    return f"{possessive(about.noun)} {noun}" if noun else None


_ASKS_DEFINITION = re.compile(
    r"(?:who|what)\s+(?:is|was|are|were)\s+(?P<asked>[^?,;]+?)\s*\??", re.IGNORECASE
)


def asked_definition(part: str) -> str | None:
    """What `part` asks to have defined, when that is all it asks: "Who was Vincent van
    Gogh?" -> "Vincent van Gogh", "What is a black hole?" -> "a black hole"."""
    m = _ASKS_DEFINITION.fullmatch(" ".join(part.split()))
    return m.group("asked") if m else None


_PARTICLES = frozenset(["out", "up", "off", "down", "away", "back", "over"])
_PARTICLE_AFTER = re.compile(
    rf"\b(?P<p>them|it)\s+(?P<particle>{'|'.join(_PARTICLES)})(?=\s*\??\s*$)", re.IGNORECASE
)
_ONE = re.compile(
    r"\b(?P<aux>does|do|did|is|was|can|could|will|would|might|may) one\b|"
    r"\b(?P<aux2>after|before|during|inside|within|from|in|of|have|has|had|use|uses|own|owns)"
    r" one(?=\s*\?|$)",
    re.IGNORECASE,
)
# "the first one", "the deadliest one": one of the question's subject.
_RANKED_ONE = re.compile(
    r"\bthe (?:first|second|third|last|next|best[- ]known|most (?-i:[a-z]+)|(?-i:[a-z]+est)) "
    r"(?P<one>ones?)\b",
    re.IGNORECASE,
)
_QUANTIFIER = r"(?i:most|many|some|all|few|several|both)"
_PERSONAL = re.compile(r"\b(?P<p>he|she|him|his|her)\b", re.IGNORECASE)


def _person(m: re.Match[str], name: str) -> str:
    """The person's name for a personal pronoun: "his empire" -> "Alexander the Great's
    empire", "she" -> "Joan of Arc"; "her" ending the part is the object ("Who betrayed
    her?")."""
    word = m.group("p").lower()
    ends = not m.string[m.end() :].strip(" ?")
    if word == "his" or (word == "her" and not ends):
        return possessive(name)
    return name


def scored_part(part: str, question: str) -> str:
    """The words a sentence answering `part` is scored against. A later part with no words
    of its own to match — a lone "When?", "When did it happen?", "How long did it take?",
    "What caused it?": every word generic or the question's subject's — or only one and a
    pronoun for the subject ("How is it treated?") is scored as it reads on its own ("What
    caused the Black Death?", "How is malaria treated?"). On its own words no sentence comes
    near it: MiniLM scores "Black Death: The disease was caused by the bacterium Yersinia
    pestis …" 0.30 against "What caused it?" and 0.70 against "What caused the Black Death?".
    Any other part is scored by its own words, because with the question's subject added
    every sentence on the subject scores alike."""
    bare = part.strip()
    if LONE_PART.fullmatch(bare) or _EVENT.fullmatch(bare) or _THERE.search(bare):
        # "there" is scored as the place it stands for: "What languages are spoken there?"
        # had scored Tunisia's official language as close as Morocco's.
        return standalone_part(part, question)
    parts = question_parts(question)
    if part not in parts[1:]:
        return part
    # A verb's particle is no word of its own: "Who carried them out?" has one, "carried".
    own = distinctive_words(parts, parts.index(part)) - _PARTICLES
    # "How is it treated?", "How did it end?": one word of its own, a verb whose object is
    # the question's subject; alone it matches any treatment, any ending.
    if not own or (len(own) == 1 and PRONOUN.search(part)):
        return standalone_part(part, question)
    return part


# Places one lives or lands on, not in: "Could humans live on Mars?" (a trial report headed
# "Could humans live in Mars?").
_ON_PLACES = frozenset(["planet", "satellite", "island"])


def _on_or_in(place: str) -> str:
    """The preposition of being at `place`: "on" a planet, a moon or an island (WordNet),
    "in" anywhere else."""
    return "on" if default_lexicon().filed_under([place.lower()], _ON_PLACES) else "in"
