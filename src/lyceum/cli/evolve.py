"""`lyceum evolve`: harvest, gate, review, compose, evolve prompts, arena, registry, train."""

from __future__ import annotations

import asyncio
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lyceum.cli.progress import MessageLines
from lyceum.cli.state import state

if TYPE_CHECKING:
    from lyceum.evolve.batches import BatchInfo

evolve_app = typer.Typer(
    help="Self-improvement loop: gated data, prompt evolution, arena, registry, training.\n\n"
    "The promoted prompt version is the production system-prompt addendum. Code that builds a "
    "model picks it up with lyceum.evolve.with_production_prompt(model, settings) (or reads "
    "it with lyceum.evolve.production_prompt(settings)); a rollback changes it back. "
    "'evolve train' registers its adapter as a model candidate with its losses and "
    "trained_on_depth (the deepest generation_depth of its training rows).",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=True)


class Kind(StrEnum):
    prompt = "prompt"
    model = "model"


class TrainKind(StrEnum):
    sft = "sft"
    dpo = "dpo"


def _print_decision(info: BatchInfo) -> None:
    for rule in info.decision.rules:
        mark = "[green]ok[/]  " if rule.passed else "[red]FAIL[/]"
        out.print(f"{mark} {rule.rule}: {escape(rule.message)}")


@evolve_app.command("harvest")
def harvest(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Batch JSONL to write.")],
    trajectories: Annotated[
        list[Path] | None,
        typer.Option("--trajectories", "-t", help="trajectory.jsonl files or run folders."),
    ] = None,
    lab_runs: Annotated[
        list[str] | None, typer.Option("--lab-run", "-l", help="Experiment run ids.")
    ] = None,
    depth: Annotated[
        int | None, typer.Option(help="Generation depth; default: production model's + 1.")
    ] = None,
) -> None:
    """Turn research trajectories and lab runs into a candidate batch."""
    from lyceum.evolve.loop import harvest_to_file

    examples = harvest_to_file(
        state.settings(), out_file, trajectories=trajectories or [], lab_runs=lab_runs or [],
        depth=depth,
    )  # fmt: skip
    sft = sum(e.kind == "sft" for e in examples)
    out.print(f"{len(examples)} examples ({sft} sft, {len(examples) - sft} dpo) -> {out_file}")


@evolve_app.command("check")
def check(
    batch: Annotated[Path, typer.Argument(help="Batch JSONL.")],
    corpus: Annotated[
        Path | None,
        typer.Option(help="Compare with this batch-format corpus instead of the current one."),
    ] = None,
) -> None:
    """Gate a batch: exit 0 when accepted, 1 naming every violated rule when refused."""
    from lyceum.evolve.loop import check as check_batch

    info = check_batch(state.settings(), batch, corpus=corpus)
    _print_decision(info)
    violated = [r.rule for r in info.decision.violations]
    if violated:
        out.print(f"refused batch {info.id}: violates {', '.join(violated)}")
        # Not typer.Exit: click run with standalone_mode=False (lyceum's entry point) returns
        # that exit code instead of exiting with it, so the process would exit 0.
        sys.exit(1)
    out.print(
        f"accepted by the gate: batch {info.id} ({info.n_examples} examples); "
        f"status {info.status}. Next: lyceum evolve review {batch}"
    )


@evolve_app.command("review")
def review(
    batch: Annotated[Path, typer.Argument(help="A batch the gate accepted.")],
    sample: Annotated[int | None, typer.Option(help="Examples to show.")] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Approve without asking (recorded as scripted).")
    ] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Reject the batch.")] = False,
    reason: Annotated[str, typer.Option(help="Why; kept with the review.")] = "",
    reviewer: Annotated[str, typer.Option(help="Who reviewed.")] = "",
) -> None:
    """Show a seeded random sample of a batch and record approval or rejection."""
    from lyceum.evolve.loop import review as record
    from lyceum.evolve.loop import sample_for_review

    settings = state.settings()
    shown = sample_for_review(settings, batch, sample)
    for ex in shown:
        out.print(f"[bold]{escape(ex.id)}[/] ({ex.kind}, depth {ex.generation_depth}, "
                  f"quality {ex.quality:.2f}, {escape(ex.source or '-')})")  # fmt: skip
        out.print(f"  instruction: {escape(ex.instruction[:300])}")
        out.print(f"  output: {escape(ex.output[:300])}")
        if ex.rejected:
            out.print(f"  rejected: {escape(ex.rejected[:300])}")
    if reject:
        approved, scripted = False, yes
    elif yes:
        approved, scripted = True, True
    else:
        approved = typer.confirm(f"Approve this batch ({len(shown)} examples shown)?")
        scripted = False
    info = record(
        settings, batch, approved=approved, scripted=scripted, reviewer=reviewer, reason=reason,
        size=sample,
    )  # fmt: skip
    how = " (scripted --yes)" if scripted and approved else ""
    out.print(f"batch {info.id}: {info.status}{how}")


