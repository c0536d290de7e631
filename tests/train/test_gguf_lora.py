"""The GGUF LoRA export: llama.cpp's adapter layout, names from gguf's map, q/k rows
permuted for the llama architecture only. (Served-output parity with the trained adapter
is measured by benchmarks/evolve_training.py and the CPU training tests.)"""

from __future__ import annotations

import json

import numpy as np
import pytest

from lyceum.errors import ConfigError
from lyceum.train.gguf_lora import BaseShape, export_lora_gguf

gguf = pytest.importorskip("gguf")
safetensors_numpy = pytest.importorskip("safetensors.numpy")

HEAD_DIM = 4
N_HEAD = 2
RANK = 2


def write_adapter(folder, extra=None):
    folder.mkdir(parents=True, exist_ok=True)
    rows = N_HEAD * HEAD_DIM
    b_rows = np.repeat(np.arange(rows, dtype=np.float32)[:, None], RANK, axis=1)
    tensors = {}
    for proj in ("q_proj", "v_proj"):
        prefix = f"base_model.model.model.layers.0.self_attn.{proj}"
        tensors[f"{prefix}.lora_A.weight"] = np.ones((RANK, 8), dtype=np.float32)
        tensors[f"{prefix}.lora_B.weight"] = b_rows.copy()
    tensors.update(extra or {})
    safetensors_numpy.save_file(tensors, str(folder / "adapter_model.safetensors"))
    (folder / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "lora_alpha": 16}))
    return folder


def read(path):
    reader = gguf.GGUFReader(str(path))
    fields = {k: reader.get_field(k).contents() for k in reader.fields if not k.startswith("GGUF.")}
    tensors = {t.name: np.array(t.data) for t in reader.tensors}
    return fields, tensors


def test_export_writes_llama_cpp_adapter_metadata_and_named_pairs(tmp_path):
    adapter = write_adapter(tmp_path / "adapter")
    out = export_lora_gguf(adapter, BaseShape("qwen2", 1, N_HEAD, N_HEAD), tmp_path / "a.gguf")
    fields, tensors = read(out)
    assert fields["general.architecture"] == "qwen2"
    assert fields["general.type"] == "adapter"
    assert fields["adapter.type"] == "lora"
    assert fields["adapter.lora.alpha"] == 16.0
    assert sorted(tensors) == [
        "blk.0.attn_q.weight.lora_a", "blk.0.attn_q.weight.lora_b",
        "blk.0.attn_v.weight.lora_a", "blk.0.attn_v.weight.lora_b",
    ]  # fmt: skip
    assert tensors["blk.0.attn_q.weight.lora_a"].shape == (RANK, 8)
    assert tensors["blk.0.attn_q.weight.lora_b"].shape == (N_HEAD * HEAD_DIM, RANK)
    # qwen2 keeps Hugging Face row order
    assert tensors["blk.0.attn_q.weight.lora_b"][:, 0].tolist() == list(range(8))


def test_llama_q_rows_are_interleaved_per_head_as_llama_cpp_stores_them(tmp_path):
    adapter = write_adapter(tmp_path / "adapter")
    out = export_lora_gguf(adapter, BaseShape("llama", 1, N_HEAD, N_HEAD), tmp_path / "a.gguf")
    _, tensors = read(out)
    # within each head the two rotary halves are interleaved: rows 0,2,1,3 | 4,6,5,7
    assert tensors["blk.0.attn_q.weight.lora_b"][:, 0].tolist() == [0, 2, 1, 3, 4, 6, 5, 7]
    assert tensors["blk.0.attn_v.weight.lora_b"][:, 0].tolist() == list(range(8))


def test_an_adapter_with_trained_embeddings_is_refused(tmp_path):
    extra = {"base_model.model.model.embed_tokens.weight": np.zeros((4, 8), dtype=np.float32)}
    adapter = write_adapter(tmp_path / "adapter", extra)
    with pytest.raises(ConfigError, match="not a LoRA matrix"):
        export_lora_gguf(adapter, BaseShape("llama", 1, N_HEAD, N_HEAD), tmp_path / "a.gguf")
