from __future__ import annotations

import json

import pytest

from lyceum.evolve.compose import ComposeError, compose_corpus
from lyceum.evolve.settings import EvolveSettings


def test_the_mix_is_60_30_10_with_the_whole_anchor(tmp_path, example_factory):
    anchor = [example_factory(i) for i in range(60)]
    accepted = [example_factory(100 + i, synthetic=True, depth=1) for i in range(50)]
    accepted += [example_factory(200 + i, synthetic=True, depth=1, kind="dpo") for i in range(20)]
    manifest = compose_corpus(anchor, accepted, tmp_path / "c", EvolveSettings())
    assert {k: p.used for k, p in manifest.parts.items()} == {
        "anchor": 60, "trajectories": 30, "negatives": 10
    }  # fmt: skip
    assert manifest.actual_shares == pytest.approx(
        {"anchor": 0.6, "trajectories": 0.3, "negatives": 0.1}
    )
    sft = [json.loads(x) for x in (tmp_path / "c" / "sft.jsonl").read_text().splitlines()]
    dpo = [json.loads(x) for x in (tmp_path / "c" / "dpo.jsonl").read_text().splitlines()]
    assert len(sft) == 90 and len(dpo) == 10
    assert {r["id"] for r in sft if r["part"] == "anchor"} == {e.id for e in anchor}
    assert set(sft[0]) >= {"instruction", "input", "output"}
    assert set(dpo[0]) >= {"prompt", "chosen", "rejected"}
    saved = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert saved["parts"]["negatives"]["available"] == 20 and set(saved["files"]) == {
        "sft.jsonl", "dpo.jsonl"
    }  # fmt: skip


def test_composition_is_seeded(tmp_path, example_factory):
    anchor = [example_factory(i) for i in range(12)]
    accepted = [example_factory(100 + i, synthetic=True, depth=1) for i in range(40)]
    a = compose_corpus(anchor, accepted, tmp_path / "a", EvolveSettings(seed=1))
    b = compose_corpus(anchor, accepted, tmp_path / "b", EvolveSettings(seed=1))
    c = compose_corpus(anchor, accepted, tmp_path / "c", EvolveSettings(seed=2))
    assert a.parts["trajectories"].ids == b.parts["trajectories"].ids
    assert a.parts["trajectories"].ids != c.parts["trajectories"].ids
    assert a.files == b.files


def test_a_short_part_is_used_whole_and_the_anchor_is_never_cut(tmp_path, example_factory):
    anchor = [example_factory(i) for i in range(30)]
    manifest = compose_corpus(
        anchor, [example_factory(99, synthetic=True)], tmp_path, EvolveSettings()
    )
    assert manifest.parts["anchor"].used == 30
    assert manifest.parts["trajectories"].wanted == 15 and manifest.parts["trajectories"].used == 1
    assert manifest.parts["negatives"].used == 0


def test_no_anchor_is_an_error(tmp_path, example_factory):
    with pytest.raises(ComposeError, match="anchor"):
        compose_corpus([], [example_factory(1)], tmp_path, EvolveSettings())
