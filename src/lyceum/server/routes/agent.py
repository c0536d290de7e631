"""POST /run-agent: the ReAct agent on one task, answering with its answer and trace.

Each request is recorded as a run (kind "agent") whose state is the trace, so its model
calls are tied to it in the call log and the dashboard's traces page can show it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from lyceum.agents import AgentResult, run_react
from lyceum.llm.context import call_context
from lyceum.server.auth import Caller
from lyceum.server.errors import ERROR_RESPONSES, ApiError, ErrorBody
from lyceum.server.routes.openai import resolve_model
from lyceum.server.state import as_model, get_state

router = APIRouter(tags=["agent"], responses=ERROR_RESPONSES)

AGENT_KIND = "agent"


class AgentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task: str = Field(min_length=1, max_length=8000, pattern=r"\S", description="What to do.")
    tools: list[str] | None = Field(
        default=None,
        max_length=16,
        description="Tool names, from those the server allows ([server] agent_tools); "
        "default: all of them.",
    )
    max_iterations: int = Field(default=6, ge=1, le=50, description="Model calls at most.")
    model: str = Field(default="default", min_length=1, max_length=256, description="Route.")
    mode: str = Field(default="auto", pattern="^(auto|native|json|text)$")


class AgentRunResponse(BaseModel):
    run_id: str
    result: AgentResult


@router.post(
    "/run-agent",
    response_model=AgentRunResponse,
    summary="Run the ReAct agent on one task",
    responses={503: {"model": ErrorBody, "description": "No model tier is available."}},
)
async def run_agent(request: Request, body: AgentRequest, _caller: Caller) -> AgentRunResponse:
    state = get_state(request)
    allowed = state.config.agent_tools
    tools = body.tools if body.tools is not None else allowed
    refused = [t for t in tools if t not in allowed]
    if refused:
        raise ApiError(
            422,
            f"tools: {refused} not allowed on this server; allowed: {allowed}",
            param="tools",
            hint="Add them to [server] agent_tools in lyceum.toml.",
        )
    if body.max_iterations > state.config.agent_max_iterations:
        raise ApiError(
            422,
            f"max_iterations: at most {state.config.agent_max_iterations} on this server",
            param="max_iterations",
        )
    model = resolve_model(state.gateway, body.model)
    run_id = state.runs.create(
        AGENT_KIND,
        name=body.task.strip()[:500],
        config={"tools": tools, "model": body.model, "max_iterations": body.max_iterations},
    )
    try:
        with call_context(run_id=run_id):
            result = await run_react(
                as_model(model),
                body.task,
                tools,
                max_iterations=body.max_iterations,
                mode=body.mode,  # type: ignore[arg-type]
                settings=state.settings,
            )
    except BaseException:
        state.runs.set_status(run_id, "failed")
        raise
    status = "done" if result.status == "success" else result.status
    state.runs.save_state(run_id, result.model_dump(mode="json"), status=status[:16])
    return AgentRunResponse(run_id=run_id, result=result)
