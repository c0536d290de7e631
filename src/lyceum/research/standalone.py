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

from lyceum.claimcheck.lexicon import default_lexicon
from lyceum.research.matching import (
    STOPWORDS,
    has_plural_ending,
    plural_of,
    plural_phrase,
    possessive,
    sentences,
    stem,
    without_possessive,
)

# Connectives that only add to the sentence before: dropping them loses nothing.
_ADDITIVE = re.compile(
    r"^(moreover|furthermore|in addition|additionally|also|besides|what is more|in fact|"
    r"indeed|notably|importantly|in particular|for example|for instance),\s+",
    re.IGNORECASE,
)
# Connectives whose meaning is a relation to the sentence before (contrast, consequence, time).
_RELATIONAL = re.compile(
    r"^(?:(however|therefore|thus|hence|consequently|nevertheless|nonetheless|meanwhile|"
    r"accordingly|subsequently|conversely|likewise|similarly|yet|then|thereby|thereafter|"
    r"thereupon)\b"
    r"|(instead|still|later|afterwards?|finally|otherwise|earlier|previously),"
    r"|(in contrast|by contrast|on the other hand|as a result|as such|in turn|even so|"
    r"in the same way|at the same time|by then|until then|since then|after that|"
    r"before that|as a consequence|because of this|for this reason)\b"
    # Only with the comma: "In response to the war, ..." names what it responds to.
    r"|(in response|in return|in reply|to this end|in doing so|in this way|in that case|"
    r"in this case),)",
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
# The same after a participle: "Using this mechanism,", "Following these events,". Not
# "that", which after a participle is usually a relative ("Using methods that work, ...").
_PARTICIPLE_LEAD = re.compile(
    r"^[a-z]+ing\b[^,;:]{0,50}\b(this|these|those)(\s+\w+)?\s*,",
    re.IGNORECASE,
)
# A demonstrative standing for a noun in the sentence's first words: "An example of this is
# a volcanic eruption …" (on *Explosion*, printed in a report on volcanoes), "The most
# common of these are …", "Prior to this, …". Later in a sentence "these" mostly points
# back inside it ("Antiparticles … only a tiny fraction of these"), so only the opening
# seven words count; over the 36,961 sentences of the offline Wikipedia leads this finds
# 14 sentences the other rules let through, all pointing at an earlier sentence.
_DEMONSTRATIVE_PRONOUN = re.compile(
    r"^(?:[\w%'’-]+\s+){0,7}?(?:of|to|for|with|from|than) (?:this|these|those)"
    r"(?=\s*(?:[,.;:]|(?:is|was|are|were|include|includes|included|can|could|may|might|has|"
    r"have|had)\b))",
    re.IGNORECASE,
)
_TIME = (
    r"(century|year|decade|month|week|day|period|era|age|time|season|night|morning|"
    r"evening|summer|winter|spring|autumn|date)"
)
# The verbs after which "the former" or "the latter" is a pronoun ("The former was built"),
# not a modifier ("the former USSR").
_POINTING_VERB = (
    r"(?:is|was|are|were|has|had|can|could|may|might|will|would|became|becomes|remains?|"
    r"remained|includes?|included|contains?|contained|consists?|consisted|comprises?|"
    r"comprised)"
)
_BACK_REFERENCES = re.compile(
    rf"\bthat {_TIME}\b|\bthose {_TIME}s\b"
    r"|\bthe (same|following|next|previous|preceding|prior) (century|year|decade|month|week|"
    r"day|period|era|season|night|morning|evening|summer|winter|spring|autumn|date)\b"
    r"|\bthe (above|aforementioned)\b|\b(mentioned|noted|described) (above|earlier)\b"
    # "A typhoon is the same thing which occurs in ...": the same as what?
    r"|\bthe same (thing|one|phenomenon|process|event|storm|object)\b(?! as\b)"
    # "the former" as a pronoun ("The former was built"), not as in "the former USSR"; "the
    # latter" near the start points back ("The latter term is deprecated …", on *Amount of
    # substance*; "In the latter case, …"), unless it is of an age ("the latter half of …")
    # or it points at the start of its own sentence ("…, the latter including …").
    r"|^(?:\S+\s+){0,5}(?-i:[Tt]he latter)\b(?!\s+(?:half|part|years?|decades?|centur(?:y|ies)|"
    r"stages?|days|period|phase)\b)"
    rf"|\bthe (latter|former)(?=\s*[,.;:)]|\s+{_POINTING_VERB}\b)"
    r"|\b\w+ (years?|decades?|months?|weeks?|days?|centuries) (later|earlier|afterwards?)\s*[,.;]"
    # A contrast inside the sentence: with what, a sentence not shown says ("Elementary
    # algebra, on the other hand, uses arithmetic operators …").
    r"|,\s+(?:however|on the other hand|by contrast|in contrast)\s*,"
    # "Adrenaline does this by binding to alpha and beta receptors" (a trial report): does
    # what a sentence not shown says.
    r"|\b(?:does|did|do) (?:this|that) (?:by|through|via|using)\b",
    re.IGNORECASE,
)
_QUANTIFIED_BACK = re.compile(
    r"^(one|some|many|most|all|none|each|several|few|two|three|half|either|neither|both) "
    r"of (them|these|those|which)\b"
    r"|^the (two|three|four) (are|were|have|had|can|could|may|share|shared|differ|differed)\b"
    # "Both use molecules and cells …" (the innate and the adaptive immune system, named in a
    # sentence not shown); "Both DNA and RNA are …" names its two.
    r"|^(both|either|neither) (are|were|is|was|have|has|had|can|could|may|might|will|would|"
    r"use|share|differ|contain|play|involve|rely|work|include|occur|produce|require|act|"
    r"(?-i:[a-z]+ed))\b"
    # "Many are fragments from comets or asteroids, whereas others are …" (on *Meteoroid*,
    # printed in a trial report on comets): many of the things a sentence not shown names.
    # Not people saying or judging ("Some have claimed …", "Many have called the first-night
    # reaction a riot", "Some would consider …"): of the collection's 29 lead sentences that
    # open so, those three stand alone.
    r"|^(many|most|some|several|few|others) (are|were|have|had|can|could|may|might|will|"
    r"would)\b(?! (?:called|claimed|argued|said|suggested|considered|consider|described|"
    r"believed|speculated|proposed|noted|contended|questioned|critici[sz]ed|praised)\b)"
    r"|^the same\b|^there (he|she|it|they|we)\b"
    # "The first is the interconnected body of seawater …" (on *Sea*, printed in a trial
    # report on the Dead Sea): the first of what a sentence not shown lists.
    r"|^the (first|second|third|last|other) (one )?(is|was|are|were)\b"
    # "The largest of the three is Horseshoe Falls …" (on *Niagara Falls*, printed in a
    # trial report's short answer): three the reader is not told of. Not "… of the six
    # islands in the Socotra archipelago", which names them.
    r"|^the (\w+est|most \w+|first|last|larger|smaller|older|younger) of the "
    r"(two|three|four|five|six|seven|eight|nine|ten) (is|was|are|were|has|had)\b"
    # "The resulting tidal forces ...": resulting from what a sentence not shown says.
    r"|^the resulting\b"
    # "The two vaccines ...": which two, the reader was told in a sentence not shown.
    # A capitalised noun names its things ("The two World Wars").
    r"|^the (two|three|four|five|several) (?-i:[a-z][a-z-]*s)\b"
    # "Locks then lower the ships at the other end." (on *Panama Canal*, printed in a trial
    # report): a step after one the reader is not shown. Over the collection's lead
    # sentences that do not open their page, each "then" in the first four words is so,
    # but "the then prevailing view" (an adjective).
    r"|^(?:[\w'’-]+\s+){1,3}(?<!\bthe )then\s+(?!the\b)[a-z]",
    re.IGNORECASE,
)
# "The mission was crewed by ...": a definite description of one or two lower-case words
# before a verb (a listed one, a regular past tense: "The event caused ...", or a present
# tense in -s: "The polymer carries ...", "The conflict saw" aside), whose referent (Apollo
# 11, DNA) a sentence not shown named. The description takes two words when it can ("The
# chemical elements are"), so a plural noun is not read as the verb; a listed verb is never
# part of it ("The mission was crewed").
_ADVERB = r"(?:also|then|later|still|soon|often|never|once|thus|first|(?-i:[a-z]+ly))"
_VERB = (
    r"(?:is|was|are|were|has|had|have|may|might|can|could|will|would|began|became|remains|"
    r"remained|includes|included|consists|consisted|lasted|caused|led)"
)
# Words that qualify a noun and are none: in "The numerous works by Francisco Goya … are"
# (on *Museo del Prado*) "works" is the noun, not a verb of "the numerous" (a trial report
# printed "The Museo del Prado numerous works …").
_QUANTIFIERS = "numerous|many|several|various|few|countless|multiple"
_NOUN_WORD = rf"(?!(?:{_ADVERB}|{_VERB}|{_QUANTIFIERS})\b)(?-i:[a-z][a-z-]+)"
_DEFINITE_OPENER = re.compile(
    rf"^the\s+(?P<noun>{_NOUN_WORD}(?:\s+{_NOUN_WORD})?)\s+"
    rf"(?=(?:{_ADVERB}\s+)?(?:{_VERB}|(?-i:[a-z]+ed)|(?P<present>(?-i:[a-z]+[^su\W]s)))\b)",
    re.IGNORECASE,
)
# A sentence adverb that may open a sentence before its subject: "Historically, it has been
# a major link", "Today, they are". Subordinating words ("Although ..., it took six months")
# are left out: the "it" after them is often the expletive of "it took ... to".
_SENTENCE_ADVERB = (
    r"(?:[A-Z][a-z]+ly|Today|Now|Later|Then|However|Also|Thus|Therefore|Moreover|Furthermore|"
    r"Meanwhile|Instead|Nevertheless|Nonetheless|Since then|At first|At present|Once|Still)"
)
# An opening pronoun, possibly after a short prepositional phrase ("In 1905, he ..."), a
# participle phrase ("Spanning over 6,400 km (4,000 mi) on land, it played ..."), an "as"
# phrase ("As the most important treaty of World War I, it ended ...") or a sentence adverb.
# A participle phrase may be long: "Having survived the fall of the Western Roman Empire in
# the 5th century AD, it endured …" (73 characters; printed unresolved in a trial report on
# the Byzantine Empire). Each of the 45 lead sentences of the offline collection that open
# on a participle phrase of 61 to 100 characters before a pronoun is about its page's title.
_OPENER = re.compile(
    # "At 7,088 kilometers (4,404 mi) long, it is …" (on *Nile*, printed unresolved in a
    # trial report on the Amazon River, where "it" read as the Amazon): a number's thousands
    # and a short parenthesis belong to the phrase, and so does a date's comma ("With an
    # estimated population of 2.8 million as of October 1, 2025 and …, it is …", on *Osaka*,
    # printed unresolved in a trial report on Tokyo). Up to 160 characters: each of the 36
    # lead sentences of the collection opening on such a phrase of 51 to 160 before a
    # pronoun is about its page's title.
    # A list's commas belong to it too: "Along with Herculaneum, Stabiae, and many
    # surrounding villas, it was buried …" (on *Pompeii*, printed unresolved in a trial report).
    rf"^(?P<lead>(?:{_PREPOSITION}\b(?:[^,;:()]|(?<=\d),(?=\d{{3}})|(?<=\d),(?=\s\d{{4}}\b)|"
    r",(?=\s(?:and\s|or\s)?(?-i:[A-Z])[\w'’.-]*,)|,(?=\s(?:and|or)\s[^,;:()]{1,40},\s)|"
    r"\((?:[^(),;:]|(?<=\d),(?=\d{3})){0,20}\)){0,160},\s+"
    # A participle phrase may hold a list: "Encompassing a variety of polities and peoples,
    # including East Slavic, Norse, and Finnic, it was ruled by the Rurik dynasty …" (on
    # *Kievan Rus'*, printed unresolved in a trial report).
    r"|[A-Z][a-z]+ing\b(?:[^,;:]|(?<=\d),(?=\d{3})|,(?=\s(?:including|such as)\s)|"
    r",(?=\s(?:and\s|or\s)?(?-i:[A-Z])[\w'’.-]*,)|,(?=\s(?:and|or)\s[^,;:()]{1,40},\s)){0,100},\s+"
    # A past participle: "Located in northern Texas, it is …", "Considered an archetypal
    # masterpiece …, it has been described as …" (a report on the Mona Lisa printed that).
    # An adverb may come first: "Originally considered a planet, its status was changed …"
    # (on *Pluto*, printed unresolved in a trial report), "Widely regarded as …, he …"; each
    # of the 41 lead sentences of the offline collection that open so before a pronoun is
    # about its page's title.
    r"|(?:[A-Z][a-z]+ly\s+(?-i:[a-z]+ed|known|written|built|given|taken|made|held|seen|drawn|"
    r"shown|grown|chosen|spoken|begun)|[A-Z][a-z]+ed|Known|Written|Built|Given|Taken|Made|"
    r"Held|Seen|Drawn|Shown|Grown|Chosen|Spoken|Begun|Sung|Worn|Thrown)\b"
    r"(?:[^,;:]|(?<=\d),(?=\d{3})){0,100},\s+"
    # An appositive: "The third son of Genghis Khan, he continued …" (printed in a report
    # on the Mongol Empire), "A member of the Ptolemaic dynasty, she was …"; up to 160
    # characters, with a number's thousands and a short parenthesis ("The first engineer of
    # the Great Western Railway (GWR), he was responsible for …", on Brunel; "A
    # supranational union with a total area of 4,233,255 km2 (1,634,469 sq mi) and …, its
    # member states …", on the European Union: both printed unresolved in trial reports).
    # No copula, auxiliary or "but" inside: that is a clause ("The condition has a
    # significant effect on the individual, their caregivers …"). Each of the lead sentences
    # of the collection this reaches beyond the old 60-character phrase is about its page.
    r"|(?:The|A|An|One)\s(?:(?!\b(?:is|are|was|were|has|have|had|but|can|will|would)\b)"
    r"(?:[^,;:()]|(?<=\d),(?=\d{3})|\((?:[^(),;:]|(?<=\d),(?=\d{3})){0,30}\))){0,160},\s+"
    # A possessive right after an opening preposition: "At its southern end is Ar-Rub'
    # al-Khali …" (on *Arabian Desert*, printed in a report on the Sahara, "its" read as the
    # Sahara's), "After her death, Egypt became …".
    rf"|{_PREPOSITION}\s+(?=(?:its|their|his|her)\b)"
    # Or after a share of what follows: "One of its main attractions includes the
    # neoclassical … architecture …" (on *Rosario*, printed unresolved in a trial report on
    # Lionel Messi, as the opening of a quote).
    r"|(?:One|Some|Many|Most|Each|All|Several|Much|Part|Two|Three|Four|Five) of\s+"
    r"(?=(?:its|their|his|her)\b)"
    # An "as" phrase of up to 120 characters: "As the founder of the Peripatetic school of
    # philosophy in the Lyceum in Athens, he began …" (on *Aristotle*, printed unresolved in a
    # trial report); each of the 6 lead sentences of the collection opening on one of 61 to
    # 120 characters before a pronoun is about its page's title.
    r"|As\s+(?:a|an|the|one|part|its|their|his|her)\b[^,;:()]{0,120},\s+"
    # Or of one or two lower-case words: "As cereals, they are cultivated for their grains"
    # (on *Wheat*, a trial report's evidence whose "they" went unseen); each of the lead
    # sentences of the collection opening so before a pronoun is about its page's title
    # ("As supreme leader, he …", "As neotropical primates, their distribution …"), "As
    # such" aside, which points back.
    r"|As\s+(?!(?:such|usual|expected|well|follows|noted|mentioned|shown)\b)"
    r"(?-i:[a-z][\w-]*)(?:\s+(?-i:[a-z][\w-]*))?,\s+"
    # An adjective phrase: "Similar in structure to a large lymph node, it acts primarily as
    # a blood filter" (on *Spleen*, printed in a trial report on the kidney, where "it" read
    # as the kidney).
    r"|(?:Similar|Comparable|Analogous|Akin|Close|Adjacent|Related|Equivalent|Identical|"
    r"Larger|Smaller|Older|Younger|Longer|Shorter|Unique|Native|Endemic|Famous|Notable)"
    r"\b[^,;:()]{0,60},\s+"
    rf"|{_SENTENCE_ADVERB},\s+)?)"
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
    # A cleft: "It was during his reign that ...".
    r"|^it\s+(?:is|was)\s+(?:(?:also|only|not)\s+)?(?:during|in|at|on|after|before|through|"
    r"under|because|from|with|by|until|here|there|then)\b[^,;]{0,80}\bthat\b"
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
    "renaissance reformation enlightenment holocaust netherlands road race project depression "
    "death bang"
)
# Lower-case words inside names: "Leonardo da Vinci", "Philip IV of France".
_FUNCTION_WORDS = _wordset("de da van von der del di du la le bin ibn al of and the")
_MASS_SUFFIXES = tuple(_wordset("sis ism ity ness ics ogy phy tion sion ence ance ing ium"))
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
    refers to something else; it also shows whether the title takes an article. A "the
    <noun>" inside the sentence that stands for the subject is named too
    (`_inner_reference`)."""
    opened = _resolve_opening(text, title, context)
    return None if opened is None else _inner_reference(opened, title, context)


def _resolve_opening(text: str, title: str, context: str | None) -> str | None:
    """`resolve` for the sentence's opening: a connective, a definite description, a
    pronoun."""
    body = text.strip()
    for lead in (_ADDITIVE, _PAPER_LEAD):
        stripped = lead.sub("", body)
        body = body if stripped == body else _capitalised(stripped)
    body = _DESCRIBED.sub("the ", body)
    measured = _MEASURED.match(body)
    if measured and context and context.strip():
        described = _DEFINITE_OPENER.match(f"The {body[measured.end() :]}")
        if described is not None:
            return _measured(body, measured, described, title, context)
    body = _former_or_latter(body, context) or body
    if _unresolvable(body):
        return None
    short = _SHORT_NAME.match(body)
    name = _clean_title(title)
    if short and name and _by_its_head(name, short.group("head")) and context and context.strip():
        # "The Games are recognized by the International Olympic Committee …" on *Asian
        # Games*: the title's head, capitalised, is the page's name cut short (a trial
        # report on the Olympic Games printed it as the Olympic Games').
        rest = body[short.end() :]
        return f"{_capitalised(_noun_phrase(name, rest, context))}{rest}"
    definite = _DEFINITE_OPENER.match(body)
    if (
        definite
        and context
        and context.strip()
        and not _generic_plural(definite.group("noun"))
        # "The water moves from one reservoir to another": a general truth about any water.
        and not (definite.group("present") and definite.group("noun").split()[-1] in _MASS)
    ):
        if not _names(body, title, definite.end(), definite.group("noun")):
            return _definite(body, definite, title, context)
        if _only_inside_other_names(body, _clean_title(title) or title):
            # "The city is the cultural anchor of … Greater Kyoto": named only inside
            # another name, so tied to the subject when it can be, and kept as it stands
            # when not ("The city is within the larger Liverpool City Region").
            tied = _definite(body, definite, title, context)
            if tied is not None:
                return tied
    m = _opening_pronoun(body)
    if m is None:
        return body
    pronoun, lead, rest = m.group("pron").lower(), m.group("lead"), body[m.end() :]
    if (
        lead
        and name
        and pronoun in _POSSESSIVES
        and _agrees(pronoun, name, context)
        and _named_after_its_phrase(rest, name)
    ):
        # "Despite its taxonomic severity, the Late Ordovician mass extinction did not …":
        # the pronoun looks ahead to the subject its phrase opens on (a trial report printed
        # "Despite the Late Ordovician mass extinction's taxonomic severity, the Late
        # Ordovician mass extinction …").
        return body
    if lead and _names_the_subject(lead, title):
        # "As a glacier moves, it abrades …" (on *Glacier*): the pronoun's antecedent is in
        # the sentence; a trial report printed "As a glacier moves, a glacier abrades …".
        return body
    if pronoun in ("we", "our"):
        subject = "the authors'" if pronoun == "our" else "the authors"
    else:
        subject = _subject(title, pronoun, rest, context if context and context.strip() else None)
        if subject is None:
            return None
    return lead + (subject if lead else _capitalised(subject)) + rest


# "The 2,574 km (1,599 mi) river rises in Zambia …" (on *Zambezi*, printed in a trial
# report's short answer on the Mekong as an answer to which countries the Mekong flows
# through): a definite description whose length stands before its noun.
_LENGTH_UNIT = r"(?:km|mi|m|ft|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet)"
_MEASURED = re.compile(
    r"^the\s+(?P<measure>\d[\d,.]*(?:[\s\u00a0]+|-)"
    rf"{_LENGTH_UNIT}(?:-long)?(?:\s*\([^()]*\))?(?:\s+(?:long|tall|high|wide|deep))?)\s+"
    r"(?=[a-z])",
    re.IGNORECASE,
)


def _measured(
    body: str, measured: re.Match[str], described: re.Match[str], title: str, context: str
) -> str | None:
    """`body`, whose opening description has a length (`_MEASURED`; `described` is "The"
    and the rest of it, as `_DEFINITE_OPENER` matched it), with the description named as
    the rest of its kind are (`_resolve_opening` on "The river rises …") and the length
    kept before the name: "The 2,574 km (1,599 mi) Zambezi river rises …", every word but
    the name the passage's (the claim check reads "…, 2,574 km long," as a word added, and
    "Zambezi" for "river" as one swapped, and must then be very sure). None when the
    description cannot be named: a length alone does not say which river."""
    rest = body[measured.end() :]
    plain = _resolve_opening(f"The {rest}", title, context)
    if plain is None or plain == f"The {rest}":
        return None
    after = rest[described.end() - len("The ") :]
    if not plain.endswith(after):
        return None
    name = plain[: len(plain) - len(after)].rstrip()
    name = name[len("The ") :] if name.startswith("The ") else name
    noun = described.group("noun")
    if not name.lower().endswith(noun.lower()):
        name = f"{name} {noun}"  # "Zambezi river": the claim check reads the name as added
    return f"{body[: measured.end()]}{name} {after}"


# The noun a passage's first sentence files its subject under: "South Sudan, officially the
# Republic of South Sudan, is a landlocked country in East Africa" → "country".
_CLASS_NOUN = re.compile(
    r"\b(?:is|was|are|were)\s+(?:a|an|the)\s+"
    r"(?:(?!(?:the|a|an|about|of|in|on|for|with|from|by|and|or)\b)[\w'’-]+\s+){0,4}?"
    r"(?P<noun>(?-i:[a-z][a-z-]+))"
    r"(?=\s+(?:in|of|on|at|that|which|who|from|located|based|by|with|for|and|between|near)\b"
    r"|\s*[,.;(])"
)
# What may follow "the <noun>" standing for the subject: a verb, a function word, a
# possessive or punctuation; not another noun ("the capital city of …", "the opera
# repertory") nor a description of its own ("the country of …", "the period during which").
_AFTER_REFERENCE = (
    r"(?:['’]s\b|\s*[,.;:)]|\s*$|\s+(?:is|was|are|were|has|had|have|also|and|or|but|in|on|"
    r"at|to|from|with|since|as|for|became|remains|remained|can|could|may|might|will|would|"
    r"still|then|now|until|after|before|under|over|into|through|itself|(?-i:[a-z]+ed))\b)"
)
_NOT_AFTER = (
    r"(?:that|which|who|whom|whose|where|when)\b|(?:at|in|during|to|on|by|from|for) which\b"
)
# A named partner or owner narrows the noun to some of its kind: "both this and the wars with
# Macedonia" on *Macedonian Wars* are four of them (a trial report printed "… the
# Macedonian Wars with Macedonia …").
_NAMED_PARTNER = r"\s+(?:with|against|between|of|for)\s+(?:the\s+)?(?-i:[A-Z])"
# "The Games …", "The Republic …": a capitalised head noun after "the".
# Followed as a subject is ("The Games are …"), not as a modifier ("The Fourier transform").
_SHORT_NAME = re.compile(
    rf"^the\s+(?P<head>(?-i:[A-Z][a-z]+))(?={_AFTER_REFERENCE})(?!\s*,?\s*{_NOT_AFTER})",
    re.IGNORECASE,
)


def _by_its_head(name: str, head: str) -> bool:
    """Whether `head` is the last word of `name`, a name of two or more words that does
    not open on "The" ("The Sunday Times" is not "The Times")."""
    words = name.split()
    return len(words) > 1 and words[0] != "The" and words[-1] == head


# A predicate, not a reference: "It has been the capital since 1918", "served as the capital".
_PREDICATE_BEFORE = re.compile(
    r"\b(?:is|was|are|were|be|been|being|become|became|becomes|remains|remained|as)\s+$",
    re.IGNORECASE,
)


def _inner_reference(body: str, title: str, context: str | None) -> str:
    """`body` with a "the <noun>" inside it naming the page's subject, where <noun> is what
    the passage's first sentence files the subject under and the subject is a proper name:
    "The Nile River system is the defining physical feature of the country, …" on *South
    Sudan* (a trial report on the Nile printed it so) reads "… of South Sudan, …". Only
    when the sentence before is about the subject (`_about`), the sentence does not name
    the subject already, and the description is not one of its own ("the country of …");
    an opening "The <noun> …" is `_DEFINITE_OPENER`'s."""
    if not context or not context.strip():
        return body
    name = _clean_title(title)
    # Named means the name in a row: "red and white, the fort's design" does not name the
    # Red Fort (a trial report on the Taj Mahal printed it so).
    if name is None or not _proper_name(name, context) or _named_in_a_row(body, name):
        return body
    before = sentences(context)
    definition = before[0][:300]
    m = _CLASS_NOUN.search(definition)
    if m is None or not _names(definition[: m.start()], title, 0):
        return body
    if not _about(before[-1], name, "it", before[0]):
        return body
    # The class the definition files it under, or the name's own head: "Many of the
    # revolution's ideas …" on *French Revolution* (printed in the dev report on it).
    nouns = [m.group("noun")]
    head = name.split()[-1]
    if len(name.split()) > 1 and head.isalpha() and head.lower() != nouns[0].lower():
        nouns.append(head.lower())
    inner = re.compile(
        rf"(?<=\s)the\s+(?:{'|'.join(map(re.escape, nouns))})(?P<owner>['’]s)?"
        rf"(?={_AFTER_REFERENCE})(?!\s*,?\s*{_NOT_AFTER})(?!{_NAMED_PARTNER})"
    )
    found = next(
        (f for f in inner.finditer(body) if not _PREDICATE_BEFORE.search(body[: f.start()])), None
    )
    if found is None:
        return body
    rest = body[found.end() :]
    phrase = _noun_phrase(name, rest, context)
    if found.group("owner") and not phrase.endswith(("'", "’")):
        phrase += "'s"
    return body[: found.start()] + phrase + rest


