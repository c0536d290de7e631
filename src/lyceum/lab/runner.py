"""Running an experiment: every dataset x model x method x sampled example, with bounded
concurrency, each result committed as soon as it is scored, resumable after a crash.

Nothing calls a model until the whole experiment is prepared: methods built, models
resolved, datasets loaded and sampled. The seeded sample is saved with the run, so a
resumed run continues on exactly the same examples and skips those already done.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, select

from lyceum.config import Settings
from lyceum.errors import ConfigError, ModelError
from lyceum.lab.datasets.base import Example, load_examples, sample_examples, select_by_ids
from lyceum.lab.experiment import ExperimentConfig, parse_experiment
from lyceum.lab.methods import Method, MethodEnv, Retriever, TracedModel, build_method
from lyceum.lab.metrics import METRICS, ScoringInput, SupportScorer, score_example
from lyceum.lab.metrics.grounding import support_probability
from lyceum.lab.outputs import MethodOutput, TraceStep
from lyceum.lab.results import EXPERIMENT_KIND, get_run
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.progress import ProgressCallback, ProgressEvent, ignore_progress
from lyceum.store.base import utcnow
from lyceum.store.db import Database
from lyceum.store.lab_tables import LabResultRow
from lyceum.store.tables import RunRow

ModelResolver = Callable[[str], Model]


class RunSummary(BaseModel):
    run_id: str
    name: str
    config_hash: str
    status: str
    total: int
    skipped: int
    done: int
    errors: int
    elapsed_s: float
    calls: int = 0
    """Model calls this session made (examples already done before a resume not counted)."""
    cached_calls: int = 0
    """Of those, calls the gateway served from its cache: a re-run answered from the exact
    cache takes no model time, which its elapsed time and rate should not be read as."""


@dataclass(frozen=True)
class WorkItem:
    dataset: str
    example: Example
    model: str
    method: str


PROGRESS_TASK = "examples"


def _finished(item: WorkItem, status: str) -> ProgressEvent:
    """The progress event of one finished example (`status`: done or error)."""
    return ProgressEvent(
        kind="advance",
        task=PROGRESS_TASK,
        n=1,
        message=f"{item.dataset}/{item.method}@{item.model} {item.example.id}: {status}",
        data={
            "status": status,
            "dataset": item.dataset,
            "method": item.method,
            "model": item.model,
            "example_id": item.example.id,
        },
    )


@dataclass
class _Prepared:
    methods: dict[str, Method]
    models: dict[str, Model]
    samples: dict[str, list[Example]]
    faithfulness: SupportScorer | None


def default_faithfulness_scorer() -> SupportScorer:
    try:
        from lyceum.claimcheck.faithfulness import FaithfulnessScorer as Scorer
    except ImportError as exc:
        raise ConfigError(
            f"the faithfulness metrics need lyceum.claimcheck.faithfulness ({exc})",
            hint="Install the retrieval extra, or pass a scorer with faithfulness=...",
        ) from None
    return Scorer()


def _prepare(
    config: ExperimentConfig,
    *,
    resolve_model: ModelResolver,
    env: MethodEnv,
    saved_samples: dict[str, list[str]] | None,
    faithfulness: SupportScorer | None,
) -> _Prepared:
    methods = {m.key: build_method(m.name, m.params, env) for m in config.methods}
    models = {name: resolve_model(name) for name in config.models}
    if faithfulness is None and any(METRICS.get(m).needs_faithfulness for m in config.metrics):
        faithfulness = default_faithfulness_scorer()
    samples: dict[str, list[Example]] = {}
    for spec in config.datasets:
        examples = load_examples(spec.name, spec.options, base_dir=env.base_dir)
        if saved_samples is not None and spec.key in saved_samples:
            samples[spec.key] = select_by_ids(examples, saved_samples[spec.key], spec.key)
        else:
            size = spec.sample_size or config.sample_size
            samples[spec.key] = sample_examples(examples, size, config.seed)
    return _Prepared(methods, models, samples, faithfulness)


def _work(config: ExperimentConfig, samples: dict[str, list[Example]]) -> list[WorkItem]:
    # Example-major order: an interrupted run has compared every method on the same examples.
    return [
        WorkItem(spec.key, example, model, m.key)
        for spec in config.datasets
        for example in samples[spec.key]
        for model in config.models
        for m in config.methods
    ]


def _stored_keys(db: Database, run_id: str) -> dict[tuple[str, str, str, str], str]:
    """(dataset, model, method, example id) -> status of every result already stored."""
    with db.session() as session:
        rows = session.execute(
            select(
                LabResultRow.dataset,
                LabResultRow.model,
                LabResultRow.method,
                LabResultRow.example_id,
                LabResultRow.status,
            ).where(LabResultRow.run_id == run_id)
        ).all()
    return {(r[0], r[1], r[2], r[3]): r[4] for r in rows}


def _set_run(db: Database, run_id: str, status: str, **state: Any) -> None:
    with db.session() as session:
        row = session.get(RunRow, run_id)
        assert row is not None
        row.status = status
        row.state = {**(row.state or {}), **state}


class ExperimentRunner:
    """Runs one experiment in one run row; `run()` may be called again to resume.

    `settings` are the workspace's whose retrieval index the RAG methods search and whose
    sources the agent tools use (None: the default workspace's)."""

    def __init__(
        self,
        config: ExperimentConfig,
        *,
        db: Database,
        resolve_model: ModelResolver,
        base_dir: Path | None = None,
        retriever: Retriever | None = None,
        agent_tools: Any = None,
        faithfulness: SupportScorer | None = None,
        progress: ProgressCallback | None = None,
        record_messages: bool = True,
        settings: Settings | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.resolve_model = resolve_model
        self.env = MethodEnv(
            base_dir=(base_dir or Path.cwd()).resolve(),
            retriever=retriever,
            agent_tools=agent_tools,
            settings=settings,
        )
        self.faithfulness = faithfulness
        self.progress = progress or ignore_progress
        self.record_messages = record_messages
        self.run_id: str | None = None
        """Set once the run row exists, so a caller can name the run after an interrupt."""
        self._stale: set[tuple[str, str, str, str]] = set()
        self._calls = {"all": 0, "cached": 0}
        self.todo: int | None = None
        """Examples this session runs, set once they are known, for done/total progress."""

    async def run(self, resume: str | None = None) -> RunSummary:
        """Run the experiment, or continue run `resume`; returns counts when it ends."""
        saved: dict[str, list[str]] | None = None
        elapsed_before = 0.0
        if resume is not None:
            info = get_run(self.db, resume)
            if info.config_hash != self.config.config_hash():
                raise ConfigError(
                    f"run {info.id} was started from a different experiment "
                    f"(hash {info.config_hash}, this file {self.config.config_hash()})",
                    hint="Resume with the same experiment file, or start a new run.",
                )
            saved = dict(info.state.get("samples", {}))
            elapsed_before = float(info.state.get("elapsed_s", 0.0))
            run_id = info.id
        prepared = _prepare(
            self.config,
            resolve_model=self.resolve_model,
            env=self.env,
            saved_samples=saved,
            faithfulness=self.faithfulness,
        )
        self.faithfulness = prepared.faithfulness
        samples_ids = {k: [ex.id for ex in v] for k, v in prepared.samples.items()}
        if resume is None:
            run_id = self._create_run(samples_ids)
        else:
            _set_run(self.db, run_id, "running", samples=samples_ids)
        self.run_id = run_id
        work = _work(self.config, prepared.samples)
        stored = _stored_keys(self.db, run_id)
        # Failed examples are run again; their old rows are replaced when they finish.
        self._stale = {k for k, status in stored.items() if status != "done"}
        todo = [w for w in work if stored.get(_key(w)) != "done"]
        self.todo = len(todo)
        counts = {"done": 0, "error": 0}
        semaphore = asyncio.Semaphore(self.config.concurrency)
        started = time.perf_counter()

        self.progress(ProgressEvent(kind="start", task=PROGRESS_TASK, total=len(todo)))

        async def one(item: WorkItem) -> None:
            async with semaphore:
                status = await self._run_item(run_id, item, prepared)
                counts[status] += 1
                self.progress(_finished(item, status))

        tasks = [asyncio.create_task(one(item)) for item in todo]
        try:
            await asyncio.gather(*tasks)
        except BaseException as exc:
            # Stop the examples still queued or in flight before recording the outcome.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            interrupted = isinstance(exc, asyncio.CancelledError | KeyboardInterrupt)
            _set_run(
                self.db,
                run_id,
                "interrupted" if interrupted else "failed",
                elapsed_s=elapsed_before + _since(started),
            )
            raise
        elapsed = elapsed_before + _since(started)
        errors = self._error_count(run_id)
        _set_run(self.db, run_id, "done", elapsed_s=elapsed, errors=errors)
        self.progress(ProgressEvent(kind="finish", task=PROGRESS_TASK, total=len(todo)))
        return RunSummary(
            run_id=run_id,
            name=self.config.name,
            config_hash=self.config.config_hash(),
            status="done",
            total=len(work),
            skipped=len(work) - len(todo),
            done=counts["done"],
            errors=counts["error"],
            elapsed_s=elapsed,
            calls=self._calls["all"],
            cached_calls=self._calls["cached"],
        )

    def _create_run(self, samples: dict[str, list[str]]) -> str:
        with self.db.session() as session:
            row = RunRow(
                kind=EXPERIMENT_KIND,
                name=self.config.name,
                status="running",
                config=self.config.model_dump(mode="json"),
                state={
                    "hash": self.config.config_hash(),
                    "base_dir": str(self.env.base_dir),
                    "samples": samples,
                    "elapsed_s": 0.0,
                },
            )
            session.add(row)
            session.flush()
            return row.id

    async def _run_item(self, run_id: str, item: WorkItem, prepared: _Prepared) -> str:
        model = TracedModel(prepared.models[item.model], record_messages=self.record_messages)
        started_at = utcnow()
        t0 = time.perf_counter()
        error: str | None = None
        with call_context(run_id=run_id, caller=f"lab.{item.method}"):
            try:
                output = await prepared.methods[item.method].solve(item.example, model)
            except ModelError as exc:
                # A model failure is this example's outcome (scored as an empty answer);
                # anything else is a bug and stops the run.
                error = f"{type(exc).__name__}: {exc}"
                output = MethodOutput(prediction="")
        latency = time.perf_counter() - t0
        scoring = ScoringInput(item.example, output)
        if self.faithfulness is not None:
            support = await support_probability(self.faithfulness, scoring)
            scoring = ScoringInput(item.example, output, support)
        scores = score_example(self.config.metrics, scoring)
        trace = [*model.trace, *output.trace]
        self._calls["all"] += model.calls
        self._calls["cached"] += sum(1 for step in model.trace if step.detail.get("cached"))
        if error is not None:
            trace.append(TraceStep(kind="error", content=error))
        status = "done" if error is None else "error"
        self._store(run_id, item, output, scores, model, latency, trace, error, started_at)
        return status

    def _store(
        self,
        run_id: str,
        item: WorkItem,
        output: MethodOutput,
        scores: dict[str, float | None],
        model: TracedModel,
        latency: float,
        trace: list[TraceStep],
        error: str | None,
        started_at: Any,
    ) -> None:
        with self.db.session() as session:
            if _key(item) in self._stale:
                session.execute(
                    delete(LabResultRow).where(
                        LabResultRow.run_id == run_id,
                        LabResultRow.dataset == item.dataset,
                        LabResultRow.model == item.model,
                        LabResultRow.method == item.method,
                        LabResultRow.example_id == item.example.id,
                    )
                )
            session.add(
                LabResultRow(
                    run_id=run_id,
                    dataset=item.dataset,
                    model=item.model,
                    method=item.method,
                    example_id=item.example.id,
                    status="done" if error is None else "error",
                    question=item.example.question,
                    prediction=output.prediction,
                    raw_output=output.raw_output,
                    gold=list(item.example.answers),
                    scores=scores,
                    prompt_tokens=model.usage.prompt_tokens,
                    completion_tokens=model.usage.completion_tokens,
                    calls=model.calls,
                    latency_s=latency,
                    model_latency_s=model.model_latency_s,
                    cost_usd=model.cost_usd,
                    trace=[step.model_dump(mode="json") for step in trace],
                    error=error,
                    started_at=started_at,
                    finished_at=utcnow(),
                )
            )

    def _error_count(self, run_id: str) -> int:
        with self.db.session() as session:
            rows = session.scalars(
                select(LabResultRow.id).where(
                    LabResultRow.run_id == run_id, LabResultRow.status == "error"
                )
            ).all()
        return len(rows)


def _key(item: WorkItem) -> tuple[str, str, str, str]:
    return (item.dataset, item.model, item.method, item.example.id)


def _since(t0: float) -> float:
    return time.perf_counter() - t0


def gateway_resolver(gateway: Any) -> ModelResolver:
    """Resolve model names (experiments, judges, `ask -m`) with a gateway: a role, a backend
    name, or "default" for the gateway's own tiers. Unknown names are an error, not a silent
    default."""

    def resolve(name: str) -> Model:
        if name == "default":
            return gateway
        if name in gateway.roles or name in gateway.backend_names:
            return gateway.for_role(name)
        raise ConfigError(
            f"model {name!r} is neither a gateway role nor a configured backend",
            hint=f"Roles: {sorted(gateway.roles) or 'none'}; backends: "
            f"{sorted(gateway.backend_names)}; or use 'default'.",
        )

    return resolve


async def run_experiment(
    config: ExperimentConfig,
    *,
    db: Database,
    resolve_model: ModelResolver,
    resume: str | None = None,
    **options: Any,
) -> RunSummary:
    """Run (or with `resume=RUN_ID`, continue) an experiment. See `ExperimentRunner`."""
    runner = ExperimentRunner(config, db=db, resolve_model=resolve_model, **options)
    return await runner.run(resume=resume)


async def resume_run(
    run_id: str, *, db: Database, resolve_model: ModelResolver, **options: Any
) -> RunSummary:
    """Continue a run from the experiment saved in it (no experiment file needed)."""
    info = get_run(db, run_id)
    config = parse_experiment(info.config, f"saved in run {info.id}")
    options.setdefault("base_dir", Path(info.state.get("base_dir", ".")))
    return await run_experiment(
        config, db=db, resolve_model=resolve_model, resume=info.id, **options
    )
