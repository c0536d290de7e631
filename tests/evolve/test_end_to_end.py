"""One turn of the loop on the embedded local model with prompt-level evolution: harvest
from real research trajectories and a lab run made here, gate (MiniLM diversity), review,
compose, distil a prompt addendum, arena against production, promote, roll back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lyceum.config import load_settings
from lyceum.evolve import loop
from lyceum.evolve.batches import reviews_of
from lyceum.evolve.examples import batch_id
from lyceum.evolve.registry import Registry
from lyceum.lab.experiment import load_experiment
from lyceum.lab.runner import gateway_resolver, run_experiment
from lyceum.store.db import open_database

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent / "data"


async def test_one_turn_of_the_loop_on_the_embedded_model(
    workspace: Path, tmp_path: Path, embedded_model_path: Path
) -> None:
    from lyceum.wiring import build_gateway

    shutil.copy(DATA / "anchor.jsonl", workspace / "anchor.jsonl")
    shutil.copy(DATA / "qa.jsonl", workspace / "qa.jsonl")
    (workspace / "suite.yaml").write_text(
        "name: reading\n"
        "datasets: [{name: jsonl, label: reading, options: {path: qa.jsonl, context_field: context}}]\n"
        "methods: [{name: naive, params: {max_tokens: 24}}]\n"
        "models: [local]\nconcurrency: 1\nmetrics: [token_f1, exact_match]\n"
    )
    (workspace / "lyceum.toml").write_text(
        '[models.local]\nkind = "local"\nn_ctx = 2048\ntimeout_s = 1800\n'
        "[gateway]\nmax_retries = 0\n"
        '[evolve]\nanchor_path = "anchor.jsonl"\narena_experiment = "suite.yaml"\n'
        'arena_model = "local"\n'
    )
    settings = load_settings(workspace)
    db = open_database(settings.database_url)
    gateway = build_gateway(settings, db=db)
    resolve = gateway_resolver(gateway)
    try:
        # A lab run to learn from.
        lab = await run_experiment(
            load_experiment(workspace / "suite.yaml"),
            db=db,
            resolve_model=resolve,
            base_dir=workspace,
        )
        assert lab.done == 8

        # Harvest -> gate -> review. One research run: each run now gives a report row and
        # a row per writer draft (q1 and q3 give 10 and 11), and the 20 anchor rows allow
        # at most 13 synthetic ones (max_synthetic_share 0.40).
        batch = tmp_path / "batch.jsonl"
        examples = loop.harvest_to_file(
            settings, batch, trajectories=[DATA / "trajectories" / "q2"], lab_runs=[lab.run_id]
        )
        assert {e.source for e in examples} == {"research", "lab"}
        assert all(e.synthetic and e.generation_depth == 1 for e in examples)
        info = loop.check(settings, batch)
        rules = {r.rule: r for r in info.decision.rules}
        assert rules["diversity"].value is not None  # measured with MiniLM against the anchor
        assert info.decision.accepted, [r.message for r in info.decision.violations]
        accepted = loop.review(settings, batch, approved=True, scripted=True, reviewer="e2e")
        assert accepted.status == "accepted"
        (review,) = reviews_of(db, batch_id(batch))
        assert review.scripted and review.approved
        manifest = loop.compose(settings, tmp_path / "corpus")
        assert manifest.parts["anchor"].used == 20

        # Production baseline: the plain system prompt, registered as a version.
        registry = Registry(db)
        baseline = registry.register("prompt", {"addendum": "", "principles": []}, name="baseline")
        registry.promote(baseline.id, reason="initial baseline: no addendum")

        # Prompt-level evolution on the embedded model.
        evolved = await loop.evolve_prompt_from_runs(
            settings,
            resolve("local"),
            lab_runs=[lab.run_id],
            trajectories=[DATA / "trajectories"],
        )
        assert evolved.version is not None, evolved.proposed
        candidate = evolved.version
        assert candidate.payload["addendum"].startswith("Principles learned")

        # Arena, then promotion (forced and recorded as such when the candidate did not win).
        scored, result = await loop.arena(settings, candidate.id, resolve)
        assert scored.metrics["arena_run"] == result.run_id and result.overall.n == 8
        promoted = loop.promote(
            settings,
            candidate.id,
            reason="e2e: exercising promote and rollback",
            force=not result.passed,
        )
        assert promoted.status == "production"
        assert registry.backup("prompt").id == baseline.id

        restored = loop.rollback(settings, "prompt", reason="e2e rollback")
        assert restored.id == baseline.id
        assert registry.get(candidate.id).status == "rolled_back"
        events = [(t.event, t.to_status) for t in registry.transitions("prompt")]
        assert events[-4:] == [
            ("demoted", "backup"),
            ("promoted", "production"),
            ("rolled_back", "rolled_back"),
            ("restored", "production"),
        ]
        report = {
            "harvested": len(examples),
            "gate": {r.rule: r.value for r in info.decision.rules},
            "principles": candidate.payload["principles"],
            "arena": result.metrics(),
        }
        print(json.dumps(report, indent=2))
    finally:
        await gateway.aclose()
