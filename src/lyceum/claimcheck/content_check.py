"""Which words of a claim does its evidence not contain? A check that word overlap cannot fool.

The verifier is a small cross-encoder; when a claim copies most of an evidence sentence
and swaps one word (the subject, a name, a number, the verb), the overlap carries it to
"supported". This check reads the claim's content words — everything but function words
and a few hedges — and lists those that appear nowhere in the evidence or the page title.
A claim with such words asserts something its evidence does not say, so `FaithfulnessScorer`
calls it supported only when the verifier is very sure.

Matching is deliberately light, because the research writer mostly copies sentences: case,
accents, possessives, plurals and simple suffixes (`discovered` ~ `discovery`), number
formats (`1,000` = `1000`, `1990s` ~ `1990`, `twenty` = `20`, `5th` = `fifth`), hyphens
(`co-founded` = `cofounded`, and each part on its own), and `n't` = `not`. Synonyms are not
matched: a paraphrase that changes words has to convince the model instead.

Words are graded: a number, a name (capitalised) or a negation is `strict` — swapping one
changes the fact — and any other content word is `plain`, which in a paraphrase is often a
harmless synonym. The scorer can demand more of the model for strict words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from typing import Literal

from pydantic import BaseModel, ConfigDict

from lyceum.claimcheck.content_numbers import MONTHS, normalise, resolve_bounds, rounds_to
from lyceum.claimcheck.lexicon import Lexicon, default_lexicon
from lyceum.claimcheck.model import split_sentences

WordKind = Literal["strict", "plain"]

# Function words (articles, auxiliaries, pronouns, conjunctions, the prepositions that do not
# state a direction or an order) and hedges/connectives a writer adds without changing a fact.
# Negations, quantifiers such as "all"/"only"/"few", comparatives, and relations of order or
# direction ("before", "after", "above", "over", "until", "against") are deliberately absent:
# swapping one of them changes the claim.
_STOPWORDS = """
    a an the and or but of in on at to for from by with as into onto upon via per
    is are was were be been being am has have had having do does did doing done
    will would shall should can could may might must
    it its itself he him his himself she her hers herself they them their theirs themselves
    we us our ours you your i me my this that these those which who whom whose what
    there here where when while whereas whether if so such than then thus hence therefore
    also too very well just even still yet already again further furthermore moreover
    additionally however although though notably overall indeed instead rather quite
    one ones some several various many much often usually generally typically commonly
    mainly mostly largely primarily especially particularly including include includes
    included known called named termed regarded considered described referred refers
    about around approximately roughly nearly almost
    among amongst between during along across through throughout within toward towards
    since according despite beside besides like now located situated
    each both either any other another same own
    s t d ll ve re
"""
STOPWORDS = frozenset(_STOPWORDS.split())

NEGATIONS = frozenset({"not", "no", "never", "none", "nor", "neither", "nothing", "without"})

_CARDINALS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
)
_NUMBER_WORDS = {word: str(i) for i, word in enumerate(_CARDINALS.split())}
_ORDINALS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
    "nineteenth twentieth"
)
_ORDINAL_WORDS = {word: str(i) for i, word in enumerate(_ORDINALS.split())}
_NUMBER_WORDS |= {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100"}

# A word: letters/digits, joined by hyphens into one compound; "n't" and "'s" are split off.
# A decimal ("1.4") is one word, so that its two halves are not matched apart.
_TOKEN = re.compile(r"\d+(?:\.\d+)+|[^\W_]+(?:[-\u2010][^\W_]+)*")
_THOUSANDS = re.compile(r"(?<=\d)[,\u202f\u00a0](?=\d{3}(?!\d))")
# "1936–1944" reads as "1936 to 1944", so a range and its spelled-out form match.
_RANGE = re.compile(r"(?<=\d)\s*[\u2013\u2014]\s*(?=\d)")
# "between 1986 and 1996" and "from 1986 until 2001" are the ranges "from 1986 to 1996" and
# "from 1986 to 2001": the same numbers with other words beside them.
_BETWEEN = re.compile(r"\bbetween (\d+) and (?=\d)", re.IGNORECASE)
_RANGE_WORD = re.compile(r"(?<=\d) (?:until|till|through) (?=\d)", re.IGNORECASE)
_NOT = re.compile(r"n['\u2019]t\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s?\b")
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th|s)$")
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("ied", "y"),
    ("ings", ""),
    ("ing", ""),
    ("edly", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
)
# Words a paraphrase swaps for each other without changing the fact (found among the
# faithful rewordings of the dev split and VitaminC validation); each maps to the first.
# Inflected forms (-s, -d, -ed, -ing) are added; irregular ones are listed.
_SYNONYM_GROUPS = (
    ("film", "movie"),
    ("earn", "gross", "gain"),
    ("need", "require"),
    ("whole", "entire"),
    ("begin", "start", "began", "begun"),
    ("large", "big"),
    ("provide", "give", "gave", "given"),
)
# A shorter stem that starts a longer one counts as the same word (`discover` ~ `discovery`,
# `German` ~ `Germany`) only from this length on, so `art` does not match `artillery`.
MIN_PREFIX = 5


MANY_MISSING = 3
"""A claim with this many content words its evidence lacks says more than a rewording does
(a paraphrase changes a word or two): the verifier must be as sure as for a name. On the
claim-check dev split the verifier was 0.8-0.9 sure of three added-cause claims missing
eight or nine words each ("… because it provides access to information …" appended to a
copied sentence), and of no faithful pair missing more than one."""


class ContentWord(BaseModel):
    """One content word of a text: as written, its normalised stem, and its grade."""

    model_config = ConfigDict(frozen=True)

    text: str
    stem: str
    kind: WordKind


class ContentCheck(BaseModel):
    """The claim's content words that its evidence does not contain."""

    model_config = ConfigDict(frozen=True)

    unsupported: list[ContentWord]

    @property
    def passed(self) -> bool:
        return not self.unsupported

    @property
    def words(self) -> list[str]:
        return [w.text for w in self.unsupported]

    @property
    def strict(self) -> bool:
        """Whether any unsupported word is a number, a name, a negation or a word a near
        copy swaps or adds in, or `MANY_MISSING` or more words are unsupported."""
        return len(self.unsupported) >= MANY_MISSING or any(
            w.kind == "strict" for w in self.unsupported
        )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """Lower-cased, accent-folded, number words as digits, one simple suffix removed, a
    listed synonym as its group's first word."""
    base = _stem(word)
    return _SYNONYMS.get(base, base)


