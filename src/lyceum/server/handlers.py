"""Job handlers: a research run and a lab experiment run, each resumable by the run id
the job recorded on its first attempt."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from lyceum.server.jobs import JobContext

if TYPE_CHECKING:
    from lyceum.server.state import ServerState


def _state(ctx: JobContext) -> ServerState:
    state: ServerState = ctx.extras["state"]
    return state


async def research_job(ctx: JobContext) -> dict[str, Any]:
    """Params: question, budgets (ResearchSettings overrides), sources (names)."""
    from lyceum.research import ProgressEvent, research_settings, run_research
    from lyceum.server.state import as_model

    state = _state(ctx)
    overrides = dict(ctx.params.get("budgets") or {})
    if ctx.params.get("sources"):
        overrides["sources"] = ctx.params["sources"]
    config = research_settings(state.settings).with_overrides(**overrides)
    out_dir = state.config.jobs_path(state.settings) / ctx.job_id
    options = dict(ctx.extras.get("research_options") or {})

    def progress(event: ProgressEvent) -> None:
        if event.kind == "run" and event.data.get("run_id"):
            ctx.set_run_id(str(event.data["run_id"]))
        ctx.emit(event.kind, event.message, event.data)

    result = await run_research(
        ctx.params["question"],
        out_dir=out_dir,
        settings=state.settings,
        config=config,
        resume=ctx.run_id,
        model=as_model(state.gateway),
        progress=progress,
        db=state.db,
        **options,
    )
    return {
        "run_id": result.run_id,
        "out_dir": str(result.out_dir),
        "files": {name: path.name for name, path in result.files.items()},
        "pdf_message": result.pdf_message,
    }


async def lab_job(ctx: JobContext) -> dict[str, Any]:
    """Params: experiment_id, config (a validated experiment as JSON)."""
    from lyceum.lab import ExperimentRunner, parse_experiment
    from lyceum.lab.runner import WorkItem, gateway_resolver

    state = _state(ctx)
    config = parse_experiment(ctx.params["config"], f"experiment {ctx.params.get('experiment_id')}")
    done = 0

    def on_result(item: WorkItem, status: str) -> None:
        nonlocal done
        done += 1
        ctx.emit(
            "result",
            f"{item.dataset}/{item.method}@{item.model} {item.example.id}: {status}",
            {"done": done, "status": status, "method": item.method, "model": item.model},
        )

    runner = ExperimentRunner(
        config,
        db=state.db,
        resolve_model=gateway_resolver(state.gateway),
        base_dir=state.settings.workspace,
        on_result=on_result,
        **dict(ctx.extras.get("lab_options") or {}),
    )
    task = asyncio.create_task(runner.run(resume=ctx.run_id))
    # The runner creates its run row before the first example; record it on the job at
    # once so that a restart resumes this run rather than starting another.
    while runner.run_id is None and not task.done():
        await asyncio.sleep(0.02)
    if runner.run_id is not None:
        ctx.set_run_id(runner.run_id)
        ctx.emit("run", f"experiment run {runner.run_id}", {"run_id": runner.run_id})
    try:
        summary = await task
    except asyncio.CancelledError:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        raise
    return summary.model_dump(mode="json")
