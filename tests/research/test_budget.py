"""Research's run meter: a `ModelWrapper` that adds each completion to the run's `Meter`."""

from __future__ import annotations

from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.types import Completion, Message, Usage
from lyceum.llm.wrapper import ModelWrapper
from lyceum.research.budget import MeteredModel
from lyceum.research.progress import ProgressEvent
from lyceum.research.state import Meter


async def test_metered_model_counts_tokens_and_cost_of_misses_and_only_calls_of_hits() -> None:
    inner = ScriptedBackend(
        [
            Completion(text="a", usage=Usage(prompt_tokens=10, completion_tokens=3), cost_usd=0.5),
            Completion(text="b", usage=Usage(prompt_tokens=7, completion_tokens=2), cached="exact"),
        ],
        name="local",
    )
    meter = Meter()
    events: list[ProgressEvent] = []
    model = MeteredModel(inner, meter, events.append)

    assert isinstance(model, ModelWrapper) and model.name == "local"
    assert (await model.generate([Message.user("q1")])).text == "a"
    assert (await model.generate([Message.user("q2")])).text == "b"

    assert (meter.calls, meter.cached_calls) == (2, 1)
    assert (meter.prompt_tokens, meter.completion_tokens, meter.cost_usd) == (10, 3, 0.5)
    assert [e.kind for e in events] == ["usage", "usage"]
    assert events[-1].data["calls"] == 2