@evolve_app.command("compose")
def compose(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for sft/dpo/manifest.")],
) -> None:
    """Write the training corpus: anchor 60 %, trajectories 30 %, negatives 10 %."""
    from lyceum.evolve.loop import compose as compose_corpus

    manifest = compose_corpus(state.settings(), out_dir)
    for name, part in manifest.parts.items():
        out.print(f"{name}: {part.used} used of {part.available} (wanted {part.wanted})")
    out.print(f"{manifest.total} examples -> {out_dir}")


@evolve_app.command("evolve-prompt")
def evolve_prompt(
    lab_runs: Annotated[
        list[str] | None, typer.Option("--lab-run", "-l", help="Experiment run ids.")
    ] = None,
    trajectories: Annotated[
        list[Path] | None, typer.Option("--trajectories", "-t", help="Research runs.")
    ] = None,
    role: Annotated[str, typer.Option(help="Gateway route that distils principles.")] = "default",
) -> None:
    """Distil principles from episodes into a new candidate system-prompt addendum."""
    from lyceum.evolve.loop import evolve_prompt_from_runs
    from lyceum.lab.runner import gateway_resolver
    from lyceum.store.db import open_database
    from lyceum.wiring import build_gateway

    settings = state.settings()

    async def go():
        gateway = build_gateway(settings, db=open_database(settings.database_url))
        try:
            return await evolve_prompt_from_runs(
                settings, gateway_resolver(gateway)(role), lab_runs=lab_runs or [],
                trajectories=trajectories or [],
            )  # fmt: skip
        finally:
            await gateway.aclose()

    result = asyncio.run(go())
    if result.version is None:
        out.print(f"no new principle among {len(result.proposed)} proposed; nothing registered")
        return
    out.print(f"registered {result.version.name} ({result.version.id[:8]}), "
              f"{len(result.new)} new principle(s):")  # fmt: skip
    out.print(escape(result.version.payload["addendum"]))


@evolve_app.command("tasks")
def tasks_cmd(
    trajectories: Annotated[
        list[Path], typer.Option("--trajectories", "-t", help="Held-out research runs.")
    ],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Task JSONL to write.")],
) -> None:
    """Write the writer-draft tasks of held-out research runs: the arena's target metric
    (set \\[evolve] arena_tasks or pass --tasks); 'evolve run' keeps their runs out of training."""
    from lyceum.evolve.harvest import trajectory_files
    from lyceum.evolve.writer_skill import tasks_from_trajectory, write_tasks

    found = [t for path in trajectory_files(trajectories) for t in tasks_from_trajectory(path)]
    n = write_tasks(out_file, found)
    runs = len({t.run_id for t in found})
    as_written = sum(t.draft_label == "supported" for t in found)
    out.print(f"{n} tasks from {runs} runs -> {out_file} ({as_written} drafts were supported "
              "as written in the runs themselves)")  # fmt: skip


