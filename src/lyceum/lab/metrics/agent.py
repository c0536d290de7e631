"""Agent metrics: success, tool-call success, iterations and the stuck rate."""

from __future__ import annotations

from lyceum.lab.metrics.base import ScoringInput, metric


@metric("agent_success", binary=True)
def _agent_success(item: ScoringInput) -> float | None:
    """1.0 when the agent finished with an answer (status "success")."""
    agent = item.output.agent
    return None if agent is None else float(agent.status == "success")


@metric("tool_call_success")
def _tool_call_success(item: ScoringInput) -> float | None:
    """Share of the episode's tool calls that ran without error; None if it made none."""
    agent = item.output.agent
    if agent is None or agent.tool_calls == 0:
        return None
    return (agent.tool_calls - agent.tool_errors) / agent.tool_calls


@metric("iterations", fraction=False)
def _iterations(item: ScoringInput) -> float | None:
    agent = item.output.agent
    return None if agent is None else float(agent.iterations)


@metric("stuck", binary=True)
def _stuck(item: ScoringInput) -> float | None:
    """1.0 when the agent repeated the same action until it was stopped."""
    agent = item.output.agent
    return None if agent is None else float(agent.status == "stuck")
