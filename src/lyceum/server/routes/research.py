"""Research jobs: submit a question with budgets, list, status, progress (SSE), cancel,
artifacts, and the report with every citation's passage and verdict."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from lyceum.errors import NotFoundError
from lyceum.server.auth import AdminCaller, Caller, Principal
from lyceum.server.budgets import research_budgets
from lyceum.server.errors import ERROR_RESPONSES, ApiError
from lyceum.server.jobs import JobEvent, JobInfo, JobStatus
from lyceum.server.ownership import job_owner
from lyceum.server.state import ServerState, get_state

if TYPE_CHECKING:
    from lyceum.research.state import Note, ResearchState, Sentence

router = APIRouter(prefix="/api/research", tags=["research"], responses=ERROR_RESPONSES)

KIND = "research"
ARTIFACTS = {
    "report.md": "text/markdown; charset=utf-8",
    "paper.tex": "application/x-tex",
    "references.bib": "application/x-bibtex",
    "paper.pdf": "application/pdf",
    "trajectory.jsonl": "application/jsonl",
}


class Budgets(BaseModel):
    """Limits of one run; unset fields take the `[research]` configuration."""

    model_config = ConfigDict(extra="forbid")

    max_time_s: float | None = Field(
        default=None,
        gt=0,
        le=86_400,
        description="Wall time; at most [server] research_max_time_s.",
    )
    max_tokens: int | None = Field(
        default=None,
        ge=1,
        le=100_000_000,
        description="Tokens; at most [server] research_max_tokens.",
    )
    max_cost_usd: float | None = Field(
        default=None, gt=0, le=10_000, description="USD; at most [server] research_max_cost_usd."
    )
    max_rounds: int | None = Field(default=None, ge=1, le=10, description="Gather rounds.")
    breadth: int | None = Field(default=None, ge=1, le=12, description="Sub-questions.")
    depth: int | None = Field(default=None, ge=1, le=20, description="Passages per sub-question.")


class ResearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=3, max_length=2000, pattern=r"\S")
    budgets: Budgets = Field(default_factory=Budgets)
    sources: list[str] | None = Field(
        default=None, max_length=8, description="Source names; default: the configured ones."
    )
    collection: (
        Annotated[str, StringConstraints(max_length=200)]
        | Annotated[list[Annotated[str, StringConstraints(max_length=200)]], Field(max_length=50)]
        | None
    ) = Field(
        default=None,
        description="Collection(s) the local source searches, as `lyceum research -c`: a name, "
        "a list of names, or '*' for all; default: every collection in the workspace.",
    )


class JobList(BaseModel):
    jobs: list[JobInfo]


class Artifact(BaseModel):
    name: str
    bytes: int
    url: str


class CitedPassage(BaseModel):
    note_id: str
    claim: str
    quote: str
    passage_id: str
    title: str
    source: str
    location: str | None
    text: str


class ReportSentence(BaseModel):
    text: str
    kind: str
    status: str
    confidence: str | None = None
    verdict: dict[str, Any] | None = None
    citations: list[CitedPassage]


class ReportSectionOut(BaseModel):
    title: str
    sentences: list[ReportSentence]


class ResearchReport(BaseModel):
    job_id: str | None = Field(description="The server job that ran it; None for a CLI run.")
    run_id: str
    question: str
    phase: str
    short_answer: list[ReportSentence] = Field(
        default_factory=list,
        description="3-5 checked sentences answering the question as asked, as report.md "
        "prints them; empty when the sources answer no part of it.",
    )
    background: list[ReportSentence] = Field(
        default_factory=list,
        description="When there is no short answer: the checked opening of the page on the "
        "question's subject, printed as background, not as an answer.",
    )
    not_covered: list[str] = Field(
        default_factory=list,
        description="The parts of the question the sources searched do not answer.",
    )
    sections: list[ReportSectionOut]
    verification: dict[str, Any] | None
    usage: dict[str, Any]
    problems: list[str]


class ResearchRunOut(BaseModel):
    run_id: str
    question: str
    status: str
    phase: str
    created_at: datetime


class ResearchRunList(BaseModel):
    runs: list[ResearchRunOut]


def _job(state: ServerState, job_id: str, caller: Principal) -> JobInfo:
    return state.queue.get(job_id, kind=KIND, owner=job_owner(caller))


@router.post("/jobs", response_model=JobInfo, status_code=202, summary="Submit a research job")
async def submit(request: Request, body: ResearchRequest, caller: Caller) -> JobInfo:
    state = get_state(request)
    if body.sources is not None:
        from lyceum.sources.base import known_sources

        known = known_sources()
        unknown = [s for s in body.sources if s not in known]
        if unknown:
            raise ApiError(
                422,
                f"sources: unknown source(s) {unknown}; known: {sorted(known)}",
                param="sources",
            )
    wanted = [body.collection] if isinstance(body.collection, str) else body.collection or []
    if any(name != "*" for name in wanted):
        from lyceum.retrieval.index import collection_names

        names = collection_names(state.settings)
        unknown = [n for n in wanted if n != "*" and n not in names]
        if unknown:
            raise ApiError(
                422,
                f"collection: no collection named {', '.join(map(repr, unknown))}; the "
                f"workspace has {names or 'none'}",
                param="collection",
                hint="Ingest one with 'lyceum ingest PATH --collection NAME', or use '*'.",
            )
    from lyceum.research import research_settings

    defaults = research_settings(state.settings).model_dump()
    budgets = research_budgets(
        body.budgets.model_dump(exclude_none=True), defaults, state.config, strict=True
    )
    params = {
        "question": body.question.strip(),
        "budgets": budgets,
        "sources": body.sources,
        "collection": body.collection,
    }
    return state.queue.submit(KIND, params, owner=caller.id)


@router.get("/jobs", response_model=JobList, summary="Research jobs, newest first")
async def list_jobs(
    request: Request,
    caller: Caller,
    status: Annotated[JobStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> JobList:
    """The caller's jobs; every key's with an admin key."""
    state = get_state(request)
    return JobList(jobs=state.queue.list_jobs(KIND, status, limit, offset, job_owner(caller)))


@router.get("/jobs/{job_id}", response_model=JobInfo, summary="One research job")
async def get_job(request: Request, job_id: str, caller: Caller) -> JobInfo:
    return _job(get_state(request), job_id, caller)


@router.post("/jobs/{job_id}/cancel", response_model=JobInfo, summary="Cancel a research job")
async def cancel(request: Request, job_id: str, caller: Caller) -> JobInfo:
    state = get_state(request)
    _job(state, job_id, caller)
    return await state.queue.cancel(job_id)


# One server-sent event (the schema applies per event): `progress` events carry a JobEvent
# as JSON with the event's `seq` as id; a last `end` event carries `{}`.
SSE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Events: `progress` (data: a JobEvent as JSON), then one `end`.",
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "required": ["event", "data"],
                    "properties": {
                        "event": {"type": "string", "enum": ["progress", "end"]},
                        "id": {"type": "string", "pattern": "^[0-9]+$"},
                        "data": {
                            "type": "string",
                            "contentMediaType": "application/json",
                            "contentSchema": {"type": "object"},
                        },
                    },
                }
            }
        },
    }
}


def sse_events(state: ServerState, job_id: str, after: int, stream: bool) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        if stream:
            events: AsyncIterator[JobEvent] = state.queue.stream(job_id, after)
            async for event in events:
                yield _frame(event)
        else:
            for event in state.queue.events(job_id, after):
                yield _frame(event)
        yield b"event: end\ndata: {}\n\n"

    return StreamingResponse(
        body(),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )


def _frame(event: JobEvent) -> bytes:
    data = json.dumps(event.model_dump(mode="json"), separators=(",", ":"))
    return f"id: {event.seq}\nevent: progress\ndata: {data}\n\n".encode()


@router.get(
    "/jobs/{job_id}/events",
    summary="Progress as server-sent events (until the job ends)",
    response_class=StreamingResponse,
    responses=SSE_RESPONSES,
)
async def events(
    request: Request,
    job_id: str,
    caller: Caller,
    after: Annotated[int, Query(ge=0, le=2**31, description="Resume after this event id.")] = 0,
    follow: Annotated[bool, Query(description="Keep streaming until the job ends.")] = True,
) -> StreamingResponse:
    state = get_state(request)
    _job(state, job_id, caller)
    last_id = request.headers.get("last-event-id", "")
    if last_id.isdigit():
        after = max(after, int(last_id))
    return sse_events(state, job_id, after, follow)


def _out_dir(state: ServerState, job: JobInfo) -> Path:
    return state.config.jobs_path(state.settings) / job.id


@router.get("/jobs/{job_id}/artifacts", response_model=list[Artifact], summary="Files written")
async def artifacts(request: Request, job_id: str, caller: Caller) -> list[Artifact]:
    state = get_state(request)
    job = _job(state, job_id, caller)
    out = _out_dir(state, job)
    return [
        Artifact(
            name=name,
            bytes=(out / name).stat().st_size,
            url=f"/api/research/jobs/{job.id}/artifacts/{name}",
        )
        for name in ARTIFACTS
        if (out / name).is_file()
    ]


@router.get(
    "/jobs/{job_id}/artifacts/{name}",
    summary="Download an artifact (report.md, paper.tex, references.bib, paper.pdf, trajectory.jsonl)",
    response_class=FileResponse,
    responses={200: {"content": {t: {} for t in ARTIFACTS.values()}}},
)
async def artifact(request: Request, job_id: str, name: str, caller: Caller) -> FileResponse:
    state = get_state(request)
    job = _job(state, job_id, caller)
    # Only the fixed names are served, so no path from the request reaches the filesystem.
    if name not in ARTIFACTS:
        raise ApiError(
            404, f"no artifact {name!r}; artifacts are {sorted(ARTIFACTS)}", type="not_found"
        )
    path = _out_dir(state, job) / name
    if not path.is_file():
        raise ApiError(404, f"{name} has not been written for job {job.id}", type="not_found")
    return FileResponse(path, media_type=ARTIFACTS[name], filename=name)


def _sentence_out(s: ResearchState, notes: dict[str, Note], sentence: Sentence) -> ReportSentence:
    """A report sentence with each citation's note (`notes`, by id) and passage."""
    cited = []
    for note_id in sentence.notes:
        note = notes.get(note_id)
        if note is None:
            continue
        passage = s.passages.get(note.passage_id)
        cited.append(
            CitedPassage(
                note_id=note.id,
                claim=note.claim,
                quote=note.quote,
                passage_id=note.passage_id,
                title=passage.title if passage else "",
                source=passage.source if passage else "",
                location=(passage.url or passage.path) if passage else None,
                text=passage.text if passage else "",
            )
        )
    return ReportSentence(
        text=sentence.text,
        kind=sentence.kind,
        status=sentence.status,
        confidence=sentence.confidence,
        verdict=sentence.verdict,
        citations=cited,
    )


