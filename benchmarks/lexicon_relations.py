"""Would a wider lexicon let more faithful paraphrases through? (issue #12, part 2)

    .venv/bin/python benchmarks/lexicon_relations.py [--cache F] [--out F]

The content check counts a claim word missing from its evidence as a rewording when WordNet
relates it to an evidence word (`lyceum.claimcheck.lexicon`: synonyms of a word's `SENSES`
most common senses and its own derivations). Most faithful paraphrases the check still turns
away on the dev split miss an ordinary word ("forms part of" for "is part of", "people live"
for "inhabitants"), so this replays the dev pairs of `benchmarks/claim_check.py` (the model's
scores cached as there, so each variant costs only the check) with the lexicon widened:
more senses, and each further WordNet pointer WordNet's data files hold (the derivations of
a word's synonyms, "similar to", verb groups, hypernyms). It counts, per variant, the
faithful and false dev pairs called supported at the shipped thresholds and names the pairs
whose verdict moves. Only the dev split is read: a variant worth shipping would then be
scored once on test. Results: benchmarks/results/lexicon_relations.json.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import claim_check as cc
import provenance

from lyceum.claimcheck import lexicon as lex
from lyceum.claimcheck.faithfulness import ContentThresholds

RESULTS = Path(__file__).parent / "results" / "lexicon_relations.json"
# WordNet pointer symbols: "+" derivation (all synonyms', not only the word's own), "&"
# similar to (adjectives), "$" verb group, "@" hypernym.
POINTERS = {
    "derivations of synonyms": ("+",),
    "similar to": ("&",),
    "verb group": ("$",),
    "hypernym": ("@",),
    "all four": ("+", "&", "$", "@"),
}
SENSES = (1, 2, 3, 5)

Synset = Callable[[lex.Lexicon, str, int, str], tuple[list[str], list[str]]]


def _widened(original: Synset, symbols: Sequence[str]) -> Synset:
    """`Lexicon._synset` that also returns the words the `symbols` pointers lead to."""

    def synset(self: lex.Lexicon, pos: str, offset: int, lemma: str) -> tuple[list[str], list[str]]:
        words, derived = original(self, pos, offset, lemma)
        _, pointers = lex._parse(self._data[pos], offset)
        extra: list[str] = []
        for symbol, target, target_pos, _, target_word in pointers:
            if symbol in symbols:
                found = lex._parse(self._data[target_pos], target)[0]
                extra += found if target_word == 0 else [found[target_word - 1]]
        return words, derived + [w for w in extra if w.islower()]

    return synset


def verdicts(pairs: Sequence[cc.ClaimPair], verifier: cc.CachingClaimModel) -> list[bool]:
    """Each pair's verdict with the shipped thresholds, under the lexicon as it is now."""
    lex.Lexicon.related.cache_clear()
    with contextlib.redirect_stdout(io.StringIO()):
        rows = cc.score_all(
            verifier,
            [(p.claim, p.passage, p.title) for p in pairs],
            [(p.label, p.kind, p.split) for p in pairs],
        )
    return [r.supported(ContentThresholds()) for r in rows]


def summary(pairs: Sequence[cc.ClaimPair], got: list[bool], base: list[bool]) -> dict[str, object]:
    def called(label: str, vs: list[bool]) -> int:
        return sum(v for v, p in zip(vs, pairs, strict=True) if p.label == label)

    return {
        "faithful_called_supported": called("supported", got),
        "false_called_supported": called("not_supported", got),
        "moved": [
            {"label": p.label, "kind": p.kind, "claim": p.claim, "now": g}
            for p, g, b in zip(pairs, got, base, strict=True)
            if g != b
        ],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/lyceum_claim_check_cache.pkl"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    load = os.getloadavg()
    pairs = [p for p in cc.load_pairs() if p.split == "dev"]
    verifier = cc.CachingClaimModel(args.cache, None)
    lexicon = lex.default_lexicon()
    shipped_senses = lexicon.senses
    base = verdicts(pairs, verifier)
    variants: dict[str, object] = {"shipped": summary(pairs, base, base)}
    for n in SENSES:
        lexicon.senses = n
        variants[f"{n} senses"] = summary(pairs, verdicts(pairs, verifier), base)
    lexicon.senses = shipped_senses
    original = lex.Lexicon._synset
    try:
        for name, symbols in POINTERS.items():
            lex.Lexicon._synset = _widened(original, symbols)  # type: ignore[method-assign]
            variants[name] = summary(pairs, verdicts(pairs, verifier), base)
    finally:
        lex.Lexicon._synset = original  # type: ignore[method-assign]
    verifier.save()
    n_faithful = sum(p.label == "supported" for p in pairs)
    provenance.write(
        args.out,
        load,
        split="dev",
        faithful_pairs=n_faithful,
        false_pairs=len(pairs) - n_faithful,
        variants=variants,
    )
    for name, v in variants.items():
        assert isinstance(v, dict)
        print(
            f"{name:<24} faithful {v['faithful_called_supported']}/{n_faithful}  "
            f"false {v['false_called_supported']}/{len(pairs) - n_faithful}  "
            f"moved {len(v['moved'])}"
        )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.exit(main())
