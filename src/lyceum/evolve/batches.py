"""Batches through the loop: gate decision recorded, human review, acceptance into the corpus.

The current corpus is the anchor file (human-curated) plus every example of accepted batches.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import select

from lyceum.errors import LyceumError, NotFoundError
from lyceum.evolve.examples import CandidateExample, batch_id, load_batch
from lyceum.evolve.gate import GateDecision, check_batch
from lyceum.evolve.settings import EvolveSettings
from lyceum.retrieval.embeddings import Embedder
from lyceum.store.db import Database
from lyceum.store.evolve_tables import EvolveBatchRow, EvolveExampleRow, EvolveReviewRow


class ReviewError(LyceumError):
    """A batch cannot be reviewed in its current state."""


class BatchInfo(BaseModel):
    id: str
    path: str
    status: str
    n_examples: int
    decision: GateDecision


def load_anchor(settings: EvolveSettings, workspace: Path) -> list[CandidateExample]:
    path = settings.resolve(settings.anchor_path, workspace)
    if path is None:
        return []
    if not path.exists():
        raise NotFoundError(
            f"anchor corpus {path} does not exist",
            hint="Set evolve.anchor_path to a batch-format JSONL of human-curated examples.",
        )
    return load_batch(path)


def accepted_examples(db: Database) -> list[CandidateExample]:
    with db.session() as session:
        rows = session.scalars(
            select(EvolveExampleRow).order_by(EvolveExampleRow.created_at, EvolveExampleRow.id)
        ).all()
        return [CandidateExample(**r.data) for r in rows]


def current_corpus(
    db: Database, settings: EvolveSettings, workspace: Path
) -> list[CandidateExample]:
    return [*load_anchor(settings, workspace), *accepted_examples(db)]


def gate_batch(
    db: Database,
    path: Path,
    settings: EvolveSettings,
    embedder: Embedder,
    *,
    corpus: Sequence[CandidateExample],
) -> BatchInfo:
    """Check a batch file against the corpus and record the decision (status gated/refused).

    An already accepted or rejected batch keeps its status; the new decision is recorded."""
    batch = load_batch(path)
    decision = check_batch(batch, corpus, settings, embedder)
    bid = batch_id(path)
    with db.session() as session:
        row = session.get(EvolveBatchRow, bid)
        if row is None:
            row = EvolveBatchRow(id=bid)
            session.add(row)
        row.path = str(path)
        row.n_examples = len(batch)
        row.decision = decision.model_dump(mode="json")
        if row.status not in ("accepted", "rejected"):
            row.status = "gated" if decision.accepted else "refused"
        status = row.status
    return BatchInfo(
        id=bid, path=str(path), status=status, n_examples=len(batch), decision=decision
    )


def get_batch(db: Database, bid: str) -> BatchInfo:
    with db.session() as session:
        row = session.get(EvolveBatchRow, bid)
        if row is None:
            raise NotFoundError(
                f"batch {bid} has not been checked", hint="Run 'lyceum evolve check BATCH' first."
            )
        return BatchInfo(
            id=row.id,
            path=row.path,
            status=row.status,
            n_examples=row.n_examples,
            decision=GateDecision(**row.decision),
        )


def review_sample(
    batch: Sequence[CandidateExample], size: int, seed: int
) -> list[CandidateExample]:
    """A seeded random sample of the batch, in batch order."""
    if size >= len(batch):
        return list(batch)
    picked = sorted(random.Random(seed).sample(range(len(batch)), size))
    return [batch[i] for i in picked]


def record_review(
    db: Database,
    path: Path,
    *,
    approved: bool,
    sample: Sequence[CandidateExample],
    scripted: bool,
    reviewer: str = "",
    reason: str = "",
) -> BatchInfo:
    """Approve (the batch's examples join the corpus) or reject a gated batch."""
    bid = batch_id(path)
    info = get_batch(db, bid)
    if info.status == "refused":
        violated = ", ".join(r.rule for r in info.decision.violations)
        raise ReviewError(
            f"batch {bid} was refused by the gate ({violated}); it cannot be approved",
            hint="Fix the batch and run 'lyceum evolve check' again.",
        )
    if info.status in ("accepted", "rejected"):
        raise ReviewError(f"batch {bid} was already reviewed ({info.status})")
    batch = load_batch(path)
    with db.session() as session:
        session.add(
            EvolveReviewRow(
                batch_id=bid,
                approved=approved,
                scripted=scripted,
                reviewer=reviewer,
                sample_ids=[e.id for e in sample],
                reason=reason,
            )
        )
        row = session.get(EvolveBatchRow, bid)
        assert row is not None
        row.status = "accepted" if approved else "rejected"
        if approved:
            for ex in batch:
                session.add(
                    EvolveExampleRow(
                        batch_id=bid,
                        example_id=ex.id,
                        kind=ex.kind,
                        quality=ex.quality,
                        synthetic=ex.synthetic,
                        generation_depth=ex.generation_depth,
                        data=ex.model_dump(mode="json"),
                    )
                )
    return get_batch(db, bid)


def list_batches(db: Database) -> list[BatchInfo]:
    with db.session() as session:
        rows = session.scalars(select(EvolveBatchRow).order_by(EvolveBatchRow.created_at)).all()
        return [
            BatchInfo(
                id=r.id,
                path=r.path,
                status=r.status,
                n_examples=r.n_examples,
                decision=GateDecision(**r.decision),
            )
            for r in rows
        ]


def reviews_of(db: Database, bid: str) -> list[EvolveReviewRow]:
    with db.session() as session:
        rows = session.scalars(select(EvolveReviewRow).where(EvolveReviewRow.batch_id == bid)).all()
        session.expunge_all()
        return list(rows)
