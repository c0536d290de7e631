from __future__ import annotations

import json

import pytest

from lyceum.config import load_settings
from lyceum.evolve import loop
from lyceum.evolve.registry import Registry, RegistryError
from lyceum.llm.backends.scripted import ScriptedBackend

ADDENDUM = "Principles learned from earlier work:\n- Compute carefully."


def answer_better_with_the_addendum(messages, params):
    """Right on every question with the addendum, on half of them without."""
    system = messages[0].content if messages[0].role == "system" else ""
    i = int(messages[-1].content.split("What is ", 1)[1].split(" ", 1)[0])
    return str(i + 1) if ADDENDUM in system or i % 2 == 0 else "zero"


@pytest.fixture
def settings(workspace):
    rows = [
        {"id": f"q{i}", "question": f"What is {i} plus 1?", "answers": [str(i + 1)]}
        for i in range(40)
    ]
    (workspace / "qa.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (workspace / "suite.yaml").write_text(
        "name: sums\ndatasets: [{name: jsonl, label: sums, options: {path: qa.jsonl}}]\n"
        "methods: [naive]\nmodels: [x]\n"
    )
    (workspace / "lyceum.toml").write_text('[evolve]\narena_experiment = "suite.yaml"\n')
    return load_settings(workspace)


async def test_a_candidate_that_wins_its_arena_is_promoted_with_its_metrics(settings):
    backend = ScriptedBackend([answer_better_with_the_addendum] * 200)
    registry = Registry(loop.database(settings))
    candidate = registry.register(
        "prompt", {"addendum": ADDENDUM, "principles": ["Compute carefully."]}
    )
    with pytest.raises(RegistryError, match="has not won an arena"):
        loop.promote(settings, candidate.id)

    scored, result = await loop.arena(settings, candidate.name, lambda route: backend)
    assert result.passed and result.overall.n == 40
    assert scored.metrics["accuracy"] == 1.0 and scored.metrics["production_accuracy"] == 0.5
    promoted = loop.promote(settings, candidate.name)
    assert promoted.status == "production"
    log = registry.transitions("prompt")
    assert [t.event for t in log] == ["registered", "arena", "promoted"]
    assert log[1].reason.startswith("arena vs plain route default: won")
    assert log[2].reason == "won the arena"


async def test_the_next_candidate_meets_the_promoted_version_in_the_arena(settings):
    backend = ScriptedBackend([answer_better_with_the_addendum] * 400)
    registry = Registry(loop.database(settings))
    first = registry.register("prompt", {"addendum": ADDENDUM})
    registry.promote(first.id, reason="baseline")
    second = registry.register("prompt", {"addendum": ADDENDUM + "\n- Be brief."})
    _, result = await loop.arena(settings, second.id, lambda route: backend)
    assert result.overall.difference == 0.0 and not result.passed
    assert registry.transitions("prompt")[-1].reason.startswith("arena vs prompt-v1: lost")


def test_harvested_depth_follows_the_production_model(settings):
    registry = Registry(loop.database(settings))
    assert loop.harvest_depth(registry) == 1
    model = registry.register("model", {"route": "tuned", "trained_on_depth": 1})
    registry.promote(model.id, reason="trained on depth-1 data")
    assert loop.harvest_depth(registry) == 2


async def test_a_model_version_without_a_route_is_a_clear_error(settings):
    from lyceum.errors import ConfigError

    registry = Registry(loop.database(settings))
    version = registry.register("model", {"adapter": "adapters/v1"})
    with pytest.raises(ConfigError, match="names no gateway route"):
        await loop.arena(settings, version.id, lambda route: ScriptedBackend())
