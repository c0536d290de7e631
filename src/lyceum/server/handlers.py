"""Job handlers: a research run and a lab experiment run, each resumable by the run id
the job recorded on its first attempt."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from lyceum.server.budgets import (
    BudgetedModel,
    Spend,
    check_lab_concurrency,
    research_budgets,
)
from lyceum.server.datasets import check_dataset_paths
from lyceum.server.jobs import JobContext
from lyceum.server.pdf_job import compile_in_child
from lyceum.store.calls import CallFilter

if TYPE_CHECKING:
    from lyceum.server.state import ServerState


def _state(ctx: JobContext) -> ServerState:
    state: ServerState = ctx.extras["state"]
    return state


async def research_job(ctx: JobContext) -> dict[str, Any]:
    """Params: question, budgets (ResearchSettings overrides), sources (names), collection."""
    from lyceum.evolve import with_production_prompt
    from lyceum.research import ProgressEvent, research_settings, run_research
    from lyceum.server.state import as_model

    state = _state(ctx)
    base = research_settings(state.settings)
    # Again here: a job queued before a ceiling was lowered runs under the new one.
    overrides = research_budgets(
        dict(ctx.params.get("budgets") or {}), base.model_dump(), state.config, strict=False
    )
    if ctx.params.get("sources"):
        overrides["sources"] = ctx.params["sources"]
    if ctx.params.get("collection"):
        overrides["collection"] = ctx.params["collection"]
    config = base.with_overrides(**overrides)
    # TeX runs below, in a process group of its own, not on the event loop.
    compile_pdf = config.compile_pdf
    config = config.model_copy(update={"compile_pdf": False})
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
        role_wrapper=lambda role: with_production_prompt(role, state.settings),
        **options,
    )
    files = {name: path.name for name, path in result.files.items()}
    pdf_message = result.pdf_message
    if compile_pdf and (result.out_dir / "paper.tex").is_file():
        ctx.emit("pdf", "compiling paper.pdf")
        outcome = await compile_in_child(
            result.out_dir, attempts=config.compile_attempts, timeout_s=state.config.pdf_timeout_s
        )
        pdf_message = outcome.message
        if outcome.ok:
            files["pdf"] = "paper.pdf"
        _record_compile(state, result.run_id, [*outcome.log, outcome.message])
        ctx.emit("pdf", outcome.message, {"ok": outcome.ok})
    return {
        "run_id": result.run_id,
        "out_dir": str(result.out_dir),
        "files": files,
        "pdf_message": pdf_message,
    }


def _record_compile(state: ServerState, run_id: str, log: list[str]) -> None:
    """Append the compile log to the run's saved state, where the CLI's runs keep it."""
    row = state.runs.get(run_id)
    if row is None or not isinstance(row.state, dict):
        return
    saved = dict(row.state)
    saved["compile_log"] = [*(saved.get("compile_log") or []), *log]
    state.runs.save_state(run_id, saved)


async def lab_job(ctx: JobContext) -> dict[str, Any]:
    """Params: experiment_id, config (a validated experiment as JSON)."""
    from lyceum.lab import ExperimentRunner, parse_experiment
    from lyceum.lab.runner import gateway_resolver
    from lyceum.progress import ProgressEvent

    state = _state(ctx)
    config = parse_experiment(ctx.params["config"], f"experiment {ctx.params.get('experiment_id')}")
    data_dir = state.config.data_path(state.settings)
    # Checked again at run time: the experiment may predate the check, or a symlink in
    # the data folder may have changed since it was created.
    check_dataset_paths(config, data_dir)
    check_lab_concurrency(config.concurrency, state.config)
    spend = Spend(state.config.lab_max_tokens, state.config.lab_max_cost_usd)
    if ctx.run_id:
        used = state.call_log.summary(CallFilter(run_id=ctx.run_id))
        spend.add(used.prompt_tokens + used.completion_tokens, used.cost_usd)
    resolve = gateway_resolver(state.gateway)
    done = 0

    def on_progress(event: ProgressEvent) -> None:
        nonlocal done
        if event.kind != "advance":
            return
        done += 1
        data = event.data
        ctx.emit(
            "result",
            event.message,
            {
                "done": done,
                "status": data["status"],
                "method": data["method"],
                "model": data["model"],
            },
        )

    runner = ExperimentRunner(
        config,
        db=state.db,
        resolve_model=lambda name: BudgetedModel(resolve(name), spend),
        base_dir=data_dir,
        progress=on_progress,
        settings=state.settings,
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