def _stem(word: str) -> str:
    w = _fold(word).lower()
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    if w in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[w]
    if w[:1].isdigit():
        match = _ORDINAL_SUFFIX.match(w)
        return match.group(1) if match else w
    if w in STOPWORDS:
        # A function word stays whole, so that stems are told apart from function words
        # as surfaces are: "during" had stemmed to "dur", a content word next to a name.
        return w
    for suffix, replacement in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            return w[: -len(suffix)] + replacement
    return w


def _forms(word: str) -> list[str]:
    root = word[:-1] if word.endswith("e") else word
    return [word, word + "s", word + "d", word + "ed", word + "es", root + "ing"]


_SYNONYMS = {
    _stem(form): _stem(group[0])
    for group in _SYNONYM_GROUPS
    for word in group
    for form in _forms(word)
}


def _prepare(text: str) -> str:
    text = _THOUSANDS.sub("", text)
    text = _RANGE.sub(" to ", text)
    text = _BETWEEN.sub(r"from \1 to ", text)
    text = _RANGE_WORD.sub(" to ", text)
    text = _NOT.sub(" not", text)
    return normalise(_POSSESSIVE.sub("", text))


def _is_number(stem_: str) -> bool:
    return stem_[:1].isdigit()


def content_words(text: str) -> list[ContentWord]:
    """The words of `text` that carry content, in order; a hyphenated compound is one word
    (its parts are checked separately only when the compound as a whole is not found)."""
    words: list[ContentWord] = []
    for match in _TOKEN.finditer(_prepare(text)):
        surface = match.group(0)
        parts = re.split(r"[-\u2010]", surface)
        if all(p.lower() in STOPWORDS for p in parts):
            continue
        stems = [stem(p) for p in parts]
        name = surface[:1].isupper()
        strict = (
            name or any(_is_number(s) for s in stems) or any(p.lower() in NEGATIONS for p in parts)
        )
        words.append(
            ContentWord(text=surface, stem="-".join(stems), kind="strict" if strict else "plain")
        )
    return words


def _same_word(a: str, b: str) -> bool:
    """Whether two stems are one word, as `Vocabulary` and `moved_terms` read them: equal, or
    one a prefix of the other from `MIN_PREFIX` letters on ("discover" ~ "discovery",
    "celebrate" ~ "celebrat"); numbers only when equal."""
    if a == b:
        return True
    return (
        min(len(a), len(b)) >= MIN_PREFIX
        and not _is_number(a)
        and (a.startswith(b) or b.startswith(a))
    )


