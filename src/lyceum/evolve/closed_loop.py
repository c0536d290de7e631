"""`lyceum evolve run`: the whole loop in one resumable command.

harvest (arena runs held out) -> gate -> review -> compose -> hold out the arena -> train
-> export -> register -> arena against production -> promote or refuse.

Training and arena stay disjoint. With held-out writer tasks (`--tasks`, or `[evolve]
arena_tasks`), every harvested example from one of the tasks' research runs (by run id) or
asking one of their research questions is dropped before the gate; after compose, every
training row whose prompt contains an arena question (a task's research question, or a
question of the suite's seeded sample) is dropped too, which also catches accepted batches
of earlier runs.

Each stage's result is written to `OUT/run.json` as soon as it is done; a run started
again with the same OUT skips the finished stages (training itself resumes from its last
checkpoint), so a kill costs at most the stage in flight. The budget (`max_hours`) is
wall-clock over all attempts: training gets what the arena will not need, and a run whose
budget is spent stops between stages, saying so.

The first time a model is trained on a workspace, the untrained base is registered and
promoted as the production model version, so that promoting the candidate leaves it as
the backup and `lyceum evolve rollback model` restores it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from lyceum.config import Settings
from lyceum.errors import ConfigError
from lyceum.evolve import loop
from lyceum.evolve.examples import load_batch, write_batch
from lyceum.evolve.registry import Registry, Version
from lyceum.evolve.settings import evolve_settings
from lyceum.evolve.writer_skill import WriterTask, held_out_keys, load_tasks
from lyceum.lab.datasets.base import load_examples, sample_examples
from lyceum.lab.experiment import load_experiment
from lyceum.llm.backends.openmp_team import run_with_own_team
from lyceum.progress import ProgressCallback, ProgressEvent, ignore_progress

ARENA_SHARE = 0.3
"""Share of the remaining budget kept back from training for the arena."""

Stage = Literal["harvest", "gate", "review", "compose", "train", "register", "arena", "decide"]


class RunOptions(BaseModel):
    base_model: str
    kind: Literal["sft", "dpo", "auto"] = "auto"
    out_dir: Path
    max_hours: float | None = None
    max_steps: int | None = None
    trajectories: list[Path] = Field(default_factory=list)
    lab_runs: list[str] = Field(default_factory=list)
    batch: Path | None = None
    approve: bool = False
    reviewer: str = ""
    suite: Path | None = None
    tasks: Path | None = None
    name: str = ""


class RunState(BaseModel):
    """What `run.json` holds: the options, the finished stages' results, time spent."""

    options: RunOptions
    done: dict[str, dict[str, Any]] = Field(default_factory=dict)
    seconds_spent: float = 0.0
    outcome: str = ""


class StopRun(ConfigError):
    """The run stopped between stages; the message says why and how to go on."""


def _state_path(out_dir: Path) -> Path:
    return out_dir / "run.json"


def load_state(options: RunOptions) -> RunState:
    path = _state_path(options.out_dir)
    if not path.exists():
        return RunState(options=options)
    try:
        state = RunState.model_validate_json(path.read_text())
    except ValueError as exc:
        raise ConfigError(f"{path} is not a run state ({exc})", hint="Use a new --out.") from None
    if state.options.base_model != options.base_model:
        raise ConfigError(
            f"{options.out_dir} holds a run on {state.options.base_model}",
            hint="Resume with the same --base-model, or use a new --out.",
        )
    return state


