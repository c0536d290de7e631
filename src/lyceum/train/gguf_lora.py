"""A PEFT LoRA adapter written as a GGUF LoRA adapter that llama.cpp loads beside its base.

The file follows llama.cpp's own converter (`convert_lora_to_gguf.py`): `general.type` is
`adapter`, `adapter.type` is `lora`, `adapter.lora.alpha` carries PEFT's alpha (llama.cpp
scales by alpha / rank, as PEFT does), and every adapted matrix `W` of the base becomes
two float32 tensors named after the base tensor, `<name>.lora_a` (rank x in) and
`<name>.lora_b` (out x rank), the names coming from the `gguf` package's tensor-name map.

llama.cpp stores the llama architecture's q and k projections with their rows permuted
(for its rotary embedding layout) and transformers undoes that when it reads the GGUF, so
the adapter's q/k `B` matrices (whose rows are those output rows) get the same permutation
here. Qwen2 has no such permutation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lyceum.errors import ConfigError, MissingDependencyError, NotFoundError

PERMUTED_ARCHS = {"llama"}
"""Architectures whose q/k rows llama.cpp's converter permutes."""


@dataclass(frozen=True)
class BaseShape:
    """What the exporter needs to know about the base: its llama.cpp architecture name,
    block count and attention head counts."""

    arch: str
    n_blocks: int
    n_head: int
    n_head_kv: int


def _gguf() -> Any:
    try:
        import gguf
    except ImportError:
        raise MissingDependencyError("gguf", "train", "Exporting an adapter to GGUF") from None
    return gguf


def _field(reader: Any, key: str) -> Any:
    field = reader.get_field(key)
    if field is None:
        raise ConfigError(f"the base GGUF has no {key!r}", hint="Is it a complete model file?")
    return field.contents()


def base_shape_from_gguf(path: Path) -> BaseShape:
    """The base's shape read from its GGUF header."""
    reader = _gguf().GGUFReader(str(path))
    arch = str(_field(reader, "general.architecture"))
    return BaseShape(
        arch=arch,
        n_blocks=int(_field(reader, f"{arch}.block_count")),
        n_head=int(_field(reader, f"{arch}.attention.head_count")),
        n_head_kv=int(_field(reader, f"{arch}.attention.head_count_kv")),
    )


HF_TO_GGUF_ARCH = {"llama": "llama", "qwen2": "qwen2"}


def base_shape_from_hf(folder: Path) -> BaseShape:
    """The base's shape from a Hugging Face folder's config.json (llama and qwen2)."""
    config = json.loads((folder / "config.json").read_text())
    model_type = str(config.get("model_type", ""))
    if model_type not in HF_TO_GGUF_ARCH:
        raise ConfigError(
            f"exporting a {model_type or 'unknown'} adapter to GGUF is not supported",
            hint=f"Supported: {', '.join(sorted(HF_TO_GGUF_ARCH))}.",
        )
    n_head = int(config["num_attention_heads"])
    return BaseShape(
        arch=HF_TO_GGUF_ARCH[model_type],
        n_blocks=int(config["num_hidden_layers"]),
        n_head=n_head,
        n_head_kv=int(config.get("num_key_value_heads", n_head)),
    )


def _permute_rows(b: Any, n_head: int) -> Any:
    """convert_hf_to_gguf's llama q/k permutation, applied to the rows of `b`."""
    rows = b.shape[0]
    return b.reshape(n_head, 2, rows // n_head // 2, *b.shape[1:]).swapaxes(1, 2).reshape(b.shape)


def _base_tensor_name(peft_name: str) -> str:
    name = peft_name.replace("base_model.model.", "", 1)
    return name.replace(".lora_A.weight", ".weight").replace(".lora_B.weight", ".weight")


def export_lora_gguf(adapter_dir: Path, shape: BaseShape, out_path: Path) -> Path:
    """Write the PEFT adapter in `adapter_dir` as a GGUF LoRA adapter at `out_path`."""
    gguf = _gguf()
    from safetensors.numpy import load_file

    config_path = adapter_dir / "adapter_config.json"
    weights_path = adapter_dir / "adapter_model.safetensors"
    if not config_path.exists() or not weights_path.exists():
        raise NotFoundError(f"{adapter_dir} holds no PEFT adapter (adapter_config.json + "
                            "adapter_model.safetensors)")  # fmt: skip
    config = json.loads(config_path.read_text())
    if config.get("peft_type") != "LORA":
        raise ConfigError(f"{adapter_dir} is a {config.get('peft_type')} adapter, not LoRA")
    tensors = load_file(str(weights_path))
    arch = {v: k for k, v in gguf.MODEL_ARCH_NAMES.items()}.get(shape.arch)
    if arch is None:
        raise ConfigError(f"gguf does not know the architecture {shape.arch!r}")
    names = gguf.get_tensor_name_map(arch, shape.n_blocks)

    pairs: dict[str, dict[str, Any]] = {}
    for name, value in tensors.items():
        if ".lora_A." not in name and ".lora_B." not in name:
            raise ConfigError(
                f"{adapter_dir} holds {name}, which is not a LoRA matrix",
                hint="Only LoRA A/B matrices of linear layers can be exported (no "
                "modules_to_save, no embedding adapters).",
            )
        part = "A" if ".lora_A." in name else "B"
        pairs.setdefault(_base_tensor_name(name), {})[part] = value

    writer = gguf.GGUFWriter(str(out_path), shape.arch)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(config["lora_alpha"]))
    for hf_name, pair in sorted(pairs.items()):
        if set(pair) != {"A", "B"}:
            raise ConfigError(f"{adapter_dir}: {hf_name} lacks its LoRA A or B matrix")
        target = names.get_name(hf_name, try_suffixes=(".weight",))
        if target is None:
            raise ConfigError(f"no GGUF tensor for {hf_name} in the {shape.arch} map")
        a, b = pair["A"].astype("float32"), pair["B"].astype("float32")
        if shape.arch in PERMUTED_ARCHS and hf_name.endswith("q_proj.weight"):
            b = _permute_rows(b, shape.n_head)
        elif shape.arch in PERMUTED_ARCHS and hf_name.endswith("k_proj.weight"):
            b = _permute_rows(b, shape.n_head_kv)
        writer.add_tensor(f"{target}.lora_a", a)
        writer.add_tensor(f"{target}.lora_b", b)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out_path