class Vocabulary:
    """The stems an evidence text contains, with hyphenated compounds both joined and split."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.stems: set[str] = set()
        for text in texts:
            for match in _TOKEN.finditer(_prepare(text)):
                parts = re.split(r"[-\u2010]", match.group(0))
                self.stems.update(stem(p) for p in parts)
                if len(parts) > 1:
                    self.stems.add(stem("".join(parts)))
        self._alpha = [s for s in self.stems if not _is_number(s)]
        self._numbers = [s for s in self.stems if _is_number(s)]

    def __contains__(self, stem_: str) -> bool:
        if stem_ in self.stems:
            return True
        if _is_number(stem_):
            return any(rounds_to(stem_, s) for s in self._numbers)
        if len(stem_) < MIN_PREFIX:
            return False
        return any(_same_word(stem_, s) for s in self._alpha)

    def has(self, word: ContentWord) -> bool:
        if "-" not in word.stem:
            return word.stem in self
        parts = word.stem.split("-")
        if "".join(parts) in self:
            return True
        return all(p in self or p in STOPWORDS for p in parts)


def _tokens(text: str) -> list[tuple[str, str]]:
    """Every word of `text` (function words too) as (as written, stem), hyphen parts apart."""
    return [
        (part, stem(part))
        for match in _TOKEN.finditer(_prepare(text))
        for part in re.split(r"[-\u2010]", match.group(0))
    ]


def _terms(tokens: Sequence[tuple[str, str, bool]]) -> list[tuple[int, int]]:
    """Where the numbers and names of a token list are, as [start, end) spans: a number is
    one token; a name is a run of capitalised tokens with only spaces between them ("Solar
    System", but "Austria, Germany" is two names); function words never start or extend one."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if _is_number(tokens[i][1]):
            spans.append((i, i + 1))
            i += 1
            continue
        j = i
        while (
            j < len(tokens)
            and tokens[j][0][:1].isupper()
            and tokens[j][1] not in STOPWORDS
            and (j == i or tokens[j][2])
        ):
            j += 1
        if j > i:
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def _neighbour(stems: Sequence[str], index: int, step: int, skip: frozenset[str]) -> str:
    """The first word from `index` in direction `step` that is not in `skip`, or an edge."""
    while 0 <= index < len(stems) and stems[index] in skip:
        index += step
    if index < 0:
        return "^"
    return stems[index] if index < len(stems) else "$"


def _context(stems: Sequence[str], start: int, end: int) -> set[tuple[str, str]]:
    """A number's neighbours are the words right next to it ("around 1040", "from 1462");
    a name's are the nearest content words before and after it, because "in" or "is" sits
    next to almost any name: "volcanoes in Italy" must not match "peak in Italy". (Chosen on
    the claim-check dev split: with the function words as a name's neighbours 3.3% of false
    claims were called supported, with content words 1.9%, and 3.5% when a neighbour on
    either side could match either side, although that spares a reworded "Bi Sheng
    invented ..." for "... invented by Bi Sheng".)"""
    if end - start == 1 and _is_number(stems[start]):
        return {
            ("before", _neighbour(stems, start - 1, -1, frozenset())),
            ("after", _neighbour(stems, end, 1, frozenset())),
        }
    context = {
        (_before_side(stems, start), _neighbour(stems, start - 1, -1, STOPWORDS)),
        ("after", _neighbour(stems, end, 1, STOPWORDS)),
    }
    if _is_alias(stems, start):
        context.add(("before", "=alias"))
    return context


def _after_by(stems: Sequence[str], start: int) -> bool:
    """Whether the name at `start` is an agent: "by (the) <name>"."""
    k = start - 1
    while k >= 0 and stems[k] in _ARTICLES:
        k -= 1
    return k >= 0 and stems[k] == "by"


def _before_side(stems: Sequence[str], start: int) -> str:
    """The side a name's preceding words are on: "agent" after "by", so that "succeeded by
    the International Space Station" does not read as "succeeded the International Space
    Station" (a false dev claim the shared verb had let through)."""
    return "agent" if _after_by(stems, start) else "before"


# "… also known as the Venerable Bede", "… called the Great Crash": a name given as another
# name of what the sentence is about; both sides saying so is the same relation.
_ALIAS_VERBS = frozenset(stem(w) for w in ("called", "named", "nicknamed", "dubbed"))
_ALIAS_AS = frozenset(stem(w) for w in ("known", "referred", "described"))


def _is_alias(stems: Sequence[str], start: int) -> bool:
    k = start - 1
    while k >= 0 and stems[k] in _ARTICLES:
        k -= 1
    if k >= 0 and stems[k] in _ALIAS_VERBS:
        return True
    return k >= 1 and stems[k] == "as" and stems[k - 1] in _ALIAS_AS


def _shares_neighbour(claim: set[tuple[str, str]], evidence: set[tuple[str, str]]) -> bool:
    """Whether the claim's term has a neighbour the evidence's has on the same side. The
    stems match as the word check matches them: on the claim-check dev split, "Hindus
    celebrate Krishna's birthday" for "... is celebrated every year by Hindus" was read as
    a moved name only because "celebrate" and "celebrated" stem apart."""
    return any(
        side == other and _same_word(word, theirs)
        for side, word in claim
        for other, theirs in evidence
    )


_COPULA = frozenset({"is", "are", "was", "were"})
_SUBJECT_PRONOUNS = frozenset({"it", "they", "he", "she"})
_ARTICLES = frozenset({"a", "an", "the"})

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[^\W_])|\s+\u2026\s+")


def _whole_tokens(text: str) -> list[tuple[str, str, bool]]:
    """Every word of `text` as (as written, stem, whether only spaces precede it), a
    hyphenated compound as one word, so that "Arabic-language works" does not put "Arabic"
    next to "language"."""
    prepared = _prepare(text)
    tokens: list[tuple[str, str, bool]] = []
    end = 0
    for match in _TOKEN.finditer(prepared):
        spaced = not prepared[end : match.start()].strip()
        surface = match.group(0)
        tokens.append((surface, "-".join(stem(p) for p in re.split(r"[-\u2010]", surface)), spaced))
        end = match.end()
    return tokens


_MONTHS = frozenset(stem(m) for m in MONTHS.split("|"))


