"""The loop's steps as the CLI and server call them: each takes the settings (and a model
when it needs one) and works on the workspace database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lyceum.config import Settings
from lyceum.errors import ConfigError
from lyceum.evolve.arena import ArenaResult, judge_target, run_arena
from lyceum.evolve.batches import (
    BatchInfo,
    accepted_examples,
    current_corpus,
    gate_batch,
    load_anchor,
    record_review,
    review_sample,
)
from lyceum.evolve.compose import CorpusManifest, compose_corpus
from lyceum.evolve.examples import CandidateExample, load_batch, write_batch
from lyceum.evolve.harvest import harvest
from lyceum.evolve.prompt_evolution import (
    EvolutionResult,
    evolve_prompt,
    lab_episodes,
    research_episodes,
)
from lyceum.evolve.prompted import PromptedModel
from lyceum.evolve.registry import Registry, RegistryError, Version
from lyceum.evolve.settings import EvolveSettings, evolve_settings
from lyceum.evolve.versions import register_trained_model
from lyceum.evolve.writer_skill import load_tasks, score_drafts
from lyceum.lab.experiment import load_experiment
from lyceum.llm.model import Model
from lyceum.research.verify import ClaimScorer
from lyceum.retrieval.embeddings import Embedder, load_embedder
from lyceum.store.db import Database, open_database

if TYPE_CHECKING:
    from lyceum.research.verify import ClaimScorer
    from lyceum.train.trainer import TrainResult

ModelResolver = Callable[[str], Model]
WRITER_TARGET = "writer drafts supported as written"


def database(settings: Settings) -> Database:
    return open_database(settings.database_url)


def embedder_for(settings: EvolveSettings) -> Embedder:
    return load_embedder(settings.embedding_model)


def harvest_depth(registry: Registry) -> int:
    """Generation depth of newly harvested data: one more than the data the production
    model was trained on (`trained_on_depth` of its registry payload; 0 if never trained)."""
    production = registry.production("model")
    trained_on = int(production.payload.get("trained_on_depth", 0)) if production else 0
    return trained_on + 1


def harvest_to_file(
    settings: Settings,
    out: Path,
    *,
    trajectories: Sequence[Path] = (),
    lab_runs: Sequence[str] = (),
    depth: int | None = None,
) -> list[CandidateExample]:
    db = database(settings)
    depth = harvest_depth(Registry(db)) if depth is None else depth
    examples = harvest(db, trajectories=trajectories, lab_runs=lab_runs, depth=depth)
    write_batch(out, examples)
    return examples


def check(
    settings: Settings,
    path: Path,
    *,
    corpus: Path | None = None,
    embedder: Embedder | None = None,
) -> BatchInfo:
    """Gate a batch file against the current corpus (or `corpus`, a batch-format file)."""
    es = evolve_settings(settings)
    db = database(settings)
    examples = load_batch(corpus) if corpus else current_corpus(db, es, settings.workspace)
    return gate_batch(db, path, es, embedder or embedder_for(es), corpus=examples)


def sample_for_review(
    settings: Settings, path: Path, size: int | None = None
) -> list[CandidateExample]:
    es = evolve_settings(settings)
    return review_sample(load_batch(path), size or es.review_sample, es.seed)


def review(
    settings: Settings,
    path: Path,
    *,
    approved: bool,
    scripted: bool,
    reviewer: str = "",
    reason: str = "",
    size: int | None = None,
) -> BatchInfo:
    sample = sample_for_review(settings, path, size)
    return record_review(
        database(settings),
        path,
        approved=approved,
        sample=sample,
        scripted=scripted,
        reviewer=reviewer,
        reason=reason,
    )


def compose(settings: Settings, out_dir: Path) -> CorpusManifest:
    es = evolve_settings(settings)
    db = database(settings)
    return compose_corpus(load_anchor(es, settings.workspace), accepted_examples(db), out_dir, es)


async def evolve_prompt_from_runs(
    settings: Settings,
    model: Model,
    *,
    lab_runs: Sequence[str] = (),
    trajectories: Sequence[Path] = (),
    embedder: Embedder | None = None,
) -> EvolutionResult:
    es = evolve_settings(settings)
    db = database(settings)
    episodes = [e for run in lab_runs for e in lab_episodes(db, run)]
    episodes += research_episodes(trajectories)
    return await evolve_prompt(
        model,
        episodes,
        registry=Registry(db),
        embedder=embedder or embedder_for(es),
        settings=es,
    )


def _suite_path(es: EvolveSettings, workspace: Path, suite: Path | None) -> Path:
    path = suite or es.resolve(es.arena_experiment, workspace)
    if path is None:
        raise ConfigError(
            "the arena needs a benchmark suite",
            hint="Pass --suite EXPERIMENT.yaml or set evolve.arena_experiment.",
        )
    return path


def _version_model(version: Version | None, resolve: ModelResolver, route: str) -> Model:
    """What a registry version runs on: a prompt version on `route` with its addendum,
    a model version on its own route; no version means the plain `route`."""
    if version is None:
        return resolve(route)
    if version.kind == "prompt":
        return PromptedModel(
            resolve(route), str(version.payload.get("addendum", "")), label=version.name
        )
    if version.payload.get("adapter_gguf") or (
        version.payload.get("base_model") and not version.payload.get("route")
    ):
        # served by the embedded backend under the version's own name (local_adapters)
        return resolve(version.name)
    route_name = version.payload.get("route")
    if not route_name:
        raise ConfigError(
            f"model version {version.name} names no gateway route",
            hint="Register model versions with payload {'route': 'BACKEND_OR_ROLE'}.",
        )
    return resolve(str(route_name))


def arena_tasks_path(settings: Settings, tasks: Path | None = None) -> Path | None:
    """The held-out writer tasks the arena's target metric is measured on, if any."""
    es = evolve_settings(settings)
    return tasks or es.resolve(es.arena_tasks, settings.workspace)


