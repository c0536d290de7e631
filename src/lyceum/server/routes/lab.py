"""Lab: experiment definitions, runs started as jobs, results, reports and comparisons."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from lyceum.errors import ConfigError, LyceumError, NotFoundError
from lyceum.lab import (
    ExampleResult,
    Report,
    RunInfo,
    build_report,
    compare_conditions,
    get_run,
    list_runs,
    load_results,
    parse_experiment,
)
from lyceum.lab.stats import PairedComparison
from lyceum.lab.summary import ConditionSummary, primary_score
from lyceum.server.auth import Caller, Principal
from lyceum.server.budgets import check_lab_concurrency
from lyceum.server.datasets import check_dataset_paths
from lyceum.server.errors import ERROR_RESPONSES
from lyceum.server.jobs import JobInfo
from lyceum.server.ownership import check_runs, job_owner, own_run_ids
from lyceum.server.routes.research import SSE_RESPONSES, sse_events
from lyceum.server.schemas import UtcDatetime
from lyceum.server.state import ServerState, get_state
from lyceum.store.server_tables import ExperimentRow

router = APIRouter(prefix="/api/lab", tags=["lab"], responses=ERROR_RESPONSES)

KIND = "lab"
REPORT_RESAMPLES = 2000


class ExperimentCreate(BaseModel):
    """An experiment as a JSON object (`config`) or as the text of a YAML file (`yaml`)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"minProperties": 1, "maxProperties": 1}
    )

    config: dict[str, Any] | None = Field(default=None, description="The experiment fields.")
    yaml: str | None = Field(default=None, max_length=200_000, description="YAML text.")

    @model_validator(mode="after")
    def _one(self) -> ExperimentCreate:
        if (self.config is None) == (self.yaml is None):
            raise ValueError("give exactly one of 'config' or 'yaml'")
        return self


class RunBrief(BaseModel):
    id: str
    name: str
    status: str
    created_at: UtcDatetime
    updated_at: UtcDatetime


class Experiment(BaseModel):
    id: str
    name: str
    description: str
    config: dict[str, Any]
    config_hash: str
    created_at: UtcDatetime
    runs: list[RunBrief] = Field(default_factory=list)


class ExperimentList(BaseModel):
    experiments: list[Experiment]


class LabRunOut(RunInfo):
    created_at: UtcDatetime
    updated_at: UtcDatetime


class RunList(BaseModel):
    runs: list[LabRunOut]


class RunDetail(BaseModel):
    run: LabRunOut
    conditions: list[ConditionSummary]
    primary_metric: str
    correct_threshold: float


class ResultRow(ExampleResult):
    correct: bool
    started_at: UtcDatetime
    finished_at: UtcDatetime


class ResultList(BaseModel):
    run_id: str
    primary_metric: str
    results: list[ResultRow]


def _brief(r: RunInfo) -> RunBrief:
    return RunBrief(
        id=r.id, name=r.name, status=r.status, created_at=r.created_at, updated_at=r.updated_at
    )


def _experiment(row: ExperimentRow, runs: list[RunInfo]) -> Experiment:
    return Experiment(
        id=row.id,
        name=row.name,
        description=row.description,
        config=row.config,
        config_hash=row.config_hash,
        created_at=row.created_at,
        runs=[_brief(r) for r in runs if r.config_hash == row.config_hash],
    )


def _visible_runs(state: ServerState, caller: Principal) -> list[RunInfo]:
    runs = list_runs(state.db, limit=1000)
    own = own_run_ids(state, caller)
    return runs if own is None else [r for r in runs if r.id in own]


def _get_experiment(state: ServerState, experiment_id: str) -> ExperimentRow:
    with state.db.session() as session:
        row = session.get(ExperimentRow, experiment_id)
        if row is None:
            raise NotFoundError(f"no experiment {experiment_id!r}")
        return row


@router.post("/experiments", response_model=Experiment, status_code=201, summary="Create")
async def create_experiment(
    request: Request, body: ExperimentCreate, _caller: Caller
) -> Experiment:
    state = get_state(request)
    data: Any = body.config
    if body.yaml is not None:
        try:
            data = yaml.safe_load(body.yaml)
        except yaml.YAMLError as exc:
            raise ConfigError(f"yaml: not valid YAML: {exc}") from None
    config = parse_experiment(data, "request")
    check_dataset_paths(config, state.config.data_path(state.settings))
    check_lab_concurrency(config.concurrency, state.config)
    row = ExperimentRow(
        name=config.name,
        description=config.description,
        config=config.model_dump(mode="json"),
        config_hash=config.config_hash(),
    )
    with state.db.session() as session:
        session.add(row)
    return _experiment(row, [])


