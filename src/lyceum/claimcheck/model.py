"""The trained verifier at inference: a passage cut into candidate spans (each sentence, and
each pair of adjacent sentences), every candidate scored against the claim in one batch by
the cross-encoder in `verifier_model/` (with a LoRA adapter from `verifier_adapter/` merged
in, when one is shipped), probabilities calibrated by its fitted temperature,
and the most decisive candidate picked. `faithfulness.FaithfulnessScorer` builds on this.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from lyceum.errors import MissingDependencyError, NotFoundError
from lyceum.llm.backends.openmp_team import run_with_own_team

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

Verdict = Literal["supported", "contradicted", "not_enough_info"]
VERDICTS: tuple[Verdict, ...] = ("supported", "contradicted", "not_enough_info")
WINDOW_MARGIN = 0.1
ADAPTER_CONFIG_FILE = "adapter.json"


def verifier_model_dir() -> Path:
    """The shipped verifier, loadable as `sentence_transformers.CrossEncoder(dir)`."""
    return Path(__file__).parent / "verifier_model"


def verifier_adapter_dir() -> Path:
    """The shipped LoRA adapter over `verifier_model_dir()` (see `claimcheck_training.lora`)."""
    return Path(__file__).parent / "verifier_adapter"


class Probabilities(BaseModel):
    model_config = ConfigDict(frozen=True)

    supported: float
    contradicted: float
    not_enough_info: float

    @classmethod
    def from_array(cls, values: Sequence[float] | np.ndarray) -> Probabilities:
        return cls(**{label: round(float(v), 6) for label, v in zip(VERDICTS, values, strict=True)})

    def as_array(self) -> np.ndarray:
        return np.array([self.supported, self.contradicted, self.not_enough_info])

    @property
    def verdict(self) -> Verdict:
        return VERDICTS[int(self.as_array().argmax())]


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")
_ABBREVIATION = re.compile(
    # Titles, works' numbers ("Symphony No. 5 in C minor, Op. 67, is …": a trial report
    # printed "67, is a symphony …" as a sentence), months, places' abbreviations, "viz."
    # (a trial report printed "Sundarbans West, Sundarbans South, …" as a sentence).
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs|etc|No|Nos|Op|Opp|Vol|Vols|pp|Fig|Eq|al|e\.g|i\.e|"
    r"U\.S|Inc|Ltd|Co|Bros|c|ca|fl|cf|approx|Gen|Lt|Col|Capt|Sgt|Gov|Sen|Rev|Hon|Mt|Ft|"
    r"Jan|Feb|Apr|Aug|Sept|Oct|Nov|Dec|viz)"
    r"|\b[A-Z])\.$"
)


# A capital letter after a common noun is a name's last letter, not an initial:
# "... penicillin G and penicillin V. Penicillins were ...", "vitamin D. It ...". After a
# function word or a name it stays an initial ("by J. Smith", "John F. Kennedy").
_LETTER_NAME = re.compile(r"\b(?P<word>[a-z][a-z-]+)\s+[A-Z]\.$")
_BEFORE_INITIAL = re.compile(
    r"by|and|of|to|with|from|as|in|on|at|for|or|nor|the|an?|de|von|van|der|le|la|du|di|da|dos|"
    r"del|y"
)


# Another initial next: "his father G. P. Sippy" is a run of initials whatever precedes it.
_NEXT_INITIAL = re.compile(r"[A-Z]\.(?:\s|$)")


def _abbreviation(piece: str, following: str = "") -> bool:
    """Whether `piece` ends on an abbreviation or an initial, not a sentence (`following`:
    the text after it)."""
    if not _ABBREVIATION.search(piece):
        return False
    letter = _LETTER_NAME.search(piece)
    return (
        letter is None
        or _BEFORE_INITIAL.fullmatch(letter.group("word")) is not None
        or _NEXT_INITIAL.match(following) is not None
    )


def split_sentences(passage: str) -> list[Span]:
    """Sentences with character offsets; common abbreviations and initials do not end one."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(passage):
        end = match.start() + 1 if passage[match.start()] in ".!?" else match.start()
        piece = passage[start:end].rstrip()
        if _abbreviation(piece, passage[match.end() : match.end() + 3]):
            continue
        if piece.strip():
            offset = start + len(passage[start:end]) - len(passage[start:end].lstrip())
            spans.append(Span(text=piece.strip(), start=offset, end=start + len(piece)))
        start = match.end()
    tail = passage[start:]
    if tail.strip():
        offset = start + len(tail) - len(tail.lstrip())
        spans.append(Span(text=tail.strip(), start=offset, end=len(passage.rstrip())))
    return spans


