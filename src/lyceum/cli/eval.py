"""`lyceum eval`: run experiments, report on runs, list and compare them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lyceum.cli.console import console, plural
from lyceum.cli.state import state

if TYPE_CHECKING:
    from lyceum.progress import ProgressEvent
    from lyceum.store.db import Database

eval_app = typer.Typer(
    help="Evaluation lab: experiments, reports, comparisons.", no_args_is_help=True
)


def _db() -> Database:
    from lyceum.store.db import open_database

    return open_database(state.settings().database_url)


async def _run(path: Path, resume: str | None, concurrency: int | None) -> None:
    from lyceum.lab import ExperimentRunner, load_experiment
    from lyceum.lab.runner import gateway_resolver
    from lyceum.lab.settings import lab_settings
    from lyceum.wiring import build_gateway

    config = load_experiment(path)
    if concurrency is not None:
        config = config.model_copy(update={"concurrency": concurrency})
    settings = state.settings()
    db = _db()
    gateway = build_gateway(settings, db=db)
    finished = 0

    def progress(event: ProgressEvent) -> None:
        nonlocal finished
        if event.kind != "advance":
            return
        finished += 1
        todo = runner.todo or 0
        item, status = event.data, event.data["status"]
        if status == "error" or finished % 10 == 0 or finished == todo:
            console(stderr=True).print(
                f"[dim]{finished}/{todo} done ({escape(item['method'])}@{escape(item['model'])} "
                f"{escape(item['example_id'])}: {status})[/]"
            )

    runner = ExperimentRunner(
        config,
        db=db,
        resolve_model=gateway_resolver(gateway),
        base_dir=path.resolve().parent,
        progress=progress,
        record_messages=lab_settings(settings).record_messages,
        settings=settings,
    )
    try:
        summary = await runner.run(resume=resume)
    except asyncio.CancelledError:
        if runner.run_id:
            console(stderr=True).print(
                f"interrupted; resume with: lyceum eval run {escape(str(path))} "
                f"--resume {runner.run_id}"
            )
        raise
    finally:
        await gateway.aclose()
    print(
        f"run {summary.run_id} ({summary.name}, experiment {summary.config_hash}): {summary.status}"
    )
    print(
        f"{plural(summary.done, 'example')} run, {summary.skipped:,} already done, "
        f"{plural(summary.errors, 'error')}, {summary.elapsed_s:.1f}s"
    )
    if summary.cached_calls:
        share = "all" if summary.cached_calls == summary.calls else f"{summary.cached_calls:,}"
        print(
            f"{share} of {plural(summary.calls, 'model call')} served from the exact cache: "
            "the time above is not model time"
        )
    console(stderr=True).print(
        f"[dim]report: lyceum eval report {summary.run_id} --out reports/{summary.run_id[:8]}[/]"
    )


def _print_table(rows: list[list[str]], header: list[str]) -> None:
    table = Table(*header)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    console().print(table)


@eval_app.command("run")
def run_cmd(
    experiment: Annotated[Path, typer.Argument(help="Experiment YAML file.")],
    resume: Annotated[
        str | None, typer.Option("--resume", help="Continue this run, skipping finished examples.")
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Override the experiment's concurrency.")
    ] = None,
) -> None:
    """Run an experiment (every dataset x model x method on a seeded sample)."""
    try:
        asyncio.run(_run(experiment, resume, concurrency))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


@eval_app.command("report")
def report_cmd(
    runs: Annotated[list[str], typer.Argument(help="Run ids (or unique prefixes).")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write report.md, report.json and PNG plots here."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    resamples: Annotated[
        int | None, typer.Option(min=100, help=r"Bootstrap resamples (default: \[lab] setting).")
    ] = None,
) -> None:
    """Comparison table, paired statistics, per-example diff and plots for runs."""
    from lyceum.lab.report import build_report, render_markdown, write_report
    from lyceum.lab.settings import lab_settings

    lab = lab_settings(state.settings())
    n = resamples or lab.bootstrap_resamples
    db = _db()
    if out is not None:
        report = write_report(db, runs, out, n_resamples=n, seed=lab.bootstrap_seed)
        console(stderr=True).print(
            f"[dim]wrote {escape(str(out / 'report.md'))}, report.json and 3 plots[/]"
        )
    else:
        report = build_report(db, runs, n_resamples=n, seed=lab.bootstrap_seed)
    if as_json:
        print(json.dumps(report.model_dump(mode="json"), indent=2))
    else:
        print(render_markdown(report))


@eval_app.command("list")
def list_cmd(
    limit: Annotated[int, typer.Option(min=1, help="Most runs to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per run.")] = False,
) -> None:
    """Experiment runs, newest first."""
    from lyceum.lab import list_runs

    runs = list_runs(_db(), limit=limit)
    if as_json:
        for r in runs:
            print(json.dumps(r.model_dump(mode="json")))
        return
    if not runs:
        console(stderr=True).print(
            "no experiment runs yet; start one with: lyceum eval run exp.yaml"
        )
        return
    rows = [
        [
            r.id,
            r.name,
            r.status,
            r.config_hash,
            r.created_at.strftime("%Y-%m-%d %H:%M"),
            f"{r.state.get('elapsed_s', 0.0):.1f}s",
        ]
        for r in runs
    ]
    _print_table(rows, ["run", "name", "status", "experiment", "started", "elapsed"])


# Help text is read as console markup: the brackets of the syntax are escaped to be shown.
CONDITION_HELP = (
    r"RUN\[:METHOD\[@MODEL]]: run id or unique prefix, optionally one method (and model) of it."
)


@eval_app.command("compare")
def compare_cmd(
    a: Annotated[str, typer.Argument(metavar="A", help=CONDITION_HELP)],
    b: Annotated[str, typer.Argument(metavar="B", help=CONDITION_HELP)],
    dataset: Annotated[
        str | None, typer.Option(help="Dataset label, when a run has several.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    r"""Paired comparison of two conditions by example id: McNemar, bootstrap CI, t-test.

    Each condition is RUN\[:METHOD\[@MODEL]]: a run id (or unique prefix), narrowed to one
    method and model when the run has several, e.g. `lyceum eval compare 4967:naive 4967:cot`
    or `4967:cot@local 51ab:cot@api`.
    """
    from lyceum.lab import compare_conditions
    from lyceum.lab.settings import lab_settings

    lab = lab_settings(state.settings())
    result = compare_conditions(
        _db(), a, b, dataset=dataset, n_resamples=lab.bootstrap_resamples, seed=lab.bootstrap_seed
    )
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    rows = [
        ["examples paired", str(result.n)],
        [f"accuracy {result.a}", f"{result.a_accuracy * 100:.1f}%"],
        [f"accuracy {result.b}", f"{result.b_accuracy * 100:.1f}%"],
        ["difference (B - A)", f"{result.difference * 100:+.1f} points"],
        [
            f"{result.confidence * 100:g}% bootstrap CI",
            f"[{result.ci_low * 100:+.1f}, {result.ci_high * 100:+.1f}]",
        ],
        ["only A / only B correct", f"{result.only_a_correct} / {result.only_b_correct}"],
        ["McNemar exact p", f"{result.mcnemar_p:.4g}"],
        ["paired t-test p", f"{result.t_p:.4g}"],
        ["Cohen's d", f"{result.cohens_d:.3f}"],
    ]
    _print_table(rows, ["", ""])
    print(result.statement)


@eval_app.command("judge")
def judge_cmd(
    run: Annotated[str, typer.Argument(help="Run id (or unique prefix).")],
    judges: Annotated[
        list[str],
        typer.Option("--judge", help="Judge model (role or backend); repeat for a panel."),
    ],
    method: Annotated[str | None, typer.Option(help="Only this method's answers.")] = None,
    pairwise: Annotated[
        tuple[str, str] | None,
        typer.Option(help="Compare two methods' answers instead: --pairwise A B."),
    ] = None,
) -> None:
    """LLM-as-judge over a run's answers: rubric ratings, or pairwise preference."""
    asyncio.run(_judge(run, judges, method, pairwise))