def _named_in_a_row(body: str, name: str) -> bool:
    """Whether `body` holds `name`'s words in a row, case aside: the words scattered ("red
    and white, the fort's design" for the Red Fort) do not name it."""
    return re.search(rf"\b{re.escape(name)}(?!\w)", body, re.IGNORECASE) is not None


_ARTICLES_CAPITALISED = frozenset(["The", "A", "An"])


def _only_inside_other_names(body: str, word: str) -> bool:
    """Whether `body` has the one-word title `word` only inside longer names, beside
    another capitalised word: "Greater Kyoto", "Kyoto Prefecture", "Kyoto University" do
    not name Kyoto (on *Kyoto*, "The city is the cultural anchor of … Greater Kyoto" was
    printed unresolved); "in Kyoto, Japan" and "Osaka and Kyoto" do."""
    if len(word.split()) != 1:
        return False
    found = list(re.finditer(rf"\b{re.escape(word)}(?:['’]s)?\b", body, re.IGNORECASE))
    if not found:
        return False
    for m in found:
        if not m.group(0)[0].isupper():
            return False
        before = re.search(r"(\w+) $", body[: m.start()])
        word_before = before.group(1) if before else ""
        after = re.match(r" [A-Z]", body[m.end() :])
        if not (word_before[:1].isupper() and word_before not in _ARTICLES_CAPITALISED) and (
            after is None
        ):
            return False
    return True


