"""What kind of statement a part of the question asks for, and whether a sentence is one.

"How much did the Apollo program cost?" is answered by an amount of money, "When did
Einstein publish general relativity?" by a date, "Who first landed on the Moon?" by a
name, "How was the Higgs boson discovered?" by a sentence saying how it was found, "What
threatens the Great Barrier Reef?" by one naming a harm or a cause.
Sentence embeddings cannot tell "Apollo was conceived in 1960" from an answer to the
first: both are about Apollo and money is a small part of either vector. So a part that asks
for one of these kinds is answered only by a sentence that carries one, and a part whose
sentences carry none is declared not covered. The rules are the classic answer-type
patterns of question answering, in code, so they hold whatever model writes the report.
"""

from __future__ import annotations

import re
from enum import StrEnum

from lyceum.claimcheck.content_numbers import MONTHS
from lyceum.claimcheck.lexicon import default_lexicon
from lyceum.research.matching import (
    STOPWORDS,
    WORKING_VERBS,
    content_word_list,
    content_words,
    stem,
    words,
)
from lyceum.research.part_subject import subject
from lyceum.research.parts import names_a_form


class AnswerType(StrEnum):
    MONEY = "money"
    QUANTITY = "quantity"
    TIME = "time"
    PERSON = "person"
    DISCOVERY = "discovery"
    THREAT = "threat"
    TREATMENT = "treatment"
    DEATH = "death"
    TRANSMISSION = "transmission"
    MEASUREMENT = "measurement"
    ENDING = "ending"
    SIDES = "sides"
    SIGNIFICANCE = "significance"
    FORMATION = "formation"
    PLACE = "place"
    SOURCE = "source"
    USE = "use"
    SIZE = "size"
    SPEED = "speed"
    TEMPERATURE = "temperature"
    DURATION = "duration"
    DIET = "diet"
    AGE = "age"
    PREVENTION = "prevention"
    EFFECT = "effect"
    DRAWBACK = "drawback"
    WORK = "work"
    NAMING = "naming"
    STUDY = "study"
    INHABITANTS = "inhabitants"
    DISTINCTION = "distinction"
    MAKING = "making"
    COMPOSITION = "composition"
    GROWING = "growing"
    MECHANISM = "mechanism"
    FATE = "fate"
    FUNCTION = "function"
    CAPITAL = "capital"
    LANGUAGE = "language"


_MONEY_VERB = r"(?:cost|costs|spend|spent|pay|paid|price|budget|worth|fund|funded|funding)"
_ASKS_MONEY = re.compile(
    rf"\b(?:how much\b.*\b{_MONEY_VERB}|what (?:was|is|were|did) (?:the )?(?:[\w'’-]+ ){{0,4}}"
    r"(?:cost|price|budget)|(?:cost|price|budget) of)\b",
    re.IGNORECASE,
)
_ASKS_QUANTITY = re.compile(
    r"\b(?:how (?:much|many|large|big|small|long|far|high|tall|wide|deep|thick|old|fast|"
    r"heavy|massive|dense|bright|often|efficient)|"
    r"what (?:percentage|proportion|fraction|share|number)|"
    # "What is the population of Tokyo?" (a trial report printed Osaka's in its answer).
    r"(?:what|how large|how big) (?:is|was|are|were) (?:the |its |their )?(?:population|"
    r"(?:total )?number of)|how populous)\b",
    re.IGNORECASE,
)
# "How hot does the Sahara get?", "What is the boiling point of water?": asks a temperature.
# A trial report took the Sahara's area, "9,200,000 square kilometres", for how hot it gets,
# and another the definition of a boiling point, which gives none, for water's.
_ASKS_TEMPERATURE = re.compile(
    r"\bhow (?:hot|cold|warm|cool)\b|"
    r"\b(?:what|how high|how low) (?:is|was|are|were) (?:the |its |their )?(?:(?:average|mean|"
    r"surface|core|maximum|minimum|highest|lowest) )?(?:temperatures?|(?:boiling|melting|"
    r"freezing) point)\b",
    re.IGNORECASE,
)
# How sentences state a temperature: a number with its scale (not an angle's bare degrees:
# "45° N"), or that something is the hottest or coldest.
_TEMPERATURE = re.compile(
    r"\d[\d,.]*\s*(?:°\s*[CFK]\b|º\s*[CF]\b|degrees? (?:Celsius|Fahrenheit|centigrade|[CF])\b|"
    r"kelvins?\b|K\b)|\b(?:hottest|coldest|warmest|coolest|absolute zero)\b",
    re.IGNORECASE,
)
_ASKS_TIME = re.compile(
    r"^(?:when|since when)\b|\b(?:what|which|in what|in which) (?:year|years|century|date|"
    r"decade|period|era)\b|\bhow long ago\b",
    re.IGNORECASE,
)
_ASKS_PERSON = re.compile(r"^(?:who|whom|whose|by whom)\b", re.IGNORECASE)
# "How was it discovered?", "How are tsunamis detected?", "How did they find it?": asks how
# something came to be known, which a sentence answers only by saying how it was found. A
# trial report answered "How was the Higgs boson discovered?" with "In particle physics, a
# gauge boson is a bosonic elementary particle …", which is about bosons and says nothing of
# a discovery.
_FOUND_VERBS = r"discover|detect|find|observe|identify|isolate|spot"
_ASKS_DISCOVERY = re.compile(
    r"^(?:how|by what means|in what way)\b.*\b(?:(?:is|are|was|were|been|be|get|got) "
    r"(?:[\w'’-]+ ){0,5}(?:discovered|detected|found|observed|identified|isolated|spotted|"
    rf"confirmed)|(?:do|does|did|can|could) \w+(?: \w+)? (?:first )?(?:{_FOUND_VERBS}))\b"
    # "How do birds find their way?" asks how they navigate.
    r"(?! (?:their|its|his|her|our|the) way\b)"
    # "What has the Hubble Space Telescope discovered?": asks what was found, which a
    # sentence says with the same verbs (a trial report called it "answered elsewhere" by
    # "The Space Telescope Science Institute (STScI) selects Hubble's targets …").
    r"|^what (?:has|have|did|does|do) (?:[\w'’-]+ ){1,6}(?:discovered|discover|found|find|"
    r"revealed|reveal|observed|observe|detected|detect)\b",
    re.IGNORECASE,
)
# "What did Marconi invent?": asks what someone made, which a sentence says with a verb or
# an agent noun of making, or by what they are known for. A trial report declared it beside
# "… known for his creation of a practical radio wave-based wireless telegraph system. This
# led to his being largely credited as the inventor of radio …" (0.39 for the part).
# Not "What did Edward Jenner contribute?": a contribution may be a finding or a method.
_MAKING = r"invent|write|paint|compose|design|create|build|develop|found|sculpt"
_ASKS_WORK = re.compile(
    rf"^what (?:(?:did|does|has|have) (?:[\w'.-]+ ){{1,5}}(?:first )?(?:{_MAKING})|"
    r"(?:inventions|works|books|novels|poems|plays|paintings|symphonies|operas|buildings) "
    r"(?:did|does|has|have)\b)",
    re.IGNORECASE,
)
_WORK = re.compile(
    r"\b(?:invent(?:ed|ions?|ors? of)|wrote|written|authored|author of|painted|painter of|"
    r"composed|composer of|design\w*|built|builder of|construct\w*|erect\w*|"
    r"(?:architect|engineer) of|created|creations?|"
    r"creators? of|developed|developer of|founded|founders? of|sculpted|sculptor of|devised|"
    r"credited (?:as|with)|(?:known|famous|remembered|noted) (?:\w+ )?for|pioneer\w*|"
    r"contribut\w+|works? (?:include|such as)|"
    # A work by its maker: "The Mona Lisa is a half-length portrait painting by … Leonardo da
    # Vinci" (a trial report printed it and declared "What did Leonardo da Vinci paint?").
    r"(?:paintings?|portraits?|frescos|frescoes|fresco|murals?|novels?|books?|poems?|plays?|"
    r"symphon\w+|operas?|sonatas?|sculptures?|statues?|works?) by)\b",
    re.IGNORECASE,
)
# What a work of each art is called, for a part asking what someone painted, wrote,
# composed or sculpted: being a painter, or known for notebooks, names no painting (a trial
# report took "What did Leonardo da Vinci paint?" as answered by "… his achievements as a
# painter, he has also become known for his notebooks …"; the lead names no painting).
_WORKS_OF_AN_ART: dict[str, re.Pattern[str]] = {
    verb: re.compile(rf"\b(?:{works})\b", re.IGNORECASE)
    for verb, works in (
        # A painting with an article is a work ("Guernica is a large 1937 oil painting by
        # … Pablo Picasso", which a trial report dropped with the part it declared); bare,
        # it may be the art ("known for his painting").
        ("paint", r"painted|paintings|(?:an?|the) (?:[\w'-]+ ){0,3}painting|portraits?|"
         r"frescos|frescoes|fresco|murals?|masterpieces?|altarpieces?|painter of"),
        ("write", r"wrote|written|(?:co-)?authored|authors? of|novels?|books?|poems?|plays?|"
         r"essays?|stories|memoirs?|treatises?|works"),
        ("compose", r"composed|composers? of|symphon\w+|operas?|sonatas?|concertos?|songs?|"
         r"compositions?|quartets?|masses|requiems?|ballets?|works"),
        ("sculpt", r"sculpted|sculptures?|statues?|sculptors? of|busts?|reliefs?"),
    )
}  # fmt: skip
_ASKS_AN_ART = re.compile(r"\b(?P<verb>paint|write|compose|sculpt)\b", re.IGNORECASE)


# "What did Marie Curie discover?": asks what someone found, as "What did X invent?" asks
# what they made (the discovery kind also holds "How was it detected?", a method).
_ASKS_WHAT_WAS_FOUND = re.compile(
    r"^what (?:did|does|do|has|have) (?:[\w'.-]+ ){1,6}(?:first )?(?:discover|discovered|find|"
    r"found|identify|identified|isolate|isolated)\b",
    re.IGNORECASE,
)


def asks_what_was_found(part: str) -> bool:
    """Whether `part` asks what someone or something discovered ("What did Marie Curie
    discover?", "What has the Hubble Space Telescope discovered?"), which a statement of a
    discovery naming the subject answers whatever its score: a trial report declared it
    beside "Marie Curie won the 1911 Nobel Prize in Chemistry "[for] the discovery of the
    elements radium and polonium …"" (0.38 for the part)."""
    return _ASKS_WHAT_WAS_FOUND.search(" ".join(part.split())) is not None


def names_the_work(sentence: str, part: str) -> bool:
    """Whether `sentence` names a work of the art a "What did X paint / write / compose /
    sculpt?" part asks about (`_WORKS_OF_AN_ART`). True for any other part, and for the
    other verbs of making ("invent", "build"), whose works have no common name."""
    if asked_type(part) is not AnswerType.WORK:
        return True
    m = _ASKS_AN_ART.search(part)
    return m is None or bool(_WORKS_OF_AN_ART[m.group("verb").lower()].search(sentence))


