"""Deduplicate step: exact (normalized hash) and near-duplicate (MinHash LSH) removal.

Two passes over the input. The first fingerprints batches of documents (in parallel, by any
executor) into a `DedupIndex` on disk; clustering then joins documents that share an exact
hash or an LSH bucket with estimated Jaccard similarity at or above the threshold. The second
pass streams the input again and keeps one representative per cluster: the first in input
order, or the longest (ties to the first). Texts are never held in memory.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from lyceum.data.batching import batched
from lyceum.data.dedup_index import (
    KIND_EXACT,
    Clusters,
    DedupIndex,
    Fingerprints,
    fingerprint_texts,
)
from lyceum.data.executors import Executor, LocalExecutor
from lyceum.data.minhash import optimal_params, recall_params
from lyceum.data.records import Record, RecordFormatError, dump_record
from lyceum.data.stats import Drop, StepReport

_REPORT_CHUNK = 4096


class DedupConfig(BaseModel):
    """Options of the deduplicate step."""

    model_config = ConfigDict(extra="forbid")

    exact: bool = Field(
        default=True, description="Remove texts equal after lowercasing and collapsing whitespace."
    )
    near: bool = Field(default=True, description="Remove near duplicates (MinHash LSH).")
    threshold: float = Field(
        default=0.8,
        gt=0,
        lt=1,
        description="Jaccard similarity of word "
        "shingle sets at which two texts are near duplicates.",
    )
    num_perm: int = Field(default=128, ge=2, le=1024, description="MinHash permutations.")
    shingle_size: int = Field(default=5, ge=1, description="Words per shingle.")
    seed: int = Field(default=1, description="Seed of the permutations (datasketch's default 1).")
    bands: int | None = Field(
        default=None,
        ge=1,
        description="LSH bands; default: those that make a pair at the threshold a "
        "candidate with 95 % probability (with verify), else datasketch's optimum.",
    )
    rows: int | None = Field(default=None, ge=1, description="Rows per band (with bands).")
    verify: bool = Field(
        default=True,
        description="Join LSH candidates only if their estimated "
        "Jaccard similarity reaches the threshold (else every candidate pair).",
    )
    keep: Literal["first", "longest"] = Field(
        default="first", description="Which member of a cluster is kept."
    )
    batch_size: int = Field(default=512, ge=1, description="Documents per fingerprinting batch.")

    @model_validator(mode="after")
    def _bands_and_rows(self) -> DedupConfig:
        if (self.bands is None) != (self.rows is None):
            raise ValueError("set both bands and rows, or neither")
        if (
            self.bands is not None
            and self.rows is not None
            and self.bands * self.rows > self.num_perm
        ):
            raise ValueError(
                f"bands x rows = {self.bands * self.rows} exceeds num_perm {self.num_perm}"
            )
        return self

    def lsh_params(self) -> tuple[int, int]:
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        if self.verify:  # candidates are confirmed, so bands are tuned for recall
            return recall_params(self.threshold, self.num_perm)
        return optimal_params(self.threshold, self.num_perm)


class DedupSummary(BaseModel):
    """What a deduplication run found."""

    docs_in: int
    kept: int
    exact_duplicates: int
    near_duplicates: int
    clusters: int = Field(description="Clusters with more than one member.")
    bands: int
    rows: int

    @property
    def duplicate_rate(self) -> float:
        return (
            (self.exact_duplicates + self.near_duplicates) / self.docs_in if self.docs_in else 0.0
        )


def fingerprint_lines(
    lines: list[str], *, config: DedupConfig, text_field: str = "text", id_field: str = "id"
) -> tuple[list[str | None], Fingerprints]:
    """Parse a batch of JSONL lines and fingerprint their texts (runs in a worker)."""
    ids: list[str | None] = []
    texts: list[str] = []
    for line in lines:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordFormatError(f"not a JSON line ({exc}): {line[:80]!r}") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get(text_field), str):
            raise RecordFormatError(
                f"line has no string {text_field!r} field: {line[:80]!r}",
                hint="Pass --text-field to name the field that holds the text.",
            )
        texts.append(obj[text_field])
        raw_id = obj.get(id_field)
        ids.append(None if raw_id is None else str(raw_id))
    return ids, fingerprint_texts(texts, **_fingerprint_options(config))


def _fingerprint_options(config: DedupConfig) -> dict[str, int]:
    bands, rows = config.lsh_params()
    return {
        "num_perm": config.num_perm,
        "shingle_size": config.shingle_size,
        "seed": config.seed,
        "bands": bands,
        "rows": rows,
    }


@contextmanager
def _index(config: DedupConfig, workdir: Path | None) -> Iterator[DedupIndex]:
    bands, rows = config.lsh_params()
    own = workdir is None
    root = Path(tempfile.mkdtemp(prefix="lyceum-dedup-")) if workdir is None else workdir
    index = DedupIndex(
        root / "index" if not own else root,
        num_perm=config.num_perm,
        bands=bands,
        rows=rows,
        threshold=config.threshold,
        exact=config.exact,
        near=config.near,
        verify=config.verify,
        keep=config.keep,
    )
    try:
        yield index
    finally:
        index.close()
        shutil.rmtree(index.workdir, ignore_errors=True)


def _summary(config: DedupConfig, index: DedupIndex, clusters: Clusters) -> DedupSummary:
    bands, rows = config.lsh_params()
    return DedupSummary(
        docs_in=index.count,
        kept=int(np.sum(clusters.keep)),
        exact_duplicates=clusters.exact_duplicates,
        near_duplicates=clusters.near_duplicates,
        clusters=clusters.n_clusters,
        bands=bands,
        rows=rows,
    )


def write_cluster_report(index: DedupIndex, clusters: Clusters, path: Path) -> int:
    """One JSON line per cluster with duplicates: its representative, and each removed member
    with how it matched (exact or near) and its estimated Jaccard similarity to the
    representative. Returns the number of clusters written."""
    removed = np.flatnonzero(~clusters.keep)
    reps = clusters.representative[removed]
    order = np.argsort(reps, kind="stable")
    removed, reps = removed[order], reps[order]
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        lo = 0
        while lo < len(removed):
            # A chunk of about _REPORT_CHUNK removed documents, never splitting a cluster.
            hi = min(lo + _REPORT_CHUNK, len(removed))
            while hi < len(removed) and reps[hi] == reps[hi - 1]:
                hi += 1
            members, member_reps = removed[lo:hi], reps[lo:hi]
            sims = index.similarity(member_reps, members).tolist()
            member_ids = index.ids.lookup(members)
            rep_ids = index.ids.lookup(member_reps)
            kinds = clusters.kind[members].tolist()
            start = 0
            for k in range(1, len(members) + 1):
                if k < len(members) and member_reps[k] == member_reps[start]:
                    continue
                row = {
                    "representative": rep_ids[start],
                    "size": k - start + 1,
                    "duplicates": [
                        {
                            "id": member_ids[j],
                            "kind": "exact" if kinds[j] == KIND_EXACT else "near",
                            "jaccard": round(float(sims[j]), 4),
                        }
                        for j in range(start, k)
                    ],
                }
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
                start = k
            lo = hi
    return written


def _report_drops(index: DedupIndex, clusters: Clusters, report: StepReport) -> None:
    removed = np.flatnonzero(~clusters.keep)
    for chunk in batched(removed.tolist(), 4096):
        reps = clusters.representative[chunk].tolist()
        ids = index.ids.lookup(chunk)
        rep_ids = index.ids.lookup(reps)
        for i, doc_id, rep_id in zip(chunk, ids, rep_ids, strict=True):
            reason = "exact_duplicate" if clusters.kind[i] == KIND_EXACT else "near_duplicate"
            report.add_drop(Drop(doc_id, reason, f"of {rep_id}"))


def _non_blank_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield line


def deduplicate_file(
    in_path: Path | str,
    out_path: Path | str,
    config: DedupConfig | None = None,
    *,
    executor: Executor | None = None,
    workdir: Path | None = None,
    clusters_path: Path | str | None = None,
    report: StepReport | None = None,
    text_field: str = "text",
    id_field: str = "id",
    on_batch: Callable[[int], None] | None = None,
) -> DedupSummary:
    """Deduplicate a JSONL file of records (any objects with a text field); kept lines are
    copied verbatim to `out_path`. Records without an id are named `line:N` (1-based).
    `on_batch(n)` is called as each batch of n documents is fingerprinted."""
    config = config or DedupConfig()
    in_path, out_path = Path(in_path), Path(out_path)
    executor = executor or LocalExecutor(1)
    fn = partial(fingerprint_lines, config=config, text_field=text_field, id_field=id_field)
    with _index(config, workdir) as index:
        for ids, fp in executor.map_file(fn, in_path, batch_size=config.batch_size):
            start = index.count
            named = [i if i is not None else f"line:{start + k + 1}" for k, i in enumerate(ids)]
            index.add(named, fp)
            if on_batch is not None:
                on_batch(len(named))
        clusters = index.finish()
        keep = clusters.keep
        with out_path.open("w", encoding="utf-8") as out:
            for i, line in enumerate(_non_blank_lines(in_path)):
                if keep[i]:
                    out.write(line if line.endswith("\n") else line + "\n")
                    if report is not None:
                        report.add_output_text(json.loads(line)[text_field])
        if clusters_path is not None:
            write_cluster_report(index, clusters, Path(clusters_path))
        summary = _summary(config, index, clusters)
        if report is not None:
            report.add_input(summary.docs_in)
            _report_drops(index, clusters, report)
            report.details.update(_details(summary))
    return summary


def _details(summary: DedupSummary) -> dict[str, float | int]:
    return {
        "exact_duplicates": summary.exact_duplicates,
        "near_duplicates": summary.near_duplicates,
        "clusters": summary.clusters,
        "duplicate_rate": round(summary.duplicate_rate, 6),
        "bands": summary.bands,
        "rows": summary.rows,
    }


def deduplicate(
    records: Iterable[Record],
    config: DedupConfig | None = None,
    *,
    workdir: Path | None = None,
    clusters_path: Path | str | None = None,
    report: StepReport | None = None,
) -> Iterator[Record]:
    """Stream API (single process): the records that survive deduplication, in input order.
    Input records are spilled to a file in the work directory for the second pass."""
    config = config or DedupConfig()
    options = _fingerprint_options(config)
    with _index(config, workdir) as index:
        spill = index.workdir / "records.jsonl"
        with spill.open("w", encoding="utf-8") as fh:
            for batch in batched(records, config.batch_size):
                for record in batch:
                    fh.write(dump_record(record) + "\n")
                index.add(
                    [r.id for r in batch], fingerprint_texts([r.text for r in batch], **options)
                )
        clusters = index.finish()
        if clusters_path is not None:
            write_cluster_report(index, clusters, Path(clusters_path))
        if report is not None:
            report.add_input(index.count)
            _report_drops(index, clusters, report)
            report.details.update(_details(_summary(config, index, clusters)))
        keep = clusters.keep
        with spill.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if keep[i]:
                    record = Record.model_validate_json(line)
                    if report is not None:
                        report.add_output(record)
                    yield record