def _names(body: str, title: str, after: int, noun: str | None = None) -> bool:
    """Whether `body` names the page's subject: every word of its title is in it ("The
    atomic number can ..." on "Atomic number"), or the title's last word (its head:
    "Depression" of "Great Depression") is after position `after`. A proper name's head
    counts only as a name, capitalised and not inside another one: "The conflict was ... a
    proxy war of the Cold War" does not name the Vietnam War."""
    name = _clean_title(title) or title
    raw = [w for w in re.findall(r"\w+", name) if w not in _FUNCTION_WORDS]
    words = [w.lower() for w in raw]
    if not words:
        return True
    have = {w.lower() for w in re.findall(r"\w+", body)}
    proper = len(raw) > 1 and _proper(raw)
    # A proper name's words scattered over other names do not name it when the sentence
    # opens on the name's own head: "The city is at the Pacific entrance of the Panama
    # Canal, in the province of Panama" on *Panama City* (a trial report on the canal
    # printed "The city is …" as it stood); "The sea is named after Sir Francis Beaufort"
    # reads "The Beaufort Sea is named …".
    own_head = proper and noun is not None and noun.split()[-1].lower() == words[-1]
    if set(words) <= have | {w[:-1] for w in have if w.endswith("s")} and (
        not own_head or re.search(rf"\b{re.escape(name)}", body, re.IGNORECASE)
    ):
        return True
    heads = list(re.finditer(rf"\b{re.escape(words[-1])}(e?s)?\b", body[after:], re.IGNORECASE))
    if not proper:
        return bool(heads)
    for m in heads:
        before = re.findall(r"(\w+)\s+$", body[after : after + m.start()])
        other_name = bool(before) and before[0][0].isupper() and before[0].lower() not in words
        if m.group(0)[0].isupper() and not other_name:
            return True
    return False


