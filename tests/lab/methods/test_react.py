from __future__ import annotations

import pytest

from lyceum.lab.datasets.base import Example
from lyceum.lab.methods import TracedModel, build_method, validate_params
from lyceum.lab.metrics import METRICS, ScoringInput
from lyceum.llm.backends.scripted import ScriptedBackend, tool_call

EXAMPLE = Example(id="a1", question="What is 6 times 7?", answers=["42"])


async def test_react_method_runs_the_agent_and_reports_its_episode():
    backend = ScriptedBackend(
        [tool_call("calculator", {"expression": "6 * 7"}), "The answer is 42."],
        default_output=None,
    )
    traced = TracedModel(backend)
    out = await build_method("react", {"tools": ["calculator"], "mode": "native"}).solve(
        EXAMPLE, traced
    )
    assert out.prediction == "42"
    assert out.agent is not None
    assert (out.agent.status, out.agent.iterations, out.agent.tool_calls) == ("success", 2, 1)
    assert [s.detail["action"] for s in out.trace] == ["calculator", "final_answer"]
    assert traced.calls == 2
    item = ScoringInput(EXAMPLE, out)
    assert METRICS.get("agent_success").fn(item) == 1.0
    assert METRICS.get("tool_call_success").fn(item) == 1.0
    assert METRICS.get("numeric").fn(item) == 1.0


async def test_react_repeating_an_action_is_stuck():
    repeated = [tool_call("calculator", {"expression": "1+1"}, call_id=f"c{i}") for i in range(6)]
    backend = ScriptedBackend(repeated, default_output="2")
    out = await build_method("react", {"max_iterations": 6, "mode": "native"}).solve(
        EXAMPLE, backend
    )
    assert out.agent is not None and out.agent.status == "stuck"
    assert METRICS.get("stuck").fn(ScoringInput(EXAMPLE, out)) == 1.0


def test_react_rejects_unknown_tools_at_config_time():
    with pytest.raises(ValueError, match="unknown tools"):
        validate_params("react", {"tools": ["teleport"]})