def _is_date(stems: Sequence[str]) -> bool:
    return all(_is_number(s) or s in _MONTHS for s in stems)


def _agent_words(
    tokens: Sequence[tuple[str, str, bool]], spans: Sequence[tuple[int, int]], i: int
) -> list[str]:
    """The content words before "by <name>" (span `i`) back to the previous name, across
    any date between, and not past a comma: "discovered on 1 January 1801 by Giuseppe
    Piazzi" reads as "Giuseppe Piazzi discovered" (a faithful dev paraphrase the date had
    cut off from its verb), but in "it was the largest artificial satellite in orbit, only
    being succeeded by the International Space Station" the station is not the largest
    satellite (a false dev claim had read so)."""
    j = i - 1
    while j >= 0 and _is_date([t[1] for t in tokens[spans[j][0] : spans[j][1]]]):
        j -= 1
    first = spans[j][1] if j >= 0 else 0
    for k in range(spans[i][0] - 1, first, -1):
        if not tokens[k][2]:  # punctuation before this word: the clause starts here
            first = k
            break
    return [
        stem_
        for _, stem_, _ in tokens[first : spans[i][0]]
        if stem_ not in STOPWORDS and not _is_date([stem_])
    ]


_Contexts = dict[tuple[str, ...], set[tuple[str, str]]]


def _term_contexts(texts: Iterable[str], title: str | None) -> _Contexts:
    """Each number and name of the texts, sentence by sentence, with its neighbours; the
    title stands at the start of a sentence and wherever a subject pronoun does ("It ..." is
    written "<title> ...", "Spanning 6,400 km, it played ..." as "..., <title> played")."""
    contexts, in_place_of_pronouns = _evidence_contexts(texts)
    _place_title(contexts, in_place_of_pronouns, title)
    return contexts


def _title_key(title: str | None) -> tuple[str, ...]:
    return tuple(t[1] for t in _whole_tokens(title or ""))


def _place_title(
    contexts: _Contexts, in_place_of_pronouns: set[tuple[str, str]], title: str | None
) -> None:
    """Add the title's places to `contexts`: a sentence's start and each subject pronoun's."""
    if title:
        contexts.setdefault(_title_key(title), set()).update(
            {("before", "^"), *in_place_of_pronouns}
        )


def _evidence_contexts(texts: Iterable[str]) -> tuple[_Contexts, set[tuple[str, str]]]:
    """The texts' numbers and names with their neighbours (`_term_contexts` without the
    title), and the neighbours of their subject pronouns."""
    contexts: _Contexts = {}
    in_place_of_pronouns: set[tuple[str, str]] = set()
    for text in texts:
        for sentence in _SENTENCE_BREAK.split(_prepare(text)):
            tokens = _whole_tokens(sentence)
            stems = [t[1] for t in tokens]
            for k, stem_ in enumerate(stems):
                if stem_ in _SUBJECT_PRONOUNS:
                    in_place_of_pronouns.update(_context(stems, k, k + 1))
            spans = _terms(tokens)
            for i, (start, end) in enumerate(spans):
                seen = contexts.setdefault(tuple(stems[start:end]), set())
                seen.update(_context(stems, start, end))
                if end - start == 1 and _is_number(stems[start]):
                    continue
                # A name also keeps every content word back to the previous number or name
                # and on to the next, so that a shortened copy ("played a key role in the
                # Renaissance" for "... role in the development of the Renaissance") keeps
                # its context while a name from across another name does not.
                previous = spans[i - 1][1] if i else 0
                following = spans[i + 1][0] if i + 1 < len(spans) else len(stems)
                before = [w for w in stems[previous:start] if w not in STOPWORDS]
                after = [w for w in stems[end:following] if w not in STOPWORDS]
                seen.update((_before_side(stems, start), w) for w in before)
                seen.update(("after", w) for w in after)
                # The two rewordings that move a name across its words without changing
                # who did what: an agent ("a novel by Victor Hugo", "invented by Bi Sheng"
                # read as "Victor Hugo's novel", "Bi Sheng invented"), and a name defined
                # by a copula and an article ("Les Misérables is an epic novel" as "the
                # epic novel Les Misérables"; not "Madrid was captured", a passive).
                if _after_by(stems, start):
                    seen.update(("after", w) for w in _agent_words(tokens, spans, i))
                if end + 1 < len(stems) and stems[end] in _COPULA and stems[end + 1] in _ARTICLES:
                    seen.update(("before", w) for w in after)
                # And a name a copula defines: "the major cities are Kingston, ..." as
                # "Kingston is among the major cities".
                if start and stems[start - 1] in _COPULA:
                    seen.update(("after", w) for w in before)
    return contexts, in_place_of_pronouns