@evolve_app.command("arena")
def arena(
    version: Annotated[str, typer.Argument(help="Candidate version (name or id).")],
    suite: Annotated[Path | None, typer.Option(help="Experiment YAML of the suite.")] = None,
    tasks: Annotated[
        Path | None,
        typer.Option(help="Held-out writer tasks (from 'evolve tasks'): the target metric."),
    ] = None,
) -> None:
    """Run a candidate against production: on held-out writer tasks (the target skill) with
    the suite as capability check, or on the suite alone."""
    from lyceum.evolve.loop import arena as run_arena
    from lyceum.lab.runner import gateway_resolver
    from lyceum.store.db import open_database
    from lyceum.wiring import build_gateway

    settings = state.settings()

    async def go():
        gateway = build_gateway(settings, db=open_database(settings.database_url))
        try:
            return await run_arena(settings, version, gateway_resolver(gateway), suite=suite,
                                   tasks=tasks)  # fmt: skip
        finally:
            await gateway.aclose()

    candidate, result = asyncio.run(go())
    table = Table("measure", "n", "production", "candidate", "difference")
    if result.target != "suite":
        o = result.overall
        table.add_row(f"target: {result.target}", str(o.n), f"{o.a_accuracy:.1%}",
                      f"{o.b_accuracy:.1%}", f"{o.difference * 100:+.1f}")  # fmt: skip
    for d in result.datasets:
        table.add_row(d.dataset, str(d.n), f"{d.production_accuracy:.1%}",
                      f"{d.candidate_accuracy:.1%}", f"{d.difference * 100:+.1f}")  # fmt: skip
    out.print(table)
    out.print(escape(result.overall.statement))
    if result.passed:
        out.print(f"{candidate.name} won the arena (run {result.run_id}); "
                  f"promote with: lyceum evolve promote {candidate.name}")  # fmt: skip
    else:
        out.print(f"{candidate.name} lost the arena: {escape('; '.join(result.reasons))}")


@evolve_app.command("promote")
def promote(
    version: Annotated[str, typer.Argument(help="Candidate version (name or id).")],
    reason: Annotated[str, typer.Option(help="Why; kept in the transition log.")] = "",
    force: Annotated[bool, typer.Option(help="Promote without an arena win (logged).")] = False,
) -> None:
    """Make a candidate production; the current production becomes the backup."""
    from lyceum.evolve.loop import promote as do_promote

    promoted = do_promote(state.settings(), version, reason=reason, force=force)
    out.print(f"{promoted.name} is now production ({promoted.kind})")


@evolve_app.command("rollback")
def rollback(
    kind: Annotated[Kind, typer.Argument(help="prompt or model.")] = Kind.prompt,
    reason: Annotated[
        str, typer.Option(help="Why; kept in the transition log.")
    ] = "manual rollback",
) -> None:
    """Restore the backup version of KIND as production."""
    from lyceum.evolve.loop import rollback as do_rollback

    restored = do_rollback(state.settings(), kind.value, reason=reason)
    out.print(f"rolled back: {restored.name} is production again ({restored.kind})")


@evolve_app.command("status")
def status(
    transitions: Annotated[int, typer.Option(help="Latest transitions to show.")] = 10,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object: batches, versions, transitions.")
    ] = False,
) -> None:
    """Batches, registry versions and the latest transitions."""
    from lyceum.evolve.batches import list_batches
    from lyceum.evolve.loop import database
    from lyceum.evolve.registry import Registry

    db = database(state.settings())
    if as_json:
        registry = Registry(db)
        names = {v.id: v.name for v in registry.versions()}
        doc = {
            "batches": [
                {
                    "id": b.id,
                    "examples": b.n_examples,
                    "status": b.status,
                    "violations": [r.rule for r in b.decision.violations],
                }
                for b in list_batches(db)
            ],
            "versions": [
                {"name": v.name, "kind": v.kind, "status": v.status, "metrics": v.metrics}
                for v in registry.versions()
            ],
            "transitions": [
                {
                    "time": t.created_at.isoformat(),
                    "version": names.get(t.version_id),
                    "event": t.event,
                    "from": t.from_status,
                    "to": t.to_status,
                    "reason": t.reason,
                }
                for t in registry.transitions()[-transitions:]
            ],
        }
        print(json.dumps(doc, default=str))
        return
    batches = Table("batch", "examples", "status", "violations", title="batches")
    for b in list_batches(db):
        violations = ", ".join(r.rule for r in b.decision.violations) or "-"
        batches.add_row(b.id, str(b.n_examples), b.status, violations)
    out.print(batches)
    registry = Registry(db)
    versions = Table("version", "kind", "status", "accuracy", "arena", title="registry")
    for v in registry.versions():
        accuracy = v.metrics.get("accuracy")
        passed = v.metrics.get("arena_passed")
        arena_state = "-" if passed is None else ("won" if passed else "lost")
        versions.add_row(v.name, v.kind, v.status,
                         f"{accuracy:.1%}" if accuracy is not None else "-", arena_state)  # fmt: skip
    out.print(versions)
    log = registry.transitions()[-transitions:]
    if log:
        names = {v.id: v.name for v in registry.versions()}
        table = Table("time (UTC)", "version", "event", "from -> to", "reason", title="transitions")
        for t in log:
            table.add_row(t.created_at.strftime("%Y-%m-%d %H:%M:%S"), names.get(t.version_id, "?"),
                          t.event, f"{t.from_status or '-'} -> {t.to_status}", escape(t.reason))  # fmt: skip
        out.print(table)


