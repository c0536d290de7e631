"""LoRA training of the embedded models themselves on the CPU, from their GGUF files:
trained, exported as GGUF adapters, served by the embedded llama.cpp backend.

The CI set trains SmolLM2-135M for two steps; the slow set does the same on the default
Qwen2.5-Coder-0.5B, checks resuming, and that the exported adapter reproduces the PEFT
model's greedy answers in llama.cpp."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.backends.local_adapters import AdapterBackend
from lyceum.llm.types import GenerateParams, Message
from lyceum.progress import ProgressEvent
from lyceum.train import DPOSpec, SFTSpec, train_dpo, train_sft
from lyceum.train.base_models import dequantised_folder, load_base_model, resolve_base_model

SMOL = "smollm2-135m-instruct"
QWEN = "qwen2.5-coder-0.5b-instruct"
# small enough for two steps in well under a minute on one busy core
QUICK = {"max_steps": 2, "grad_accum": 1, "max_length": 64, "rank": 8, "save_steps": 1}


@pytest.fixture
def sft_file(tmp_path):
    rows = [{"instruction": f"What is the code of box {i}?", "output": f"Box {i}: ZEBRA-{i}."}
            for i in range(6)]  # fmt: skip
    path = tmp_path / "sft.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def dpo_file(tmp_path):
    rows = [{"prompt": f"What is the code of box {i}?", "chosen": f"Box {i}: ZEBRA-{i}.",
             "rejected": "I cannot know that."} for i in range(6)]  # fmt: skip
    path = tmp_path / "dpo.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def needs(embedded_model, name: str) -> None:
    pytest.importorskip("trl")
    pytest.importorskip("gguf")
    embedded_model(name)


def served_answer(base: str, adapter: str | None, question: str) -> str:
    async def go() -> str:
        backend = AdapterBackend(
            "trained", LocalBackendConfig(model=base, n_ctx=512), adapters=[adapter] if adapter
            else [], active=adapter,
        )  # fmt: skip
        try:
            params = GenerateParams(max_tokens=16, temperature=0.0)
            return (await backend.generate([Message.user(question)], params)).text
        finally:
            await backend.aclose()

    return asyncio.run(go())


def check_trained_and_served(result, base: str, out: Path) -> None:
    assert result.device == "cpu" and result.steps == 2 and len(result.losses) == 2
    assert result.estimate is not None and result.estimate.steps == 2
    assert result.seconds_per_step > 0 and result.peak_rss_mb > 100
    assert (
        result.adapter_gguf == str(out / "adapter.gguf")
        and Path(result.adapter_gguf).stat().st_size
    )
    answer = served_answer(base, result.adapter_gguf, "What is the code of box 2?")
    assert answer.strip()


def test_sft_of_smollm2_from_its_gguf_is_exported_and_served(embedded_model, sft_file, tmp_path):
    needs(embedded_model, SMOL)
    out = tmp_path / "sft"
    events: list[ProgressEvent] = []
    result = train_sft(SFTSpec(base_model=SMOL, **QUICK), sft_file, out, progress=events.append)
    check_trained_and_served(result, SMOL, out)
    assert events[0].kind == "note" and events[0].message.startswith("estimate: 2 steps x")
    assert events[1].kind == "start" and events[1].total == 2
    steps = [e.message for e in events if e.kind == "advance"]
    assert steps[-1].startswith("step 2/2") and "ETA" in steps[-1]
    assert (out / "checkpoint-1").is_dir()
    # the dequantised base is kept, so the next run does not parse the GGUF again
    base = resolve_base_model(SMOL)
    assert (dequantised_folder(base.gguf_path) / "COMPLETE").is_file()
    again, _ = load_base_model(base)
    assert again.config.model_type == "llama" and getattr(again, "hf_quantizer", None) is None


def test_dpo_of_smollm2_from_its_gguf_is_exported_and_served(embedded_model, dpo_file, tmp_path):
    needs(embedded_model, SMOL)
    out = tmp_path / "dpo"
    result = train_dpo(DPOSpec(base_model=SMOL, **QUICK), dpo_file, out, progress=lambda _: None)
    check_trained_and_served(result, SMOL, out)


@pytest.mark.slow
def test_sft_and_dpo_of_qwen_from_its_gguf_are_exported_and_served(
    embedded_model, sft_file, dpo_file, tmp_path
):
    needs(embedded_model, QWEN)
    sft = train_sft(SFTSpec(base_model=QWEN, **QUICK), sft_file, tmp_path / "sft")
    check_trained_and_served(sft, QWEN, tmp_path / "sft")
    dpo = train_dpo(DPOSpec(base_model=QWEN, **QUICK), dpo_file, tmp_path / "dpo")
    check_trained_and_served(dpo, QWEN, tmp_path / "dpo")


@pytest.mark.slow
def test_a_killed_cpu_run_resumes_from_its_last_checkpoint(embedded_model, sft_file, tmp_path):
    needs(embedded_model, SMOL)
    out = tmp_path / "sft"
    train_sft(SFTSpec(base_model=SMOL, **QUICK), sft_file, out, progress=lambda _: None)
    shutil.rmtree(out / "checkpoint-2")
    resumed = train_sft(SFTSpec(base_model=SMOL, **QUICK), sft_file, out, progress=lambda _: None)
    assert resumed.resumed_from is not None and resumed.resumed_from.endswith("checkpoint-1")
    assert resumed.steps == 2 and resumed.estimate is not None and resumed.estimate.steps == 1


@pytest.mark.slow
def test_llama_cpp_with_the_exported_adapter_reproduces_the_peft_model(embedded_model, tmp_path):
    """A random, strong adapter (so the answers certainly change) on q/k/v/o: llama.cpp with
    its GGUF export answers as transformers + PEFT does, and differently from the base."""
    needs(embedded_model, SMOL)
    import torch
    from peft import LoraConfig, get_peft_model

    from lyceum.train.base_models import load_base_model, resolve_base_model
    from lyceum.train.gguf_lora import base_shape_from_gguf, export_lora_gguf
    from lyceum.train.parity import adapter_parity

    torch.manual_seed(0)
    base = resolve_base_model(SMOL)
    model, tokenizer = load_base_model(base)
    config = LoraConfig(r=8, lora_alpha=16, init_lora_weights=False,
                        target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])  # fmt: skip
    peft_model = get_peft_model(model, config)
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:
                param.mul_(0.3)
    peft_model.save_pretrained(tmp_path / "adapter")
    gguf_path = export_lora_gguf(
        tmp_path / "adapter", base_shape_from_gguf(base.gguf_path), tmp_path / "a.gguf"
    )
    report = adapter_parity(peft_model, tokenizer, SMOL, gguf_path,
                            ["Name a planet.", "What is 12+30?"])  # fmt: skip
    assert all(p.adapter_changed_hf and p.adapter_changed_llama for p in report.prompts)
    assert report.mean_agreement_adapter >= 0.5