def moved_terms(
    claim: str, evidence: Sequence[str], *, title: str | None = None
) -> list[ContentWord]:
    """Numbers and names of the claim that the evidence has, but never with the same word
    before nor the same content word after: "from 1505 until his death in 1462"
    against "from 1462 until his death in 1505", or "a 1927 novel by Scotland" against "a
    1927 novel by Virginia Woolf ... in Scotland". Every word is in the evidence, so the
    word check passes, but the relation is not. A faithful rewording mostly keeps a number
    with its unit or a name with its noun; one that moves both is left to the model, which
    must then be very sure (a `strict` word)."""
    contexts, in_place_of_pronouns = _evidence_contexts(evidence)
    title_key = _title_key(title)
    # A title the evidence never names is not a moved name: the sentence leaves it implicit.
    title_unnamed = title_key not in contexts
    _place_title(contexts, in_place_of_pronouns, title)
    tokens = _whole_tokens(claim)
    stems = [t[1] for t in tokens]
    moved: list[ContentWord] = []
    for start, end in _terms(tokens):
        key = tuple(stems[start:end])
        if key == title_key and title_unnamed:
            continue
        if key not in contexts and end - start > 1 and (stems[end - 1],) in contexts:
            key = (stems[end - 1],)  # "Kevin Costner" where the evidence says "Costner"
        if key not in contexts:
            continue
        if not _shares_neighbour(_context(stems, start, end), contexts[key]):
            text = " ".join(t[0] for t in tokens[start:end])
            moved.append(ContentWord(text=text, stem=" ".join(key), kind="strict"))
    return moved


NEAR_COPY = 0.8
"""How alike (difflib's ratio over word stems) a claim and an evidence sentence must be for
the claim to be read as that sentence with words substituted (`substituted_words`); chosen
on the claim-check dev split (benchmarks/claim_check.py): at 0.8 the rule turned away 5 of
the 8 false dev claims the check had let through and cost 1 of 178 faithful ones; at 0.7 and
0.6 it turned away the same 5 and cost 2 and 4."""

# difflib's matcher is quadratic in the words it aligns, and a claim or passage is outside
# input: past this length (no encyclopedia sentence is this long) nothing is read as a copy.
MAX_ALIGNED_WORDS = 200


_Edit = list[tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]]


def _near_copy(
    claim: str, evidence: Sequence[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], _Edit]:
    """The claim's words, those of the evidence sentence it is a near copy of (at least
    `NEAR_COPY` alike), and difflib's edit of one into the other; empty when it copies none."""
    ours = _tokens(claim)
    stems = [s for _, s in ours]
    best: tuple[float, list[tuple[str, str]], SequenceMatcher[str]] | None = None
    for text in evidence if 0 < len(ours) <= MAX_ALIGNED_WORDS else []:
        for span in split_sentences(text):
            theirs = _tokens(span.text)
            if len(theirs) > MAX_ALIGNED_WORDS:
                continue
            matcher = SequenceMatcher(None, [s for _, s in theirs], stems, autojunk=False)
            ratio = matcher.ratio()
            if best is None or ratio > best[0]:
                best = (ratio, theirs, matcher)
    if best is None or best[0] < NEAR_COPY:
        return ours, [], []
    return ours, best[1], best[2].get_opcodes()


def _content(surface: str, stem_: str) -> bool:
    return stem_ not in STOPWORDS and surface.lower() not in STOPWORDS


def near_copy_changes(
    claim: str,
    evidence: Sequence[str],
    *,
    title: str | None = None,
    lexicon: Lexicon | None = None,
    rewordings: bool = False,
) -> tuple[list[ContentWord], list[ContentWord]]:
    """What a claim that is a near copy of an evidence sentence changes in it: the content
    words it puts in place of the sentence's words (`substituted_words`) and those it adds
    (`added_words`), from one alignment; both empty when it copies no sentence. With
    `rewordings`, a word put in place of a word that the lexicon (`lexicon`, else WordNet's)
    gives as its synonym or derivation ("put together" for "assembled") is a rewording, not
    a substitution: the lexicon must relate it to the very words it replaces, not to a word
    anywhere in the passage, so "after" for "before" stays a substitution whatever the
    passage says later."""
    ours, theirs, edit = _near_copy(claim, evidence)
    claim_words = [surface.lower() for surface, _ in ours]
    title_stems = {s for _, s in _tokens(title or "")}
    substituted: list[ContentWord] = []
    added: list[ContentWord] = []
    for op, i1, i2, j1, j2 in edit:
        if op == "insert":
            added += [
                ContentWord(text=surface, stem=stem_, kind="strict")
                for surface, stem_ in ours[j1:j2]
                if _content(surface, stem_)
            ]
        if op != "replace":
            continue
        replaced = theirs[i1:i2]
        vocabulary = Vocabulary([" ".join(surface for surface, _ in replaced)])
        # The writer resolves a pronoun with the title (`quoted_sentence` reads it so too),
        # and a description of "the" and one lower-case noun that stands for the page's
        # subject ("on the river" → "on the Danube": `research.standalone`; a trial report's
        # claim check had called the Danube's four capitals unsupported so). Not "his
        # brother" nor "at night" (a review's examples).
        described = [surface for surface, s in replaced if _content(surface, s)]
        article = [surface.lower() for surface, s in replaced if not _content(surface, s)]
        if i1 and not article:
            article = [theirs[i1 - 1][0].lower()]
        for_title = all(s in _PRONOUNS or s in STOPWORDS for _, s in replaced) or (
            len(described) == 1 and described[0].islower() and article == ["the"]
        )
        replaced_words = {surface.lower() for surface in described}
        for surface, stem_ in ours[j1:j2]:
            if not _content(surface, stem_) or stem_ in vocabulary:
                continue
            if for_title and stem_ in title_stems:
                continue
            if (
                rewordings
                and replaced_words
                and _PLAIN_WORD.fullmatch(surface)
                and _reworded(surface, claim_words, replaced_words, lexicon or default_lexicon())
            ):
                continue
            substituted.append(ContentWord(text=surface, stem=stem_, kind="strict"))
    return substituted, added