@evolve_app.command("train")
def train(
    kind: Annotated[TrainKind, typer.Argument(help="sft or dpo.")],
    data: Annotated[Path, typer.Argument(help="sft.jsonl / dpo.jsonl from 'evolve compose'.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Checkpoints and adapter.")],
    base_model: Annotated[
        str,
        typer.Option(
            "--base-model",
            help="Embedded model to adapt (qwen2.5-coder-0.5b-instruct, smollm2-135m-instruct; "
            "read from its GGUF), a .gguf file or a Hugging Face folder.",
        ),
    ] = "",
    max_steps: Annotated[
        int | None, typer.Option("--max-steps", help="Stop after N optimiser steps.")
    ] = None,
    name: Annotated[
        str, typer.Option("--name", help="Registry name of the trained version (base + adapter).")
    ] = "",
    max_hours: Annotated[
        float | None,
        typer.Option("--max-hours", help="Time budget: fit the steps to it, stop when spent."),
    ] = None,
    rank: Annotated[int, typer.Option(help="LoRA rank (8-64).")] = 16,
    epochs: Annotated[float, typer.Option(help="Training epochs.")] = 1.0,
    qlora: Annotated[bool, typer.Option(help="4-bit base weights (needs bitsandbytes).")] = False,
    resume: Annotated[bool, typer.Option(help="Continue from the latest checkpoint.")] = True,
    cpu_smoke: Annotated[
        bool, typer.Option(help="Train a tiny random model for a few steps on CPU.")
    ] = False,
    route: Annotated[
        str, typer.Option(help="Gateway route that will serve base + adapter (for the arena).")
    ] = "",
    data_depth: Annotated[
        int | None,
        typer.Option(help="trained_on_depth to record; default: the data's deepest generation."),
    ] = None,
    register: Annotated[
        bool | None,
        typer.Option(help="Register the adapter as a model candidate (default: unless smoke)."),
    ] = None,
) -> None:
    """LoRA SFT or DPO with TRL + PEFT, on the GPU if there is one, else on the CPU (QLoRA
    needs a GPU). The adapter is exported to DIR/adapter.gguf and registered as a model
    candidate (base + adapter) that 'lyceum ask -m VERSION' and the arena serve."""
    from lyceum.evolve.loop import register_trained
    from lyceum.evolve.versions import training_data_depth
    from lyceum.train import DPOSpec, SFTSpec, train_dpo, train_sft

    settings = state.settings()
    if data_depth is None:
        training_data_depth(data)  # a malformed depth is refused before training starts

    common = {"base_model": base_model, "rank": rank, "epochs": epochs, "qlora": qlora}
    if max_steps is not None:
        common["max_steps"] = max_steps
    budget = max_hours * 3600 if max_hours is not None else None
    if kind is TrainKind.sft:
        result = train_sft(SFTSpec(**common), data, out_dir, resume=resume, cpu_smoke=cpu_smoke,
                           max_seconds=budget, progress=MessageLines())  # fmt: skip
    else:
        result = train_dpo(DPOSpec(**common), data, out_dir, resume=resume, cpu_smoke=cpu_smoke,
                           max_seconds=budget, progress=MessageLines())  # fmt: skip
    out.print(f"trained {result.steps} steps on {result.device} in {result.seconds:.0f} s "
              f"({result.seconds_per_step:.1f} s/step, peak {result.peak_rss_mb:.0f} MB); loss "
              f"{result.first_loss:.4f} -> {result.last_loss:.4f}; adapter in "
              f"{result.adapter_gguf or result.adapter_dir}")  # fmt: skip
    if register if register is not None else not cpu_smoke:
        version = register_trained(
            settings, result, data, training_kind=kind.value,
            base_model=base_model or ("tiny-smoke" if cpu_smoke else ""), route=route,
            trained_on_depth=data_depth, name=name,
        )  # fmt: skip
        depth = version.payload["trained_on_depth"]
        out.print(f"registered {version.name} (candidate, trained_on_depth {depth}); "
                  f"try: lyceum ask -m {version.name} \"...\"; "
                  f"next: lyceum evolve arena {version.name}")  # fmt: skip