# "How did Amsterdam get its name?": asks where a name comes from, which a sentence says by
# what it is named after, derived from or means. A trial report took it as answered by
# "Amsterdam is the capital and largest city of the Netherlands" and "… colloquially referred
# to as the "Venice of the North"" (a nickname); the lead does not say.
_ASKS_NAMING = re.compile(
    r"^(?:how|why|when) (?:did|does|do) .+ get (?:its|their|his|her|the(?:ir)?) names?\b|"
    r"^(?:where|what) (?:does|did|do) (?:the name|its name|their names?|the word) .+ "
    r"(?:come from|mean)\b|"
    r"^what (?:is|was|are) the (?:origin|meaning|etymology|source) of (?:the name|its name|"
    r"the word|their names?)\b",
    re.IGNORECASE,
)
_NAMING = re.compile(
    r"\b(?:named (?:after|for|by|from|in honou?r of)|names? (?:derives?|comes?|came|"
    r"originat\w*|means?|meaning)|derived? from|deriv(?:es|ing) from|from the \w+ "
    r"(?:word|name|term|phrase)|etymolog\w*|takes? its name|took its name|"
    r"(?:is|was|are|were) named|names? (?:are|were|is|was) (?:chosen|assigned|given|taken|"
    r"drawn|selected|used))\b",
    re.IGNORECASE,
)
# "What did Ulugh Beg study?": asks for a field of study, which a sentence says with a verb
# of study or by naming its subject a scientist or a scholar of a field ("… was a Timurid
# sultan, as well as an astronomer and mathematician"; a trial report declared the part
# beside it): `_names_a_scholar`.
_ASKS_STUDY = re.compile(
    r"^what (?:did|does|do) (?:[\w'.-]+ ){1,5}(?:study|studied|research|investigate|work on)\b|"
    r"^what (?:field|fields|subjects?|discipline) (?:did|does|was|is)\b",
    re.IGNORECASE,
)
_STUDY = re.compile(
    r"\b(?:stud(?:ied|ies|y of|ying)|research(?:ed)? (?:on|in|into)|worked on|investigat\w+|"
    r"(?:known|noted|famous) for (?:his|her|their) (?:work|research|studies))\b",
    re.IGNORECASE,
)
# "What threatens the Great Barrier Reef?": asks what harms it. A trial report answered it
# with "The Queensland National Trust named it a state icon of Queensland in 2006."
_ASKS_THREAT = re.compile(
    r"^(?:what|which)\b.*\b(?:threaten(?:s|ed|ing)?|endanger(?:s|ed|ing)?|harms?|damages?|"
    r"(?:is|are) the (?:main |biggest |greatest )?(?:threats?|dangers?|risks?) to)\b",
    re.IGNORECASE,
)
# "How is tuberculosis treated?": asks for a treatment. A trial report took it as answered by
# "A small proportion of latent infections progress to active disease that, if left
# untreated, can be fatal", which MiniLM scores close to it for the word "untreated".
_ASKS_TREATMENT = re.compile(
    r"^(?:how (?:is|are|was|were|can|could|should) (?:[\w'’-]+ ){0,6}"
    r"(?:treated|cured|managed)|"
    r"how (?:do|does|did|can|could) (?:[\w'’-]+ ){0,6}(?:treat|cure)|"
    r"what (?:is|are|was|were) (?:the )?(?:[\w'’-]+ )?"
    r"(?:treatments?|cures?|therap(?:y|ies)))\b",
    re.IGNORECASE,
)
# How sentences state a treatment: its verbs and kinds ("used to treat malaria", "a
# medication", "antibiotics"), not "untreated", whose \b fails inside the word, nor its
# absence (`_NO_TREATMENT`).
_TREATMENT = re.compile(
    r"\b(?:treat\w*|therap\w*|medicat\w*|medicines?|drugs?|antibiotics?|antivirals?|"
    r"antimalarials?|surger\w*|surgical\w*|cur(?:e|es|ed|ing)|vaccin\w*|remed\w*|"
    r"chemotherap\w*|radiotherap\w*|transplant\w*|prescri\w*|dos(?:e|es|age|ing))\b",
    re.IGNORECASE,
)
# The absence of a treatment, read out of a sentence before `_TREATMENT` is: "Without
# treatment, symptoms may last weeks or months" answered "How is typhoid fever treated?" in
# a trial report whose lead names no treatment ("with or without antibiotics" names one).
_NO_TREATMENT = re.compile(
    r"(?<!\bor )\b(?:without|no|lack of|absence of)\s+(?:[\w-]+\s+)?"
    r"(?:treatments?|cures?|therap\w*|medicat\w*|drugs?|vaccines?|remed\w*)\b",
    re.IGNORECASE,
)
# "How did Cleopatra die?": asks how someone died. A trial report took it as answered by
# "After Cleopatra's death, Egypt became a province of the Roman Empire", which says when,
# not how.
_ASKS_DEATH = re.compile(
    r"^(?:how did (?:[\w'’-]+ ){1,6}die|how was (?:[\w'’-]+ ){1,6}(?:killed|murdered)|"
    r"what was the cause of (?:\w+'s |\w+s' |(?:his|her|their) )?death)\b",
    re.IGNORECASE,
)
# How sentences say how someone died: the verbs and nouns of a manner or cause of death.
_DEATH = re.compile(
    r"\b(?:died|dies|die|dying) (?:of|from|by|in battle|after|when|while|during|following)\b|"
    r"\b(?:killed|murdered|assassinat\w*|executed|execution|suicide|poison\w*|drowned|"
    r"hanged|beheaded|burned at the stake|stabbed|shot dead|slain|cause of (?:his |her )?"
    r"death|succumbed|bitten|starv\w*|perished|martyr\w*)\b",
    re.IGNORECASE,
)
# "How is Ebola transmitted?": asks the route of infection. A trial report called it
# "summarised in the short answer above", whose sentences gave Ebola's symptoms and death
# rate. Not a bare "How does it spread?", which asks as often how far or across what.
_ASKS_TRANSMISSION = re.compile(
    r"^(?:how (?:is|are|was|were|do|does|did|can|could) (?:[\w'’-]+ ){0,6}"
    r"(?:transmitted|passed on|caught|contracted)|"
    r"how do (?:people|humans|you) (?:catch|get|contract))\b",
    re.IGNORECASE,
)
# How sentences state a route of infection; not "infectious" or "contagious", which say
# that it passes, not how.
_TRANSMISSION = re.compile(
    r"\b(?:transmi\w*|contact with|bites?|bitten|airborne|droplets?|aerosols?|"
    r"(?:body|bodily) fluids|vectors?|carried by|borne|passed (?:on|from|between|to)|"
    r"sexual\w*|contaminated|inhal\w*|ingest\w*|person[- ]to[- ]person|human[- ]to[- ]human|"
    r"mother[- ]to[- ]child|spread\w* (?:by|through|via|from|between|among))\b",
    re.IGNORECASE,
)
# "How are earthquakes measured?": asks for a method or a scale. A trial report called it
# "summarised in the short answer above", whose sentences defined seismology and seismicity.
_ASKS_MEASUREMENT = re.compile(
    r"^(?:how (?:is|are|was|were|do|does|can|could) (?:[\w'’-]+ ){0,6}(?:measured|quantified|"
    r"rated)|how (?:do|does|did|can) (?:[\w'’-]+ ){0,4}(?:measure|quantify))\b",
    re.IGNORECASE,
)
# How sentences state a way of measuring: its verbs, scales and instruments.
_MEASUREMENT = re.compile(
    r"\b(?:measur\w*|scales?|magnitudes?|(?:seismo|thermo|baro|spectro|photo|hygro|anemo|"
    r"volt|amp|galvano)(?:meters?|graphs?)|instruments?|gauges?|quantif\w*|index|indices|"
    r"calibrat\w*)\b",
    re.IGNORECASE,
)
# How sentences say that something is harmed: a cause (`_REASON`) or the words of harm.
_HARM = re.compile(
    r"\b(?:threat\w*|endanger\w*|damag\w*|harm\w*|destroy\w*|destruction|declin\w*|"
    r"degrad\w*|loss|losses|lost|los(?:e|es|ing)|kill\w*|risks?|at risk|vulnerab\w*)\b",
    re.IGNORECASE,
)
# How sentences say that something was found out: the verbs of finding, not a topic's words.
_DISCOVERY = re.compile(
    # Not an observatory: "… one of NASA's Great Observatories" says nothing Hubble found
    # (a trial report called "What has it discovered?" answered elsewhere by it).
    r"\b(?:discover\w*|detect\w*|observ(?!ator)\w*|identif\w*|isolat\w*|confirm\w*|"
    r"measur\w*|reveal\w*|"
    # What a scientist is credited with finding: "… shares credit with … Leibniz for
    # formulating infinitesimal calculus", "… established classical mechanics" (a trial report
    # on "What did Isaac Newton discover?" dropped every sentence of his lead and printed
    # nothing).
    r"formulat\w*|credit(?:ed)? (?:with|for)|shares credit|established|"
    # A mathematician's finding: "Archimedes anticipated modern calculus … to derive and
    # rigorously prove many geometrical theorems" (a trial report declared "What did he
    # discover?" beside it).
    r"prov(?:e|ed|en|es|ing) (?:\w+ ){0,4}theorems?|theorems?|"
    r"deriv(?:e|ed|es|ing) (?:\w+ ){0,3}(?:formulas?|formulae|equations?|laws?|theorems?)|"
    r"found|find|finds|finding|spotted|sighted|first (?:seen|described|proposed|predicted)|"
    # How a structure came to be known: "… played crucial roles in deciphering the helical
    # structure of the DNA molecule", "… a paper … proposing the double helix structure" (a
    # trial report declared "How was DNA's structure discovered?" beside both).
    r"deciph\w*|elucidat\w*|unravel\w*|propos(?:ed|ing) (?:\w+ ){0,4}(?:structure|model)|"
    r"determin(?:ed|ing) (?:\w+ ){0,3}structure|x-ray (?:diffraction|crystallography)|"
    # The experiments that found it ("… by the ATLAS and CMS experiments"), not that someone
    # did some (`_DOING_EXPERIMENTS`).
    r"experiment\w*|evidence)\b",
    re.IGNORECASE,
)
# That someone did experiments, which says nothing found: "Joseph Priestley … conducted
# experiments in several areas of science" was called the answer to "What did he discover?"
# in a trial report; read out of a sentence before `_DISCOVERY` is.
_DOING_EXPERIMENTS = re.compile(
    r"\b(?:conduct(?:s|ed|ing)?|perform(?:s|ed|ing)?|carr(?:y|ies|ied|ying) out|"
    r"undert(?:ake|akes|ook|aken|aking))\s+(?P<what>(?:[\w-]+\s+){0,3}?)experiments?\b",
    re.IGNORECASE,
)

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|"
    r"dozen|dozens|half|double|doubled|tripled|twice|thrice"
)
# A digit inside a word is a formula or a name ("CO2", "H2O", "COVID-19"), not an amount.
_NUMBER = re.compile(rf"(?<![A-Za-z\d-])\d|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_MONEY = re.compile(
    r"[$£€¥]\s?\d|\b\d[\d,.]*\s*(?:(?:million|billion|trillion|bn|m)\s+)?"
    r"(?:dollars|pounds|euros|yen|francs|marks|rubles|roubles|usd|gbp|eur)\b|"
    r"\b(?:dollars|pounds sterling|euros)\b|\bUS\$",
    re.IGNORECASE,
)
_MONEY_CONTEXT = re.compile(rf"\b{_MONEY_VERB}\b", re.IGNORECASE)
_TIME = re.compile(
    r"\b(?:1\d{3}|20\d{2})s?\b(?!\s*(?:km|kg|m|metres|meters|miles|people|ppm|%))|"
    r"\b\d{1,4}\s*(?:BCE|BC|CE|AD)\b|\b\d+(?:st|nd|rd|th) (?:century|millennium)\b|"
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
    r"twentieth|twenty-first) (?:century|millennium)\b|"
    rf"\b(?:{MONTHS})\b|\b(?:BCE|BC|CE|AD)\b|\byears? ago\b|\bmillion years\b|"
    # Geological time: "the Cretaceous–Paleogene extinction event approximately 66 mya" (a
    # trial report declared "When did the dinosaurs go extinct?" beside it).
    r"\b\d[\d.,]*\s*(?:[mkb]ya|Mya|Ma|Ga|ka)\b|"
    # A year before 1000 with no era: "The Western Empire collapsed in 476 …"; not "in 300
    # cases" (a unit or a noun follows) nor "in 1.5" (not a whole number).
    r"\b(?i:in|by|until|till|since|from|after|before|around|c\.) \d{3}\b(?![.,]?\d)"
    r"(?!\s*(?!(?:the|a|an|and|when|AD|BC|CE|BCE)\b)[A-Za-z%])",
)
# A capitalised word after the first one: a name ("Neil Armstrong", "the Soviet Union").
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+|(?<=\s)[A-Z]\.")


# "Why …?", "What caused / triggered / killed / drives …?": asks for a cause.
_ASKS_REASON = re.compile(
    r"^(?:why\b|what (?:caused|causes|cause|triggered|triggers|killed|kills|drives|drove|"
    r"led to|leads to)\b|what (?:is|was|are|were) the (?:(?:main|primary|major|chief|"
    r"principal|leading|key|root|underlying) )?(?:causes?|reasons?|triggers?)\b"
    # "What did he win the Nobel Prize for?": what an honour was given for is its reason. A
    # trial report on Albert Einstein printed "The prizes were first awarded in 1901 …"
    # under that part. Not "What was Sparta known for?", which asks what it was notable for:
    # read as a reason, a trial report declared it not covered beside "Sparta rose to become
    # the most prominent land military power in the Greek world".
    r"|what (?:did|does|do|was|were|is|are)\b.*\b(?:win|won|receive|received|get|got|earn|"
    r"earned|award|awarded|given|honou?red)\b.*\bfor\s*\??$)",
    re.IGNORECASE,
)
# How sentences state a cause: the cue phrases of causal relations, not a topic's words.
# Not "resulted in": "World War I resulted in an estimated 15 to 22 million deaths" states
# what the war caused, and that is how the topic's own pages use it.
_REASON = re.compile(
    r"\b(?:caus(?:e|es|ed|ing)|because|due to|owing to|thanks to|as a result|"
    r"result(?:s|ed|ing)? from|(?:lead|leads|leading|led) to|trigger(?:s|ed|ing)?|"
    r"driv(?:e|es|en|ing|er|ers)|drove|responsible for|attribut(?:e|es|ed|ing)\b.{0,40}?\bto|"
    r"factors?|reasons?|contribut(?:e|es|ed|ing|ion|ions|or|ors)|generat(?:e|es|ed|ing)|"
    r"produced by|explain(?:s|ed|ing)?|stem(?:s|med|ming)? from|aris(?:e|es|ing) from|"
    r"arose from|brought about|gave rise|give rise|gives rise|"
    # The grounds of a sentence or a trial: "In 399 BC, Socrates was accused of impiety and
    # corrupting the youth" answers "Why was Socrates sentenced to death?", which a trial
    # report declared beside it.
    r"accus(?:ed|ation|ations) of|charged with|convicted of|found guilty of|on charges of|"
    r"(?:is|are|was|were) (?:the |a )?(?:direct |main |primary )?results? of)\b"
    # What a thing was made or done for answers "Why was it built?" as a cause does.
    r"|\b(?:in order to|so as to|for the purposes? of|intended (?:to|for|as)|designed to|"
    r"meant to|aim(?:ed|s)? (?:at|to)|as (?:a )?(?:protection|defen[cs]e|barrier) against|"
    r"to (?:protect|defend|guard|shield) (?:against|from|it|them|the))\b"
    # What a deed is done for answers "Why is a biopsy done?": "Biopsies are most commonly
    # performed for insight into possible cancerous or inflammatory conditions" (a trial
    # report declared the part beside it); a purpose of finding out, treating or mending,
    # not an audience, a place, a span or an accompaniment ("performed to hip-hop music",
    # "done to a temperature of 180 °C", "performed for an audience": a review's examples).
    r"|\b(?:performed|done|carried out|conducted|undertaken)\s+(?:\w+ly\s+)?"
    r"(?:for|to)\s+(?:(?:the|an?)\s+)?(?:insight|diagnos\w*|detect\w*|determin\w*|"
    r"identif\w*|assess\w*|evaluat\w*|treat\w*|prevent\w*|confirm\w*|rul(?:e|ing) out|"
    r"investigat\w*|examin\w*|monitor\w*|reduc\w*|remov\w*|reliev\w*|relief|test\w*|"
    r"screen\w*|establish\w*|obtain\w*|improv\w*|restor\w*|correct\w*|repair\w*)\b"
    # What something is needed for answers "Why do we need vitamins?": "… essential to an
    # organism … for proper metabolic function" (a trial report declared that part).
    r"|\b(?:essential|necessary|needed|required|vital|indispensable) (?:to|for)\b"
    # "The primary intention for the Wall's construction was to prevent East German citizens
    # from fleeing …" (a trial report declared "Why was the Berlin Wall built?" beside it).
    r"|\b(?:intentions?|purposes?|aims?|goals?|objectives?|motives?)\b[^.;]{0,60}?\bto\b"
    # A result clause within the sentence that says what was gained: "… to make the average
    # calendar year 365.2425 days long …, thus more closely approximating the … solar year"
    # answers "Why did the Gregorian calendar replace the Julian calendar?" (a trial report
    # declared it). Not any result ("…, thereby ending the Cold War" is no reason the Soviet
    # Union collapsed), nor a sentence adverb pointing back ("Insulin is thus an anabolic
    # hormone").
    r"|,\s*(?:and\s+)?(?:thus|thereby)\s+(?:(?:more|less|better)\s+(?:\w+ly\s+)?\w+ing|"
    r"(?:improving|allowing|enabling|ensuring|preventing|avoiding|correcting|reducing|"
    r"increasing)\b)",
    re.IGNORECASE,
)
# What an honour was given for, or what someone is known for: "received the 1921 Nobel
# Prize in Physics for "his services to theoretical physics …"". The reason of the honour or
# the fame, and of nothing else: a trial report took "Why did he fall out with Thomas
# Edison?" (of Nikola Tesla) as answered by "Thomas Alva Edison was an American inventor …
# known for his work on the incandescent light bulb …".
_HONOURED_FOR = re.compile(
    r"\b(?:won|wins|received|receives|awarded|earned|known|famous|remembered|honou?red|"
    r"recogni[sz]ed)\b[^.;]{0,80}?\bfor\b(?!\s+(?:the first time|\d|a (?:period|time|total)))"
    r"|\bin recognition of\b",
    re.IGNORECASE,
)
# A part asking why an honour was given or why someone is known.
_ASKS_HONOUR = re.compile(
    r"\b(?:win|wins|won|receiv\w*|earn\w*|award\w*|honou?r\w*|prize|"
    r"medal|recogni[sz]\w*|known|famous|remembered|celebrated)\b",
    re.IGNORECASE,
)