def build_report(job: JobInfo | None, run_state: dict[str, Any]) -> ResearchReport:
    from lyceum.research import ResearchState
    from lyceum.research.citations import shown_report

    s = ResearchState.model_validate(run_state)
    shown = shown_report(s) if s.plan is not None else None
    notes = {n.id: n for n in s.notes}
    sections = [
        ReportSectionOut(
            title=section.title,
            sentences=[
                _sentence_out(s, notes, x) for x in section.sentences if x.status != "dropped"
            ],
        )
        for section in s.sections
    ]
    return ResearchReport(
        job_id=job.id if job else None,
        run_id=s.run_id,
        question=s.question,
        phase=s.phase,
        short_answer=[_sentence_out(s, notes, x) for x in shown.short_answer] if shown else [],
        background=[_sentence_out(s, notes, x) for x in shown.background] if shown else [],
        not_covered=shown.not_covered if shown else [],
        sections=sections,
        verification=s.verification.model_dump() if s.verification else None,
        usage=s.meter.model_dump() | {"elapsed_s": s.elapsed_s, "stopped_by": s.stopped_by},
        problems=s.problems,
    )


@router.get(
    "/jobs/{job_id}/report",
    response_model=ResearchReport,
    summary="The report: sections, sentences, and each citation's passage and verdict",
)
async def report(request: Request, job_id: str, caller: Caller) -> ResearchReport:
    state = get_state(request)
    job = _job(state, job_id, caller)
    row = state.runs.get(job.run_id) if job.run_id else None
    if row is None or not row.state:
        raise NotFoundError(f"job {job.id} has no research state yet (status {job.status})")
    return build_report(job, row.state)


