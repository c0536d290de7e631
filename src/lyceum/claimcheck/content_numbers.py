"""Numbers and dates as the content check reads them: one spelling per value, and claims
that state a bound or a rounding of a number the evidence gives.

The content check matches a claim's numbers to the evidence's by their digits. Claims
reword numbers in ways that keep the fact: "1.2 million" for "1,200,000", "16 June 1997" for
"June 16, 1997", "$8.9 million" for "$8,908,000", "more than 300 islands" for "312 islands",
"before 2010" for "in 1999", "about 1.9 million" for "1.87 million". (Found on the VitaminC
validation split, where most supported claims are rewordings of this kind.) `normalise`
writes a text's dates and scaled numbers one way; `resolve_bounds` rewrites a claim's bound
("more than 300") as the evidence number that meets it ("312"), so the word check and the
in-place check (`content_check.moved_terms`) then treat it as that number; `rounds_to` says
whether a large claim number is the evidence number rounded.

Years and small counts are never rounded or approximated: the hard negatives change a year
by one or a count by a few, and those must stay unsupported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "16 June 1997" -> "June 16 1997"; "June 16, 1997" -> "June 16 1997".
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({MONTHS})\b")
_MONTH_DAY_COMMA = re.compile(rf"\b({MONTHS})\s+(\d{{1,2}}),\s*(?=\d{{4}}\b)")
_SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_SCALED = re.compile(r"\b(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion)\b", re.IGNORECASE)
# Initials ("G. P. Sippy", "M. C. Escher") are dropped: a name is matched by its surname,
# and a full stop after an initial is not the end of a sentence.
_INITIALS = re.compile(r"\b[A-Z]\.\s*(?=[A-Z])")
_UNITS = (
    (re.compile(r"\bsquare\s+kilomet(?:er|re)s?\b", re.IGNORECASE), "km2"),
    (re.compile(r"\bsquare\s+miles?\b", re.IGNORECASE), "sq mi"),
    (re.compile(r"\bkilomet(?:er|re)s?\b", re.IGNORECASE), "km"),
)

_NUMBER = r"(?:US\$|[$£€])?\s*(\d+(?:\.\d+)?)"
_LOWER = "more than|greater than|over|above|at least|in excess of|exceeding|upwards of"
_UPPER = "less than|fewer than|under|below|at most|no more than"
_EARLIER = "before|prior to|earlier than"
_LATER = "after|later than"
_HEDGES = "about|around|approximately|roughly|nearly|almost|some|circa|an estimated|estimated"
_BOUND = re.compile(
    rf"\b(?P<op>{_UPPER}|{_LOWER}|{_EARLIER}|{_LATER}|{_HEDGES})\s+{_NUMBER}", re.IGNORECASE
)
_EVIDENCE_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])(\s+[^\W\d_]+)?")
# A hedged number ("about 1.9 million") matches evidence within this fraction of it.
APPROXIMATE = 0.1
# Numbers below this are never rounded or approximated (years, counts).
ROUNDING_FROM = 10_000


def normalise(text: str) -> str:
    """Dates as "Month day year", scaled numbers as plain digits ("1.2 million" ->
    "1200000"), "square kilometres" as "km2", initials removed. Thousands separators must already be gone."""
    text = _INITIALS.sub("", text)
    for pattern, unit in _UNITS:
        text = pattern.sub(unit, text)
    text = _DAY_MONTH.sub(r"\2 \1", text)
    text = _MONTH_DAY_COMMA.sub(r"\1 \2 ", text)
    return _SCALED.sub(_expand, text)


def _expand(match: re.Match[str]) -> str:
    value = Decimal(match.group(1)).scaleb(_SCALES[match.group(2).lower()])
    return str(int(value))


def _value(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _year_like(value: Decimal) -> bool:
    return value == value.to_integral_value() and 1000 <= value <= 2100


def rounds_to(claim: str, evidence: str) -> bool:
    """Whether the claim's number is the evidence's rounded to the claim's last nonzero
    digit ("8900000" for "8908000"), for numbers of at least `ROUNDING_FROM`."""
    c, e = _value(claim), _value(evidence)
    if c is None or e is None or c < ROUNDING_FROM or c != c.to_integral_value():
        return False
    digits = str(int(c))
    zeros = len(digits) - len(digits.rstrip("0"))
    unit = Decimal(10) ** zeros
    return abs(e - c) * 2 <= unit and e >= ROUNDING_FROM


def _numbers(texts: Iterable[str]) -> list[tuple[Decimal, str, str]]:
    """Every number of the texts with the word after it (lower-cased, or "")."""
    found: list[tuple[Decimal, str, str]] = []
    for text in texts:
        for match in _EVIDENCE_NUMBER.finditer(text):
            value = _value(match.group(1))
            if value is not None:
                after = (match.group(2) or "").strip().lower()
                found.append((value, match.group(1), after))
    return found


def _meets(op: str, bound: Decimal, value: Decimal) -> bool:
    if re.fullmatch(_LOWER, op):
        return value > bound or (op in ("at least", "upwards of") and value == bound)
    if re.fullmatch(_UPPER, op):
        return value < bound or (op in ("at most", "no more than") and value == bound)
    if re.fullmatch(_EARLIER, op):
        return _year_like(bound) and _year_like(value) and value < bound
    if re.fullmatch(_LATER, op):
        return _year_like(bound) and _year_like(value) and value > bound
    # A hedge: close to the bound, never for years or small counts.
    return bound >= ROUNDING_FROM and abs(value - bound) <= bound * Decimal(APPROXIMATE)


def resolve_bounds(claim: str, evidence: Iterable[str]) -> tuple[str, set[str]]:
    """The claim with each bound or hedged number that the evidence does not state as such
    ("more than 300 islands") replaced by the evidence number that meets it ("312
    islands"); among several, one followed by the same word, then the nearest. Both texts
    must be normalised (`normalise`). A bound the evidence does not meet is left as it is,
    so its words stay unsupported. Also returns the evidence numbers put in: they were
    matched by value and bound, so where they stand in the evidence is not checked again
    (the evidence may give "a worldwide total of $183 million" for "grossed under $184
    million worldwide")."""
    numbers = _numbers(evidence)
    stated = {value for value, _, _ in numbers}
    resolved: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        op = " ".join(match.group("op").lower().split())
        bound = _value(match.group(2))
        if bound is None or bound in stated:
            return match.group(0)
        after = _word_after(claim, match.end())
        meeting = [(v, s, a) for v, s, a in numbers if _meets(op, bound, v)]
        if not meeting:
            return match.group(0)
        same_unit = [m for m in meeting if after and m[2] == after]
        surface = min(same_unit or meeting, key=lambda m: abs(m[0] - bound))[1]
        resolved.add(surface)
        return surface

    return _BOUND.sub(replace, claim), resolved


def _word_after(text: str, index: int) -> str:
    match = re.match(r"\s+([^\W\d_]+)", text[index:])
    return match.group(1).lower() if match else ""