# "How many genes does it contain?": what is counted. People are counted in deaths, victims
# or a population as often as in "people", so a count of them is not held to the word.
_HOW_MANY = re.compile(r"^how many (?P<noun>[a-z][a-z-]+)\b", re.IGNORECASE)
_PEOPLE = frozenset(["people", "persons", "individuals", "humans", "lives", "men", "women"])
_PEOPLE_COUNTED = re.compile(
    r"\b(?:people|persons?|individuals|humans?|lives|men|women|children|populat\w*|"
    r"inhabit\w*|residents?|citizens?|speakers?|deaths?|died|dead|killed|kill\w*|"
    r"victims?|casualt\w*|fatalit\w*|soldiers?|troops|workers?|members?|refugees?|"
    r"visitors?|tourists?|employees?|students?|followers?|adherents?|believers?|users?)\b",
    re.IGNORECASE,
)


def counts_what_is_asked(sentence: str, part: str) -> bool:
    """Whether `sentence` counts what a "How many X …?" part asks about: a number of X (or
    of its singular, `_COUNT`), or "the number of X". A trial report on "What is the human
    genome, and how many genes does it contain?" took "… the 22 autosomes and the two
    distinct sex chromosomes" as the count of genes. True for any other part; a count of
    people may be said in any words of people (`_PEOPLE_COUNTED`)."""
    m = _HOW_MANY.match(" ".join(part.split()))
    if m is None:
        return True
    if m.group("noun").lower() in _PEOPLE:
        # Any count of people, said however ("a population of over 20 million", "13,039
        # inhabitants", "the deaths of 60 to 75 million"), but of people: a trial report on
        # "How many people live in Kiribati?" called it answered by "… comprises 32 atolls".
        return _PEOPLE_COUNTED.search(sentence) is not None
    noun = m.group("noun").lower()
    forms = {noun, noun.removesuffix("s"), noun.removesuffix("es")}
    if noun.endswith("ies"):
        forms.add(noun[:-3] + "y")
    named = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True) if f)
    return bool(
        re.search(rf"{_COUNT}(?:{named})s?\b", sentence, re.IGNORECASE)
        or re.search(rf"\bnumber of (?:\w+\s+){{0,2}}(?:{named})s?\b", sentence, re.IGNORECASE)
        or (
            _ASKS_A_LOSS.search(part) is not None
            and re.search(rf"{_SHARE}(?:{named})s?\b", sentence, re.IGNORECASE) is not None
        )
    )


# A count of what is asked: a number, then up to three lower-case words, then the noun. A
# capitalised word between makes it a count of a named kind, not of the thing: "Europa is the
# smallest of Jupiter's four Galilean moons" (a trial report answered "How many moons does
# Jupiter have?" with it, and with "Europa is an icy moon", which counts nothing).
_COUNT = (
    rf"(?:(?<![A-Za-z\d-])\d[\d,.]*|\b(?:{_NUMBER_WORDS}|several))\s+"
    r"(?:(?-i:[a-z][\w-]*)\s+){0,3}"
)
# Or a share of them: "… eliminating 49–60% of marine genera and nearly 85% of marine
# species" counts the species an extinction killed (a trial report declared "How many
# species died?" with it in its short answer).
# Only for a loss: a share of a kind says how many of it are something else ("Rodents make
# up about 40% of all mammal species" is no count of rodent species; a review's examples),
# nor of all of a wider group.
_SHARE = (
    r"(?<![A-Za-z\d-])\d[\d,.]*\s*(?:%|per\s?cent)\s+of\s+(?:the\s+)?(?!all\b)"
    r"(?:(?-i:[a-z][\w-]*)\s+){0,3}"
)
_ASKS_A_LOSS = re.compile(
    r"\b(?:died|die|killed|lost|perished|extinct|wiped out|eliminated|destroyed|survived)\b",
    re.IGNORECASE,
)


# "Who invented the Internet?": a part asking who originated something, answered only by a
# sentence that says so ("… invented …", "the inventor of …"). A trial report took that part
# as answered by sentences naming the World Wide Web, whose capitals pass for a person's.
_ORIGINATORS = {
    "invented": r"invent\w*",
    "discovered": r"discover\w*",
    "founded": r"found(?:ed|er|ers|ing)\b|co-?found\w*",
    "created": r"creat(?:e|ed|es|ing|or|ors)\b",
    "designed": r"design\w*",
    # "… pioneered the concept of vaccines and created the smallpox vaccine, the world's
    # first vaccine" says who developed the first one (a trial report declared it beside it).
    "developed": r"develop\w*|creat(?:e|ed|es|ing|or|ors)\b|invent\w*|pioneer\w*|devis\w*",
    "wrote": r"wr(?:ote|itten|iter|iters|ites|iting)\b|author\w*",
    # Or a painted work's maker: "… the frescoes that decorate its interior, most
    # particularly the Sistine Chapel ceiling and The Last Judgment, both by Michelangelo" (a
    # trial report declared "Who painted the Sistine Chapel ceiling?" beside it); not "restored
    # by", "commissioned by".
    "painted": r"paint\w*|(?:fresco(?:e)?s?|murals?|portraits?|canvas(?:es)?|altarpieces?)\b"
    r"[^.]{0,120}?(?<!ed )\bby (?:the )?(?:[a-z]+ ){0,3}[A-Z]",
    # Or a work's music: "Don Giovanni is an opera in two acts with music by Wolfgang Amadeus
    # Mozart …" (a trial report declared "Who composed Don Giovanni?" beside it).
    "composed": r"compos(?:e|ed|er|ers|ing)\b|(?:music|score)\s+(?:(?:is|was|were)\s+)?"
    r"(?:(?:written|composed)\s+)?by (?:the )?(?-i:[A-Z])",
    # A building's builder is said with the verbs of building, its patron with a commission,
    # a tomb or a reign: "It was commissioned in 1631 by … Shah Jahan" (Taj Mahal), "served
    # as the tomb of Egyptian Pharaoh Khufu" (Great Pyramid of Giza). A trial report took
    # "Who built Stonehenge?" as answered by "Stonehenge is a prehistoric megalithic
    # structure on Salisbury Plain in Wiltshire, England", whose capitals pass for a name.
    "built": r"buil(?:t|d|der|ders|ding)\b|construct\w*|erect\w*|commission\w*|"
    r"tomb (?:of|for)\b|under (?:the )?(?:reign|rule|emperor|king|pharaoh|sultan)\b",
    # Made by hand: "Moai … are monolithic human figures carved from stone by the Rapa Nui
    # people" answers "Who made the moai?", which a trial report declared beside it.
    "made": r"ma(?:de|ker|kers|king)\b|creat(?:e|ed|es|ing|or|ors)\b|carv\w*|sculpt\w*|"
    r"buil(?:t|d|der|ders)\b|construct\w*|craft\w*|forg(?:e|ed)\b|produc\w*|"
    r"manufactur\w*|design\w*|paint\w*",
    # "… a gift to the United States from the people of France" answers "Who gave it to
    # the United States?", which a trial report declared beside it ("gave" has no stem
    # its other forms share).
    "gave": r"gave|giv(?:e|en|es|ing)\b|gift\w*|donat\w*|present(?:ed|s)?\b|offer(?:ed|s)?\b|"
    r"grant(?:ed|s)?\b|bequea\w*",
}
# A name of two or more capitalised words ("Empire State Building", "Great Wall of China").
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’.-]*)+")
_ASKS_ORIGINATOR = re.compile(
    rf"^who (?:first )?(?P<verb>{'|'.join(_ORIGINATORS)})\b",
    re.IGNORECASE,
)


# "Who first climbed Mount Everest?", "Who first landed on the Moon?": any other verb after
# "who". Not the copula or an auxiliary ("Who were the two sides?", "Who did …").
_ASKS_DOER = re.compile(r"^who (?P<first>first )?(?P<verb>[a-z]+)\b", re.IGNORECASE)
_NOT_DOING = frozenset([
    "was", "is", "were", "are", "be", "been", "did", "does", "do", "has", "have", "had",
    "will", "would", "can", "could", "may", "might", "shall", "should", "must",
])  # fmt: skip


# Verbs of carrying something out, any of which says who did it.
_DOING = re.compile(r"carri|carry|commit|conduct|perform|perpetrat|execut|orchestrat|stag")
# Verbs of taking part in a meeting, any of which says who was there: a trial report declared
# "Who attended the Yalta Conference?" beside "The three states were represented by
# President Franklin D. Roosevelt, Prime Minister Winston Churchill, and … Joseph Stalin".
_ATTENDING = re.compile(r"attend|participat|partake|took part|represent|delegat")
# Verbs of governing, which a sentence also says by what the place belongs to: "Greenland
# is an autonomous territory of the Kingdom of Denmark" answers "Who governs Greenland?"
# (a trial report declared it).
_GOVERNING = re.compile(r"govern|rul|control|administ|own")
_GOVERNED = (
    r"(?i:govern\w*|rul(?:e|ed|es|er|ers|ing)\b|control\w*|administ\w*|owned|"
    r"under (?:the )?(?:sovereignty|rule|control|authority|administration) of)|"
    r"(?i:territory|dependency|province|colony|possession|part) of (?:the )?[A-Z]"
)


def _verb_stem(verb: str) -> str:
    """A past form's stem as it begins the verb's other forms: "climbed" -> "climb",
    "landed" -> "land", "carried" -> "carri" ("carries", "carrier" too: `\bcarri`)."""
    for end in ("ied", "ed", "es", "s"):
        if verb.endswith(end) and len(verb) - len(end) >= 3:
            return verb[: -len(end)] + ("i" if end == "ied" else "")
    return verb


# Verbs of conquest, which a sentence also says by the fall it brought or the conqueror's
# title: "Hernán Cortés … was a Spanish conquistador … who led an expedition that caused the
# fall of the Aztec Empire" answers "Who conquered the Aztec Empire?" (a trial report declared
# it beside that sentence).
_CONQUERING = re.compile(r"conquer|defeat|overthr|overran|overrun|invad|captur|seiz|subjugat")
_CONQUERED = (
    r"(?i:conque\w*|conquist\w*|defeat\w*|overthr\w*|overr[au]n\w*|invad\w*|invasion|"
    r"captur\w*|seiz\w*|subjugat\w*|(?:fall|downfall|collapse|destruction) of)"
)


def names_the_originator(sentence: str, part: str) -> bool:
    """Whether `sentence` can say who did what a "Who <verb> …?" part asks about: for
    "Who invented / discovered / founded / wrote / built … ?" it uses that verb or its agent
    noun ("invented", "the inventor of"); for another verb, that verb ("climbed",
    "climbers") or, after "Who first", the word "first" ("the first person to walk on the
    Moon" answers "Who first landed on the Moon?"). A trial report printed K2's height and
    Everest's under "Who first climbed Mount Everest?": both name something, so the name
    rule had passed them. True for any other part."""
    asked = " ".join(part.split())
    # The thing asked about is no answer, whatever its name says: "… Empire State
    # Building's name is derived from …" does not say who built it (a trial report printed
    # it under "Who built the Empire State Building?").
    for name in _CAPITALISED_RUN.findall(asked.split(" ", 1)[-1]):
        sentence = sentence.replace(name, " ")
    m = _ASKS_ORIGINATOR.match(asked)
    if m is not None:
        said = _ORIGINATORS[m.group("verb").lower()]
        return re.search(rf"\b(?:{said})", sentence, re.IGNORECASE) is not None
    doer = _ASKS_DOER.match(asked)
    if doer is None or doer.group("verb").lower() in _NOT_DOING:
        return True
    if doer.group("first") and re.search(r"\bfirst\b", sentence, re.IGNORECASE):
        return True
    stem = _verb_stem(doer.group("verb").lower())
    if _ATTENDING.match(stem):
        return re.search(rf"\b(?:{_ATTENDING.pattern})", sentence, re.IGNORECASE) is not None
    if _GOVERNING.match(stem):
        return re.search(rf"\b(?:{_GOVERNED})", sentence) is not None
    if _CONQUERING.match(stem):
        return re.search(rf"\b(?:{_CONQUERED})", sentence) is not None
    if _DOING.match(stem):
        # "Who carried them out?" is answered by "… attacks perpetrated by … al-Qaeda".
        said = re.search(rf"\b(?:{_DOING.pattern})", sentence, re.IGNORECASE)
        return said is not None or re.search(r"\bby (?:the )?[A-Z]", sentence) is not None
    return re.search(rf"\b{re.escape(stem)}", sentence, re.IGNORECASE) is not None


# "Who was Cleopatra's father?": a relation of a person, which a sentence answers by naming
# it or its converse ("the daughter of Ptolemy XII"). A trial report took it as answered by
# "… Cleopatra was a descendant of its founder Ptolemy I Soter": a name, but no father.
_RELATIONS = {
    "father": r"father|daughter|son|child|children|born to|sired",
    "mother": r"mother|daughter|son|child|children|born to",
    "parents": r"parents?|father|mother|daughter|son|child|children|born to",
    "son": r"sons?|father|mother|child|children|heir",
    "daughter": r"daughters?|father|mother|child|children",
    "wife": r"wife|wives|married|marriage|husband|spouse|consort",
    "husband": r"husband|married|marriage|wife|spouse|consort",
    "brother": r"brothers?|siblings?|sisters?",
    "sister": r"sisters?|siblings?|brothers?",
    "successor": r"succe\w*|heir|second|continu\w*|followed|next",
    "predecessor": r"prede\w*|preced\w*|succe\w*|before",
    "teacher": r"teach\w*|taught|tutor\w*|pupil|student|studied under|mentor\w*",
}
_ASKS_RELATION = re.compile(
    rf"^who (?:was|is|were|are) (?:the )?(?:[\w-]+ ){{0,4}}?[\w-]+['’]s? "
    rf"(?:\w+ )?(?P<relation>{'|'.join(_RELATIONS)})s?\b",
    re.IGNORECASE,
)


