from __future__ import annotations

import json

import pytest

from lyceum.evolve.prompt_evolution import (
    FAILURE_MODES,
    Episode,
    deduplicate,
    evolve_prompt,
    render_addendum,
    restates_episode,
)
from lyceum.evolve.registry import Registry
from lyceum.evolve.settings import EvolveSettings
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.store.db import open_database

EPISODES = [
    Episode(task="Capital of France?", answer="Paris", outcome="success"),
    Episode(task="Capital of Peru?", answer="Paris", outcome="failure", expected="Lima"),
]


@pytest.fixture
def registry(workspace):
    return Registry(open_database(f"sqlite:///{workspace / 'lyceum.db'}"))


def principles(*items):
    return json.dumps({"principles": list(items)})


def coach(*items, mode="wrong_target"):
    """A scripted model that writes `items` as rules and diagnoses every failure as `mode`."""

    def reply(messages, params):
        if "What went wrong?" in messages[-1].content:
            return json.dumps({"failure_mode": mode})
        return principles(*items)

    return ScriptedBackend([reply] * 20)


async def test_principles_become_a_versioned_candidate_addendum(registry, embedder):
    model = ScriptedBackend(
        [principles("Answer with the entity only.", "Check the country named.")]
    )
    result = await evolve_prompt(
        model, EPISODES, registry=registry, embedder=embedder, settings=EvolveSettings()
    )
    assert result.version is not None and result.version.status == "candidate"
    assert result.version.payload["addendum"] == render_addendum(
        ["Answer with the entity only.", "Check the country named."]
    )
    prompt = model.history[0].messages[-1].content
    assert "Capital of Peru?" in prompt and "Expected: Lima" in prompt


async def test_the_next_version_adds_only_new_principles(registry, embedder):
    settings = EvolveSettings()
    first = await evolve_prompt(
        ScriptedBackend([principles("Answer with the entity only.")]),
        EPISODES, registry=registry, embedder=embedder, settings=settings,
    )  # fmt: skip
    registry.promote(first.version.id, reason="test")
    second = await evolve_prompt(
        ScriptedBackend([principles("answer with the ENTITY only!", "Name units in numbers.")]),
        EPISODES, registry=registry, embedder=embedder, settings=settings,
    )  # fmt: skip
    assert second.new == ["Name units in numbers."]
    assert second.version.payload["principles"] == [
        "Answer with the entity only.",
        "Name units in numbers.",
    ]
    assert second.version.parent_id == first.version.id and second.version.number == 2


async def test_nothing_new_registers_nothing(registry, embedder):
    settings = EvolveSettings()
    first = await evolve_prompt(
        ScriptedBackend([principles("Be brief.")]),
        EPISODES, registry=registry, embedder=embedder, settings=settings,
    )  # fmt: skip
    registry.promote(first.version.id, reason="test")
    again = await evolve_prompt(
        ScriptedBackend([principles("Be brief.")]),
        EPISODES, registry=registry, embedder=embedder, settings=settings,
    )  # fmt: skip
    assert again.version is None and again.new == []
    assert len(registry.versions("prompt")) == 1


def test_near_duplicates_by_embedding_are_dropped(embedder):
    kept = deduplicate(
        ["Cite the source of every claim.", "Cite the source of every claim please.", "Be brief."],
        embedder,
        threshold=0.8,
    )
    assert kept == ["Cite the source of every claim.", "Be brief."]


async def test_the_addendum_keeps_the_newest_max_principles(registry, embedder):
    model = ScriptedBackend([principles("Be brief.", "Cite sources.", "Name units.")])
    result = await evolve_prompt(
        model, EPISODES, registry=registry, embedder=embedder,
        settings=EvolveSettings(max_principles=2),
    )  # fmt: skip
    assert result.principles == ["Cite sources.", "Name units."]
    assert result.version.payload["addendum"].count("\n- ") == 2


async def test_diagnosed_failures_bring_their_rule_and_restated_facts_are_dropped(
    registry, embedder
):
    episodes = [Episode(task="Context: The capital of Peru is Lima. Question: Capital of Peru?",
                        answer="Lima is the capital of Peru.", outcome="failure", expected="Lima")]  # fmt: skip
    model = coach("The capital of Peru is Lima.", "Double-check names.", mode="answer_too_long")
    result = await evolve_prompt(
        model, episodes, registry=registry, embedder=embedder, settings=EvolveSettings()
    )
    assert result.failure_modes == ["answer_too_long"]
    assert result.principles == [FAILURE_MODES["answer_too_long"], "Double-check names."]
    diagnosis_prompt = model.history[1].messages[-1].content
    assert "Question: Capital of Peru?" in diagnosis_prompt and "Expected: Lima" in diagnosis_prompt


async def test_an_undiagnosable_failure_is_skipped(registry, embedder):
    model = ScriptedBackend([principles("Be brief.")], default_output="not json")
    result = await evolve_prompt(
        model, EPISODES, registry=registry, embedder=embedder, settings=EvolveSettings()
    )
    assert result.failure_modes == [] and result.principles == ["Be brief."]


def test_a_principle_copying_an_episode_restates_it():
    assert restates_episode("The capital of Peru is Lima.", [
        Episode(task="Capital of Peru?", answer="x", outcome="failure", expected="the capital of Peru is Lima")
    ])  # fmt: skip
    assert not restates_episode("Answer with the entity only.", EPISODES)


def test_research_episodes_are_the_writer_models_drafts_not_sentences_code_wrote(tmp_path):
    from lyceum.evolve.prompt_evolution import research_episodes

    records = [
        {"type": "question", "run_id": "r", "question": "How do plants use light?"},
        {"type": "verdict", "run_id": "r", "draft_text": "Model draft.", "drafted_by": "model",
         "draft_label": "supported"},
        {"type": "verdict", "run_id": "r", "draft_text": "A note's quote.", "drafted_by": "code",
         "draft_label": "supported"},
        {"type": "verdict", "run_id": "r", "draft_text": "An older run's draft.",
         "draft_label": "contradicted"},
    ]  # fmt: skip
    path = tmp_path / "trajectory.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    episodes = research_episodes([path])
    assert [(e.answer, e.outcome) for e in episodes] == [
        ("Model draft.", "success"),
        ("An older run's draft.", "failure"),
    ]
