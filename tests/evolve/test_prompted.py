"""A prompt version runs as a `ModelWrapper` that adds its addendum to the system prompt."""

from __future__ import annotations

from lyceum.evolve.prompted import PromptedModel
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import Message
from lyceum.llm.wrapper import ModelWrapper

ADDENDUM = "Check every number twice."


async def test_every_call_and_stream_carries_the_addendum_in_the_system_prompt() -> None:
    inner = ScriptedBackend(default_output="ok", name="local", model_id="qwen")
    model = PromptedModel(inner, ADDENDUM, label="v2")

    await model.generate([Message.system("Be brief."), Message.user("q")])
    async for _ in model.stream([Message.user("q")]):
        pass

    first, second = (call.messages for call in inner.history)
    assert first[0].content == f"Be brief.\n\n{ADDENDUM}" and first[1].content == "q"
    assert second[0].role == "system" and second[0].content == ADDENDUM


def test_a_labelled_version_is_named_and_identified_apart_from_its_base() -> None:
    inner = ScriptedBackend(name="local", model_id="qwen", context_window=4096)
    model = PromptedModel(inner, ADDENDUM, label="v2")
    assert isinstance(model, ModelWrapper)
    assert (model.name, model.model_id, model.context_window) == ("local+v2", "local+v2", 4096)
    assert PromptedModel(inner, ADDENDUM).model_id == "local"
