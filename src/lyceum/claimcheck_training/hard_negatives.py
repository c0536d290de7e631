"""The claim-check generator: false and faithful variants of a true sentence from a page.

`benchmarks/claim_check.py build` makes its held-out test set with it, and
`claimcheck_training.lora` its training pairs, from the other half of the pages: `split_of` assigns
each page to dev or test by a hash of its title, so a trainer that keeps to dev pages never
sees a test page. The kinds are listed in the benchmark's docstring.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from typing import Literal

from lyceum.claimcheck.model import split_sentences
from lyceum.claimcheck_training.data import negate

Label = Literal["supported", "not_supported"]
Split = Literal["dev", "test"]


def split_of(title: str) -> Split:
    """Half the pages are dev, half held-out test, by a hash of the title."""
    digest = hashlib.blake2b(title.encode(), digest_size=8).digest()
    return "test" if int.from_bytes(digest, "big") % 2 == 0 else "dev"


_NAME = re.compile(r"\b[A-Z][a-zA-Z'\u2019-]*[a-z](?:\s+[A-Z][a-zA-Z'\u2019-]*[a-z])*\b")
_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\b")
_PRONOUN = re.compile(r"^(It|He|She|They)\b")
_LEADING_CLAUSE = re.compile(r"^([A-Z][^,;]{3,60}),\s+(?=[a-zA-Z])")
_RELATIONS = {
    "founded": "dissolved", "established": "abolished", "built": "demolished",
    "won": "lost", "discovered": "disproved", "invented": "banned", "wrote": "translated",
    "directed": "financed", "produced": "criticised", "created": "destroyed",
    "acquired": "sold", "defeated": "joined", "married": "sued", "joined": "left",
    "includes": "excludes", "included": "excluded", "born": "buried", "located": "banned",
    "developed": "abandoned", "designed": "rejected", "published": "censored",
    "introduced": "withdrew", "elected": "expelled", "led": "opposed", "owned": "rented",
    "released": "cancelled", "replaced": "preceded", "uses": "forbids", "used": "rejected",
    "contains": "lacks", "consists": "differs", "founded by": "closed by",
    "served": "betrayed", "supported": "opposed", "derived": "separated",
    "influenced": "ignored", "attracted": "repelled", "produces": "consumes",
}  # fmt: skip
_INVERSIONS = {
    "largest": "smallest", "smallest": "largest", "highest": "lowest", "lowest": "highest",
    "first": "last", "last": "first", "north": "south", "south": "north", "east": "west",
    "west": "east", "before": "after", "after": "before", "more": "less", "less": "more",
    "most": "least", "earliest": "latest", "oldest": "youngest", "larger": "smaller",
    "smaller": "larger", "major": "minor", "early": "late", "late": "early",
    "longest": "shortest", "increase": "decrease", "increased": "decreased", "best": "worst",
    "above": "below", "below": "above", "higher": "lower", "lower": "higher",
    "northern": "southern", "southern": "northern", "eastern": "western",
    "western": "eastern", "many": "few", "successful": "unsuccessful", "public": "private",
    "private": "public", "ancient": "modern", "modern": "ancient", "popular": "unpopular",
}  # fmt: skip


def _sub_word(text: str, table: dict[str, str], rng: random.Random) -> str | None:
    hits = [m for m in re.finditer(r"\b[a-z]+\b", text) if m.group(0) in table]
    if not hits:
        return None
    m = rng.choice(hits)
    return text[: m.start()] + table[m.group(0)] + text[m.end() :]


def _names(sentence: str, title: str) -> list[re.Match[str]]:
    """Capitalised names, not the first word and not the page title."""
    return [
        m
        for m in _NAME.finditer(sentence)
        if m.start() > 0 and m.group(0).lower() not in title.lower() and len(m.group(0)) > 2
    ]


def _replace(text: str, m: re.Match[str], new: str) -> str:
    return text[: m.start()] + new + text[m.end() :]


def _between_has_content(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    between = text[a.end() : b.start()].strip(" ,;")
    return bool(re.search(r"[a-z]{4,}", between)) and between not in ("and", "or")


class Builder:
    """False and faithful variants of a page's true sentences; one random choice per kind."""

    def __init__(self, pages: list[tuple[str, str]], rng: random.Random) -> None:
        self.pages = pages
        self.rng = rng
        self.name_pool: dict[int, list[str]] = defaultdict(list)
        for title, text in pages:
            for s in split_sentences(text):
                for m in _names(s.text, title):
                    self.name_pool[len(m.group(0).split())].append(m.group(0))

    def _other_title(self, title: str) -> str:
        while True:
            other, _ = self.rng.choice(self.pages)
            if other.lower() not in title.lower() and title.lower() not in other.lower():
                return other

    def _other_name(self, old: str, passage: str) -> str | None:
        pool = self.name_pool.get(len(old.split()), [])
        for _ in range(20):
            new = self.rng.choice(pool) if pool else None
            if (
                new
                and new.lower() not in passage.lower()
                and not set(new.split()) & set(old.split())
            ):
                return new
        return None

    def variants(self, title: str, passage: str, sentence: str, others: list[str]) -> Iterator[tuple[str, Label, str]]:  # fmt: skip
        yield sentence, "supported", "copy"
        if (m := _LEADING_CLAUSE.match(sentence)) and not _NUMBER.search(m.group(1)):
            rest = sentence[m.end() :]
            if len(rest.split()) >= 6 and rest[0].islower() and rest.split()[0] in ("the", "it", "he", "she", "they", "a", "an"):  # fmt: skip
                yield rest[0].upper() + rest[1:], "supported", "trimmed"
        pron = _PRONOUN.match(sentence)
        if pron:
            yield title + sentence[pron.end() :], "supported", "title_substituted"
        # topic transplant
        subject = re.search(re.escape(title), sentence, re.IGNORECASE) if title else None
        if subject is not None:
            yield _replace(sentence, subject, self._other_title(title)), "not_supported", "topic_transplant"  # fmt: skip
        elif pron:
            yield self._other_title(title) + sentence[pron.end() :], "not_supported", "topic_transplant"  # fmt: skip
        names = _names(sentence, title)
        if names:
            m = self.rng.choice(names)
            new = self._other_name(m.group(0), passage)
            if new:
                yield _replace(sentence, m, new), "not_supported", "entity_swap"
        numbers = list(_NUMBER.finditer(sentence))
        if numbers:
            m = self.rng.choice(numbers)
            value = float(m.group(0).replace(",", ""))
            if 1000 <= value <= 2100 and m.group(0).isdigit():
                changed = str(int(value) + self.rng.choice([-12, -7, -3, -1, 1, 2, 5, 11]))
            elif value.is_integer():
                changed = f"{int(value * self.rng.choice([2, 3, 10]) + self.rng.choice([1, 3])):,}"
            else:
                changed = f"{value * 2 + 0.5:g}"
            yield _replace(sentence, m, changed), "not_supported", "number_change"
        for found in (numbers, names):
            pairs = [
                (a, b)
                for a, b in pairwise(found)
                if a.group(0) != b.group(0) and _between_has_content(sentence, a, b)
            ]
            if pairs:
                a, b = self.rng.choice(pairs)
                swapped = (
                    sentence[: a.start()] + b.group(0) + sentence[a.end() : b.start()]
                    + a.group(0) + sentence[b.end() :]
                )  # fmt: skip
                yield swapped, "not_supported", "swapped_roles"
                break
        if changed := _sub_word(sentence, _RELATIONS, self.rng):
            yield changed, "not_supported", "relation_change"
        if negated := negate(sentence):
            yield negated, "not_supported", "negation"
        if inverted := _sub_word(sentence, _INVERSIONS, self.rng):
            yield inverted, "not_supported", "inversion"
        cause = self._cause(title)
        if cause:
            yield sentence.rstrip(".") + " because " + cause, "not_supported", "added_cause"
        if names and others:
            other_names = [
                m.group(0)
                for s in others
                for m in _names(s, title)
                if m.group(0) not in sentence and not set(m.group(0).split()) & set(sentence.split())
            ]  # fmt: skip
            if other_names:
                m = self.rng.choice(names)
                yield (
                    _replace(sentence, m, self.rng.choice(other_names)),
                    "not_supported",
                    "garbled",
                )

    def _cause(self, title: str) -> str | None:
        """A clause from another page: its sentence starting with a pronoun, lower-cased."""
        for _ in range(30):
            other, text = self.rng.choice(self.pages)
            if other == title:
                continue
            for s in split_sentences(text):
                if _PRONOUN.match(s.text) and 6 <= len(s.text.split()) <= 22:
                    return s.text[0].lower() + s.text[1:]
        return None


def usable_sentence(sentence: str) -> bool:
    words = sentence.split()
    return 8 <= len(words) <= 40 and sentence.endswith(".") and '"' not in sentence