async def _judge(
    run: str, judges: list[str], method: str | None, pairwise: tuple[str, str] | None
) -> None:
    from lyceum.lab.judges import JudgePanel, judge_pair, judge_run
    from lyceum.lab.runner import gateway_resolver
    from lyceum.wiring import build_gateway

    db = _db()
    gateway = build_gateway(state.settings(), db=db)
    resolve = gateway_resolver(gateway)
    panel_models = []
    for name in judges:
        model = resolve(name)
        model.name = name  # judges are told apart by name in the agreement table
        panel_models.append(model)
    panel = JudgePanel(panel_models)
    try:
        if pairwise:
            summary = await judge_pair(db, run, panel, pairwise[0], pairwise[1])
            print(
                f"{summary.a} vs {summary.b} on {summary.items} examples: {summary.a} wins "
                f"{summary.a_wins}, {summary.b} wins {summary.b_wins}, ties {summary.ties} "
                f"({summary.inconsistent} position-inconsistent verdicts)"
            )
            agreement = summary.agreement
            print(f"Fleiss' kappa: {agreement.fleiss_kappa}; Cohen's: {agreement.cohens_kappa}")
        else:
            for rating in await judge_run(db, run, panel, method=method):
                print(
                    f"{rating.subject}: mean score {rating.mean_consensus * 100:.1f}/100 over "
                    f"{rating.items} answers; Fleiss' kappa {rating.agreement.fleiss_kappa}"
                )
    finally:
        await gateway.aclose()


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