def _definite(body: str, definite: re.Match[str], title: str, context: str) -> str | None:
    """`body` with its opening "the <noun>" tied to the page's subject ("The mission was
    crewed" → "The Apollo 11 mission was crewed"; "The project was led" → "The Manhattan
    Project was led"; "The event caused" → "The Cretaceous–Paleogene extinction event
    caused"), when the sentence before is about the subject and the subject is a proper
    name or the noun is its title's own head noun; None otherwise ("The domestication
    process" on the page "Dog")."""
    name = _clean_title(title)
    if name is None:
        return None
    # *History of South America* is about South America: "The continent continues …" had
    # read "The History of South America continent continues …" in a trial run.
    noun = definite.group("noun")
    aspect = _ASPECT_OF.match(name)
    if aspect and noun.split()[-1] != name.split()[0].lower():
        # "The economy consists …" on *Economy of China* is the page's own; a place noun is
        # the named place's; another noun is what the page tells of, unnamed here ("The
        # method was later adopted …" on *History of mathematics*).
        place = aspect.group("subject")
        if noun not in _PLACE_NOUNS or not place[:1].isupper():
            return None
        name = place
    own_head = noun.split()[-1] == name.split()[-1].lower()
    if not own_head and not _proper_name(name, context):
        return None
    previous = sentences(context)
    if not _about_through(previous, name, noun):
        return None
    rest = body[definite.end() :]
    if own_head or noun.split()[-1] in {w.lower() for w in name.split()}:
        # "World War I also helped …", "The Manhattan Project was led …": the article the
        # passage gives the name.
        return f"{_capitalised(_noun_phrase(name, rest, context))} {rest}"
    words = name.split()
    head = words[-1].lower()
    if len(words) > 1 and any(w in (head, head.removesuffix("s")) for w in noun.split()[:-1]):
        # "The mountain range has …" on *Zagros Mountains*: "The Zagros mountain range", not
        # "The Zagros Mountains mountain range" (printed so in a trial report).
        return f"The {' '.join(words[:-1])} {noun} {rest}"
    filed = _CLASS_NOUN.search(previous[0][:300])
    if (
        filed is not None
        and filed.group("noun") == noun
        and len(words) == 1
        and not has_plural_ending(name.lower())
        and re.match(rf"(?:the\s+)?{re.escape(name)}\b", previous[0], re.IGNORECASE)
    ):
        # "The city is one of the New 7 Wonders" on *Petra*, whose first sentence files it
        # under "city": "Petra is …", not "The Petra city is …" (printed so in a trial
        # report); with the article the passage gives the name ("The Alhambra contains …").
        # A plural name keeps its noun ("The Andes range is …", not "Andes is …"), and so
        # does a name the definition does not open on ("The degree Celsius is the unit …").
        return f"{_capitalised(_noun_phrase(name, rest, context))} {rest}"
    if _RANKING.match(noun):
        # "The highest point is Mount Dena": the subject's highest point.
        phrase = _capitalised(_noun_phrase(name, rest, context))
        # The ending the title takes ("Mountains'"), whatever form the phrase gives it.
        return f"{phrase}{possessive(name).removeprefix(name)} {noun} {rest}"
    if noun in _PLACE_NOUNS:
        # "The city of Kathmandu is in …", not "The Kathmandu city is in …".
        phrase = _noun_phrase(name, rest, context)
        if phrase.startswith("The "):
            phrase = "the " + phrase[4:]  # "The country of the Czech Republic …"
        return f"The {noun} of {phrase} {rest}"
    if not any(_a_noun(w) for w in noun.split()):
        # "The extensive overseas exploration … spurred …" (on *Age of Discovery*): an
        # adjective before a word read as a verb ("overseas") is no noun to put the name
        # before (a trial report printed "The Age of Discovery extensive overseas exploration
        # …"); the description goes on past it and is left as written.
        return body
    # "The Stranger story …", not "The The Stranger story …".
    return f"{name if name.startswith('The ') else 'The ' + name} {noun} {rest}"


