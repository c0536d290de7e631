"""The arena: a candidate runs the lab's benchmark suite beside production, through the
lab runner, and wins only by the margin, significantly, without losing a capability.

Both sides answer the same seeded sample (they are two models of one experiment). The
overall comparison pools every (dataset, method, example); each dataset is also compared
alone, and a drop beyond `arena_max_regression` on any dataset is a loss of capability.
Statistics are the lab's: McNemar's exact test and the paired bootstrap CI.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel, Field

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
    **runner_options: Any,
) -> ArenaResult:
    """Run the suite with the two models through the lab runner, then judge it."""
    config = suite.model_copy(
        update={"models": [PRODUCTION, CANDIDATE], "name": f"arena: {suite.name}"}
    )
    models = {PRODUCTION: production, CANDIDATE: candidate}
    summary = await run_experiment(
        config, db=db, resolve_model=models.__getitem__, **runner_options
    )
    return judge_arena(load_results(db, summary.run_id), config, settings, summary.run_id)