def substituted_words(
    claim: str, evidence: Sequence[str], *, title: str | None = None
) -> list[ContentWord]:
    """Content words a claim puts in place of other words of the evidence sentence it
    copies: "e can be called Euler's constant after John Napier" for "… Napier's constant
    after John Napier", "the first grand prince" for "the last grand prince", "Bolesław I
    was Duke of Bohemia" where the evidence says Duke of Poland and names Bohemia elsewhere.
    Every word is in the evidence, so the word check passes, and the cross-encoder reads a
    one-word change of a copied sentence as the sentence. Only a claim at least `NEAR_COPY`
    alike to one sentence is read this way, so a rewording is left to the word check and
    the model; the title in a pronoun's place ("It results" -> "A neutron star results") is
    the research writer's resolution, not a substitution."""
    return near_copy_changes(claim, evidence, title=title)[0]


def added_words(claim: str, evidence: Sequence[str]) -> list[ContentWord]:
    """Content words a claim inserts into the evidence sentence it copies ("… because of a
    drought" added to a copied sentence). Only those the evidence lacks altogether count
    against the claim (`check_claim` makes them strict): a near copy that adds a word found
    elsewhere in the passage is often a faithful merge of two sentences."""
    return near_copy_changes(claim, evidence)[1]


def _given_names(claim: str, evidence: Sequence[str], title: str | None) -> list[str]:
    """The stems of every word but the last of each name in `claim` whose last word the
    evidence has as a name on its own ("Costner" for "Kevin Costner"; but not "Alps" of
    "Ligurian Alps" for "Dinaric Alps", nor "city" for "Capital City")."""
    tokens = _whole_tokens(claim)
    stems = [t[1] for t in tokens]
    contexts = _term_contexts(evidence, title)
    return [
        s
        for start, end in _terms(tokens)
        if end - start > 1 and (stems[end - 1],) in contexts
        for s in stems[start : end - 1]
    ]


_PLAIN_WORD = re.compile(r"[a-z]+")


def reworded(
    claim: str,
    missing: Sequence[ContentWord],
    evidence: Sequence[str],
    lexicon: Lexicon | None = None,
) -> list[ContentWord]:
    """None of `missing` when the lexicon relates each of them to a word of the evidence
    (a synonym or a derivation: "assembled" for "put together", "unification" for
    "unify"), else all of them. All or nothing: a rewording changes a word or two and the
    lexicon then accounts for the whole difference, while a claim that adds a fact has
    words it cannot account for, and rescuing some would only lower the bar its other words
    set (`MANY_MISSING`): WordNet's "leading" is also a synonym of "star". A word that makes
    a multiword lemma with its neighbour in the claim ("put together", "made up") is looked
    up as that lemma. Only `plain` words are looked up: names, numbers and negations are
    never rewordings, and a word a near copy of a sentence swaps in stays what the claim
    says beyond the sentence ("after" for "before" is not rescued by "later" elsewhere in
    the passage)."""
    candidates = [w for w in missing if w.kind == "plain" and _PLAIN_WORD.fullmatch(w.text)]
    if not candidates or len(candidates) < len(missing):
        return list(missing)  # decided without the lexicon: a word it may not rescue
    lexicon = lexicon or default_lexicon()
    theirs = {
        surface.lower()
        for text in evidence
        for surface, stem_ in _tokens(text)
        if surface.isalpha() and stem_ not in STOPWORDS
    }
    ours = [surface.lower() for surface, _ in _tokens(claim)]
    if not all(_reworded(w.text, ours, theirs, lexicon) for w in candidates):
        return list(missing)
    return []


def _reworded(word: str, claim: list[str], theirs: set[str], lexicon: Lexicon) -> bool:
    if lexicon.rewords(word, theirs):
        return True
    for i, w in enumerate(claim):
        if w != word:
            continue
        pairs = [(claim[i - 1], w)] if i else []
        pairs += [(w, claim[i + 1])] if i + 1 < len(claim) else []
        for first, second in pairs:
            lemma = lexicon.phrase(first, second)
            if lemma is not None and lexicon.rewords(lemma, theirs):
                return True
    return False


