"""Compose a training corpus: the whole human-curated anchor (never removed) as 60 %,
validated trajectories (accepted SFT examples) as 30 %, negatives (accepted DPO pairs) as
10 % — shares from `[evolve]`. The anchor fixes the size; the other parts are seeded
samples, and a part with too few examples is used whole (the manifest says so).

Rows are written with the data pipeline's format writers: `sft.jsonl` (instruction, input,
output) and `dpo.jsonl` (prompt, chosen, rejected), each row with its `part`,
`generation_depth` and `synthetic`, plus `manifest.json`.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from lyceum.data.formats import FormatConfig, dump_row, format_record
from lyceum.data.records import Record
from lyceum.errors import LyceumError
from lyceum.evolve.examples import CandidateExample
from lyceum.evolve.settings import EvolveSettings


class ComposeError(LyceumError):
    """The corpus cannot be composed (no anchor)."""


class PartManifest(BaseModel):
    wanted: int
    available: int
    used: int
    ids: list[str] = Field(default_factory=list)


class CorpusManifest(BaseModel):
    seed: int
    shares: dict[str, float]
    total: int
    parts: dict[str, PartManifest]
    files: dict[str, str]
    """File name -> sha256 of its bytes."""

    @property
    def actual_shares(self) -> dict[str, float]:
        return {k: (p.used / self.total if self.total else 0.0) for k, p in self.parts.items()}


def _sample(
    items: Sequence[CandidateExample], k: int, seed: int, salt: str
) -> list[CandidateExample]:
    if k >= len(items):
        return list(items)
    rng = random.Random(f"{seed}:{salt}")
    picked = sorted(rng.sample(range(len(items)), k))
    return [items[i] for i in picked]


def _record(ex: CandidateExample) -> Record:
    metadata: dict[str, str | None] = {
        "instruction": ex.instruction,
        "input": ex.input,
        "output": ex.output,
    }
    if ex.kind == "dpo":
        prompt = f"{ex.instruction}\n\n{ex.input}" if ex.input else ex.instruction
        metadata = {"prompt": prompt, "chosen": ex.output, "rejected": ex.rejected}
    return Record(id=ex.id, text=ex.output, metadata=metadata)


def compose_corpus(
    anchor: Sequence[CandidateExample],
    accepted: Sequence[CandidateExample],
    out_dir: Path,
    settings: EvolveSettings,
) -> CorpusManifest:
    if not anchor:
        raise ComposeError(
            "composing a corpus needs a human-curated anchor",
            hint="Set evolve.anchor_path to a batch-format JSONL of curated examples.",
        )
    total = round(len(anchor) / settings.mix_anchor)
    trajectories = [e for e in accepted if e.kind == "sft"]
    negatives = [e for e in accepted if e.kind == "dpo"]
    wanted = {
        "trajectories": round(total * settings.mix_trajectories),
        "negatives": round(total * settings.mix_negatives),
    }
    chosen = {
        "anchor": list(anchor),
        "trajectories": _sample(trajectories, wanted["trajectories"], settings.seed, "traj"),
        "negatives": _sample(negatives, wanted["negatives"], settings.seed, "neg"),
    }
    available = {
        "anchor": len(anchor),
        "trajectories": len(trajectories),
        "negatives": len(negatives),
    }
    wanted["anchor"] = len(anchor)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[str]] = {"sft": [], "dpo": []}
    for part in ("anchor", "trajectories", "negatives"):
        for ex in chosen[part]:
            row = format_record(_record(ex), FormatConfig(kind=ex.kind))
            row["part"] = part
            # Provenance the trainer ignores but the registry reads: a model trained on
            # these rows is `trained_on_depth` = their deepest generation.
            row["generation_depth"] = ex.generation_depth
            row["synthetic"] = ex.synthetic
            rows[ex.kind].append(dump_row(row))
    files: dict[str, str] = {}
    for kind, lines in rows.items():
        if not lines:
            continue
        path = out_dir / f"{kind}.jsonl"
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        path.write_bytes(data)
        files[path.name] = hashlib.sha256(data).hexdigest()
    manifest = CorpusManifest(
        seed=settings.seed,
        shares={
            "anchor": settings.mix_anchor,
            "trajectories": settings.mix_trajectories,
            "negatives": settings.mix_negatives,
        },
        total=sum(len(v) for v in chosen.values()),
        parts={
            part: PartManifest(
                wanted=wanted[part],
                available=available[part],
                used=len(chosen[part]),
                ids=[e.id for e in chosen[part]],
            )
            for part in chosen
        },
        files=files,
    )
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest.model_dump(mode="json"), indent=2), encoding="utf-8"
    )
    return manifest