def names_the_relation(sentence: str, part: str) -> bool:
    """Whether `sentence` can say who stands in the relation a "Who was X's father?" part
    asks about: it names the relation or its converse. True for any other part."""
    m = _ASKS_RELATION.match(" ".join(part.split()))
    if m is None:
        return True
    said = _RELATIONS[m.group("relation").lower()]
    return re.search(rf"\b(?:{said})", sentence, re.IGNORECASE) is not None


# "What is the Great Red Spot on Jupiter?": a named thing placed on or in another. The
# collection has no page on the Great Red Spot and Jupiter's lead never names it, and a trial
# report called both parts answered by Jupiter's mass, size and orbit. Not "of", which
# belongs to many names ("the Great Pyramid of Giza").
_LOCATED_NAME = re.compile(
    r"\b(?:the )?(?P<name>(?:[A-Z][\w'’-]+ ){0,4}[A-Z][\w'’-]+) (?:on|in|at) (?:the )?[A-Z]"
)
_QUESTION_WORDS = frozenset(["What", "Who", "Where", "When", "Why", "How", "Which"])


# "What was the Industrial Revolution's effect on cities?", "How did it change the spread
# of knowledge in Europe?": asks what something did to a named target. A trial report
# called the first answered by the Industrial Revolution's dates and definition, none of
# which says a word of cities.
_AFFECTED = re.compile(
    r"\b(?:effects?|impacts?|influence|consequences?) (?:of [^?]+? )?(?:on|upon) "
    r"(?:the |its |their |his |her )?(?P<target>[^?,]+?)\s*\??$|"
    r"^how (?:did|does|do|has|have|is|was) (?:\w+[\w'’]* ){1,6}(?:affect|change|influence|"
    r"impact|shape|transform|alter)(?:ed|d)? (?:the |its |their |his |her )?"
    r"(?P<changed>[^?,]+?)\s*\??$",
    re.IGNORECASE,
)


# Targets any sentence on an effect is about: "coffee has a stimulating effect on humans"
# answers "How does coffee affect the body?", which a trial report had declared.
_ANYONE = content_words("body bodies people person persons human humans health us we life")


_SUPERLATIVE_WORDS = (
    r"largest|biggest|smallest|tallest|highest|lowest|longest|shortest|deepest|oldest|"
    r"youngest|fastest|slowest|hottest|coldest|heaviest|lightest|brightest|closest|nearest|"
    r"farthest|furthest|richest|poorest|greatest|earliest|strongest|weakest|densest|"
    r"(?:most|least) [a-z]+"
)
# "Which planet is the largest in the Solar System?", "What is the tallest mountain?":
# asks which one holds a superlative.
_ASKS_SUPERLATIVE = re.compile(
    rf"^(?:which|what)\b[^?,]*?\bthe (?P<word>{_SUPERLATIVE_WORDS})\b", re.IGNORECASE
)
# "Which countries produce the most?": a superlative with its noun left out, which any
# superlative of the answer states ("China is the largest producer …"). A trial report took
# it as answered by tea's definition, which names three countries and no ranking.
_ASKS_BARE_SUPERLATIVE = re.compile(
    r"^(?:which|what|who)\b[^?,]*?\bthe (?:most|least)\s*\??$", re.IGNORECASE
)
_ANY_SUPERLATIVE = re.compile(
    rf"\b(?:{_SUPERLATIVE_WORDS}|most|least|fewest|leading|top)\b", re.IGNORECASE
)
# A rank before a superlative makes another one: "the fourth-largest planet", "the second
# most populous city".
_RANKED = re.compile(
    r"(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
    r"[\s-]+$",
    re.IGNORECASE,
)


_YEAR = re.compile(r"\b(?:1\d{3}|20\d{2})\b")
# A span of years: "2013–2016", "from 1939 to 1945", "between 1986 and 1996".
_YEAR_SPAN = re.compile(
    r"\b(?P<start>1\d{3}|20\d{2})\s*(?:–|-|to|and|until)\s*(?P<end>1\d{3}|20\d{2})\b"
)


def names_the_year(sentence: str, part: str) -> bool:
    """Whether `sentence` states a year `part` names ("the 2014 outbreak"), as it is or
    inside a span of years ("the 2013–2016 epidemic"). A trial report answered "How did the
    2014 outbreak spread?" (of Ebola) with COVID-19's spread in 2020. True for a part that
    names no year."""
    asked = {int(y) for y in _YEAR.findall(part)}
    if not asked:
        return True
    stated = {int(y) for y in _YEAR.findall(sentence)}
    spans = [(int(m["start"]), int(m["end"])) for m in _YEAR_SPAN.finditer(sentence)]
    return bool(asked & stated) or any(a <= y <= b for y in asked for a, b in spans)


# "How tall is Niagara Falls?": a measure, which a number states; "the largest of the three
# is Horseshoe Falls" ranks a size but says no height (a trial report called the part
# answered by it). "How big …?" may be answered by a rank ("the largest contiguous empire").
_ASKS_MEASURE = re.compile(
    r"^how (?:tall|high|deep|long|far(?: away)?|wide|heavy|thick) (?:is|was|are|were)\b",
    re.IGNORECASE,
)


def states_a_measure(sentence: str, part: str) -> bool:
    """Whether `sentence` states a number, when `part` asks how tall, high, deep, long, far,
    wide or heavy something is; True for any other part."""
    if not _ASKS_MEASURE.match(" ".join(part.split())):
        return True
    return bool(re.search(r"\d", sentence))


# Superlatives that say the same of a mountain, a building or a country: "Earth's highest
# mountain" is its tallest (a trial report declared "What is the tallest mountain on
# Earth?" beside "… Earth's highest peaks, including the highest, Mount Everest").
_SAME_SUPERLATIVE = {
    "tallest": ("highest",),
    "highest": ("tallest",),
    "biggest": ("largest",),
    "largest": ("biggest",),
    "oldest": ("earliest",),
    "earliest": ("oldest",),
}


def names_the_superlative(sentence: str, part: str) -> bool:
    """Whether `sentence` can say which one holds the superlative a "Which … is the largest
    …?" part asks about: it states that superlative unranked. A trial report answered
    "Which planet is the largest in the Solar System?" with "Neptune is the fourth-largest
    planet …", "Eris is the most massive and second-largest-known dwarf planet …" and
    "Mercury is … the smallest in the Solar System"; the collection's *Jupiter* says "… the
    largest in the Solar System". "Which countries produce the most?" leaves the noun out:
    any unranked superlative states it. True for any other part."""
    part = " ".join(part.split())
    if _ASKS_BARE_SUPERLATIVE.match(part):
        stated = _ANY_SUPERLATIVE
    elif (asked := _ASKS_SUPERLATIVE.match(part)) is not None:
        asked_word = asked.group("word").lower()
        words = [asked_word, *_SAME_SUPERLATIVE.get(asked_word, ())]
        said = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
        stated = re.compile(rf"\b(?:{said})\b", re.IGNORECASE)
    else:
        return True
    return any(
        not _RANKED.search(sentence[max(0, m.start() - 12) : m.start()])
        and not _another_scope(sentence[m.end() : m.end() + 60], part)
        for m in stated.finditer(sentence)
    )


# A superlative held to a place: "the highest mountain in Africa", "the highest volcano in
# the Eastern Hemisphere".
_IN_A_PLACE = re.compile(
    r"^\s+(?:[\w-]+\s+){0,3}?(?:in|of) (?:the )?(?P<place>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)"
)
_EVERYWHERE = frozenset(["world", "earth", "universe", "solar system"])


def _another_scope(after: str, part: str) -> bool:
    """Whether the words after a superlative hold it to a place the part does not name: a
    trial report printed "Mount Kilimanjaro is the highest mountain in Africa …" under
    "What is the tallest mountain on Earth?"."""
    m = _IN_A_PLACE.match(after)
    if m is None:
        return False
    place = re.sub(r"['’]s?$", "", m.group("place")).lower()
    return place not in _EVERYWHERE and place not in part.lower()


def _affected(part: str) -> str | None:
    """What `part` asks the effect on ("the body" of "How does it affect the body?",
    "cities" of "What was its effect on cities?"); None for a part asking no such effect."""
    m = _AFFECTED.search(" ".join(part.split()))
    return None if m is None else m.group("target") or m.group("changed") or ""


def asks_the_effect_on(part: str) -> bool:
    """Whether `part` asks the effect of something on a target ("How does it affect the
    body?", "What was its effect on cities?"), whose answer `names_the_affected` checks."""
    return _affected(part) is not None


def effect_on_anyone(part: str) -> bool:
    """Whether the target `part` asks the effect on names no one in particular ("the body",
    "people", "them"), so that any sentence names it (`names_the_affected`)."""
    affected = _affected(part)
    return affected is not None and not (content_words(affected) - _ANYONE)


def names_the_affected(sentence: str, part: str) -> bool:
    """Whether `sentence` names what a part asks the effect on ("cities" of "What was the
    Industrial Revolution's effect on cities?"): a word of it, or a word the lexicon relates
    to one ("urban" for "city" when WordNet does). True for any other part."""
    affected = _affected(part)
    return affected is None or _names_target(sentence, affected)


def _names_target(sentence: str, affected: str) -> bool:
    """Whether `sentence` has a word of `affected` (but a word any sentence on an effect is
    about), or a word the lexicon relates to one."""
    target = content_words(affected) - _ANYONE
    if not target or target & content_words(sentence):
        return True
    wanted = [w for w in words(affected) if len(w) > 2]
    theirs = {w for w in words(sentence) if len(w) > 2}
    lexicon = default_lexicon()
    return any(lexicon.rewords(w, theirs) for w in wanted)


# "Why was Istanbul important to the Ottoman Empire?", "Why is the Suez Canal important for
# trade?": asks what something matters to. A trial report answered the first with today's
# Istanbul ("… straddles the Bosphorus – one of the world's busiest waterways"), which says
# nothing of the empire.
_MATTERS_TO = re.compile(
    r"\b(?:important|significant|vital|crucial|essential|valuable|useful|necessary)\s+"
    r"(?:to|for)\s+(?:the |its |their |his |her )?(?P<target>[^?,]+?)\s*\??$",
    re.IGNORECASE,
)


def names_what_it_matters_to(sentence: str, part: str) -> bool:
    """Whether `sentence` names what a part asks something matters to ("the Ottoman Empire"
    of "Why was Istanbul important to the Ottoman Empire?"): a word of it, or a word the
    lexicon relates to one, as `names_the_affected` reads an effect's target. True for any
    other part."""
    m = _MATTERS_TO.search(" ".join(part.split()))
    if m is None:
        return True
    return _names_target(sentence, m.group("target"))


def names_what_is_located(sentence: str, part: str) -> bool:
    """Whether `sentence` names the thing a part places on or in another ("the Great Red
    Spot" of "What is the Great Red Spot on Jupiter?"): a sentence on the larger thing alone
    does not answer it. True for any other part."""
    m = _LOCATED_NAME.search(" ".join(part.split()))
    if m is None:
        return True
    words = m.group("name").split()
    while words and words[0] in _QUESTION_WORDS:
        words = words[1:]
    if not words:
        return True
    return re.search(rf"\b{re.escape(' '.join(words))}\b", sentence, re.IGNORECASE) is not None


def asks_reason(part: str) -> bool:
    """Whether `part` asks why, or what caused something; not why something is famous or
    important (`AnswerType.SIGNIFICANCE`), which is answered by its standing, nor why it is
    unique or unusual (`AnswerType.DISTINCTION`), answered by what sets it apart."""
    text = " ".join(part.split())
    return (
        bool(_ASKS_REASON.search(text))
        and not _ASKS_SIGNIFICANCE.search(text)
        and not _ASKS_DISTINCTION.search(text)
    )


def states_reason(sentence: str, part: str) -> bool:
    """Whether `sentence` states a cause ("… was caused by …", "… due to …", "… led to …")
    or a purpose ("… built as protection against …", "… designed to …"): what an answer to
    a "Why …?" part says. Sentence embeddings score any sentence on the subject high for
    it: the dev report on antibiotics took "Why are bacteria becoming resistant to it?" as
    answered by sentences on penicillin's discovery and species, and the one on World War I
    "What triggered it?" by sentences on its deaths and weapons. What an honour was given
    for, or what someone is known for, is a reason only when `part` asks about an honour
    or fame."""
    if _REASON.search(sentence) and not _states_its_effects(sentence, part):
        return True
    if _asks_a_living_trait(part) and _SERVES.search(sentence):
        return True
    return bool(_HONOURED_FOR.search(sentence) and _ASKS_HONOUR.search(part))


# "Why do hammerhead sharks have hammer-shaped heads?", "Why does a giraffe have a long
# neck?": asks what a trait is for, which a sentence on its function or advantage answers.
_ASKS_TRAIT = re.compile(
    r"^why (?:do|does|did) (?P<bearer>(?:[\w'’-]+ ){1,6}?)(?:have|has|possess)\b", re.I
)
_LIVING_KINDS = frozenset(["organism", "animal", "plant"])
# What a trait does for its bearer: a trial report on the hammerhead declared the part beside
# "… functions have been postulated for the cephalofoil, including sensory reception …" and
# "The cephalofoil gives the shark superior binocular vision …".
_SERVES = re.compile(
    r"\b(?:functions? (?:of|for|include|including|(?:has|have) been \w+)|"
    r"serv(?:e|es|ed|ing) to|(?<!no )(?<!no known )advantages? (?:of|for|to|over|in)|"
    r"giv(?:e|es|ing) (?:[\w-]+ ){0,3}(?:superior|better|improved|greater|increased|enhanced))\b",
    re.IGNORECASE,
)


def _asks_a_living_trait(part: str) -> bool:
    """Whether `part` asks why a living thing has a trait ("Why do hammerhead sharks have
    hammer-shaped heads?"), whose function answers it; not "Why does the Moon have phases?",
    which asks a cause."""
    m = _ASKS_TRAIT.match(part.strip())
    if m is None:
        return False
    bearer = m.group("bearer").split()[-1]
    return bool(_LIVING_KINDS & default_lexicon().kinds(bearer, senses=3))


# "What caused the Iranian Revolution?", "What triggered World War I?": asks the cause of
# what follows the verb.
_ASKS_CAUSE_OF = re.compile(
    r"^(?:what|which [\w-]+) (?:caused|triggered|sparked|started|provoked|prompted|led to|"
    r"brought about) (?P<what>[^?]+?)\s*\??$",
    re.IGNORECASE,
)
# A cause said forwards, from the cause to its effect ("X led to Y"); "caused by" is said
# backwards and names the cause after it.
_FORWARD_CAUSE = re.compile(
    r"(?:caused|causing|(?:lead|leads|leading|led) to|trigger(?:s|ed|ing)?|gave rise|"
    r"give rise|gives rise|brought about|contribut\w* to|dr(?:ove|ives?|iving))\b(?!\s+by\b)",
    re.IGNORECASE,
)
# What ends a clause between a cause's subject and its verb ("During the Black Death, the
# bacterium … caused …"; "… had deep roots: decades of repression led to …").
_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:when|which|who|that|because|after|as|while)\b", re.I)
_PRONOUNS = frozenset(["it", "they", "this", "that", "them"])


