from __future__ import annotations

import json

import pytest

from lyceum.config import load_settings
from lyceum.errors import ConfigError
from lyceum.evolve import loop, production_prompt, with_production_prompt
from lyceum.evolve.compose import compose_corpus
from lyceum.evolve.registry import Registry
from lyceum.evolve.settings import EvolveSettings
from lyceum.evolve.versions import register_trained_model, training_data_depth
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import Message
from lyceum.train.trainer import TrainResult


@pytest.fixture
def settings(workspace):
    return load_settings(workspace)


@pytest.fixture
def registry(settings):
    return Registry(loop.database(settings))


def trained(tmp_path) -> TrainResult:
    return TrainResult(
        steps=12, losses=[2.0, 1.5], first_loss=2.0, last_loss=1.5,
        adapter_dir=str(tmp_path / "run" / "adapter"),
    )  # fmt: skip


def test_composed_rows_carry_their_depth_and_the_deepest_one_is_the_data_depth(
    tmp_path, example_factory
):
    anchor = [example_factory(i) for i in range(6)]
    accepted = [example_factory(100 + i, synthetic=True, depth=2 if i == 0 else 1) for i in range(3)]  # fmt: skip
    compose_corpus(anchor, accepted, tmp_path / "corpus", EvolveSettings())
    rows = [json.loads(line) for line in (tmp_path / "corpus" / "sft.jsonl").open()]
    assert {r["generation_depth"] for r in rows if r["part"] == "anchor"} == {0}
    assert training_data_depth(tmp_path / "corpus" / "sft.jsonl") == 2


def test_rows_without_a_depth_count_as_model_output_and_bad_depths_are_named(tmp_path):
    path = tmp_path / "sft.jsonl"
    path.write_text(json.dumps({"instruction": "a", "output": "b", "generation_depth": 0}) + "\n"
                    + json.dumps({"instruction": "c", "output": "d"}) + "\n")  # fmt: skip
    assert training_data_depth(path) == 1
    path.write_text(json.dumps({"instruction": "a", "output": "b", "generation_depth": "x"}) + "\n")
    with pytest.raises(ConfigError, match="line 1: generation_depth"):
        training_data_depth(path)


def test_a_trained_adapter_is_a_model_candidate_whose_promotion_deepens_the_harvest(
    tmp_path, registry
):
    data = tmp_path / "sft.jsonl"
    data.write_text(json.dumps({"instruction": "a", "output": "b", "generation_depth": 1}) + "\n")
    assert loop.harvest_depth(registry) == 1
    version = register_trained_model(
        registry, trained(tmp_path), data, training_kind="sft", base_model="base", route="tuned"
    )
    assert version.kind == "model" and version.status == "candidate"
    assert version.payload == {
        "adapter": str(tmp_path / "run" / "adapter"), "base_model": "base",
        "training_kind": "sft", "training_data": str(data), "trained_on_depth": 1,
        "route": "tuned",
    }  # fmt: skip
    assert version.metrics == {
        "train_steps": 12, "train_first_loss": 2.0, "train_last_loss": 1.5, "train_seconds": 0.0,
        "train_seconds_per_step": 0.0, "train_peak_rss_mb": 0.0, "train_device": "cpu",
    }  # fmt: skip
    assert registry.transitions("model")[-1].reason == "trained (sft) on sft.jsonl, data depth 1"
    registry.promote(version.id, reason="won")
    assert loop.harvest_depth(registry) == 2


async def test_features_pick_up_the_production_prompt_and_its_rollback(settings, registry):
    backend = ScriptedBackend(["ok"] * 3)
    assert production_prompt(settings) is None
    assert with_production_prompt(backend, settings) is backend
    first = registry.register("prompt", {"addendum": "- Cite sources."})
    second = registry.register("prompt", {"addendum": "- Answer briefly."})
    registry.promote(first.id, reason="won")
    registry.promote(second.id, reason="won")
    assert production_prompt(settings) == "- Answer briefly."
    model = with_production_prompt(backend, settings)
    await model.generate([Message.system("You are Lyceum."), Message.user("Hi")])
    assert backend.history[-1].messages[0].content == "You are Lyceum.\n\n- Answer briefly."
    registry.rollback("prompt", reason="worse")
    assert production_prompt(settings) == "- Cite sources."
    await with_production_prompt(backend, settings).generate([Message.user("Hi")])
    assert backend.history[-1].messages[0].content == "- Cite sources."
