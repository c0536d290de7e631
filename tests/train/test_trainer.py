from __future__ import annotations

import json
import shutil
import sys

import pytest

from lyceum.errors import ConfigError, MissingDependencyError, NotFoundError
from lyceum.train import DPOSpec, SFTSpec, TrainingUnavailableError, has_gpu, train_sft
from lyceum.train import trainer as trainer_module
from lyceum.train.trainer import train_dpo


def needs_training_libraries() -> None:
    pytest.importorskip("trl")
    pytest.importorskip("peft")


WORDS = ["alpha", "beta", "gamma", "delta"]


@pytest.fixture
def sft_file(tmp_path):
    rows = [
        {"instruction": f"Say word {i % 4}.", "input": "", "output": WORDS[i % 4]} for i in range(8)
    ]
    path = tmp_path / "sft.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.slow
def test_cpu_smoke_sft_lowers_the_loss_and_resumes_from_a_checkpoint(sft_file, tmp_path):
    needs_training_libraries()
    out = tmp_path / "run"
    first = train_sft(SFTSpec(), sft_file, out, cpu_smoke=True)
    assert first.steps == 12 and len(first.losses) == 12
    assert first.last_loss < first.first_loss
    assert sum(first.losses[-3:]) < sum(first.losses[:3])
    assert (out / "adapter" / "adapter_config.json").exists()
    shutil.rmtree(out / "checkpoint-12")
    resumed = train_sft(SFTSpec(), sft_file, out, cpu_smoke=True)
    assert resumed.resumed_from is not None and resumed.resumed_from.endswith("checkpoint-6")
    assert resumed.steps == 12


@pytest.mark.slow
def test_cpu_smoke_dpo_lowers_the_loss(tmp_path):
    needs_training_libraries()
    rows = [
        {"prompt": f"Say word {i % 4}.", "chosen": WORDS[i % 4], "rejected": "no"} for i in range(8)
    ]
    path = tmp_path / "dpo.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = train_dpo(DPOSpec(), path, tmp_path / "dpo", cpu_smoke=True)
    assert result.last_loss < result.first_loss


def test_qlora_without_a_gpu_stops_before_loading_anything(sft_file, tmp_path, monkeypatch):
    monkeypatch.setattr(trainer_module, "has_gpu", lambda: False)
    with pytest.raises(TrainingUnavailableError):
        train_sft(SFTSpec(base_model="some/model", qlora=True), sft_file, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_an_unknown_base_model_is_named_with_the_catalogue(sft_file, tmp_path):
    needs_training_libraries()
    with pytest.raises(NotFoundError, match="no base model") as caught:
        train_sft(SFTSpec(base_model=str(tmp_path / "nothing")), sft_file, tmp_path / "x")
    assert "smollm2-135m-instruct" in caught.value.hint


def test_a_training_file_missing_fields_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"instruction": "x"}) + "\n")
    with pytest.raises(ConfigError, match=r"line 1 lacks \['output'\]"):
        train_sft(SFTSpec(), path, tmp_path / "o", cpu_smoke=True)


@pytest.fixture
def without_training_libraries(monkeypatch):
    """Imports of trl, peft and datasets fail, as without the train extra."""
    for name in ("trl", "peft", "datasets"):
        monkeypatch.setitem(sys.modules, name, None)


def test_a_bad_training_file_is_named_even_without_the_train_extra(
    without_training_libraries, tmp_path
):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"prompt": "p", "chosen": "c"}) + "\n" + "not json\n")
    with pytest.raises(ConfigError, match=r"bad.jsonl:2: invalid JSON"):
        train_dpo(DPOSpec(), path, tmp_path / "o", cpu_smoke=True)
    path.write_text(json.dumps({"prompt": "p", "chosen": "c"}) + "\n")
    with pytest.raises(ConfigError, match=r"line 1 lacks \['rejected'\]"):
        train_dpo(DPOSpec(), path, tmp_path / "o", cpu_smoke=True)


def test_a_good_file_without_the_train_extra_names_the_extra(
    without_training_libraries, sft_file, tmp_path
):
    with pytest.raises(MissingDependencyError) as caught:
        train_sft(SFTSpec(), sft_file, tmp_path / "o", cpu_smoke=True)
    assert "lyceum[train]" in caught.value.hint


def test_without_torch_there_is_no_gpu(monkeypatch):
    real_find_spec = trainer_module.importlib.util.find_spec

    def find_spec(name, *args):
        return None if name == "torch" else real_find_spec(name, *args)

    monkeypatch.setattr(trainer_module.importlib.util, "find_spec", find_spec)
    assert has_gpu() is False


def test_qlora_without_bitsandbytes_says_to_install_bitsandbytes(monkeypatch, tmp_path):
    pytest.importorskip("transformers")
    monkeypatch.setitem(sys.modules, "bitsandbytes", None)
    spec = SFTSpec(base_model=str(tmp_path / "base"), qlora=True)
    with pytest.raises(MissingDependencyError) as caught:
        trainer_module._model_and_tokenizer(spec, tmp_path / "o", cpu_smoke=False)
    assert "pip install bitsandbytes" in caught.value.hint
    assert "lyceum[train]" not in caught.value.hint