# A pronoun standing for the thing as the verb's subject, once a clause break ends the
# clause that named it: "The extinction event had a profound impact …; it caused the
# disappearance of one third of all brachiopod … families" says what the Late Ordovician
# mass extinction caused (a trial report took it as the answer to what caused the
# extinction), as do "…, nor did it lead to …" and "…, which led to …".
_ITS_PRONOUN = re.compile(
    r"\s*(?:(?:and|but|nor|or)\s+)?(?:(?:did|does|do|has|have|had)\s+)?(?:it|they|this)\s+"
    r"(?:(?:also|then|not|has|have|had|\w+ly)\s+)*",
    re.IGNORECASE,
)


def _its_clause(sentence: str, named_end: int, verb: int) -> bool:
    """Whether the thing named up to `named_end` is the subject of the verb at `verb`: no
    clause break between them; or a relative right after the thing (", which led to"); or
    one clause's end, then a pronoun standing for the thing ("; it caused"). Not a relative
    after another noun ("… after the stock market crash of October 1929, which triggered
    …", a review's example), nor a pronoun after a second clause ("… struck after a potato
    blight spread …; it caused …")."""
    between = sentence[named_end:verb]
    if _CLAUSE_BREAK.search(between) is None:
        return True
    relative = re.fullmatch(r"\s*(?:,\s*)?(?:which|that)\s+(?:\w+ly\s+)?", between)
    if relative is not None:
        return True
    breaks = list(_CLAUSE_BREAK.finditer(between))
    last = breaks[-1]
    return (
        len(breaks) == 1
        and last.group() in ",;:"
        and _ITS_PRONOUN.fullmatch(between[last.end() :]) is not None
    )


def _states_its_effects(sentence: str, part: str) -> bool:
    """Whether every cause `sentence` states is one the thing `part` asks the cause of is
    itself (`_ASKS_CAUSE_OF`): the thing named before a forward cause and not after it.
    "The Iranian Revolution led to the replacement of the Imperial State of Iran …" says
    what the revolution caused; a trial report gave it as the answer to "What caused the
    Iranian Revolution?", and the lead says nothing of its causes."""
    asked = _ASKS_CAUSE_OF.match(part.strip())
    if asked is None:
        return False
    # The thing's head word: "Revolution" of "the Iranian Revolution of 1979".
    what = re.sub(r"\s+(?:of|in)\s+\d.*$", "", asked.group("what"))
    head = re.sub(r"['’]s?$", "", what.split()[-1]).lower()
    if head in _PRONOUNS:
        return False
    word = re.compile(rf"\b{re.escape(head)}\b", re.IGNORECASE)
    for reason in _REASON.finditer(sentence):
        forward = _FORWARD_CAUSE.match(sentence, reason.start()) is not None
        # The thing is the verb's subject: named before it with no clause break between.
        named = list(word.finditer(sentence, 0, reason.start()))
        subject = bool(named) and _its_clause(sentence, named[-1].end(), reason.start())
        after = word.search(sentence, reason.end()) is not None
        if not (forward and subject and not after):
            return False
    return True


# "How did their empire end?", "How did World War I end?": asks how something came to an
# end. A trial report on the Aztecs answered it in its short answer with "The Aztec Empire
# was a confederation of three city-states established in 1427", which says how it began.
_ASKS_ENDING = re.compile(
    r"^(?:how (?:did|does|do|was|were|is|are) (?:\w+[\w'’]* ){0,6}(?:end|fall|collapse|"
    r"come to an end|break up|dissolve|disappear|(?:been |get )?(?:defeated|destroyed|"
    r"conquered|overthrown|dissolved|abolished|brought down))|"
    r"what (?:ended|brought (?:[\w'’-]+ ){0,6}to an end|brought down))\b",
    re.IGNORECASE,
)
# How sentences say that something ended: the verbs and nouns of an end, a fall, a defeat
# or a settlement.
_ENDING = re.compile(
    r"\b(?:end(?:ed|s|ing)?|fall|fell|fallen|collaps\w*|overthr\w*|conquer\w*|conquest|"
    r"defeat\w*|captur\w*|destr\w*|dissol\w*|surrender\w*|abolish\w*|abolition|abdicat\w*|"
    r"armistice|treaty|treaties|peace|toppl\w*|deposed|annex\w*|disintegrat\w*|sack(?:ed)?|"
    r"invad\w*|invasion|declin\w*|demise|downfall|break-?up|broke up|partition\w*|"
    r"replaced|succeeded by|extinct\w*|ceased|came to an end|brought to an end|"
    # "… the worldwide Great Depression that lasted until the United States entered into
    # World War II …" (a trial report declared "How did the Great Depression end?" with it
    # in its short answer).
    r"last(?:s|ed)? until)\b",
    re.IGNORECASE,
)

# "What happened to Amelia Earhart?", "What became of the Roanoke colony?": asks the fate of
# someone or something, which a sentence of a death, a disappearance, a loss or an end
# answers. A trial report took "Amelia Mary Earhart was an American aviator …" for it; her
# lead says nothing of her disappearance. Not an exile: "… proposed by Demetrius of Phalerum,
# an exiled Athenian statesman …" answered "What happened to the Library of Alexandria?".
_ASKS_FATE = re.compile(r"^what (?:has |had )?(?:happened to|became of)\b", re.IGNORECASE)
_FATE = re.compile(
    rf"{_DEATH.pattern}|{_ENDING.pattern}|\b(?:died|death|disappear\w*|vanish\w*|missing|"
    r"lost|never (?:found|seen|recovered|returned)|crash\w*|sank|sunk|wreck\w*|"
    r"imprison\w*|survived|rescued|abandon\w*|ruins?|demolish\w*|buried|burn(?:ed|t)|"
    r"flooded|submerged|dismantl\w*|scrapped|stolen|looted)\b",
    re.IGNORECASE,
)

# "Who were the two sides?": asks for the parties of a conflict or rivalry. The dev report on
# the Cold War declared it not covered beside "The Cold War was a period of international
# geopolitical rivalry between the United States (US) and the Soviet Union (USSR) …": the
# part's wording is too vague for the relevance model (it scored 0.25 for the part).
_ASKS_SIDES = re.compile(
    r"^who (?:were|are|was|is) the (?:two |main |opposing |principal )?(?:sides|parties|"
    r"belligerents|combatants|opponents|rivals|adversaries|participants)\b|"
    # "Which countries fought in the Gulf War?": a trial report declared it beside "… an
    # armed conflict between Iraq and a 42-country coalition led by the United States".
    # Not "Who took part in the first Moon landing?" nor "Who fought at Hastings?": people.
    r"^(?:which|what) (?:countries|nations|states|powers|empires|kingdoms|sides|armies) "
    r"(?:fought|took part|participated|were involved|went to war)\b",
    re.IGNORECASE,
)
# How sentences name two sides: "between <Name> … and <Name>", "between <Name> and a
# coalition …", or "<Name> against <Name>".
_SIDES = re.compile(
    r"\bbetween (?:the )?[A-Z][^.;]{0,80}? and (?:the )?[A-Z]|"
    r"\bbetween (?:the )?[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)* and (?:the |a |an )?"
    r"(?:[\w'’-]+ ){0,3}(?:coalition|alliance|league|allies|powers|forces)\b|"
    r"\b[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)* (?:against|versus|vs\.?) (?:the )?[A-Z]"
)

# "Why is the Mona Lisa so famous?": asks what makes something notable, which an
# encyclopedia states as its standing ("Considered an archetypal masterpiece …, described as
# the best known … work of art in the world"), not with a causal cue; read as "why", a trial
# report declared it not covered beside those sentences.
# Words of fame, which `asks_standing` tells from words of importance.
_FAME = r"famous|well[- ]known|remembered|celebrated|renowned|honou?red|commemorated|notable|iconic"
_ASKS_SIGNIFICANCE = re.compile(
    r"^why (?:is|was|are|were) (?:\w+[\w'’-]* ){1,6}(?:so |still |considered |regarded as )?"
    rf"(?:{_FAME}|important|significant|popular|influential|admired|revered|valued|prized|"
    r"special|sacred|holy)\b",
    re.IGNORECASE,
)
# "Why is a platypus unusual?", "What makes Lake Baikal unique?": asks what sets it apart,
# which a superlative, a rarity or an exception answers, not a cause. Two trial reports
# declared the part beside "… the deepest lake in the world" and "… mammals that lay eggs
# instead of giving birth to live young".
_ASKS_DISTINCTION = re.compile(
    r"^(?:why (?:is|was|are|were) (?:\w+[\w'’-]* ){1,6}(?:so |considered |regarded as )?|"
    r"what makes (?:\w+[\w'’-]* ){1,6}(?:so )?)"
    r"(?:unique|unusual|distinctive|different|remarkable|peculiar|exceptional|strange|odd|"
    r"rare|extraordinary)\b",
    re.IGNORECASE,
)
_DISTINCTION = re.compile(
    r"\b(?:only|sole|solely|unique\w*|unusual\w*|uncommon|rare|rarely|distinct\w*|unlike|"
    r"instead of|rather than|one of the (?:few|only|rare)|exception\w*|endemic|exclusive\w*|"
    r"the first|the (?:most|least)|largest|biggest|smallest|oldest|youngest|deepest|highest|"
    r"tallest|longest|shortest|widest|heaviest|lightest|fastest|slowest|coldest|hottest|"
    r"driest|wettest|richest|earliest|greatest|clearest|purest|record)\b",
    re.IGNORECASE,
)
# "Why is she remembered?", "Why is the Mona Lisa so famous?": asks its fame, whose few words
# of its own leave a sentence stating it a low relevance score ("Lovelace is often
# considered the first computer programmer" scored 0.12 for "Why is she remembered?", and a
# trial report declared the part beside it).
_ASKS_FAME = re.compile(rf"\b(?:{_FAME})\b", re.IGNORECASE)


def asks_standing(part: str) -> bool:
    """Whether `part` asks what sets its subject apart (`AnswerType.DISTINCTION`) or why it
    is famous (`AnswerType.SIGNIFICANCE` asked with a word of fame, not of importance): a
    statement of that kind naming the subject answers it whatever its relevance score."""
    kind = asked_type(part)
    return kind is AnswerType.DISTINCTION or (
        kind is AnswerType.SIGNIFICANCE and _ASKS_FAME.search(part) is not None
    )