# A page on one aspect of a subject, named after it: *History of South America*.
_ASPECT_OF = re.compile(
    r"^(?:History|Economy|Geography|Demographics|Politics|Culture) of (?:the )?(?P<subject>.+)$"
)
# Nouns for a place that English puts before "of" and its name: "the city of Kyiv".
_PLACE_NOUNS = frozenset(
    [
        "city", "town", "village", "country", "state", "sovereign state", "island",
        "province", "region", "capital", "metropolis", "nation", "kingdom", "republic",
        "municipality", "continent",
    ]
)  # fmt: skip


# An adjective that ranks what it describes among the subject's own: "the highest point",
# "the largest city", "the main building".
_RANKING = re.compile(
    r"(?:\w+est|most|least|main|principal|chief|only|first|last|original)\s", re.IGNORECASE
)


def _a_noun(word: str) -> bool:
    """Whether `word` may be a noun: WordNet files it as one, or does not know it."""
    lexicon = default_lexicon()
    return lexicon.has_noun_sense(word) or not lexicon.lemmas(word)


def _generic_plural(noun: str) -> bool:
    """ "The chemical elements are ...": a plural reads as a statement about all of them."""
    return has_plural_ending(noun.split()[-1])


def _proper_name(name: str, context: str) -> bool:
    """Whether the title is a proper name: two or more words, each capitalised (or a
    number or a particle: "Apollo 11", "Great Depression"), or one word the passage
    capitalises inside a sentence."""
    words = name.split()
    if len(words) > 1:
        return all(w[0].isupper() or w[0].isdigit() or w in _FUNCTION_WORDS for w in words)
    return re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(name)}\b", context) is not None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# A demonstrative phrase that names its referent by its modifier and an "of" phrase: "this