@evolve_app.command("run")
def run(
    base_model: Annotated[
        str, typer.Option("--base-model", help="Embedded model to train (catalogue name).")
    ] = "qwen2.5-coder-0.5b-instruct",
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Run folder; run again with it to resume.")
    ] = Path("evolve-run"),
    max_hours: Annotated[
        float | None, typer.Option("--max-hours", help="Wall-clock budget over all attempts.")
    ] = None,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Training steps.")] = None,
    kind: Annotated[str, typer.Option(help="sft, dpo or auto (dpo with 8+ pairs).")] = "auto",
    trajectories: Annotated[
        list[Path] | None, typer.Option("--trajectories", "-t", help="Research runs.")
    ] = None,
    lab_runs: Annotated[
        list[str] | None, typer.Option("--lab-run", "-l", help="Experiment run ids.")
    ] = None,
    batch: Annotated[
        Path | None, typer.Option(help="Use this candidate batch instead of harvesting.")
    ] = None,
    approve: Annotated[
        bool, typer.Option("--approve", help="Record a scripted approval of the gated batch.")
    ] = False,
    suite: Annotated[Path | None, typer.Option(help="Arena experiment YAML.")] = None,
    tasks: Annotated[
        Path | None,
        typer.Option(
            help="Held-out writer tasks (from 'evolve tasks'): the arena's target "
            "metric; their runs and questions are kept out of training."
        ),
    ] = None,
    name: Annotated[str, typer.Option(help="Registry name of the trained version.")] = "",
) -> None:
    """Harvest, gate, review, compose, train, export, arena, promote or refuse: the whole
    loop, resumable (run it again with the same --out) and within --max-hours."""
    from lyceum.evolve.closed_loop import RunOptions, describe, run_loop

    if kind not in ("sft", "dpo", "auto"):
        raise typer.BadParameter("sft, dpo or auto", param_hint="--kind")
    options = RunOptions(
        base_model=base_model, kind=kind, out_dir=out_dir, max_hours=max_hours,  # type: ignore[arg-type]
        max_steps=max_steps, trajectories=trajectories or [], lab_runs=lab_runs or [],
        batch=batch, approve=approve, suite=suite, tasks=tasks, name=name,
    )  # fmt: skip
    result = run_loop(state.settings(), options, _arena_runner, progress=MessageLines())
    for line in describe(result):
        out.print(escape(line))
    if "arena" in result.done:
        overall = result.done["arena"]["overall"]
        target = result.done["arena"].get("target", "suite")
        out.print(f"arena ({target}): candidate {overall['b_accuracy']:.1%} vs production "
                  f"{overall['a_accuracy']:.1%} (n={overall['n']}), difference "
                  f"{overall['difference'] * 100:+.1f} points, CI {overall['ci_low'] * 100:+.1f} "
                  f"to {overall['ci_high'] * 100:+.1f}, McNemar p {overall['mcnemar_p']:.3g}")  # fmt: skip
    if not result.outcome.startswith("promoted"):
        sys.exit(1)


def _arena_runner(settings, version: str, suite: Path | None, tasks: Path | None = None):  # type: ignore[no-untyped-def]
    from lyceum.evolve.loop import arena as run_arena
    from lyceum.lab.runner import gateway_resolver
    from lyceum.store.db import open_database
    from lyceum.wiring import build_gateway

    async def go():
        gateway = build_gateway(settings, db=open_database(settings.database_url))
        try:
            return await run_arena(settings, version, gateway_resolver(gateway), suite=suite,
                                   tasks=tasks)  # fmt: skip
        finally:
            await gateway.aclose()

    return asyncio.run(go())


def register(app: typer.Typer) -> None:
    app.add_typer(evolve_app, name="evolve")