def check_claim(
    claim: str,
    evidence: Sequence[str],
    *,
    title: str | None = None,
    lexicon: Lexicon | None = None,
) -> ContentCheck:
    """The content words of `claim` found in none of `evidence` nor in `title`, then the
    numbers and names the evidence has only in another place (`moved_terms`); each listed
    once. A bound or hedged number the evidence meets ("more than 300" for "312") counts as
    that number (`content_numbers.resolve_bounds`), and a name's given names may be left out
    of the evidence when its last word is there ("Kevin Costner" for "Costner"). An ordinary
    word that `lexicon` (default: WordNet, `lexicon.default_lexicon`) relates to a word of
    the evidence is a rewording, not a missing word (`reworded`)."""
    claim, resolved = resolve_bounds(
        _prepare(claim), [_prepare(e) for e in [*evidence, title or ""]]
    )
    vocabulary = Vocabulary([*evidence, title or ""])
    seen: set[str] = set(_given_names(claim, evidence, title))
    substituted, added = near_copy_changes(
        claim, evidence, title=title, lexicon=lexicon, rewordings=True
    )
    # A word a near copy of a sentence adds or swaps in, and that the evidence lacks, is
    # what the claim says beyond the sentence: strict, whatever word it is (chosen on dev),
    # unless it rewords the word it replaces.
    changed = {w.stem for w in [*substituted, *added]}
    missing: list[ContentWord] = []
    for word in content_words(claim):
        if word.stem in seen or vocabulary.has(word):
            continue
        seen.add(word.stem)
        missing.append(word.model_copy(update={"kind": "strict"}) if word.stem in changed else word)
    missing = reworded(claim, missing, [*evidence, title or ""], lexicon)
    for word in moved_terms(claim, evidence, title=title):
        if word.stem not in seen and word.stem not in resolved:
            seen.add(word.stem)
            missing.append(word)
    for word in [
        *substituted,
        *dropped_ranks(claim, evidence),
        *dropped_qualifiers(claim, evidence),
        *dropped_negations(claim, evidence),
    ]:
        if word.stem not in seen:
            seen.add(word.stem)
            missing.append(word)
    return ContentCheck(unsupported=missing)


_DETERMINERS = frozenset({"the", "a", "an"})


def _opening(text: str) -> list[tuple[str, str]]:
    tokens = _tokens(text)
    return tokens[1:] if tokens and tokens[0][0].lower() in _DETERMINERS else tokens


def dropped_qualifiers(claim: str, evidence: Sequence[str]) -> list[ContentWord]:
    """The qualifier a claim drops from the subject it opens with: "The immune system
    recognizes pathogens by learning ..." where the evidence says it of "The adaptive immune
    system", "A black hole is ..." where it says "A supermassive black hole is ...". Every
    word of such a claim is in the evidence, but it says of the whole what the evidence says
    of a kind. Listed when an evidence sentence opens with one or two lowercase qualifiers
    the claim lacks before the claim's first two words, and none opens with them bare."""
    ours = _opening(claim)
    head = [stem_ for _, stem_ in ours[:2]]
    if len(head) < 2 or any(h in STOPWORDS or h in _PRONOUNS for h in head):
        return []
    openings = [
        _opening(sentence)
        for text in evidence
        for sentence in _SENTENCE_BREAK.split(text)
        if sentence.strip()
    ]
    if any([stem_ for _, stem_ in o[:2]] == head for o in openings):
        return []
    ours_stems = {stem_ for _, stem_ in ours}
    for opening in openings:
        for k in (1, 2):
            extra = opening[:k]
            if [stem_ for _, stem_ in opening[k : k + 2]] != head:
                continue
            if all(
                surface[:1].islower() and stem_ not in STOPWORDS and stem_ not in ours_stems
                for surface, stem_ in extra
            ):
                text = " ".join(surface for surface, _ in extra)
                return [ContentWord(text=text, stem=" ".join(s for _, s in extra), kind="strict")]
    return []


def _ranked(tokens: Sequence[tuple[str, str]], i: int) -> str | None:
    """The rank ("2" for "second") written before the superlative at `i`, if any."""
    if i > 0 and tokens[i - 1][1].isdigit() and tokens[i - 1][0].lower() in _ORDINAL_WORDS:
        return tokens[i - 1][1]
    return None


def _superlative(stem_: str) -> bool:
    return stem_ == "most" or (stem_.endswith("est") and len(stem_) > 4)


def dropped_ranks(claim: str, evidence: Sequence[str]) -> list[ContentWord]:
    """Superlatives ("most", "-est") that the evidence ranks ("second most populous",
    "second-smallest") everywhere it has them and the claim does not: "its most populous
    city" for "its second most populous city after Leipzig". Every word of such a claim is
    in the evidence, but the claim says first where the evidence says second."""
    theirs = [_tokens(text) for text in evidence]
    ours = _tokens(claim)
    dropped: list[ContentWord] = []
    for i, (surface, stem_) in enumerate(ours):
        if not _superlative(stem_) or _ranked(ours, i) is not None:
            continue
        found = [(t, j) for t in theirs for j, (_, s) in enumerate(t) if s == stem_]
        # Where the evidence has the superlative with the claim's next two words, those are
        # the places the claim restates: "the most abundant molecule" against "the most
        # abundant substance on Earth … the third most abundant molecule".
        following = _next_stems(ours, i)
        same = [(t, j) for t, j in found if following and _next_stems(t, j) == following]
        ranks = [_ranked(t, j) for t, j in same or found]
        if ranks and all(rank not in (None, "1") for rank in ranks):
            dropped.append(ContentWord(text=surface, stem=stem_, kind="strict"))
    return dropped


