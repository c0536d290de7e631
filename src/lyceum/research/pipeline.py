"""The research pipeline: plan, gather, analyze, mine, write, verify, render — resumable.

`run_research` is the one entry point. It starts a run or loads a saved one
(`lyceum.research.resume`), builds from the settings whatever it is not given
(`lyceum.research.wiring`), and runs the phases (`lyceum.research.run.ResearchRun`). Each
phase extends the `ResearchState`, which is checkpointed in the `runs` table after every step
and every sub-question. `run_research(..., resume=run_id)` loads the last checkpoint and
carries on; finished work is not redone and repeated model calls (a step cut off mid-way) are
answered by the gateway's exact cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from lyceum.config import Settings, load_settings
from lyceum.llm.gateway import Gateway
from lyceum.llm.model import Model
from lyceum.research import wiring
from lyceum.research.progress import ProgressCallback, ProgressEvent, ignore_progress
from lyceum.research.relevance import Relevance
from lyceum.research.resume import RUN_KIND, load_or_create, reopen_for_budget
from lyceum.research.run import ResearchRun
from lyceum.research.settings import ResearchSettings, research_settings
from lyceum.research.state import ResearchState
from lyceum.research.verify import ClaimScorer
from lyceum.research.wiring import RoleWrapper
from lyceum.sources.base import Source
from lyceum.store.calls import Runs
from lyceum.store.db import Database, open_database

__all__ = ["RUN_KIND", "ResearchResult", "research_runs", "run_research"]


@dataclass
class ResearchResult:
    run_id: str
    out_dir: Path
    state: ResearchState
    files: dict[str, Path]
    pdf_message: str

    @property
    def report(self) -> str:
        return self.files["report"].read_text("utf-8")


async def run_research(
    question: str | None,
    *,
    out_dir: Path | str | None = None,
    settings: Settings | None = None,
    config: ResearchSettings | None = None,
    resume: str | None = None,
    overrides: dict[str, Any] | None = None,
    model: Model | None = None,
    sources: list[Source] | None = None,
    scorer: ClaimScorer | None = None,
    progress: ProgressCallback = ignore_progress,
    db: Database | None = None,
    relevance: Relevance | None = None,
    role_wrapper: RoleWrapper | None = None,
) -> ResearchResult:
    """Research `question` and write report.md, paper.tex, references.bib, trajectory.jsonl
    (and paper.pdf with TeX) into `out_dir` (default ./research-out).

    `resume` continues a run from its checkpoint, with the settings it started with and
    into the folder it started with (unless `out_dir` is given). `overrides` (option name
    -> value; None values are ignored) apply over `config` for a new run; for a resumed
    run only budgets may change (`RESUMABLE_OPTIONS`), and a run that a budget stopped
    goes back to gathering when the new budgets leave room.

    `model` defaults to the gateway built from settings (roles brain/worker/writer);
    `sources` to those named in the config; `scorer` to the trained faithfulness verifier;
    `relevance` to cosines of `config.relevance_model` (MiniLM). `role_wrapper` wraps
    each role's model (the CLI and the server apply the promoted production prompt).
    """
    settings = settings or load_settings()
    config = config or research_settings(settings)
    given_out = Path(out_dir).expanduser().resolve() if out_dir is not None else None
    db = db or open_database(settings.database_url)
    runs = Runs(db)
    state, config, out = load_or_create(
        runs, question, resume, config, given_out, dict(overrides or {})
    )
    reopened = bool(resume) and reopen_for_budget(state, config)
    sources = sources if sources is not None else wiring.build_sources(config, settings)
    owned: Gateway | None = None
    if model is None:
        owned = wiring.owned_gateway(settings, db)
        model = cast(Model, owned)
    config = wiring.model_steps(model, config)
    if scorer is None:
        scorer = wiring.run_scorer(model, config, state, progress)
    progress(
        ProgressEvent(
            kind="run",
            message=("resumed " if resume else "started ") + state.run_id,
            data={
                "run_id": state.run_id,
                "question": state.question,
                "phase": state.phase,
                "out_dir": str(out),
                "overrides": state.resume_overrides if resume else {},
                "reopened": reopened,
            },
        )
    )
    if relevance is None:
        relevance = wiring.default_relevance(config, settings)
    run = ResearchRun(
        state,
        config,
        roles=wiring.role_models(model, config, role_wrapper),
        sources=sources,
        scorer=scorer,
        runs=runs,
        db=db,
        settings=settings,
        progress=progress,
        relevance=relevance,
    )
    try:
        rendered = await run.run(out)
    except BaseException:
        run.save(status="interrupted")
        raise
    finally:
        if owned is not None:
            await owned.aclose()
    message = rendered.compile.message if rendered.compile else "PDF compilation disabled"
    return ResearchResult(state.run_id, out, state, rendered.files, message)


def research_runs(settings: Settings, limit: int = 20) -> list[dict[str, Any]]:
    """Recent research runs of the workspace `settings` describe: id, question, status, phase."""
    rows = Runs(open_database(settings.database_url)).list(RUN_KIND, limit)
    return [
        {
            "run_id": r.id,
            "question": r.name,
            "status": r.status,
            "phase": (r.state or {}).get("phase", ""),
            "created_at": r.created_at,
        }
        for r in rows
    ]
