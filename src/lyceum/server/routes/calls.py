"""The call log (filtered listing, per-run cost and tokens), runs, the dashboard overview
and run traces as timelines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from lyceum.errors import NotFoundError
from lyceum.server.auth import AdminCaller
from lyceum.server.errors import ERROR_RESPONSES
from lyceum.server.schemas import UtcDatetime
from lyceum.server.state import ServerState, get_state
from lyceum.store.calls import CallFilter, CallRecord, UsageSummary
from lyceum.store.server_tables import JobRow
from lyceum.store.tables import CallRow, RunRow

router = APIRouter(prefix="/api", tags=["calls"], responses=ERROR_RESPONSES)


class CallOut(CallRecord):
    created_at: UtcDatetime


class CallList(BaseModel):
    calls: list[CallOut]


class RunOut(BaseModel):
    id: str
    kind: str
    name: str
    status: str
    created_at: UtcDatetime
    updated_at: UtcDatetime
    usage: UsageSummary | None = None


class RunListOut(BaseModel):
    runs: list[RunOut]


class Bucket(BaseModel):
    start: UtcDatetime
    runs: int = Field(default=0, description="Runs started in this bucket.")
    calls: int = 0
    errors: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cache_hit_rate: float = 0.0


class Overview(BaseModel):
    since: UtcDatetime
    bucket: Literal["hour", "day"]
    totals: UsageSummary
    cache_hit_rate: float
    runs_by_kind: dict[str, dict[str, int]] = Field(description="kind -> status -> count")
    series: list[Bucket]


class TimelineItem(BaseModel):
    at: UtcDatetime
    kind: Literal["call", "step", "event"]
    title: str
    detail: str = ""
    data: dict[str, Any] = Field(default_factory=dict)


class Trace(BaseModel):
    run: RunOut
    items: list[TimelineItem]


def _filter(
    run_id: str | None,
    caller: str | None,
    backend: str | None,
    model: str | None,
    errors_only: bool,
    cache_hits_only: bool,
    since: datetime | None,
    limit: int | None,
    offset: int,
) -> CallFilter:
    return CallFilter(
        run_id=run_id,
        caller=caller,
        backend=backend,
        model=model,
        errors_only=errors_only,
        cache_hits_only=cache_hits_only,
        since=since,
        limit=limit,
        offset=offset,
    )


Str = Annotated[str | None, Query(max_length=256)]


@router.get("/calls", response_model=CallList, summary="Call log, newest first")
async def list_calls(
    request: Request,
    _caller: AdminCaller,
    run_id: Str = None,
    caller: Str = None,
    backend: Str = None,
    model: Str = None,
    errors_only: bool = False,
    cache_hits_only: bool = False,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> CallList:
    state = get_state(request)
    f = _filter(run_id, caller, backend, model, errors_only, cache_hits_only, since, limit, offset)
    return CallList(calls=[CallOut(**c.model_dump()) for c in state.call_log.list(f)])


@router.get("/calls/summary", response_model=UsageSummary, summary="Tokens, cost, cache hits")
async def calls_summary(
    request: Request,
    _caller: AdminCaller,
    run_id: Str = None,
    caller: Str = None,
    backend: Str = None,
    model: Str = None,
    since: datetime | None = None,
) -> UsageSummary:
    state = get_state(request)
    f = _filter(run_id, caller, backend, model, False, False, since, None, 0)
    return state.call_log.summary(f)


@router.get("/calls/{call_id}", response_model=CallOut, summary="One call")
async def get_call(request: Request, call_id: str, _caller: AdminCaller) -> CallOut:
    record = get_state(request).call_log.get(call_id)
    if record is None:
        raise NotFoundError(f"no call {call_id!r}")
    return CallOut(**record.model_dump())


def _run_out(state: ServerState, row: RunRow, with_usage: bool) -> RunOut:
    return RunOut(
        id=row.id,
        kind=row.kind,
        name=row.name,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        usage=state.call_log.summary(CallFilter(run_id=row.id)) if with_usage else None,
    )


@router.get("/runs", response_model=RunListOut, summary="Runs of every kind, newest first")
async def list_all_runs(
    request: Request,
    _caller: AdminCaller,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    usage: Annotated[bool, Query(description="Add each run's tokens and cost.")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> RunListOut:
    state = get_state(request)
    return RunListOut(runs=[_run_out(state, r, usage) for r in state.runs.list(kind, limit)])


def _get_run(state: ServerState, run_id: str) -> RunRow:
    row = state.runs.get(run_id)
    if row is None:
        raise NotFoundError(f"no run {run_id!r}")
    return row


@router.get("/runs/{run_id}/usage", response_model=UsageSummary, summary="A run's cost and tokens")
async def run_usage(request: Request, run_id: str, _caller: AdminCaller) -> UsageSummary:
    state = get_state(request)
    _get_run(state, run_id)
    return state.call_log.summary(CallFilter(run_id=run_id))


def _floor(t: datetime, bucket: str) -> datetime:
    t = t if t.tzinfo else t.replace(tzinfo=UTC)
    t = t.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return t.replace(hour=0) if bucket == "day" else t


@router.get("/overview", response_model=Overview, summary="Dashboard totals and time series")
async def overview(
    request: Request,
    _caller: AdminCaller,
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    bucket: Annotated[Literal["hour", "day"], Query()] = "hour",
) -> Overview:
    state = get_state(request)
    since = datetime.now(UTC) - timedelta(days=days)
    totals = state.call_log.summary(CallFilter(since=since))
    series: dict[datetime, Bucket] = {}
    q = select(
        CallRow.created_at,
        CallRow.prompt_tokens,
        CallRow.completion_tokens,
        CallRow.cost_usd,
        CallRow.cache_hit,
        CallRow.error,
    ).where(CallRow.created_at >= since)
    with state.db.session() as session:
        for at, pt, ct, cost, hit, err in session.execute(q):
            start = _floor(at, bucket)
            b = series.get(start) or series.setdefault(start, Bucket(start=start))
            b.calls += 1
            b.errors += 1 if err else 0
            b.cache_hits += 1 if hit else 0
            b.prompt_tokens += pt
            b.completion_tokens += ct
            b.cost_usd += cost
        for (at,) in session.execute(select(RunRow.created_at).where(RunRow.created_at >= since)):
            start = _floor(at, bucket)
            b = series.get(start) or series.setdefault(start, Bucket(start=start))
            b.runs += 1
        counts = session.execute(
            select(RunRow.kind, RunRow.status, func.count()).group_by(RunRow.kind, RunRow.status)
        ).all()
    for b in series.values():
        b.cache_hit_rate = b.cache_hits / b.calls if b.calls else 0.0
    by_kind: dict[str, dict[str, int]] = {}
    for kind, status, n in counts:
        by_kind.setdefault(kind, {})[status] = int(n)
    return Overview(
        since=since,
        bucket=bucket,
        totals=totals,
        cache_hit_rate=totals.cache_hits / totals.calls if totals.calls else 0.0,
        runs_by_kind=by_kind,
        series=[series[k] for k in sorted(series)],
    )


@router.get("/traces", response_model=RunListOut, summary="Agent and research runs")
async def traces(
    request: Request,
    _caller: AdminCaller,
    kind: Annotated[Literal["agent", "research"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> RunListOut:
    state = get_state(request)
    kinds = [kind] if kind else ["agent", "research"]
    rows = [r for k in kinds for r in state.runs.list(k, limit)]
    rows.sort(key=lambda r: r.created_at, reverse=True)
    return RunListOut(runs=[_run_out(state, r, True) for r in rows[:limit]])


def _call_item(c: CallRecord) -> TimelineItem:
    status = (
        f"error {c.error_type}" if c.error else (f"cache {c.cache_hit}" if c.cache_hit else "ok")
    )
    return TimelineItem(
        at=c.created_at,
        kind="call",
        title=f"{c.caller or 'call'} → {c.backend} ({status})",
        detail=(c.error or c.output)[:2000],
        data={
            "call_id": c.id,
            "model": c.model,
            "latency_s": c.latency_s,
            "prompt_tokens": c.prompt_tokens,
            "completion_tokens": c.completion_tokens,
            "cost_usd": c.cost_usd,
        },
    )


def _interleave_steps(calls: list[TimelineItem], steps: list[dict[str, Any]]) -> list[TimelineItem]:
    """Each agent step right after the model call (iteration) that produced it."""
    out: list[TimelineItem] = []
    by_iteration: dict[int, list[dict[str, Any]]] = {}
    for step in steps:
        by_iteration.setdefault(int(step.get("iteration", 0)), []).append(step)
    last = len(calls) - 1
    for i in range(max(len(calls), max(by_iteration, default=-1) + 1)):
        if i <= last:
            out.append(calls[i])
        at = calls[min(i, last)].at if calls else datetime.now(UTC)
        for step in by_iteration.get(i, []):
            out.append(
                TimelineItem(
                    at=at,
                    kind="step",
                    title=f"step {i + 1}: {step.get('action') or 'unusable reply'}",
                    detail=step.get("error") or step.get("observation") or "",
                    data={"thought": step.get("thought", ""), "args": step.get("args", {})},
                )
            )
    return out


@router.get("/traces/{run_id}", response_model=Trace, summary="A run as a timeline")
async def trace(request: Request, run_id: str, _caller: AdminCaller) -> Trace:
    state = get_state(request)
    row = _get_run(state, run_id)
    items = [_call_item(c) for c in state.call_log.iter_all(CallFilter(run_id=run_id))]
    if row.kind == "agent":
        items = _interleave_steps(items, (row.state or {}).get("steps", []))
    with state.db.session() as session:
        job_ids = list(session.scalars(select(JobRow.id).where(JobRow.run_id == run_id)))
    for job_id in job_ids:
        for event in state.queue.events(job_id, limit=5000):
            items.append(
                TimelineItem(
                    at=event.created_at,
                    kind="event",
                    title=event.kind,
                    detail=event.message,
                    data=event.data,
                )
            )

    def key(item: TimelineItem) -> tuple[datetime, int]:
        at = item.at if item.at.tzinfo else item.at.replace(tzinfo=UTC)
        return (at, 0 if item.kind == "event" else 1)

    if row.kind != "agent":
        items.sort(key=key)
    return Trace(run=_run_out(state, row, True), items=items)