# Every research run of the workspace, CLI runs included. A CLI run belongs to no key, so,
# like the call log, these need an admin key once keys exist.
@router.get(
    "/runs",
    response_model=ResearchRunList,
    summary="Every research run of the workspace (CLI runs included), newest first",
)
async def list_runs(
    request: Request,
    _caller: AdminCaller,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ResearchRunList:
    from lyceum.research.pipeline import RUN_KIND

    state = get_state(request)
    return ResearchRunList(
        runs=[
            ResearchRunOut(
                run_id=r.id,
                question=r.name or "",
                status=r.status,
                phase=str((r.state or {}).get("phase", "")),
                created_at=r.created_at,
            )
            for r in state.runs.list(RUN_KIND, limit)
        ]
    )


@router.get(
    "/runs/{run_id}/report",
    response_model=ResearchReport,
    summary="A research run's report, whether a job or the CLI ran it",
)
async def run_report(request: Request, run_id: str, _caller: AdminCaller) -> ResearchReport:
    from lyceum.research.pipeline import RUN_KIND

    row = get_state(request).runs.get(run_id)
    if row is None or row.kind != RUN_KIND:
        raise NotFoundError(f"no research run {run_id!r}")
    if not row.state:
        raise NotFoundError(f"research run {run_id} has no state yet (status {row.status})")
    return build_report(None, row.state)