def candidate_spans(passage: str) -> list[Span]:
    """Each sentence, then each pair of adjacent sentences."""
    sentences = split_sentences(passage)
    windows = [
        Span(text=passage[a.start : b.end], start=a.start, end=b.end)
        for a, b in pairwise(sentences)
    ]
    return sentences + windows


class ClaimModel:
    """The trained cross-encoder with its fitted temperature; loads lazily on first use.

    `adapter_dir` is a LoRA adapter (`claimcheck_training.lora`) merged into the model at load time,
    and its temperature replaces the model's. By default the shipped adapter is used with
    the shipped model, and none with a `model_dir` of your own; `adapter_dir=False` never
    uses one."""

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        adapter_dir: Path | bool | None = None,
        batch_size: int = 32,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir else verifier_model_dir()
        self.adapter_dir: Path | None = None
        if isinstance(adapter_dir, Path):
            self.adapter_dir = Path(adapter_dir)
        elif adapter_dir is None and model_dir is None:
            shipped = verifier_adapter_dir()
            self.adapter_dir = shipped if (shipped / ADAPTER_CONFIG_FILE).is_file() else None
        config_path = self.model_dir / "verifier.json"
        if not config_path.is_file():
            raise NotFoundError(
                f"no verifier model in {self.model_dir} (missing verifier.json)",
                hint="Train one with: python -m lyceum.claimcheck_training.train --out DIR",
            )
        config = json.loads(config_path.read_text())
        if tuple(config["labels"]) != VERDICTS:
            raise NotFoundError(f"{config_path} has labels {config['labels']}, not {VERDICTS}")
        self.temperature = float(config["temperature"])
        self.max_length = int(config["max_length"])
        if self.adapter_dir is not None:
            adapter_config = self.adapter_dir / ADAPTER_CONFIG_FILE
            if not adapter_config.is_file():
                raise NotFoundError(
                    f"no verifier adapter in {self.adapter_dir} (missing {ADAPTER_CONFIG_FILE})",
                    hint="Train one with: python -m lyceum.claimcheck_training.lora --out DIR",
                )
            self.temperature = float(json.loads(adapter_config.read_text())["temperature"])
        self.batch_size = batch_size
        self._model: CrossEncoder | None = None
        self._lock = threading.Lock()

    def _load(self) -> CrossEncoder:
        if self._model is None:
            try:
                import torch
                from sentence_transformers import CrossEncoder
            except ImportError as exc:
                raise MissingDependencyError(
                    "sentence-transformers", "embed", "The faithfulness verifier"
                ) from exc
            # Weights are stored in fp16 to halve the repo size; CPUs compute in fp32.
            model = CrossEncoder(
                str(self.model_dir),
                device="cpu",
                max_length=self.max_length,
                local_files_only=True,
                model_kwargs={"dtype": torch.float32},
            )
            if self.adapter_dir is not None:
                _merge_adapter(model, self.adapter_dir)
            self._model = model
        return self._model

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Calibrated (claim, evidence) probabilities, shape (n, 3) in `VERDICTS` order."""
        if not pairs:
            return np.zeros((0, len(VERDICTS)))
        with self._lock:
            # Loading merges the adapter with torch ops too: both on the call's own team.
            logits = run_with_own_team(self._predict, list(pairs))
        z = np.asarray(logits, dtype=np.float64).reshape(len(pairs), len(VERDICTS))
        z = z / self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def _predict(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        model = self._load()
        return model.predict(pairs, batch_size=self.batch_size, show_progress_bar=False)

    def check_many(
        self,
        items: Sequence[tuple[str, str]],
        *,
        title: str | None = None,
        titles: Sequence[str | None] | None = None,
    ) -> list[tuple[Probabilities, Span]]:
        """Per (claim, passage): the passage's probabilities and the span they rest on.
        `titles` gives one title per item; `title` one for all."""
        prefixes = [f"{t}: " if t else "" for t in per_pair_titles(len(items), title, titles)]
        spans_per_item = [candidate_spans(passage) for _, passage in items]
        flat = [
            (claim, prefix + span.text)
            for (claim, _), spans, prefix in zip(items, spans_per_item, prefixes, strict=True)
            for span in spans
        ]
        probs = self.probabilities(flat)
        results: list[tuple[Probabilities, Span]] = []
        offset = 0
        for (_, passage), spans in zip(items, spans_per_item, strict=True):
            if not spans:
                results.append(
                    (Probabilities.from_array([0.0, 0.0, 1.0]), Span(text="", start=0, end=0))
                )
                continue
            block = probs[offset : offset + len(spans)]
            offset += len(spans)
            results.append(_pick(block, spans, n_sentences=len(split_sentences(passage))))
        return results


def _merge_adapter(model: CrossEncoder, adapter_dir: Path) -> None:
    """Fold a peft LoRA adapter (`save_pretrained` output) and its trained classifier head
    into `model`'s own weights: W += (alpha / r) * B @ A. Done here rather than with peft so
    inference needs no training dependency and runs the plain network at its own speed."""
    import torch
    from safetensors.torch import load_file

    config = json.loads((adapter_dir / "adapter_config.json").read_text())
    if config.get("use_dora") or config.get("rank_pattern") or config.get("alpha_pattern"):
        raise NotFoundError(f"{adapter_dir} is not a plain LoRA adapter this loader can merge")
    rank = int(config["r"])
    alpha = float(config["lora_alpha"])
    scaling = alpha / rank**0.5 if config.get("use_rslora") else alpha / rank
    state = load_file(str(adapter_dir / "adapter_model.safetensors"))
    net = model.transformers_model
    prefix = "base_model.model."
    with torch.no_grad():
        for key, tensor in state.items():
            name = key.removeprefix(prefix)
            if name.endswith(".lora_B.weight"):
                continue
            if name.endswith(".lora_A.weight"):
                module = net.get_submodule(name.removesuffix(".lora_A.weight"))
                b = state[key.replace(".lora_A.", ".lora_B.")]
                module.weight += scaling * (b.float() @ tensor.float()).to(module.weight.dtype)
            else:  # a module trained in full (modules_to_save): the classifier head
                net.get_parameter(name.replace(".modules_to_save.", ".")).copy_(tensor)


def per_pair_titles(
    n: int, title: str | None, titles: Sequence[str | None] | None
) -> list[str | None]:
    """One title per pair, from either one `title` for all or a `titles` list."""
    if titles is None:
        return [title] * n
    if title is not None:
        raise ValueError("pass either title (one for all pairs) or titles (one per pair)")
    if len(titles) != n:
        raise ValueError(f"got {len(titles)} titles for {n} pairs")
    return list(titles)


def _pick(block: np.ndarray, spans: list[Span], n_sentences: int) -> tuple[Probabilities, Span]:
    decisive = block[:, : VERDICTS.index("not_enough_info")].max(axis=1)
    best_single = int(decisive[:n_sentences].argmax())
    best = best_single
    if len(spans) > n_sentences:
        best_window = n_sentences + int(decisive[n_sentences:].argmax())
        if decisive[best_window] > decisive[best_single] + WINDOW_MARGIN:
            best = best_window
    return Probabilities.from_array(block[best]), spans[best]
