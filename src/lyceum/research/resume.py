"""Starting a research run, or loading a saved one to resume it.

A new run is a row in the `runs` table holding the question, the options it starts with and
its output folder. A resumed run keeps those options except its budgets
(`RESUMABLE_OPTIONS`): the breadth, depth and sources shaped the plan and what was read. A
run that a budget stopped goes back to gathering when the resumed budgets leave room.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lyceum.errors import LyceumError, NotFoundError
from lyceum.research.budget import Clock, exhausted
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import ResearchState
from lyceum.store.calls import Runs

RUN_KIND = "research"

DEFAULT_OUT_DIR = Path("research-out")
# What a resumed run may change: budgets and how it finishes. The breadth, depth and sources
# shaped the plan and the passages already read, so changing them would mix two designs.
RESUMABLE_OPTIONS = frozenset(
    {"max_rounds", "max_time_s", "max_tokens", "max_cost_usd", "concurrency", "compile_pdf"}
)


def _resumed_config(
    stored: ResearchSettings, state: ResearchState, overrides: dict[str, Any]
) -> ResearchSettings:
    given = {k: v for k, v in overrides.items() if v is not None}
    fixed = sorted(
        k for k, v in given.items() if k not in RESUMABLE_OPTIONS and v != getattr(stored, k)
    )
    if fixed:
        raise LyceumError(
            f"cannot change {', '.join(fixed)} when resuming run {state.run_id}: "
            "its plan and reading were made with the options it started with",
            hint="Resume with budget options only (max rounds, time, tokens, cost, "
            "concurrency, PDF), or start a new run.",
        )
    state.resume_overrides = {**state.resume_overrides, **given}
    return stored.with_overrides(**state.resume_overrides)


def reopen_for_budget(state: ResearchState, config: ResearchSettings) -> bool:
    """Send a run that a budget stopped back to gathering when the resumed budgets leave
    room (its report is then written again from all the evidence); True if reopened."""
    if state.stopped_by is None or state.phase in ("plan", "gather", "analyze"):
        return False
    meter, clock = state.meter, Clock(state.elapsed_s)
    if exhausted(meter, clock, config):
        return False
    state.stopped_by = None
    state.phase = "gather" if state.plan is not None else "plan"
    state.sections = []
    state.verification = None
    return True


def load_or_create(
    runs: Runs,
    question: str | None,
    resume: str | None,
    config: ResearchSettings,
    out_dir: Path | None,
    overrides: dict[str, Any],
) -> tuple[ResearchState, ResearchSettings, Path]:
    if resume:
        row = runs.get(resume)
        if row is None or row.kind != RUN_KIND:
            raise NotFoundError(
                f"no research run {resume!r}", hint="List runs with 'lyceum research --list'."
            )
        stored = ResearchSettings(**row.config.get("research", {}))
        state = (
            ResearchState.model_validate(row.state)
            if row.state
            else ResearchState(run_id=resume, question=row.config["question"])
        )
        if question and question.strip() != state.question:
            raise LyceumError(
                f"run {resume} researched {state.question!r}, not {question!r}",
                hint="Leave out the question when resuming.",
            )
        config = _resumed_config(stored, state, overrides)
        out = out_dir or Path(row.config.get("out_dir") or DEFAULT_OUT_DIR)
        return state, config, out
    if not question or not question.strip():
        raise LyceumError(
            "no research question given", hint='lyceum research "your question" --out DIR'
        )
    config = config.with_overrides(**overrides)
    out = out_dir or DEFAULT_OUT_DIR.resolve()
    run_id = runs.create(
        RUN_KIND,
        name=question.strip()[:500],
        config={
            "question": question.strip(),
            "research": config.model_dump(mode="json"),
            "out_dir": str(out),
        },
    )
    state = ResearchState(run_id=run_id, question=question.strip())
    runs.save_state(run_id, state.model_dump(mode="json"))
    return state, config, out
