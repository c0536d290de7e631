"""The semantic cache with the real embedded MiniLM model."""

from __future__ import annotations

import pytest

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.cache import ExactCache, SemanticCache, salient_terms
from lyceum.llm.context import call_context
from lyceum.llm.gateway import Gateway
from lyceum.llm.types import GenerateParams, Message, ToolSpec

OPT_IN = GenerateParams(semantic_cache=True)


@pytest.fixture(scope="module")
def embedder():
    from lyceum.retrieval.embeddings import load_embedder

    return load_embedder("minilm")


@pytest.fixture
def gateway(db, embedder):
    backend = ScriptedBackend([], name="local", default_output="fresh answer")
    gw = Gateway(
        {"local": backend},
        ["local"],
        exact_cache=ExactCache(db),
        semantic_cache=SemanticCache(db, embedder, threshold=0.85),
    )
    return gw, backend


async def ask(gw, text, params=OPT_IN, history=()):
    return await gw.generate([*history, Message.user(text)], params)


async def test_paraphrase_is_served_from_the_semantic_cache(gateway):
    gw, backend = gateway
    backend.enqueue("Paris")
    await ask(gw, "What is the capital of France?")
    out = await ask(gw, "Which city is the capital of France?")
    assert out.text == "Paris" and out.cached == "semantic"
    assert len(backend.history) == 1


async def test_near_miss_with_a_different_name_is_not_served(gateway):
    gw, backend = gateway
    backend.enqueue("Paris", "Berlin")
    await ask(gw, "What is the capital of France?")
    out = await ask(gw, "What is the capital of Germany?")
    assert out.text == "Berlin" and out.cached == ""


async def test_semantic_cache_is_opt_in_per_call(gateway):
    gw, backend = gateway
    backend.enqueue("Paris", "second")
    await ask(gw, "What is the capital of France?")
    out = await ask(gw, "Which city is the capital of France?", params=GenerateParams())
    assert out.cached == "" and out.text == "second"


async def test_never_used_for_tool_calls_or_agent_steps(gateway):
    gw, backend = gateway
    tools = GenerateParams(semantic_cache=True, tools=(ToolSpec(name="calc", description="c"),))
    backend.enqueue("a", "b", "c", "d")
    await ask(gw, "What is the capital of France?", params=tools)
    assert (await ask(gw, "Which city is the capital of France?", params=tools)).cached == ""
    with call_context(agent_step=True):
        await ask(gw, "What is the capital of Italy?")
        assert (await ask(gw, "Which city is the capital of Italy?")).cached == ""


async def test_a_different_conversation_history_never_matches(gateway):
    gw, backend = gateway
    backend.enqueue("one", "two")
    await ask(gw, "What is the capital of France?", history=[Message.system("Answer in French.")])
    out = await ask(
        gw, "Which city is the capital of France?", history=[Message.system("Be brief.")]
    )
    assert out.cached == "" and out.text == "two"


async def test_semantic_entries_persist_for_a_new_gateway(db, embedder):
    first = Gateway(
        {"local": ScriptedBackend(["Paris"], name="local")},
        ["local"],
        exact_cache=ExactCache(db),
        semantic_cache=SemanticCache(db, embedder, threshold=0.85),
    )
    await ask(first, "What is the capital of France?")
    fresh = ScriptedBackend(["unused"], name="local")
    second = Gateway(
        {"local": fresh},
        ["local"],
        exact_cache=ExactCache(db),
        semantic_cache=SemanticCache(db, embedder, threshold=0.85),
    )
    assert (await ask(second, "Which city is the capital of France?")).text == "Paris"
    assert fresh.history == []


def test_salient_terms_capture_numbers_names_and_order():
    assert salient_terms("What is 17 times 23?") == ("17", "23")
    assert salient_terms("When did World War II end?") == ("world", "war", "ii")
    assert salient_terms("Convert 100 Fahrenheit to Celsius.") != salient_terms(
        "Convert 100 Celsius to Fahrenheit."
    )
    assert salient_terms("How do vaccines work?") == ()