# How sentences state something's standing.
_SIGNIFICANCE = re.compile(
    r"\b(?:consider\w*|regard\w*|describ\w* as|acclaim\w*|masterpieces?|best[- ]known|"
    r"most (?:famous|important|influential|visited|popular|celebrated|significant|valuable)|"
    r"greatest|famous|renowned|celebrated|influential|important|significan\w*|iconic|"
    # "… chiefly known for work on Charles Babbage's … analytical engine", "She was the first
    # to recognise …" (a trial report declared "Why is Ada Lovelace remembered?" beside both).
    r"(?:known|remembered|noted) for|the first (?:to|woman|person)|"
    r"popular\w*|landmark|milestone|pioneer\w*|widely|world's|one of the|"
    # "… making the Rosetta Stone key to deciphering the Egyptian scripts" (a trial report
    # declared "Why is the Rosetta Stone important?" beside it).
    r"key (?:to|in|role|figure|part|element|source)|crucial|essential|vital|instrumental|"
    # "The … canal is a key trade route between Europe and Asia" (a trial report declared
    # "Why is the Suez Canal important for trade?" beside it).
    r"(?:key|major|main|principal|chief) (?:\w+ )?(?:route|link|hub|gateway|artery|port)s?|"
    r"central to|fundamental|"
    # "… hydrogen bonding which is a large contributor to its physical and chemical
    # properties" (a trial report declared "Why is a hydrogen bond important for water?"
    # beside it).
    # Not "the largest contributor to the UN budget" or "to deforestation", a ranking.
    r"(?:large|major|main|key|primary|principal|significant|important|chief) contributors? to|"
    # "Photosynthesis plays a critical role in producing and maintaining the oxygen content of
    # the Earth's atmosphere …" (a trial report declared "Why is it important?" beside it).
    r"(?:critical|major|leading|significant|central|decisive|pivotal|large) role|"
    r"(?:plays?|played|playing) an? \w+ role|necessary for|"
    # "It is the pre-eminent spiritual site of Sikhism and its holiest site" (a trial report
    # declared "Why is the Golden Temple sacred?" beside it).
    r"holiest|most sacred|pre-?eminent|(?:spiritual|religious) (?:site|centre|center|home)|"
    # What it is used for, or its share of what there is: "Groundwater is also often
    # withdrawn for agricultural, municipal, and industrial use …", "About 30 percent of all
    # readily available fresh water in the world is groundwater" (a trial report declared
    # "Why is groundwater important?" beside them).
    r"(?:used|withdrawn|harvested|grown|mined|exploited) (?:\w+ ){0,2}(?:for|as)|"
    r"(?:main|major|primary|chief|important) sources? of|"
    r"(?:percent|per cent|%) of (?:all|the world)|"
    # What good it does: "It is an alternative to "conventional" waste disposal that can save
    # material and help lower greenhouse gas emissions" (a trial report declared "Why is
    # recycling important?" beside it).
    r"(?:can|could|helps?|helped|helping) (?:also )?(?:to )?(?:save|reduce|lower|prevent|protect|"
    r"improve|conserve|cut|avoid)|benefits?|beneficial)\b",
    re.IGNORECASE,
)
# "How do hurricanes form?": asks how something comes into being. A trial report took it as
# answered by "… around 80 to 90 named tropical cyclones form each year …", which says how
# many, not how.
_ASKS_FORMATION = re.compile(
    r"^how (?:do|does|did|are|is|was|were) (?:\w+[\w'’]* ){1,6}(?:form|formed|originate|"
    r"arise|come into being|come to be)\b",
    re.IGNORECASE,
)
# "What are Saturn's rings made of?", "What does the Earth's core consist of?": asks what
# something is made of, which a sentence of its parts or its material answers. A trial report
# took "What are Saturn's rings made of?" as answered by "Saturn is the sixth planet from the
# Sun …", which says nothing of what anything is made of.
_ASKS_COMPOSITION = re.compile(
    r"^what (?:is|are|was|were) (?:[\w'’-]+ ){1,6}(?:made|composed|formed|built|constructed)"
    r" (?:up )?(?:of|from)\b|"
    r"^what (?:does|do|did) (?:[\w'’-]+ ){1,6}(?:consist|comprise)\b|"
    r"^what (?:is|are|was|were) (?:the )?(?:ingredients|components|constituents|composition|"
    r"make-?up) of\b",
    re.IGNORECASE,
)
# How sentences say what something is made of: "An atom consists of a nucleus …", "Reefs are
# formed of colonies of coral polyps …", "… composed of numerous solid bodies such as dust
# particles …", "a nearly perfect sphere of hot plasma", "about 73% hydrogen".
_COMPOSITION = re.compile(
    r"\b(?:(?:made|composed|formed|built|constructed|comprised) (?:\w+ )?(?:up )?(?:of|from)|"
    r"consist(?:s|ed|ing)? (?:\w+ )?of|compris(?:e|es|ed|ing)|contain(?:s|ed|ing)?|"
    r"(?:mixture|alloy|compound|blend|solution|aggregate|assemblage|collection|sphere|ball|"
    r"cloud|mass|lump|layers?) of|ingredients?|constituents?|components?|"
    r"\d[\d.,]*\s?(?:%|per ?cent) (?:of )?[a-z]+|held together by|"
    # What a thing is of, said by its kind: "a peptide hormone", "a gas giant", "rocky,
    # metallic, or icy bodies".
    r"(?:poly)?peptides?|proteins?|polymers?|(?:gas|ice) giants?|rocky|icy|metallic|"
    # "The copper-clad statue …, and its metal framework built by Gustave Eiffel"; "The
    # violin … is a wooden chordophone", "… a hollow wooden body" (a trial report declared
    # "What is the violin made of?" beside both); not "The actor was wooden.".
    r"[a-z]+-clad|(?:is|are|was|were) (?:an? |the )?(?:[\w-]+ )?(?:wooden|woollen|woolen) "
    r"[a-z]+|(?:metal|steel|iron|copper|bronze|stone|brick|wooden|concrete|marble|glass) "
    r"(?:framework|frame|structure|skin|shell|core|body|hull|casing))\b",
    re.IGNORECASE,
)
# "How is glass made?", "How is steel produced?": asks how people make it, which a sentence
# of its making or of what it is made from answers. A trial report took "How is glass made?"
# as answered by "Glass is an amorphous (non-crystalline) solid" and glass's uses.
_ASKS_MAKING = re.compile(
    r"^how (?:is|are|was|were) (?:\w+[\w'’-]* ){1,5}(?:made|produced|manufactured|brewed|"
    r"prepared|processed|refined|smelted|baked)\b",
    re.IGNORECASE,
)
# How sentences say how something is made: "… is made from", "composed of aggregate bound
# together with a fluid cement that cures to a solid", "Cement mixed with … produces concrete",
# "Steelmaking is the process of producing steel from iron ore"; not "objects made of glass".
_MAKING = re.compile(
    r"\b(?:(?:made|produced|manufactured|obtained|extracted|derived|prepared|brewed|refined|"
    r"synthesi[sz]ed|processed) (?:by|from|through|using|via|when|with)|composed of|"
    r"consists? of|consisting of|mixture of|alloy of|mix(?:ed|ing|es)? (?:with|together)|"
    r"process(?:es)? of (?:producing|making|manufacturing|refining)|produc(?:e|es|ing) \w+|"
    r"heat(?:ed|ing)|melt(?:ed|ing)|smelt\w*|ferment\w*|distill\w*|roast\w*|curdl\w*|"
    r"cur(?:es|ed|ing)|harden\w*|bind(?:s|ing)?|bound together|"
    # "Basic oxygen steelmaking (BOS) uses liquid pig iron … as the main feed material",
    # "… using the Bessemer process", "rolling is a metal forming process".
    r"\w+making|processe?s?|(?:feed|raw) materials?|furnaces?|kilns?|mills?)\b",
    re.IGNORECASE,
)
# "How is rice grown?": asks how a crop or an animal is raised, which a sentence of planting,
# farming or harvesting answers; a trial report printed "China, India, and Indonesia are the
# largest consumers of rice" under it.
_ASKS_GROWING = re.compile(
    r"^how (?:is|are|was|were) (?:\w+[\w'’-]* ){1,5}(?:grown|cultivated|farmed|raised|"
    r"planted|bred)\b",
    re.IGNORECASE,
)
_GROWING = re.compile(
    r"\b(?:plant(?:ed|ing)\b|sow(?:n|s|ing)?\b|cultivat\w*|irrigat\w*|padd(?:y|ies)|"
    r"farm(?:ed|ing|s|ers?)?\b|harvest(?:ed|ing)? (?:by|in|using|with|when|twice|once)|"
    r"transplant\w*|fertili[sz]\w*|soils?\b|"
    r"grown (?:in|on|from|by|under|as|for)|grows? (?:in|on|best|well)|polycultures?|"
    r"monocultures?|crop rotation|terrac\w*|greenhouses?|pastures?|graz\w*|bred\b|"
    r"breed\w*|livestock|seedlings?|seeds? (?:are|is) (?:sown|planted))",
    re.IGNORECASE,
)
# "How does anesthesia work?", "How do chameleons change colour?", "How does yeast make bread
# rise?": asks how something does what it does, which a sentence of a process, a means or a
# cause answers. Trial reports took each as answered by definitions ("Anesthesia … is a
# state of controlled, temporary loss of sensation …", "A yeast is any species of fungus …")
# whose pages say nothing of how. Present tense only: "How did Columbus reach the Americas?"
# asks a course of events, and what a comparison, an effect, a beginning or an ending asks
# is not a mechanism, nor how far something spreads (a disease's spread is `TRANSMISSION`).
_ASKS_MECHANISM = re.compile(
    r"^how (?:do|does) (?!.*\b(?:differ|different|compare|relate|affect|influence|impact|"
    r"begin|start|end|look|feel|taste|smell|sound|mean|spread)\b)(?:[\w'’.-]+ ){1,7}?[a-z]+\b",
    re.IGNORECASE,
)
# How sentences say how something works: a process, a means ("by using", "through the
# blood vessels", "by which"), a cause ("caused by", "resulting from") or an action on
# something ("stimulates the immune system", "inhibit the growth of bacteria", "convert
# light energy"). Not a state, a kind or a purpose: "… a state of controlled, temporary
# loss of sensation …", "… is generally used to reduce pain", "… capable of colour-shifting
# camouflage".
_MECHANISM = re.compile(
    r"\b(?:by (?:\w+ing|means of|which|whom|their|its)|through|via|process(?:es)?|"
    r"mechanisms?|(?:caused|driven|triggered|powered) by|result(?:s|ed|ing)? (?:from|in)|"
    r"due to|because|since (?:it|they)|leads? to|so that|in order to|using (?:[\w-]+ ){1,5}to|"
    r"mak(?:e|es|ing) (?:it|them) \w+|"
    r"stimulat\w*|activat\w*|inhibit\w*|block(?:s|ed|ing)?|bind(?:s|ing)?|"
    r"trigger(?:s|ed|ing)?|releas\w*|produc(?:e|es|ed|ing)|generat(?:e|es|ed|ing)|"
    r"convert\w*|conversion|transform\w*|absorb\w*|absorption|emit(?:s|ted|ting)?|"
    r"pump(?:s|ed|ing)?|filter(?:s|ed|ing)|filtration|transport\w*|transfer\w*|"
    r"carr(?:y|ies|ied|ying)|mov(?:e|es|ed|ing)|flow(?:s|ed|ing)?|circulat\w*|"
    r"promot\w*|regulat\w*|secret(?:e|es|ed|ing|ion)|detect\w*|recogni[sz]\w*|"
    r"respond\w*|kill(?:s|ed|ing)?|destroy\w*|gather(?:s|ed|ing)?|focus(?:es|ed|ing)?|"
    r"reflect\w*|refract\w*|compress\w*|expan(?:d|ds|ded|ding|sion)|evaporat\w*|"
    r"condens\w*|allow(?:s|ed|ing)?|enabl\w*|help(?:s|ed|ing)? (?:to )?\w+|"
    r"provid(?:e|es|ed|ing)|protect\w*|receiv\w*|react(?:s|ed|ing|ions?)?|"
    r"contract(?:s|ed|ing|ions?)|split(?:s|ting)?|fus(?:e|es|ed|ing|ion)|ferment\w*|symbio\w*|"
    # A machine's motions: "… the piston completes four separate strokes while turning the
    # crankshaft", "the … mixture is ignited by a spark plug" (a trial report declared "How
    # does a four-stroke engine work?" beside its page's account of the four strokes).
    # Not "in turn", "turned into", "burned down", "push-bike", "for heating a room" (a
    # review's examples): a motion done to something named after it.
    r"turn(?:s|ing)\s+(?:the|a|an)|rotat(?:e|es|ing)\b|spin(?:s|ning)\s+(?:the|a|an)|"
    r"ignit(?:e|es|ed)\b|expel(?:s|ling)\b|pull(?:s|ing)\s+(?:the|a|an)|"
    r"push(?:es|ing)\s+(?:the|a|an))\b",
    re.IGNORECASE,
)
# The stems of verbs a "How does X <verb> …?" part can ask with that say nothing of what
# is asked.
_LIGHT_VERBS = frozenset(
    stem(w)
    for w in [*WORKING_VERBS, "make", "do", "get", "have", "keep", "take", "happen", "use",
              "become"]
)  # fmt: skip


def names_the_action(sentence: str, part: str) -> bool:
    """Whether `sentence` names what a "How does X <verb> …?" part asks how X does (a form
    of the verb or of its object, other than X's own words and light verbs: "bread" or
    "rise" for "How does yeast make bread rise?", which "A yeast … reproduces via budding"
    does not name). True for any other part, for "How does X work?" and for a lone verb."""
    if asked_type(part) is not AnswerType.MECHANISM:
        return True
    text = " ".join(part.split())
    about = subject(text)
    if about is not None:
        rest = text[text.lower().find(about.noun.lower()) + len(about.noun) :]
        asked = content_words(rest) - _LIGHT_VERBS
        if len(asked) < 2:
            # A lone verb ("How do hot air balloons fly?") is what the mechanism is of, and
            # a sentence of it need not repeat it: "The heated air inside the envelope makes
            # it buoyant …" (a trial report declared the part beside it).
            return True
    else:
        # Subject and verb not told apart ("How does the heart pump blood?"): the last
        # word is what is asked, unless it may be the verb ("How do hot air balloons fly?").
        last = words(text)[-1:]
        if not last or default_lexicon().has_verb_sense(last[0]):
            return True
        asked = set(content_word_list(last[0])) - _LIGHT_VERBS
    return not asked or names_a_form(asked, sentence)


# How sentences say how something comes into being.
_FORMATION = re.compile(
    r"\b(?:form(?:s|ed|ing)? (?:when|where|from|by|through|via|over|as|out of|after|during|"
    r"under|in (?:the|a|an|regions?|areas?))|formation|"
    # Not "originating from the cloud base", where a thing is, not how it came to be.
    r"originat(?:e|es|ed|ion)\b|aris(?:e|es|ing) (?:from|when|in)|arose|"
    r"develop(?:s|ed|ing)? (?:from|when|over|out of|as|in)|results? from|resulting from|"
    # Not a "condensation funnel" ("Tornadoes are often visible in the form of a condensation
    # funnel …", which a trial report took for how tornadoes form).
    r"collaps\w*|condens(?:e|es|ed|ing)\b|condensation of|"
    r"(?:created|produced|made) (?:by|when|from|through)|"
    r"born (?:from|out of|in|when)|gave rise|give rise|gives rise|caus\w*|fus(?:e|es|ed|ion)|"
    # "Water vapor … triggers convection currents that can lead to clouds and fog" (a trial
    # report declared "How does fog form?" beside it).
    r"(?:can|may|could) lead to|lead(?:s|ing)? to the formation|"
    r"accret\w*|evolv\w*|deriv\w*|"
    # "Graphite converts to diamond under extremely high pressure and temperature" (a trial
    # report on diamonds); not "converts to it", which may be the other way round.
    r"(?:convert(?:s|ed|ing)? (?:in)?to|(?:turn|transform)(?:s|ed|ing)? into) (?!it\b|them\b)|"
    # "… a steep-sided canyon carved by the Colorado River" (a trial report on the Grand
    # Canyon answered how it formed with the definition of a canyon).
    r"carved|eroded|erosion|sculpted|deposited by|laid down)",
    re.IGNORECASE,
)

# "Where does groundwater come from?": asks for a source, which a sentence states with
# what it comes from, not with a place's name. A trial report declared that part beside
# "Groundwater is recharged from the surface; …".
_ASKS_SOURCE = re.compile(
    r"^where (?:does|do|did) (?:\w+[\w'’-]* ){1,5}come from\b|"
    r"^what (?:is|are|was|were) (?:the )?(?:main |chief |primary )?sources? of\b",
    re.IGNORECASE,
)
_SOURCE = re.compile(
    r"\b(?:(?:comes?|came|derived?|derives|obtained|extracted|recharged|fed|supplied|"
    r"replenished|made|produced|formed|released|emitted|originat\w*) (?:\w+ )?(?:from|by|in)|"
    r"sources? (?:of|for|is|are|include)|from (?:the |its |their )?"
    r"(?:surface|ground|soil|rain\w*|precipitation|sea|ocean|atmosphere|air|sun|plants?|"
    r"animals?|rocks?|mines?|ores?))\b",
    re.IGNORECASE,
)

# "Where did chess originate?": asks for a place. A trial report called it answered by the
# rules of the game ("The players, referred to as "White" and "Black" …"), whose capitals
# pass for a name; the collection's lead does not say where.
_ASKS_PLACE = re.compile(
    r"^(?:where\b|(?:in|from) (?:which|what) (?:country|countries|city|cities|region|part|"
    r"place|continent)\b)",
    re.IGNORECASE,
)
# How sentences name a place: a capitalised name after a preposition of place, or after
# "native to" and its kin (a trial report declared "Where do kangaroos live?" beside
# "Kangaroos are indigenous to Australia and New Guinea"), or a compass region ("the eastern
# Gangetic plain").
# A language is no place: "The top and middle texts are in Ancient Egyptian using
# hieroglyphic and Demotic scripts …" (a trial report took it for where the Rosetta Stone was
# found). An adjective before a name is one ("in the Brazilian Amazon"), and so is a name
# after "the" ("in the Atlantic").
_LANGUAGE = (
    r"(?:(?:Ancient|Old|Middle|Modern|Classical|Koine|Vulgar|Late|Early) )?"
    r"(?:[A-Z][a-z]*(?:ian|ese|ish|ic)|Greek|Latin|English|French|Dutch|Thai)\b(?!\s+[A-Z])"
)
_PLACE = re.compile(
    r"\b(?:in|from|at|on|near|across|throughout|within|into|towards?|around) "
    rf"(?:the [A-Z]|(?!{_LANGUAGE})[A-Z])|\b(?:north|south|east|west)(?:ern|ward)?\b|"
    r"\b(?:[Nn]ative|[Ii]ndigenous|[Ee]ndemic|[Cc]onfined|[Rr]estricted) to (?:the )?[A-Z]|"
    # "… is a union territory of India" (a trial report declared "Where are the Andaman and
    # Nicobar Islands?" beside it): a place that belongs to another.
    r"\b(?:territory|province|state|region|county|district|department|dependency|island|"
    r"archipelago|city|town|village|municipality|capital) of (?:the )?[A-Z]|"
    # "It can be grown in tropical and subtropical areas." (a trial report on the mandarin
    # orange declared "Where is it grown?" beside it): a kind of region.
    r"\b(?:in|across|throughout) (?:the )?(?:(?:tropical|subtropical|temperate|polar|arctic|"
    r"arid|semi-arid|coastal|warm|cold|mountainous|dry|humid)(?:,\s*|,? (?:and|or) )?){1,3}"
    r"\s+(?:areas|regions|climates|zones|countries|waters|seas|oceans|forests|parts|latitudes)\b",
)

