"""The arena: a candidate runs beside production and wins only by the margin,
significantly, without losing a capability.

Two shapes. Without a target skill, the lab's benchmark suite is both the target and the
capability check: both sides answer the same seeded sample through the lab runner, the
overall comparison pools every (dataset, method, example), and each dataset is also
compared alone. With a target skill (`judge_target`: the writer's first drafts, see
`writer_skill`), the win is measured on the skill's held-out tasks alone, and the suite
only checks capabilities: a drop beyond `arena_max_regression` on any of its datasets
refuses the candidate. Statistics are the lab's: McNemar's exact test and the paired
bootstrap CI.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel, Field

from lyceum.config import Settings
from lyceum.evolve.settings import EvolveSettings
from lyceum.lab.experiment import ExperimentConfig
from lyceum.lab.results import ExampleResult, load_results
from lyceum.lab.runner import run_experiment
from lyceum.lab.stats import PairedComparison, compare_paired
from lyceum.llm.model import Model
from lyceum.store.db import Database

PRODUCTION, CANDIDATE = "production", "candidate"
_EPS = 1e-9


class DatasetOutcome(BaseModel):
    dataset: str
    n: int
    production_accuracy: float
    candidate_accuracy: float
    difference: float
    regressed: bool


class ArenaResult(BaseModel):
    run_id: str
    passed: bool
    reasons: list[str] = Field(default_factory=list)
    overall: PairedComparison
    datasets: list[DatasetOutcome]
    margin: float
    max_regression: float
    target: str = Field(default="suite", description="What `overall` measures.")
    examples: list[dict[str, Any]] = Field(
        default_factory=list, description="A few target tasks with both sides' answers."
    )

    def metrics(self) -> dict[str, Any]:
        """What the registry keeps of an arena run."""
        return {
            "arena_run": self.run_id,
            "arena_passed": self.passed,
            "accuracy": self.overall.b_accuracy,
            "production_accuracy": self.overall.a_accuracy,
            "difference": self.overall.difference,
            "mcnemar_p": self.overall.mcnemar_p,
            "ci": [self.overall.ci_low, self.overall.ci_high],
            "n": self.overall.n,
            "target": self.target,
            "datasets": {d.dataset: d.candidate_accuracy for d in self.datasets},
            "reasons": self.reasons,
        }


def _scores(results: list[ExampleResult], metric: str) -> dict[str, dict[str, float]]:
    """model -> "dataset/method/example" -> primary score (errors score 0)."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for r in results:
        value = r.scores.get(metric) if r.status == "done" else None
        out[r.model][f"{r.dataset}\x1f{r.method}\x1f{r.example_id}"] = float(value or 0.0)
    return out


def _win_reasons(overall: PairedComparison, settings: EvolveSettings) -> list[str]:
    reasons: list[str] = []
    if overall.difference < settings.arena_margin - _EPS:
        reasons.append(
            f"gain {overall.difference * 100:+.1f} points is below the margin "
            f"{settings.arena_margin * 100:.1f}"
        )
    if not overall.significant or overall.ci_low <= 0:
        reasons.append(
            f"not significant (McNemar p = {overall.mcnemar_p:.3g}, alpha {settings.arena_alpha:g}; "
            f"CI {overall.ci_low * 100:+.1f} to {overall.ci_high * 100:+.1f} points)"
        )
    return reasons


def judge_target(
    target: str,
    production: dict[str, float],
    candidate: dict[str, float],
    capabilities: ArenaResult | None,
    settings: EvolveSettings,
    *,
    run_id: str,
    examples: list[dict[str, Any]] | None = None,
) -> ArenaResult:
    """The verdict when a target skill decides: the paired comparison of the skill's
    per-task scores (1 = the task's answer counts as correct), and from the capability
    suite's result only its per-dataset regressions."""
    overall = compare_paired(production, candidate, a_name=PRODUCTION, b_name=CANDIDATE,
                             correct_threshold=0.5, alpha=settings.arena_alpha,
                             seed=settings.seed)  # fmt: skip
    reasons = [f"{target}: {r}" for r in _win_reasons(overall, settings)]
    datasets = list(capabilities.datasets) if capabilities else []
    reasons += [
        f"capability lost on {d.dataset}: {d.production_accuracy * 100:.1f}% -> "
        f"{d.candidate_accuracy * 100:.1f}% (more than {settings.arena_max_regression * 100:.0f} "
        "points)"
        for d in datasets
        if d.regressed
    ]
    return ArenaResult(run_id=run_id, passed=not reasons, reasons=reasons, overall=overall,
                       datasets=datasets, margin=settings.arena_margin,
                       max_regression=settings.arena_max_regression, target=target,
                       examples=examples or [])  # fmt: skip


def judge_arena(
    results: list[ExampleResult], config: ExperimentConfig, settings: EvolveSettings, run_id: str
) -> ArenaResult:
    """The arena's verdict on stored results of the two models."""
    scores = _scores(results, config.metrics[0])
    prod, cand = scores.get(PRODUCTION, {}), scores.get(CANDIDATE, {})
    overall = compare_paired(
        prod,
        cand,
        a_name=PRODUCTION,
        b_name=CANDIDATE,
        correct_threshold=config.correct_threshold,
        alpha=settings.arena_alpha,
        seed=settings.seed,
    )
    reasons = _win_reasons(overall, settings)
    datasets: list[DatasetOutcome] = []
    for dataset in [d.key for d in config.datasets]:
        prefix = f"{dataset}\x1f"
        p = {k: v for k, v in prod.items() if k.startswith(prefix)}
        c = {k: v for k, v in cand.items() if k.startswith(prefix)}
        ids = sorted(set(p) & set(c))
        if not ids:
            continue
        p_acc = sum(p[i] >= config.correct_threshold for i in ids) / len(ids)
        c_acc = sum(c[i] >= config.correct_threshold for i in ids) / len(ids)
        regressed = p_acc - c_acc > settings.arena_max_regression + _EPS
        if regressed:
            reasons.append(
                f"capability lost on {dataset}: {p_acc * 100:.1f}% -> {c_acc * 100:.1f}% "
                f"(more than {settings.arena_max_regression * 100:.0f} points)"
            )
        datasets.append(
            DatasetOutcome(
                dataset=dataset,
                n=len(ids),
                production_accuracy=p_acc,
                candidate_accuracy=c_acc,
                difference=c_acc - p_acc,
                regressed=regressed,
            )
        )
    return ArenaResult(
        run_id=run_id,
        passed=not reasons,
        reasons=reasons,
        overall=overall,
        datasets=datasets,
        margin=settings.arena_margin,
        max_regression=settings.arena_max_regression,
    )


async def run_arena(
    suite: ExperimentConfig,
    *,
    db: Database,
    production: Model,
    candidate: Model,
    settings: EvolveSettings,
    runner_settings: Settings | None = None,
    **runner_options: Any,
) -> ArenaResult:
    """Run the suite with the two models through the lab runner, then judge it.
    `runner_settings`: the workspace's settings, so a RAG method or a search tool of the
    suite reads that workspace's index, not the default one."""
    config = suite.model_copy(
        update={"models": [PRODUCTION, CANDIDATE], "name": f"arena: {suite.name}"}
    )
    models = {PRODUCTION: production, CANDIDATE: candidate}
    summary = await run_experiment(
        config,
        db=db,
        resolve_model=models.__getitem__,
        settings=runner_settings,
        **runner_options,
    )
    return judge_arena(load_results(db, summary.run_id), config, settings, summary.run_id)