# branching pattern of evolution" reads alone as "the branching pattern of evolution". Not a
# plural ("these species of birds" are some of them, "the species of birds" all of them), nor
# a head that only picks out a piece of something named before ("this part of the brain").
_DESCRIBED = re.compile(
    r"(?<=\s)this\s+(?=[a-z][a-z-]+\s+"
    r"(?!(?:type|kind|form|sort|part|number|group|way|set|series|class|portion|area|region|"
    r"section|stage|period|piece|version|aspect|feature|variety)\s)[a-z][a-z-]+\s+of\s+[a-z])"
)


# A demonstrative before a noun inside the sentence: "... to insert this DNA into the host",
# "... in addition to these stratospheric events". Not "those that/who/in ..." (a pronoun
# with its own clause), not "to this day".
_INNER_DEMONSTRATIVE = re.compile(
    r"\b(?:this|these|those)\s+"
    r"(?!(?:that|who|whom|which|whose|in|of|with|at|on|for|from|by|is|was|are|were|have|had)\b)"
    r"(?P<noun>[a-z][a-z-]+(?:\s+[a-z][a-z-]+)?)",
    re.IGNORECASE,
)


FAR_INTO_SENTENCE = 30
"""Words before a demonstrative past which it points inside its own sentence: "… the
articulated mission of maintaining international peace …, and to serve as a centre for
harmonizing the actions of states in achieving those goals" (58 words in; the United
Nations' one-sentence lead, left out until then). The rule below flags 48 lead sentences
of the offline collection with a demonstrative this far in; of 15 of them read by hand, 14
point inside ("… although these labels are disputed" after "the first novel, or at least
the first English novel")."""


def _inner_demonstrative(body: str) -> str | None:
    """A demonstrative noun phrase inside `body` whose words the sentence has not already
    used before it ("the packaging proteins; ... the most important of these proteins" points
    inside the sentence; "to insert this DNA" with no DNA before points outside), or None."""
    for m in _INNER_DEMONSTRATIVE.finditer(body):
        first = m.group("noun").split()[0].lower()
        if m.start() == 0 or (first == "day" and re.search(r"\bto $", body[: m.start()])):
            continue
        if len(body[: m.start()].split()) >= FAR_INTO_SENTENCE:
            continue
        before = {stem(w.lower()) for w in re.findall(r"[\w-]+", body[: m.start()])}
        words = [w for w in m.group("noun").split() if w.lower() not in STOPWORDS]
        if words and not all(stem(w.lower()) in before for w in words[:2]):
            return m.group(0)
    return None


_FORMER = re.compile(rf"The (?P<which>former|latter)(?=\s*,|\s+{_POINTING_VERB}\b)")
_PAIR_LEAD = re.compile(r"^.*\b(?:namely|are|is|were|was|include|includes|including)\s+")


def _former_or_latter(body: str, context: str | None) -> str | None:
    """`body` with an opening "The former" or "The latter" replaced by the one it stands for,
    when the sentence before ends on a pair, "… namely the citric acid cycle and the urea
    cycle." (on *Hans Krebs*: "The former, often eponymously known as the "Krebs cycle", is
    … and its discovery earned Krebs a Nobel Prize …" had been left out, and a trial report
    on why he received the prize printed other pages' sentences); None when it cannot tell:
    the pair is not two short names or noun phrases ("… by magnetic materials and by moving
    electric charges"), or "and" stands more than once ("… An Inquiry into the Nature and
    Causes of the Wealth of Nations")."""
    m = _FORMER.match(body)
    if m is None or not context or not context.strip():
        return None
    before = re.sub(r"\s*\([^)]*\)", "", sentences(context)[-1]).rstrip(" .!?")
    segments = re.split(r"[,;:]", before)
    tail = _PAIR_LEAD.sub("", segments[-1]).strip()
    if tail.count(" and ") != 1:
        return None
    if len(segments) > 1 and len(_PAIR_LEAD.sub("", segments[-2]).split()) <= 3:
        return None  # "… Oryctolagus, Sylvilagus and Lepus": a list, not a pair
    pair = [side.strip() for side in tail.split(" and ")]
    phrase = pair[0] if m.group("which") == "former" else pair[1]
    if not re.match(r"(?:(?:the|a|an) [\w'’-]|[A-Z])", phrase) or len(phrase.split()) > 6:
        return None
    rest = body[m.end() :]
    # "The former, Oryctolagus, includes …": the name given again after it goes.
    rest = re.sub(rf"^,\s*{re.escape(phrase)},", "", rest)
    return _capitalised(phrase) + rest


def _unresolvable(body: str) -> str | None:
    """The back-reference in `body` that no title can settle, named, or None."""
    for pattern in (_RELATIONAL, _DEMONSTRATIVE_OPENER):
        m = pattern.search(body)
        if m:
            return f"opens with {m.group(0).strip(' ,')!r}, which points at an earlier sentence"
    for pattern in (
        _QUANTIFIED_BACK,
        _DEMONSTRATIVE_LEAD,
        _PARTICIPLE_LEAD,
        _DEMONSTRATIVE_PRONOUN,
        _BACK_REFERENCES,
    ):
        m = pattern.search(body)
        if m:
            return f"{m.group(0).strip(' ,')!r} refers to something an earlier sentence names"
    inner = _inner_demonstrative(body)
    if inner:
        return f"{inner!r} refers to something an earlier sentence names"
    if re.match(r"[a-z]+\b", body):
        return "starts in lower case, as the rest of an earlier sentence"
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


# Words that open a phrase before a name without being part of it: "After Solomon's death".
_LEAD_WORDS = frozenset(
    [
        "After", "Before", "Since", "Following", "During", "Upon", "On", "In", "With", "Under",
        "Despite", "Until", "Unlike", "Like", "As", "When", "While", "Once", "If", "Because",
        "Although", "Though", "By", "For", "At", "From", "To",
    ]
)  # fmt: skip
# A subordinate clause whose subject is the page's: "As a glacier moves, …".
_CLAUSE_OPENER = (
    r"(?:As|When|While|Once|If|Because|Although|Though|Until|Whenever|After|Before|Since)"
)