@router.get("/experiments", response_model=ExperimentList, summary="Experiments, newest first")
async def list_experiments(
    request: Request,
    caller: Caller,
    q: Annotated[str | None, Query(max_length=200, description="Name contains.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ExperimentList:
    state = get_state(request)
    query = select(ExperimentRow).order_by(ExperimentRow.created_at.desc()).limit(limit)
    if q:
        query = query.where(ExperimentRow.name.icontains(q, autoescape=True))
    with state.db.session() as session:
        rows = list(session.scalars(query))
    runs = _visible_runs(state, caller)
    return ExperimentList(experiments=[_experiment(r, runs) for r in rows])


@router.get("/experiments/{experiment_id}", response_model=Experiment, summary="One experiment")
async def get_experiment(request: Request, experiment_id: str, caller: Caller) -> Experiment:
    state = get_state(request)
    row = _get_experiment(state, experiment_id)
    return _experiment(row, _visible_runs(state, caller))


@router.post(
    "/experiments/{experiment_id}/runs",
    response_model=JobInfo,
    status_code=202,
    summary="Start a run of the experiment (a job)",
)
async def start_run(request: Request, experiment_id: str, caller: Caller) -> JobInfo:
    state = get_state(request)
    row = _get_experiment(state, experiment_id)
    params = {"experiment_id": row.id, "config": row.config}
    return state.queue.submit(KIND, params, owner=caller.id)


@router.get("/jobs/{job_id}", response_model=JobInfo, summary="A lab job")
async def get_job(request: Request, job_id: str, caller: Caller) -> JobInfo:
    return get_state(request).queue.get(job_id, kind=KIND, owner=job_owner(caller))


@router.post("/jobs/{job_id}/cancel", response_model=JobInfo, summary="Cancel a lab job")
async def cancel_job(request: Request, job_id: str, caller: Caller) -> JobInfo:
    state = get_state(request)
    state.queue.get(job_id, kind=KIND, owner=job_owner(caller))
    return await state.queue.cancel(job_id)


@router.get(
    "/jobs/{job_id}/events",
    summary="Lab job progress as server-sent events",
    response_class=StreamingResponse,
    responses=SSE_RESPONSES,
)
async def job_events(
    request: Request,
    job_id: str,
    caller: Caller,
    after: Annotated[int, Query(ge=0, le=2**31)] = 0,
    follow: Annotated[bool, Query()] = True,
) -> StreamingResponse:
    state = get_state(request)
    state.queue.get(job_id, kind=KIND, owner=job_owner(caller))
    return sse_events(state, job_id, after, follow)


@router.get("/runs", response_model=RunList, summary="Experiment runs, newest first")
async def runs(
    request: Request,
    caller: Caller,
    status: Annotated[str | None, Query(max_length=16)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Name contains.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> RunList:
    """Runs of the caller's jobs; every run with an admin key."""
    state = get_state(request)
    found = list_runs(state.db, limit=limit)
    own = own_run_ids(state, caller)
    if own is not None:
        found = [r for r in found if r.id in own]
    if status:
        found = [r for r in found if r.status == status]
    if q:
        found = [r for r in found if q.lower() in r.name.lower()]
    return RunList(runs=[LabRunOut(**r.model_dump()) for r in found])


def _primary(info: RunInfo) -> tuple[str, float]:
    metrics = info.config.get("metrics") or ["exact_match"]
    return str(metrics[0]), float(info.config.get("correct_threshold", 0.5))


@router.get(
    "/runs/{run_id}", response_model=RunDetail, summary="A run with its condition summaries"
)
async def run_detail(request: Request, run_id: str, caller: Caller) -> RunDetail:
    state = get_state(request)
    info = get_run(state.db, run_id)
    check_runs(state, caller, [info.id])
    primary, threshold = _primary(info)
    try:
        report = await asyncio.to_thread(
            build_report, state.db, [info.id], n_resamples=REPORT_RESAMPLES
        )
        conditions = report.conditions
    except NotFoundError:
        conditions = []
    return RunDetail(
        run=LabRunOut(**info.model_dump()),
        conditions=conditions,
        primary_metric=primary,
        correct_threshold=threshold,
    )


@router.get("/runs/{run_id}/results", response_model=ResultList, summary="Per-example results")
async def run_results(
    request: Request,
    run_id: str,
    caller: Caller,
    trace: Annotated[bool, Query(description="Include each example's trace.")] = False,
) -> ResultList:
    state = get_state(request)
    info = get_run(state.db, run_id)
    check_runs(state, caller, [info.id])
    primary, threshold = _primary(info)
    rows = load_results(state.db, info.id, with_trace=trace)
    return ResultList(
        run_id=info.id,
        primary_metric=primary,
        results=[
            ResultRow(**r.model_dump(), correct=primary_score(r, primary) >= threshold)
            for r in rows
        ],
    )


@router.get("/report", response_model=Report, summary="Report over runs (JSON)")
async def report(
    request: Request,
    caller: Caller,
    runs: Annotated[list[str], Query(min_length=1, max_length=10, description="Run ids.")],
) -> Report:
    state = get_state(request)
    check_runs(state, caller, runs)
    return await asyncio.to_thread(build_report, state.db, runs, n_resamples=REPORT_RESAMPLES)


@router.get(
    "/compare", response_model=PairedComparison, summary="Paired comparison of two conditions"
)
async def compare(
    request: Request,
    caller: Caller,
    a: Annotated[str, Query(min_length=1, max_length=300, description="RUN[:METHOD[@MODEL]]")],
    b: Annotated[str, Query(min_length=1, max_length=300, description="RUN[:METHOD[@MODEL]]")],
    dataset: Annotated[str | None, Query(max_length=200)] = None,
) -> PairedComparison:
    state = get_state(request)
    check_runs(state, caller, [a.split(":", 1)[0], b.split(":", 1)[0]])
    try:
        return await asyncio.to_thread(
            compare_conditions, state.db, a, b, dataset=dataset, n_resamples=REPORT_RESAMPLES
        )
    except LyceumError:
        raise
    except ValueError as exc:
        raise LyceumError(str(exc)) from None