def _save(state: RunState) -> None:
    state.options.out_dir.mkdir(parents=True, exist_ok=True)
    path = _state_path(state.options.out_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(state.model_dump_json(indent=1))
    tmp.replace(path)


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _arena_tasks(settings: Settings, tasks: Path | None) -> list[WriterTask]:
    path = loop.arena_tasks_path(settings, tasks)
    return load_tasks(path) if path is not None else []


def arena_questions(settings: Settings, suite: Path | None, tasks: Path | None = None) -> set[str]:
    """The arena's questions, normalised: training must not see them. With writer tasks,
    their research questions, plus the capability suite's sample when there is a suite."""
    es = evolve_settings(settings)
    out = {_normal(t.question) for t in _arena_tasks(settings, tasks)}
    if out and suite is None and es.arena_experiment is None:
        return out
    path = loop._suite_path(es, settings.workspace, suite)
    config = load_experiment(path)
    for spec in config.datasets:
        examples = load_examples(spec.name, spec.options, base_dir=path.resolve().parent)
        # the arena plays the runner's seeded sample, so that sample is what is held out
        for example in sample_examples(examples, spec.sample_size or config.sample_size,
                                       config.seed):  # fmt: skip
            out.add(_normal(example.question))
    return out


def hold_out(corpus_dir: Path, questions: set[str]) -> dict[str, int]:
    """Drop from sft.jsonl / dpo.jsonl every row whose prompt contains an arena question;
    returns the rows kept per file and the number dropped."""
    counts = {"dropped": 0}
    for name, key in (("sft.jsonl", "instruction"), ("dpo.jsonl", "prompt")):
        path = corpus_dir / name
        if not path.exists():
            counts[name] = 0
            continue
        kept = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            text = _normal(str(row.get(key, "")) + " " + str(row.get("input", "")))
            if any(q and q in text for q in questions):
                counts["dropped"] += 1
                continue
            kept.append(line)
        path.write_text("".join(k + "\n" for k in kept), encoding="utf-8")
        counts[name] = len(kept)
    return counts


def hold_out_runs(batch: Path, tasks: list[WriterTask], out: Path) -> int:
    """Write to `out` the candidates of `batch` that come from none of the tasks' research
    runs and ask none of their questions; returns how many were dropped."""
    runs, questions = held_out_keys(tasks)
    normal = {_normal(q) for q in questions}
    kept, dropped = [], 0
    for example in load_batch(batch):
        text = _normal(example.instruction + " " + example.input)
        if example.source_run in runs or any(q and q in text for q in normal):
            dropped += 1
            continue
        kept.append(example)
    write_batch(out, kept)
    return dropped


def ensure_base_in_production(registry: Registry, base_model: str) -> Version:
    """The production model version; the untrained base is registered and promoted first
    when there is none, so that a promotion leaves something to roll back to."""
    current = registry.production("model")
    if current is not None:
        return current
    base = registry.register(
        "model", {"base_model": base_model, "trained_on_depth": 0},
        name=f"{base_model}-base-{int(time.time())}", reason="the untrained embedded model",
    )  # fmt: skip
    return registry.promote(base.id, reason="the untrained base serves until a model wins")


ArenaRunner = Callable[[Settings, str, Path | None, Path | None], Any]


def _budget_left(state: RunState, since: float) -> float | None:
    """Seconds of budget left; `since` is when the time not yet in `seconds_spent` began."""
    if state.options.max_hours is None:
        return None
    return state.options.max_hours * 3600 - state.seconds_spent - (time.perf_counter() - since)


def run_loop(settings: Settings, options: RunOptions, run_arena: ArenaRunner,
             progress: ProgressCallback | None = None) -> RunState:  # fmt: skip
    """Run (or resume) the loop. `run_arena(settings, version_name, suite, tasks)` plays the
    arena and returns (version, ArenaResult); the CLI passes one over the workspace gateway.
    `progress` hears a "stage" event as each stage ends (its message `[stage] {result}`)
    and the trainer's events."""
    emit = progress or ignore_progress
    state = load_state(options)
    state.options = options
    started = time.perf_counter()
    out = options.out_dir
    registry = Registry(loop.database(settings))

    mark = started

    def finish(stage: Stage, result: dict[str, Any]) -> None:
        nonlocal mark
        state.done[stage] = result
        state.seconds_spent += time.perf_counter() - mark
        mark = time.perf_counter()
        _save(state)
        line = f"[{stage}] {json.dumps(result, default=str)[:300]}"
        emit(ProgressEvent(kind="stage", message=line, data={"stage": stage}))

    def check_budget(stage: Stage) -> None:
        left = _budget_left(state, mark)
        if left is not None and left <= 0:
            _save(state)
            raise StopRun(f"the --max-hours budget is spent before {stage}",
                          hint=f"Run again with a larger --max-hours and --out {out}.")  # fmt: skip

    batch = options.batch or out / "batch.jsonl"
    if "harvest" not in state.done:
        if options.batch is None:
            examples = loop.harvest_to_file(settings, batch, trajectories=options.trajectories,
                                            lab_runs=options.lab_runs)  # fmt: skip
            n = len(examples)
        else:
            n = sum(1 for line in batch.read_text().splitlines() if line.strip())
        held = _arena_tasks(settings, options.tasks)
        dropped = 0
        if held:
            dropped = hold_out_runs(batch, held, out / "batch.jsonl")
            batch = out / "batch.jsonl"
        finish("harvest", {"batch": str(batch), "examples": n - dropped,
                           "dropped_arena_runs": dropped})  # fmt: skip
    batch = Path(state.done["harvest"]["batch"])
    if "gate" not in state.done:
        info = loop.check(settings, batch)
        violated = [r.rule for r in info.decision.violations]
        finish("gate", {"batch_id": info.id, "status": info.status, "violations": violated})
    if state.done["gate"]["violations"]:
        state.outcome = "refused by the gate: " + ", ".join(state.done["gate"]["violations"])
        _save(state)
        return state
    if "review" not in state.done:
        if not options.approve:
            _save(state)
            raise StopRun("the batch passed the gate and waits for review",
                          hint=f"Review it (lyceum evolve review {batch}), then run again with "
                          "--approve, or pass --approve to record a scripted approval.")  # fmt: skip
        info = loop.review(settings, batch, approved=True, scripted=True,
                           reviewer=options.reviewer, reason="approved by evolve run --approve")  # fmt: skip
        finish("review", {"status": info.status})
    if "compose" not in state.done:
        manifest = loop.compose(settings, out / "corpus")
        counts = hold_out(out / "corpus",
                          arena_questions(settings, options.suite, options.tasks))  # fmt: skip
        finish("compose", {"total": manifest.total, **counts})
    kind = options.kind
    if kind == "auto":
        kind = "dpo" if state.done["compose"].get("dpo.jsonl", 0) >= 8 else "sft"
    if "train" not in state.done:
        check_budget("train")
        left = _budget_left(state, mark)
        result = _train(options, kind, out, None if left is None else left * (1 - ARENA_SHARE),
                        emit)  # fmt: skip
        finish("train", result.model_dump(mode="json"))
    if "register" not in state.done:
        from lyceum.train.trainer import TrainResult

        ensure_base_in_production(registry, options.base_model)
        result = TrainResult.model_validate(state.done["train"])
        version = loop.register_trained(
            settings, result, out / "corpus" / f"{kind}.jsonl", training_kind=kind,
            base_model=options.base_model, name=options.name,
        )  # fmt: skip
        finish("register", {"version": version.name, "id": version.id})
    name = state.done["register"]["version"]
    if "arena" not in state.done:
        check_budget("arena")
        version, arena = run_arena(settings, name, options.suite, options.tasks)
        finish("arena", arena.model_dump(mode="json"))
    arena_passed = bool(state.done["arena"]["passed"])
    if "decide" not in state.done:
        if arena_passed:
            promoted = loop.promote(settings, name, reason="won the arena in evolve run")
            state.outcome = f"promoted {promoted.name}"
        else:
            reasons = "; ".join(state.done["arena"]["reasons"])
            state.outcome = f"refused {name}: {reasons}"
        finish("decide", {"outcome": state.outcome})
    return state


def _train(options: RunOptions, kind: str, out: Path, max_seconds: float | None,
           emit: ProgressCallback) -> Any:  # fmt: skip
    from lyceum.train import DPOSpec, SFTSpec, train_dpo, train_sft

    data = out / "corpus" / f"{kind}.jsonl"
    extra: dict[str, Any] = {"base_model": options.base_model}
    if options.max_steps is not None:
        extra["max_steps"] = options.max_steps
    # On a thread of its own: training's OpenMP team must not outlive it, or the arena's
    # embedded model decodes at throttled speed afterwards (lyceum.llm.backends.openmp_team).
    if kind == "sft":
        return run_with_own_team(train_sft, SFTSpec(**extra), data, out / "train",
                                 max_seconds=max_seconds, progress=emit)  # fmt: skip
    return run_with_own_team(train_dpo, DPOSpec(**extra), data, out / "train",
                             max_seconds=max_seconds, progress=emit)  # fmt: skip


def describe(state: RunState) -> Sequence[str]:
    """The run's stages and outcome as lines for the terminal."""
    lines = [f"{stage}: done" for stage in state.done]
    if state.outcome:
        lines.append(f"outcome: {state.outcome}")
    return lines