# "How big was Tyrannosaurus?": asks for a size. A trial report took "Fossils … dated to …
# 69 to 66 million years ago" for it (a number is a quantity); the lead gives no size.
# "How far away is the Ring Nebula?" asks for a distance, which a size's units state (a
# trial report took "… an apparent visual magnitude of 8.8" for it).
_ASKS_SIZE = re.compile(
    r"^how (?:big|large|tall|heavy|wide|high|deep|small|massive|long|far(?: away)?) "
    r"(?:is|was|are|were)\b|"
    # "How large did the Mongol Empire become?" (a trial report declared it beside "… the
    # largest contiguous empire in history", reading it as asking for a number).
    r"^how (?:big|large|tall|heavy|wide|high|deep|massive) (?:do|does|did|can|could) "
    r"(?:\w+[\w'’-]* ){1,6}(?:become|grow|get|reach)\b|"
    r"^(?:what|how) (?:is|was|are|were) (?:the |its |their |his |her )?(?:size|height|length|"
    r"weight|mass|area|width|depth|diameter|extent)\b",
    re.IGNORECASE,
)
# How sentences state a size: a number with a unit of length, area, mass or volume, a
# multiple of another size, or a superlative of size ("the largest contiguous empire").
_SIZE = re.compile(
    r"\d[\d,.]*\s*(?:(?:-|–|to|and)\s*\d[\d,.]*\s*)?(?:(?:million|billion|thousand)\s+)?"
    r"(?:square\s+|cubic\s+|sq\s+)?(?:km²?|km2|kilometres|kilometers|kilometre|kilometer|m|"
    r"metres|meters|metre|meter|ft|feet|foot|mi|miles?|inch(?:es)?|cm|mm|kg|kilograms?|t|"
    r"tonnes?|tons?|lbs?|pounds|acres?|hectares?|ha|light[- ]years?|ly|parsecs?|AU|"
    r"(?:solar|Earth|Jupiter) mass(?:es)?)\b|"
    r"\b(?:times|twice|half) (?:the (?:size|mass|length|height|area)|as (?:large|big|long|tall|"
    r"heavy|wide)|larger|bigger|heavier|longer|wider|taller|more massive)\b|"
    r"\b(?:largest|biggest|smallest|tallest|longest|highest|deepest|heaviest|widest)\b",
    re.IGNORECASE,
)

# "How fast does bamboo grow?": asks for a speed or a rate. A trial report answered it with
# the lengths of bamboo internodes (any number had passed for a quantity).
_ASKS_SPEED = re.compile(
    r"^how (?:fast|quickly|rapidly)\b|\bat what (?:speed|rate|pace)\b|"
    r"\bwhat (?:is|was|are|were) (?:the |its |their )?(?:speed|rate|pace)\b",
    re.IGNORECASE,
)
_TIME_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries)"
# How sentences state a speed: an amount per unit of time, a unit of speed, a duration
# something took ("within three days", "in just seven years"), or a superlative of speed.
_SPEED = re.compile(
    r"\d[\d,.]*[^.;\d]{0,25}?\b(?:per|an|a|each|every)\s+"
    r"(?:second|minute|hour|day|week|month|year|decade|century)\b|"
    r"\bwithin [^.;]{0,20}?\b(?:second|minute|hour|day|week|month|year)s?\b|"
    r"\d[\d,.]*\s*(?:km/h|kph|mph|m/s|km/s|knots?|ft/s|cm/day|mm/day)|"
    rf"\b(?:within|in(?: just| only| about| under| less than)?) (?:\w+ ){{0,2}}{_TIME_UNIT}\b|"
    r"\b(?:fastest|quickest|speeds? of|at a rate|rates? of|light[- ]speed|speed of light)\b",
    re.IGNORECASE,
)

# "How long do octopuses live?", "How long did it take?": asks for a span of time. A trial
# report took "The order consists of some 300 species" as the answer (any number had passed
# for a quantity). "How long is the Amazon?" asks a size (`_ASKS_SIZE`).
_ASKS_DURATION = re.compile(
    r"^how long (?:do|does|did|will|would|can|could|has|have|had|may|might)\b|"
    r"\b(?:what|how long) (?:is|was|are|were) (?:the |its |their |his |her )?(?:lifespan|"
    r"life span|life expectancy|lifetime|duration)\b",
    re.IGNORECASE,
)
# How sentences state one: an amount of a unit of time ("over a period of about 26 years",
# "live up to five years"), a start it has lasted since, or a lifespan.
_DURATION = re.compile(
    rf"(?:\d[\d,.]*|\b(?:{_NUMBER_WORDS}|several|many|a few))[^.;\d]{{0,15}}?\b{_TIME_UNIT}\b|"
    r"\bsince (?:at least |about |around )?(?:the )?\d|"
    r"\b(?:lifespans?|life spans?|life expectancy|lifetimes?|centuries|decades|millennia)\b",
    re.IGNORECASE,
)

# "How old is the Grand Canyon?": asks for an age, which a date, a span of time or "… years
# old" gives. A trial report took the canyon's length and depth for it (any number had
# passed for a quantity).
_ASKS_AGE = re.compile(
    r"^how old\b|\bwhat (?:is|was|are|were) (?:the |its |their )?age\b", re.IGNORECASE
)
_AGE = re.compile(rf"(?:{_TIME.pattern})|(?i:{_DURATION.pattern})|(?i:\byears? old\b)")

# "How is malaria prevented?": asks what keeps something from happening. A trial report took
# it as answered by "Malaria is … transmitted by the bite of Anopheles mosquitoes".
_ASKS_PREVENTION = re.compile(
    r"^how (?:is|are|was|were|can|could|do|does|did|should) (?:\w+[\w'’]* ){1,6}"
    r"(?:prevented|avoided|stopped|controlled)\b|\bhow (?:to|can (?:we|you|one)) "
    r"(?:prevent|avoid)\b|\bwhat (?:prevents|can prevent|are the ways to prevent)\b|"
    r"\bprevention of\b",
    re.IGNORECASE,
)
_PREVENTION = re.compile(
    r"\b(?:prevent\w*|avoid\w*|protect\w*|reduc\w* the risk|lower\w* the risk|vaccin\w*|"
    r"immuni[sz]\w*|bed ?nets?|mosquito nets?|repellents?|prophyla\w*|hygiene|quarantin\w*|"
    r"control(?:led|ling|s)? (?:by|through|with)|eradicat\w*)\b",
    re.IGNORECASE,
)

# "What do octopuses eat?", "What does a koala feed on?": asks what an animal eats. A trial
# report called it answered by the octopus's definition and its intelligence.
_ASKS_DIET = re.compile(
    r"^what (?:do|does|did) (?:\w+[\w'’]* ){1,5}(?:eat|feed on|feed|prey on|hunt|consume)\b|"
    r"\b(?:what|how) (?:is|was|are|were) (?:the |its |their )?diet\b",
    re.IGNORECASE,
)
_DIET = re.compile(
    r"\b(?:eats?|eaten|eating|ate|feed(?:s|ing)? (?:on|upon|mainly|mostly|primarily)|fed on|"
    r"diets?|prey(?:s|ed)? (?:on|upon)|preys?\b|herbivor\w*|carnivor\w*|omnivor\w*|"
    r"insectivor\w*|graz(?:e|es|ing)|forag\w*|consum(?:e|es|ed|ing))\b",
    re.IGNORECASE,
)

# "What lives in the Gobi Desert?", "What animals live there?": asks what lives in a place,
# which only a sentence naming living things answers. A trial report took the part as
# answered by "The Gobi Desert is a large, cold desert and grassland region …".
_ASKS_INHABITANTS = re.compile(
    r"^(?:what|which) (?:[\w'’-]+ ){0,2}(?:lives?|grows?|dwells?|thrives?|inhabits?) "
    r"(?:in|on|at|there|around|near)\b",
    re.IGNORECASE,
)
_LIVING = re.compile(
    r"\b(?:species|wildlife|fauna|flora|animals?|plants?|mammals?|birds?|reptiles?|"
    r"amphibians?|insects?|fish(?:es)?|trees?|shrubs?|grass(?:es)?|mosses|fungi|vegetation|"
    r"livestock|herds?|herdsm[ae]n|flocks?|cattle|inhabit\w*|home to|habitats?|populations?|"
    r"people|peoples|nomads?|herders?|tribes?)\b",
    re.IGNORECASE,
)


def _names_the_living(sentence: str) -> bool:
    """Whether `sentence` names living things: by a word for them ("species", "wildlife",
    "home to") or a word WordNet files under organism ("camel", "leopard", "herdsman")."""
    if _LIVING.search(sentence):
        return True
    # Lower-case words, and the first word whatever its case: a name ("Darwin") is filed
    # under organism too. Two senses, because a leopard's first is its pelt.
    first = re.match(r"\s*([A-Za-z]{4,})\b", sentence)
    words = {w.lower() for w in re.findall(r"\b[a-z]{4,}\b", sentence)}
    words |= {first.group(1).lower()} if first else set()
    return bool(default_lexicon().filed_under(words, {"organism"}, senses=2))


# "What are its effects?", "What were its consequences?": asks what something brought
# about (what it did *to* a named target is `names_the_affected`'s). A trial report on
# deforestation printed "On average 2,400 trees are cut down each minute" under its effects.
_ASKS_EFFECT = re.compile(
    r"^(?:what|which) (?:are|were|is|was) (?:the |its |their |his |her |"
    r"[\w-]+(?: [\w-]+){0,3}['’]s? )?(?:(?:main|major|key|"
    r"primary|chief|long-term|short-term) )?(?:effects?|consequences?|impacts?|results?|"
    r"outcomes?)\b(?!\s+(?:on|upon)\b)|"
    r"^what (?:effects?|impacts?|consequences?) (?:did|does|do|has|have|had)\b",
    re.IGNORECASE,
)
# How sentences state an effect: the words of causing, changing, harming or helping. Not
# every word of harm: "Deforestation … is the removal and destruction of a forest …" defines
# the subject and says nothing of what it does.
_EFFECT = re.compile(
    r"\b(?:damag\w*|harm\w*|kill\w*|threat\w*|endanger\w*|degrad\w*|declin\w*|"
    r"loss of|losses|effects?|impacts?|consequences?|result(?:s|ed|ing)?(?: in)?|"
    r"leads? to|led to|caus\w*|contribut\w*|affect\w*|because|due to|reduc\w*|increas\w*|"
    r"chang\w*|erosion|extinction|warming|emissions?|displac\w*|deaths?|died|improv\w*|"
    r"benefit\w*|transform\w*|allow\w*|enabl\w*|prevent\w*)\b",
    re.IGNORECASE,
)

# "What is nanotechnology used for?", "What are its applications?": asks for a use. A trial
# report called it answered by the definition of nanotechnology; the lead names no use.
_ASKS_USE = re.compile(
    r"^(?:what|how|which)\b.*\b(?:used|employed|applied)(?: for)?\s*\??$|"
    r"^(?:what|which) (?:are|were|is|was) (?:\w+[\w'’]* ){0,4}(?:uses|applications)\b",
    re.IGNORECASE,
)
# How sentences state a use: "used for …", "applications in …", "serves as …".
_USE = re.compile(
    r"\b(?:used|uses?|employed|utili[sz]ed|applied)\s+(?:\w+\s+){0,3}?(?:for|in|to|as|by)\b|"
    r"\bapplications?\s+(?:in|of|include|including|such as|range)\b|\bserv(?:e|es|ed)\s+as\b",
    re.IGNORECASE,
)
# "What does the liver do?", "What do antibodies do?", "What is the function of the
# cerebellum?": asks what something does in its whole. A trial report printed "There are
# thirty bones in each leg" under "What does the human skeleton do?". Not "What did
# Napoleon do?" (his deeds) nor "What was the purpose of the Berlin Wall?" (what it was
# built for: "… built to prevent East Germans from fleeing" states no function).
_ASKS_FUNCTION = re.compile(
    r"^what (?:does|do) (?:[\w'’.-]+ ){1,6}do\s*\??$|"
    r"^what (?:is|are) the (?:main )?functions? of\b",
    re.IGNORECASE,
)
# How sentences state what something does: a function or role named, or a verb of doing
# something for a whole ("protects", "regulates", "coordinates", "neutralize").
_FUNCTION = re.compile(
    # A function named as one, not "impairment in … liver function" (a trial report printed
    # that, from *Cirrhosis*, under "What does the liver do?").
    r"\b(?:(?:main|primary|chief|key|principal|essential|important|biological|cognitive|"
    r"metabolic|vital|major|other) (?:functions?|roles?)|functions? (?:as|to|include|such as)|"
    r"function(?:s|ed|ing)? as|plays? (?:an? |the )?(?:\w+ )?roles?|"
    r"roles? (?:in|of|include)|purpose|serv(?:e|es|ed|ing) (?:as|to)|acts? as|responsible for|"
    r"used (?:by (?:[\w-]+ ){1,3})?(?:to|for)|perform\w*|coordinat\w*|regulat\w*|control\w*|"
    r"protect\w*|support\w*|connect\w*|produc\w*|synthes\w*|stor(?:e|es|ed|ing|age)|"
    r"transport\w*|carr(?:y|ies|ied|ying)|filter\w*|detoxif\w*|digest\w*|secret(?:e|es|ed|ing)|"
    r"neutrali[sz]\w*|recogni[sz]\w*|identif\w*|bind(?:s|ing)?|defend\w*|fight\w*|"
    r"maintain\w*|provid\w*|allow\w*|enabl\w*|help\w*|contribut\w*|integrat\w*|receiv\w*|"
    r"relay\w*|convert\w*|pump\w*|deliver\w*|absorb\w*|remov\w*|metaboli[sz]\w*|"
    # "Erythrocytes take up oxygen in the lungs … and release it into tissues".
    r"releas\w*|take[sn]? up|taking up|suppl(?:y|ies|ied|ying)|transmit\w*|generat\w*|"
    r"sens(?:e|es|ed|ing)|signal\w*)\b",
    re.IGNORECASE,
)
# "What are its drawbacks?": asks for what counts against something. A trial report on
# hydroelectricity called it answered by the power's share of the world's electricity.
_ASKS_DRAWBACK = re.compile(
    r"^(?:what|which)\b.*\b(?:drawbacks?|disadvantages?|downsides?|limitations?|"
    r"shortcomings?|weaknesses|criticisms?|negative (?:effects?|impacts?|consequences?))\b",
    re.IGNORECASE,
)
# How sentences say something counts against it: a harm, a cost, a limit, a contrast.
_DRAWBACK = re.compile(
    rf"{_HARM.pattern}|\b(?:however|but|although|though|whereas|yet|drawbacks?|"
    r"disadvantages?|downsides?|limit\w*|costly|expensive|costs?|pollut\w*|emi(?:t|ts|tted|"
    r"ssions?)|displac\w*|inundat\w*|flood\w*|waste|hazard\w*|danger\w*|problem\w*|"
    r"concerns?|criticis\w*|controvers\w*|negative\w*|advers\w*|side effects?|toxic\w*)\b",
    re.IGNORECASE,
)