_POSSESSIVES = frozenset(["its", "their", "his", "her"])


def _agrees(pronoun: str, name: str, context: str | None) -> bool:
    """Whether a possessive can stand for the page's subject: "his" or "her" for a person
    of that gender, as the passage before shows it, "their" for a plural, "its" for one
    thing ("After her divorce in 1810, Napoleon married …" does not look ahead to Napoleon,
    nor "Under his patronage, the Sistine Chapel …", nor "Despite their defeat …, the Roman
    Empire …": a review's examples). `name`: the page's title as a name (`_clean_title`)."""
    if pronoun in ("his", "her"):
        said = {
            w.lower() for w in re.findall(r"\b(?:he|his|him|she|her|hers)\b", context or "", re.I)
        }
        own = {"he", "his", "him"} if pronoun == "his" else {"she", "her", "hers"}
        return looks_like_person(name) and bool(said & own) and not said - own
    if pronoun == "their":
        return _plural(name) is True
    return _plural(name) is not True


def _named_after_its_phrase(rest: str, name: str) -> bool:
    """Whether the opening phrase a pronoun stands in ends, at its comma, on the page's
    subject (`name`) named as the clause's subject (`rest`: what follows the pronoun)."""
    pattern = rf"[^,.;:]{{0,80}},\s+(?:the\s+)?{_spaced(name)}(?!\w)"
    return re.match(pattern, rest, re.IGNORECASE) is not None


def _spaced(name: str) -> str:
    """`name` as a pattern whose words any run of whitespace may separate."""
    return re.escape(name).replace(r"\ ", r"\s+")


def _names_the_subject(text: str, title: str) -> bool:
    """Whether `text` names the page's subject as one that does something or has something:
    "As a glacier moves" (*Glacier*), "Solomon's death"; not as part of another name or
    compound ("Dublin Bay", "South Sudan's independence" on *Sudan*, "the boxing rings"),
    where a pronoun after it still stands for the subject."""
    name = _clean_title(title)
    if name is None:
        return False
    words = _spaced(name)
    doing = rf"^{_CLAUSE_OPENER}\s+(?i:a|an|the)\s+(?i:{words})(?:s|es)?\s+[a-z]+(?:s|ed)\b"
    if re.search(doing, text):
        return True
    for having in re.finditer(rf"\b(?i:{words})['’]s?(?!\w)", text):
        before = text[: having.start()].split()
        if not before or not before[-1][:1].isupper() or before[-1] in _LEAD_WORDS:
            return True
    return False