async def _target_arena(
    settings: Settings,
    tasks_path: Path,
    production: Model,
    candidate: Model,
    suite: Path | None,
    scorer: ClaimScorer | None,
) -> ArenaResult:
    """The writer-draft skill on held-out tasks decides; the suite, when there is one,
    only checks capabilities."""
    es = evolve_settings(settings)
    db = database(settings)
    tasks = load_tasks(tasks_path)
    if scorer is None:
        from lyceum.claimcheck.faithfulness import FaithfulnessScorer

        scorer = FaithfulnessScorer()
    prod = await score_drafts(production, tasks, scorer)
    cand = await score_drafts(candidate, tasks, scorer)
    capabilities = None
    suite_path = suite or es.resolve(es.arena_experiment, settings.workspace)
    if suite_path is not None:
        capabilities = await run_arena(load_experiment(suite_path), db=db, production=production,
                                       candidate=candidate, settings=es,
                                       base_dir=suite_path.resolve().parent,
                                       runner_settings=settings)  # fmt: skip
    by_id = {t.id: t for t in tasks}
    examples = [
        {"task": p.task_id, "section": by_id[p.task_id].section, "production": p.sentence,
         "production_supported": p.supported, "candidate": c.sentence,
         "candidate_supported": c.supported}
        for p, c in list(zip(prod, cand, strict=True))[:6]
    ]  # fmt: skip
    return judge_target(
        WRITER_TARGET,
        {s.task_id: float(s.supported) for s in prod},
        {s.task_id: float(s.supported) for s in cand},
        capabilities,
        es,
        run_id=capabilities.run_id if capabilities else "",
        examples=examples,
    )


async def arena(
    settings: Settings,
    version_ref: str,
    resolve: ModelResolver,
    *,
    suite: Path | None = None,
    tasks: Path | None = None,
    scorer: ClaimScorer | None = None,
) -> tuple[Version, ArenaResult]:
    """Run candidate `version_ref` against production of its kind; metrics go to the registry.

    With held-out writer tasks (`tasks`, else `[evolve] arena_tasks`) the target metric is
    the writer's drafts supported as written, and the suite checks capabilities; without,
    the suite is both."""
    es = evolve_settings(settings)
    db = database(settings)
    registry = Registry(db)
    candidate = registry.get(version_ref)
    production = registry.production(candidate.kind)  # type: ignore[arg-type]
    prod_model = _version_model(production, resolve, es.arena_model)
    cand_model = _version_model(candidate, resolve, es.arena_model)
    tasks_path = arena_tasks_path(settings, tasks)
    if tasks_path is not None:
        result = await _target_arena(settings, tasks_path, prod_model, cand_model, suite, scorer)
    else:
        path = _suite_path(es, settings.workspace, suite)
        result = await run_arena(
            load_experiment(path),
            db=db,
            production=prod_model,
            candidate=cand_model,
            settings=es,
            base_dir=path.resolve().parent,
            runner_settings=settings,
        )
    verdict = "won" if result.passed else "lost: " + "; ".join(result.reasons)
    against = production.name if production else f"plain route {es.arena_model}"
    updated = registry.record_metrics(
        candidate.id, result.metrics(), event="arena", reason=f"arena vs {against}: {verdict}"
    )
    return updated, result


def promote(
    settings: Settings, version_ref: str, *, reason: str = "", force: bool = False
) -> Version:
    """Promote a candidate that won its arena (or, with `force`, any candidate; recorded)."""
    registry = Registry(database(settings))
    version = registry.get(version_ref)
    won = bool(version.metrics.get("arena_passed"))
    if not won and not force:
        raise RegistryError(
            f"version {version.name} has not won an arena",
            hint="Run 'lyceum evolve arena VERSION' first, or pass --force with a --reason.",
        )
    why = reason or ("won the arena" if won else "forced without an arena win")
    if force and not won:
        why = f"forced: {why}"
    return registry.promote(version.id, reason=why)


def rollback(settings: Settings, kind: str, *, reason: str) -> Version:
    return Registry(database(settings)).rollback(kind, reason=reason)  # type: ignore[arg-type]


def register_trained(
    settings: Settings,
    result: TrainResult,
    data: Path,
    *,
    training_kind: str,
    base_model: str,
    route: str = "",
    trained_on_depth: int | None = None,
    name: str = "",
) -> Version:
    """Register a training run's adapter as a model candidate in the workspace registry."""
    return register_trained_model(
        Registry(database(settings)),
        result,
        data,
        training_kind=training_kind,
        base_model=base_model,
        route=route,
        trained_on_depth=trained_on_depth,
        name=name,
    )
