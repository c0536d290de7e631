"""Reading experiment runs and their per-example results back from the store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select

from lyceum.errors import NotFoundError
from lyceum.store.db import Database
from lyceum.store.lab_tables import LabResultRow
from lyceum.store.tables import RunRow

EXPERIMENT_KIND = "experiment"


class RunInfo(BaseModel):
    id: str
    name: str
    status: str
    config: dict[str, Any]
    state: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @property
    def config_hash(self) -> str:
        return str(self.state.get("hash", ""))


class ExampleResult(BaseModel):
    """One stored result. A condition is (run_id, dataset, model, method)."""

    run_id: str
    dataset: str
    model: str
    method: str
    example_id: str
    status: str
    question: str = ""
    prediction: str = ""
    raw_output: str = ""
    gold: list[str] = Field(default_factory=list)
    scores: dict[str, float | None] = Field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    latency_s: float = 0.0
    model_latency_s: float = 0.0
    cost_usd: float = 0.0
    error: str | None = None
    trace: list[dict[str, Any]] = Field(default_factory=list)
    started_at: datetime
    finished_at: datetime

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def _run_info(row: RunRow) -> RunInfo:
    return RunInfo(
        id=row.id,
        name=row.name,
        status=row.status,
        config=dict(row.config or {}),
        state=dict(row.state or {}),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def get_run(db: Database, run_id: str) -> RunInfo:
    """The experiment run `run_id` (a unique prefix of the id also works)."""
    with db.session() as session:
        row = session.get(RunRow, run_id)
        if row is None:
            matches = session.scalars(
                select(RunRow).where(
                    RunRow.kind == EXPERIMENT_KIND, RunRow.id.startswith(run_id, autoescape=True)
                )
            ).all()
            if len(matches) == 1:
                row = matches[0]
        if row is None or row.kind != EXPERIMENT_KIND:
            raise NotFoundError(
                f"no experiment run {run_id!r}", hint="List runs with 'lyceum eval list'."
            )
        return _run_info(row)


def list_runs(db: Database, limit: int = 50) -> list[RunInfo]:
    """Experiment runs, newest first."""
    with db.session() as session:
        rows = session.scalars(
            select(RunRow)
            .where(RunRow.kind == EXPERIMENT_KIND)
            .order_by(RunRow.created_at.desc())
            .limit(limit)
        ).all()
        return [_run_info(r) for r in rows]


def load_results(db: Database, run_id: str, *, with_trace: bool = False) -> list[ExampleResult]:
    """Every stored result of a run, in the order they finished."""
    with db.session() as session:
        rows = session.scalars(
            select(LabResultRow)
            .where(LabResultRow.run_id == run_id)
            .order_by(LabResultRow.finished_at, LabResultRow.id)
        ).all()
        return [
            ExampleResult(
                run_id=r.run_id,
                dataset=r.dataset,
                model=r.model,
                method=r.method,
                example_id=r.example_id,
                status=r.status,
                question=r.question,
                prediction=r.prediction,
                raw_output=r.raw_output,
                gold=list(r.gold or []),
                scores=dict(r.scores or {}),
                prompt_tokens=r.prompt_tokens,
                completion_tokens=r.completion_tokens,
                calls=r.calls,
                latency_s=r.latency_s,
                model_latency_s=r.model_latency_s,
                cost_usd=r.cost_usd,
                error=r.error,
                trace=list(r.trace or []) if with_trace else [],
                started_at=r.started_at,
                finished_at=r.finished_at,
            )
            for r in rows
        ]