def _clean_title(title: str) -> str | None:
    """The title as a name, without a disambiguation ("Mars (planet)", "Charles V, Holy
    Roman Emperor"); None when it reads as a document title (a colon, a file name, many
    words) rather than the page's subject."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", title).split(",")[0]
    name = " ".join(name.split())
    # A file name or a domain ("notes.txt", "evil.example") is not a subject.
    if not name or len(name.split()) > 6 or re.search(r"\.\w", name):
        return None
    return name if re.fullmatch(r"\w[\w'.–-]*(?: [\w'.–-]+)*", name) else None


def _openings(sentence: str) -> list[str]:
    """Where the sentence's subject may start: its start, and after each comma of a long
    opening phrase ("First identified in 1789, ..., pure zirconium is ...")."""
    text = sentence.strip()
    return [text] + [text[m.end() :] for m in re.finditer(r",\s+", text[:150])]


_CONJUNCTION = re.compile(r"^(?:and|but)\s+", re.IGNORECASE)


def _about_through(previous: list[str], name: str, noun: str) -> bool:
    """Whether the last of `previous` is about the page's subject (`_about`), or says "the
    <noun>" itself and the one before it is, and so back: on *Kyoto*, "The city is the
    cultural anchor of … Greater Kyoto" follows "More than half (56.8%) of Kyoto
    Prefecture's population resides in the city", after "As of 2020, the city had …" (a
    trial report printed it unresolved)."""
    for sentence in reversed(previous):
        if _about(sentence, name, "it", previous[0]):
            return True
        if not re.search(rf"\bthe\s+{re.escape(noun)}\b", sentence, re.IGNORECASE):
            return False
    return False


def _about(previous: str, name: str, pronoun: str, definition: str) -> bool:
    """Whether `previous` is about the page's subject `name`, so that the pronoun after it
    refers to the subject too: it names the subject (or its plural, or "the <noun>" of
    `definition`, the passage's first sentence: "the city"), possessive or not, near the
    start of a clause, or continues with the same pronoun (", and its values …"). On the
    dev page *French Revolution*, "It was caused by a combination of social, political,
    and economic factors …" follows "Many of the revolution's ideas are …, and its values
    remain …", and had been left out as not standing alone."""
    family = next(f for f in _FAMILIES if pronoun in f)
    names = {w.lower() for w in name.split()} - _FUNCTION_WORDS
    names |= {plural_of(w) for w in names}
    defined = {w.lower() for w in re.findall(r"\w+", definition)} - _FUNCTION_WORDS
    for start in _openings(previous):
        start = _CONJUNCTION.sub("", start)
        words = [without_possessive(w.lower()) for w in re.findall(r"[\w'’–-]+", start)[:4]]
        if not words:
            continue
        if words[0] in family and not _EXPLETIVE.match(start):
            return True
        if names & set(words) or (words[0] == "the" and len(words) > 1 and words[1] in defined):
            return True
    return False


def _subject(title: str, pronoun: str, rest: str, context: str | None) -> str | None:
    """The noun phrase that replaces `pronoun`, or None when the title cannot be its
    antecedent (a thing for "he", a singular the passage never puts in the plural for
    "they"; for "it", a person — unless the passage shows the title is the subject)."""
    name = _clean_title(title)
    if name is None:
        return None
    text = context or ""
    if context:
        previous = sentences(context)[-1]
        if not _about(previous, name, pronoun, sentences(context)[0]):
            return None
    aspect = _ASPECT_OF.match(name)
    if aspect and pronoun == "its":
        # On *History of East Asia*, "Each of its countries …" is East Asia's, not "the
        # history of East Asia's".
        name = aspect.group("subject")
    person, plural = looks_like_person(name), _plural(name)
    if pronoun in _PERSONAL:
        if not (person or _defined_as_person(name, text)):
            return None
        phrase = name
    elif pronoun in ("they", "their"):
        if person and len(name.split()) > 1:
            return None
        phrase = _noun_phrase(name, rest, text) if plural is not False else _plural_in(name, text)
        if phrase is None:
            return None
    else:
        if plural is True or (person and len(name.split()) > 1 and context is None):
            return None
        phrase = _noun_phrase(name, rest, text, definite=pronoun == "its")
    if pronoun in _POSSESSIVE and not phrase.endswith(("'", "’")):
        # A name that ends in an apostrophe takes none more: "Kievan Rus' greatest extent",
        # not "Kievan Rus''s".
        phrase += "'" if pronoun == "their" and phrase.endswith("s") else "'s"
    return phrase


def _defined_as_person(name: str, context: str) -> bool:
    """Whether the passage's first sentence defines `name` as a kind of person ("Isambard
    Kingdom Brunel was an English civil and marine engineer …": "Kingdom" had made the name
    read as a thing's, and a trial report printed "…, he was responsible for …" unresolved),
    by WordNet's hypernyms of the words after its copula (`Lexicon.kinds`)."""
    first = sentences(context)[0] if context.strip() else ""
    m = re.match(
        rf"{re.escape(name)}\b[^.;]{{0,120}}?\b(?:is|was)\s+(?:a|an|the)\s+(?P<what>[^,.;(]+)",
        first,
    )
    if m is None:
        return False
    return bool(
        default_lexicon().filed_under(re.findall(r"\b[a-z]+\b", m.group("what")), {"person"})
    )


def _proper(words: list[str]) -> bool:
    return all(w[0].isupper() or w in _FUNCTION_WORDS for w in words)


# A title that names an event of something: "Sinking of the Titanic", "Assassination of
# Archduke Franz Ferdinand", "Fall of the Western Roman Empire". Read as a person's name,
# "She sank two hours … later" on *Sinking of the Titanic* had become "Sinking of the
# Titanic sank …".
_EVENT_OF = re.compile(
    r"^(?:[A-Z][a-z]+(?:ing|tion|sion|ment|ure)|Fall|Death|Siege|Sack|Rise|Birth|Wreck|"
    r"Loss|Collapse|Trial|Murder|History|Reign|Life|Voyage|Flight)\s+of\b"
)


def looks_like_person(name: str) -> bool:
    """A personal name: capitalised words (bar particles: "da", "of"), no digits, no
    acronym, no word that names a thing or a place ("Tower", "War", "River"), and not an
    event of something ("Sinking of the Titanic")."""
    words = name.split()
    if len(words) > 5 or any(c.isdigit() for c in name) or "and" in words:
        return False
    if _EVENT_OF.match(name):
        return False
    if any(w.lower() in _THING or w.lower() in _THE_LAST for w in words):
        return False
    if any(sum(c.isupper() for c in w) > 1 and not _roman(w) for w in words):
        return False
    return _proper(words)


def _roman(word: str) -> bool:
    return re.fullmatch(r"[IVXL]+", word) is not None


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


def _plural_in(name: str, context: str) -> str | None:
    """The plural of a singular title as the passage writes it ("Foxes are ..." on the
    page "Fox"), lower-cased as a common noun, an acronym as it is ("HIVs", not the "hIVs" a
    trial report on HIV printed); None when the passage has no plural."""
    words = name.split()
    plural = plural_phrase(name)
    m = re.search(rf"\b{re.escape(plural)}\b", context, re.IGNORECASE)
    if m is None:
        return None
    if _acronym(words[0]) or (_proper(words) and len(words) > 1):
        return plural
    return plural[0].lower() + plural[1:]


def _acronym(word: str) -> bool:
    """ "DNA", "COVID-19", "HIV"; not "Cretaceous–Paleogene", two names joined."""
    return any(sum(c.isupper() for c in part) > 1 for part in re.split(r"[-\u2013]", word))


def _noun_phrase(name: str, rest: str, context: str, *, definite: bool = True) -> str:
    """The title as a subject, with the article the passage gives it where it opens a
    sentence with it ("The mallard is ...", "Titanium dioxide is ..."); otherwise none for
    names, mass nouns and plurals, "a/an" when a present-tense sentence speaks of the kind
    ("A volcano erupts"), else "the"."""
    words = name.split()
    if words[0].lower() == "the" or _acronym(words[0]):
        return name
    if len(words) > 1 and re.match(rf"{re.escape(words[0])}\s+(?:is|was|are|were)\b", context):
        # The name the passage opens on: "Cebuano is an Austronesian language …" on
        # *Cebuano language* ("It is spoken by …" had read "A Cebuano language is spoken …").
        return words[0]
    proper = _proper(words) and not re.search(
        rf"\b{re.escape(name[0].lower() + name[1:])}\b", context
    )
    # "Calvin cycle", "Higgs boson": capitalised after the start of a sentence.
    proper = proper or _named_mid_sentence(name, context)
    # "Neutron star" reads "neutron star" mid-sentence, "French language" does not.
    first = words[0]
    lower_first = not context or re.search(rf"\b{re.escape(first.lower())}\b", context)
    written = name if proper or not lower_first else name[0].lower() + name[1:]
    # A page may space the name with a no-break space ("Messier\xa087 is …"): read as
    # unnamed, it had become "A Messier 87 is one of the brightest radio sources …".
    spaced = r"\s+".join(re.escape(w) for w in words)
    opening = re.search(rf"(?:^|[.!?]\s+)(?:(a|an|the)\s+)?{spaced}\b", context, re.IGNORECASE)
    article = opening.group(1).lower() if opening and opening.group(1) else None
    if article is None and opening is None:
        mid = re.search(rf"\b(a|an|the)\s+{re.escape(written)}\b", context, re.IGNORECASE)
        article = mid.group(1).lower() if mid else None
    if opening is not None and article is None:
        return written
    if article is None:
        if proper and len(words) > 1 and words[-1][0].islower():
            return f"the {written}"
        if proper:
            the = words[-1].lower() in _THE_LAST or _of_name(words)
            return f"the {written}" if the else written
        if _plural(name) or _mass(words[-1]):
            return written
        if len(words) > 1 and _proper(words[1:]) and words[-1][0].isupper():
            # A place or a name with a modifier the passage writes in lower case ("ancient
            # Rome", "medieval Europe") takes no article: not "An ancient Rome encompasses".
            return written
    kind_statement = re.match(r"\s+(?!was\b)(is|has|can|may|does|\w+[^s]s)\b", rest) is not None
    # A title whose first word the passage writes as a name, mid-sentence and never in lower
    # case, names one thing: "The Cebuano language is spoken …", not "A Cebuano language"
    # (printed so in a trial report).
    named_first = first[:1].isupper() and not lower_first and _named_mid_sentence(first, context)
    indefinite = article in ("a", "an") or (article is None and not named_first)
    if indefinite and not definite and kind_statement:
        # The passage's own article where it gives one ("a Euclidean plane", "an H II region").
        if article in ("a", "an"):
            return f"{article} {written}"
        return ("an " if written[0].lower() in "aeiou" else "a ") + written
    return f"the {written}"


def _of_name(words: list[str]) -> bool:
    """ "Battle of Hastings", "Kingdom of Sicily": a thing word followed by "of"."""
    return len(words) > 2 and words[1] == "of" and words[0].lower() in _THING


def _named_mid_sentence(name: str, context: str) -> bool:
    for m in re.finditer(rf"\b{re.escape(name)}\b", context):
        before = context[: m.start()].rstrip()
        if before and before[-1] not in ".!?":
            return True
    return False


def _mass(word: str) -> bool:
    return word.lower() in _MASS or word.lower().endswith(_MASS_SUFFIXES)