# "What is the capital of Belgium?": asks for a capital, which only a sentence saying
# "capital" names. A trial report printed Belgium's definition, borders and area under it.
_ASKS_CAPITAL = re.compile(
    r"^(?:what|which city) (?:is|was|are|were) (?:the |its |their )?capital(?: city)?\b",
    re.IGNORECASE,
)
_CAPITAL = re.compile(r"\bcapital\b", re.IGNORECASE)
# "Which languages are spoken in Belgium?": asks for languages, which a sentence states by
# naming one as a language, a speech community or a tongue. A trial report printed "Antwerp is
# a city and a municipality in the Flemish Region of Belgium." under it.
_ASKS_LANGUAGE = re.compile(
    r"^(?:what|which) (?:(?:official|main|national|other) )?languages? "
    r"(?:is|are|was|were|do|does|did)\b",
    re.IGNORECASE,
)
_LANGUAGE_STATED = re.compile(
    r"\b(?:languages?|dialects?|[\w'’]+-speaking|spoken|speak(?:s|ers?|ing)?|tongues?|"
    r"lingua franca)\b",
    re.IGNORECASE,
)


# What each kind of part is asked with, tried in this order ("How much did it cost?" asks
# for money before a quantity, "When was it discovered?" for a date before a discovery).
_ASKS: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (AnswerType.MONEY, _ASKS_MONEY),
    (AnswerType.CAPITAL, _ASKS_CAPITAL),
    (AnswerType.LANGUAGE, _ASKS_LANGUAGE),
    (AnswerType.TIME, _ASKS_TIME),
    (AnswerType.TEMPERATURE, _ASKS_TEMPERATURE),
    (AnswerType.SIZE, _ASKS_SIZE),
    (AnswerType.SPEED, _ASKS_SPEED),
    (AnswerType.DURATION, _ASKS_DURATION),
    (AnswerType.AGE, _ASKS_AGE),
    (AnswerType.DIET, _ASKS_DIET),
    (AnswerType.INHABITANTS, _ASKS_INHABITANTS),
    (AnswerType.PREVENTION, _ASKS_PREVENTION),
    (AnswerType.QUANTITY, _ASKS_QUANTITY),
    (AnswerType.SIDES, _ASKS_SIDES),
    (AnswerType.PERSON, _ASKS_PERSON),
    (AnswerType.NAMING, _ASKS_NAMING),
    (AnswerType.STUDY, _ASKS_STUDY),
    (AnswerType.DISCOVERY, _ASKS_DISCOVERY),
    (AnswerType.WORK, _ASKS_WORK),
    (AnswerType.THREAT, _ASKS_THREAT),
    (AnswerType.TREATMENT, _ASKS_TREATMENT),
    (AnswerType.DEATH, _ASKS_DEATH),
    (AnswerType.TRANSMISSION, _ASKS_TRANSMISSION),
    (AnswerType.MEASUREMENT, _ASKS_MEASUREMENT),
    (AnswerType.ENDING, _ASKS_ENDING),
    (AnswerType.FATE, _ASKS_FATE),
    (AnswerType.SIGNIFICANCE, _ASKS_SIGNIFICANCE),
    (AnswerType.DISTINCTION, _ASKS_DISTINCTION),
    (AnswerType.FORMATION, _ASKS_FORMATION),
    (AnswerType.COMPOSITION, _ASKS_COMPOSITION),
    (AnswerType.MAKING, _ASKS_MAKING),
    (AnswerType.GROWING, _ASKS_GROWING),
    (AnswerType.SOURCE, _ASKS_SOURCE),
    (AnswerType.PLACE, _ASKS_PLACE),
    (AnswerType.USE, _ASKS_USE),
    (AnswerType.FUNCTION, _ASKS_FUNCTION),
    (AnswerType.EFFECT, _ASKS_EFFECT),
    (AnswerType.DRAWBACK, _ASKS_DRAWBACK),
    (AnswerType.MECHANISM, _ASKS_MECHANISM),
)
# What a sentence of each kind says, for the kinds one pattern finds.
_STATES: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.TIME: _TIME,
    AnswerType.QUANTITY: _NUMBER,
    AnswerType.PERSON: _NAME,
    AnswerType.DISCOVERY: _DISCOVERY,
    AnswerType.TREATMENT: _TREATMENT,
    AnswerType.DEATH: _DEATH,
    AnswerType.TRANSMISSION: _TRANSMISSION,
    AnswerType.MEASUREMENT: _MEASUREMENT,
    AnswerType.ENDING: _ENDING,
    AnswerType.FATE: _FATE,
    AnswerType.SIDES: _SIDES,
    AnswerType.SIGNIFICANCE: _SIGNIFICANCE,
    AnswerType.DISTINCTION: _DISTINCTION,
    AnswerType.FORMATION: _FORMATION,
    AnswerType.MAKING: _MAKING,
    AnswerType.COMPOSITION: _COMPOSITION,
    AnswerType.GROWING: _GROWING,
    AnswerType.MECHANISM: _MECHANISM,
    AnswerType.PLACE: _PLACE,
    AnswerType.USE: _USE,
    AnswerType.FUNCTION: _FUNCTION,
    AnswerType.SIZE: _SIZE,
    AnswerType.SPEED: _SPEED,
    AnswerType.TEMPERATURE: _TEMPERATURE,
    AnswerType.DURATION: _DURATION,
    AnswerType.DIET: _DIET,
    AnswerType.CAPITAL: _CAPITAL,
    AnswerType.LANGUAGE: _LANGUAGE_STATED,
    AnswerType.AGE: _AGE,
    AnswerType.PREVENTION: _PREVENTION,
    AnswerType.EFFECT: _EFFECT,
    AnswerType.DRAWBACK: _DRAWBACK,
    AnswerType.WORK: _WORK,
    AnswerType.NAMING: _NAMING,
}
ASKED_BY_KIND: frozenset[AnswerType] = frozenset(
    {AnswerType.SIDES, AnswerType.DEATH, AnswerType.WORK, AnswerType.STUDY}
)
"""Kinds whose statement, in a sentence naming the question's subject, answers the part
whatever its relevance score: the part's wording says too little for the relevance model
("Who were the two sides?" scored 0.25 for "… a rivalry between the United States and the
Soviet Union …"; "How did Julius Caesar die?" was declared beside "… until his
assassination in 44 BC"; "What did he invent?" beside "… credited as the inventor of radio";
"What did Ulugh Beg study?" beside "… an astronomer and mathematician"),
and the statement's shape says it all."""

SECTION_KEEPS_CONTEXT: frozenset[AnswerType] = frozenset(
    {AnswerType.MECHANISM, AnswerType.COMPOSITION}
)
"""Kinds whose part's section keeps checked sentences that do not carry the kind, though
only one that does answers the part (`answer.could_answer`): around how vaccines work a
reader needs what a vaccine is and contains. Held to the kind, the dev sections on
antibiotics and the water cycle dropped sentences that answered the question's other parts
(resistance, the ocean's share of the water) with nowhere else to go, and the one on what
coral reefs are made of "Coral species include the important reef builders that … secrete
calcium carbonate to form a hard skeleton"."""


def section_kind(part: str) -> AnswerType | None:
    """The kind every sentence of `part`'s section must carry: the kind it asks for, or none
    when its section keeps context (`SECTION_KEEPS_CONTEXT`)."""
    kind = asked_type(part)
    return None if kind in SECTION_KEEPS_CONTEXT else kind


OF_THE_SUBJECT: frozenset[AnswerType] = frozenset(
    {
        AnswerType.TIME,
        AnswerType.SIZE,
        AnswerType.SPEED,
        AnswerType.TEMPERATURE,
        AnswerType.DURATION,
        AnswerType.AGE,
        AnswerType.QUANTITY,
        AnswerType.MONEY,
        AnswerType.PLACE,
        AnswerType.DISTINCTION,
        AnswerType.FATE,
        AnswerType.FORMATION,
    }
)
"""Kinds that, asked of the question's subject ("When did Tyrannosaurus live?"), only a
sentence naming that subject answers: another page's date is another thing's date, and
"Qinghai Lake is the largest lake in China" is no answer to "Why is Lake Baikal unique?" (a
trial report printed it in its short answer); another's death is not the fate of the one
"What happened to …?" asks about, and another's making not how it forms ("Reproduction is
the biological process by which new individual organisms … are produced …" in a trial report
under "How are new species formed?")."""


# "Who was Archimedes?": asks what a named person was, which any sentence describing them
# answers; not a person's name, as "Who invented the telephone?" and "Who was Cleopatra's
# father?" do. A trial report dropped "Archimedes anticipated modern calculus …" for naming
# no one else.
_WHO_IS_NAMED = re.compile(
    r"^(?i:who (?:is|was|are|were)) [A-Z][\w'’.-]*"
    r"(?:\s+(?:[A-Z][\w'’.-]*|of|the|de|da|van|von|der|la|le|du|al|bin|ibn))*\s*\??$"
)


# "How long was her reign?", "How long was the siege?": "how long" of a span of time or an
# event asks a duration, not a length (a trial report declared the reign's length beside
# "Queen Victoria's reign of 63 years and 216 days …", reading it as asking a size).
_HOW_LONG_WAS = re.compile(r"^how long (?:is|was|are|were) (?P<rest>.+)$", re.IGNORECASE)
_EVENTS = frozenset(
    ["war", "battle", "siege", "voyage", "journey", "trip", "flight", "expedition", "rule",
     "occupation", "career", "marriage", "life", "strike", "eclipse", "pandemic", "epidemic",
     "famine", "drought", "migration", "hibernation", "pregnancy", "gestation"]
)  # fmt: skip


def _asks_a_span(text: str) -> bool:
    """Whether `text` asks "how long" of a span of time or an event (a word of it filed
    under time period by WordNet, or an event's noun)."""
    m = _HOW_LONG_WAS.match(text)
    if m is None:
        return False
    lexicon = default_lexicon()
    return any(
        {w, *lexicon.lemmas(w)} & _EVENTS or "time period" in lexicon.kinds(w, 2)
        for w in re.findall(r"[a-z]+", m.group("rest").lower())
        if w not in STOPWORDS
    )


def asked_type(part: str) -> AnswerType | None:
    """The kind of statement `part` asks for, if it asks for one of the typed kinds."""
    text = " ".join(part.split())
    if _WHO_IS_NAMED.match(text):
        return None
    if _asks_a_span(text):
        return AnswerType.DURATION
    if _spread_of_a_disease(text):
        return AnswerType.TRANSMISSION
    return next((kind for kind, asks in _ASKS if asks.search(text)), None)


# "How does cholera spread?": of a disease, how it spreads is its route of infection (a trial
# report took "Symptoms start two hours to five days after exposure" for the answer). Of
# anything else ("How did the Renaissance spread?") it asks as often how far or across what.
_ASKS_SPREAD = re.compile(
    r"^how (?:is|are|was|were|do|does|did|can|could) (?P<thing>(?:[\w'’-]+ ){1,5})"
    r"(?:spread|spreads)\b",
    re.IGNORECASE,
)
_ILLNESS = frozenset(["disease", "illness", "infection", "pathogen", "microorganism", "parasite"])


def _spread_of_a_disease(part: str) -> bool:
    m = _ASKS_SPREAD.match(part)
    if m is None:
        return False
    things = [w.lower() for w in m.group("thing").split()]
    return bool(default_lexicon().filed_under(things, _ILLNESS))


def _names_a_scholar(sentence: str) -> bool:
    """Whether `sentence` names a scientist or a scholar of a field ("astronomer",
    "mathematician", "historian"), by WordNet's hypernyms (`Lexicon.kinds`)."""
    words = {w.lower() for w in re.findall(r"\b[a-z]{5,}\b", sentence)}
    return bool(default_lexicon().filed_under(words, {"scientist", "scholar"}))


def carries(sentence: str, kind: AnswerType | None) -> bool:
    """Whether `sentence` states something of kind `kind` (always true for no kind)."""
    if kind is None:
        return True
    if kind is AnswerType.MONEY:
        # "cost $25.4 billion", or an amount next to a cost word ("cost 25 billion").
        return bool(_MONEY.search(sentence)) or bool(
            _MONEY_CONTEXT.search(sentence) and _NUMBER.search(sentence)
        )
    if kind is AnswerType.THREAT:
        return bool(_HARM.search(sentence) or _REASON.search(sentence))
    if kind is AnswerType.STUDY:
        return bool(_STUDY.search(sentence)) or _names_a_scholar(sentence)
    if kind is AnswerType.INHABITANTS:
        return _names_the_living(sentence)
    if kind is AnswerType.SOURCE:
        # Where a crop or a people came from is a place: "Most … species are native to
        # China and East Asia" answers "Where does tea come from?".
        return bool(_SOURCE.search(sentence) or _PLACE.search(sentence))
    if kind is AnswerType.DISCOVERY:
        # The experiments' kind stays ("performed X-ray diffraction experiments").
        sentence = _DOING_EXPERIMENTS.sub(lambda m: f" {m.group('what')}", sentence)
    if kind is AnswerType.TREATMENT:
        sentence = _NO_TREATMENT.sub(" ", sentence)
    return bool(_STATES[kind].search(sentence))
