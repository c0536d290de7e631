"""The model a training run adapts: an embedded catalogue model read from its GGUF, or a
Hugging Face folder.

Training the embedded model means training the weights that are served. transformers reads
a GGUF file directly (with the `gguf` package) and dequantises it to float32; for the
llama architecture it also undoes llama.cpp's q/k row permutation, so the model it builds is
the Hugging Face model the GGUF was converted from (up to quantisation error). The adapter
exporter (`gguf_lora`) re-applies that permutation to the adapter's q/k tensors.

Reading a GGUF is slow: transformers parses the file's metadata (the whole vocabulary)
once for the config, once for the tokenizer and once for the weights, which took 45-75 s
for SmolLM2 on the busy 2-core machine, far longer than its training steps. So the first
load saves the dequantised model and its tokenizer as a Hugging Face folder beside the
GGUF (`<models dir>/dequantised/<file>-<size>-<mtime>`, float32, so it is the same model),
and later loads read that folder.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lyceum.errors import ConfigError, MissingDependencyError, NotFoundError
from lyceum.llm.weights import CATALOGUE, resolve_model


@dataclass(frozen=True)
class BaseWeights:
    """Where a base model's weights are: `folder` and, for a GGUF, the file inside it."""

    name: str
    folder: Path
    gguf_file: str | None = None

    @property
    def gguf_path(self) -> Path | None:
        return self.folder / self.gguf_file if self.gguf_file else None

    @property
    def catalogue_name(self) -> str | None:
        return self.name if self.name in CATALOGUE else None


def resolve_base_model(name: str) -> BaseWeights:
    """A catalogue name (`qwen2.5-coder-0.5b-instruct`, `smollm2-135m-instruct`), a `.gguf`
    file, or a Hugging Face model folder; never fetched from a hub here."""
    if not name:
        raise ConfigError(
            "training needs a base model",
            hint=f"Pass --base-model with one of {', '.join(sorted(CATALOGUE))} or a folder.",
        )
    if name in CATALOGUE:
        path = resolve_model(name, fetch=False)
        return BaseWeights(name, path.parent, path.name)
    path = Path(name).expanduser()
    if path.is_file() and path.suffix == ".gguf":
        return BaseWeights(str(path), path.parent, path.name)
    if path.is_dir() and (path / "config.json").exists():
        return BaseWeights(str(path), path)
    raise NotFoundError(
        f"no base model {name!r}",
        hint=f"Use one of {', '.join(sorted(CATALOGUE))}, a .gguf file or a Hugging Face "
        "folder holding config.json.",
    )


def dequantised_folder(gguf_path: Path) -> Path:
    """Where the dequantised copy of `gguf_path` is kept; a changed file gets a new one."""
    stat = gguf_path.stat()
    return gguf_path.parent / "dequantised" / f"{gguf_path.stem}-{stat.st_size}-{stat.st_mtime_ns}"


def _is_complete(folder: Path) -> bool:
    return (folder / "config.json").is_file() and (folder / "COMPLETE").is_file()


def load_base_model(base: BaseWeights, **kwargs: Any) -> tuple[Any, Any]:
    """(model, tokenizer), in float32; a GGUF is dequantised (once: see the module)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf_path = base.gguf_path
    cached = dequantised_folder(gguf_path) if gguf_path is not None else None
    if cached is not None and _is_complete(cached):
        tokenizer = AutoTokenizer.from_pretrained(cached)
        model = AutoModelForCausalLM.from_pretrained(cached, **kwargs)
    else:
        extra: dict[str, Any] = {"gguf_file": base.gguf_file} if base.gguf_file else {}
        if base.gguf_file:
            try:
                import gguf  # noqa: F401
            except ImportError:
                raise MissingDependencyError("gguf", "train", "Training from a GGUF file") from None
        tokenizer = AutoTokenizer.from_pretrained(base.folder, **extra)
        model = AutoModelForCausalLM.from_pretrained(base.folder, **extra, **kwargs)
        if base.gguf_file:
            _forget_gguf_quantisation(model)
            if cached is not None and not kwargs:
                _save_dequantised(model, tokenizer, cached)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def _save_dequantised(model: Any, tokenizer: Any, folder: Path) -> None:
    """Write the copy under a temporary name and rename it, so a kill mid-write leaves
    nothing a later load would take for a model; a failed write only costs the speed-up."""
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (tmp / "COMPLETE").write_text("")
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def _forget_gguf_quantisation(model: Any) -> None:
    """transformers marks a model read from a GGUF as "quantised with GGUF" although its
    weights are now dense float32, and its Trainer then refuses to train it ("GGUF does not
    support training"). The weights are ordinary tensors, so the mark is dropped."""
    quantizer = getattr(model, "hf_quantizer", None)
    if quantizer is not None:
        quantizer.remove_quantization_config(model)
    for module in model.modules():
        config = getattr(module, "config", None)
        if config is not None and getattr(config, "_is_quantized", False):
            config._is_quantized = False