def _next_stems(tokens: Sequence[tuple[str, str]], i: int) -> tuple[str, ...] | None:
    """The two words after the superlative ("abundant molecule"), None at the end."""
    following = tuple(s for _, s in tokens[i + 1 : i + 3])
    return following if len(following) == 2 else None


def dropped_negations(claim: str, evidence: Sequence[str]) -> list[ContentWord]:
    """A negation of the evidence that a claim without one leaves out: "Hexafluorosilicate
    fits the general formula" for "… even if they do not fit the general formula",
    "Celestial navigation relies mainly on dead reckoning" for "… without relying solely on
    estimated positional calculations, commonly known as dead reckoning". Every word of
    such a claim is in the evidence. Listed when the word a negation of an evidence
    sentence governs (its next content word) is in the claim, and so is a content word of
    the rest of that sentence."""
    ours = _tokens(claim)
    if any(surface.lower() in NEGATIONS for surface, _ in ours):
        return []
    mine = [s for surface, s in ours if _content(surface, s)]
    for text in evidence:
        for sentence in split_sentences(text):
            tokens = _tokens(sentence.text)
            for j, (surface, _) in enumerate(tokens):
                if surface.lower() not in NEGATIONS:
                    continue
                rest = [s for w, s in tokens[j + 1 :] if _content(w, s)]
                if len(rest) < 2 or not any(_same_word(rest[0], m) for m in mine):
                    continue
                if any(_same_word(r, m) for r in rest[1:] for m in mine):
                    return [ContentWord(text=surface, stem=surface.lower(), kind="strict")]
    return []


def covering_sentences(
    claim: str,
    sentences: Sequence[str],
    chosen: Sequence[int],
    *,
    title: str | None = None,
    max_sentences: int = 3,
) -> list[int] | None:
    """Sentence indices that together hold the claim's content words, starting from the
    `chosen` ones (the span a verdict rests on) and adding, for each word they lack, the
    nearest sentence that has it. None when the chosen sentences already hold every word
    they can (nothing elsewhere helps) or when more than `max_sentences` would be needed.

    A claim that merges two facts of a passage is checked against both sentences this way,
    instead of against the one sentence the verifier found most decisive."""
    missing = check_claim(claim, [sentences[i] for i in chosen], title=title).unsupported
    if not missing:
        return None
    vocabularies = [Vocabulary([s]) for s in sentences]
    anchor = min(chosen)
    needed = set(chosen)
    for word in missing:
        holders = [i for i, v in enumerate(vocabularies) if v.has(word)]
        if holders and not needed.intersection(holders):
            needed.add(min(holders, key=lambda i: abs(i - anchor)))
    if len(needed) == len(set(chosen)) or len(needed) > max_sentences:
        return None
    return sorted(needed)


_PRONOUNS = frozenset({"it", "he", "she", "they", "this", "its", "his", "her", "their"})


def _words(text: str) -> list[str]:
    return [_fold(surface).lower() for surface, _ in _tokens(text)]


_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def _described(words: list[str], theirs: list[str], title: list[str]) -> bool:
    """Whether `words` is the sentence `theirs` with its opening "the <noun>" tied to the
    page's subject, as the research writer words it (`research.standalone.resolve`):
    "Kyoto is the cultural anchor …" for "The city is the cultural anchor …" on *Kyoto*,
    "The city of Kathmandu stands …", "The Apollo 11 mission was crewed …" for "The mission
    was crewed …". The title stands where the passage's description of its subject does,
    as it stands where a pronoun does."""
    if len(theirs) < 3 or theirs[0] != "the":
        return False
    for k in (2, 3):  # "the city", "the sovereign state"
        head, rest = theirs[:k], theirs[k:]
        for the in ([], ["the"]):
            forms = (
                the + title + rest,
                [*head, "of", *the, *title, *rest],
                [*the, *title, *head[1:], *rest],
            )
            if words in forms:
                return True
    return False


def quoted_sentence(
    claim: str, sentences: Sequence[str], *, title: str | None = None
) -> int | None:
    """Which of the sentences the claim is, word for word (case, punctuation and number
    formats aside), or one whose leading pronoun is replaced by the title ("It results
    from ..." -> "Neutron star results from ..."), as the research writer makes them. A
    sentence of the passage is supported by the passage whatever the verifier reads into it."""
    words = _words(claim)
    if not words:
        return None
    title_words = _words(_QUALIFIER.sub("", title)) if title else []
    for i, sentence in enumerate(sentences):
        theirs = _words(sentence)
        if words == theirs:
            return i
        if title_words and _described(words, theirs, title_words):
            return i
        if title_words and theirs and theirs[0] in _PRONOUNS:
            possessive = theirs[0] in {"its", "his", "her", "their"}
            # "Its capital" -> "Paris's capital": the possessive 's is dropped by `_tokens`.
            marked = "'" in claim or "\u2019" in claim
            if words == title_words + theirs[1:] and (marked or not possessive):
                return i
    return None
