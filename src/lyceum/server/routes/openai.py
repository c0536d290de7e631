"""An OpenAI-compatible endpoint over the gateway: POST /v1/chat/completions (streaming
included) and GET /v1/models. Any OpenAI client gets Lyceum's routing, caching,
accounting and call log. `model` names a gateway role, a backend, or "default".

Differences from OpenAI, on purpose: an omitted `temperature` means 0 (Lyceum's default,
deterministic and cacheable); `n` must be 1; only text content parts are accepted.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from lyceum.errors import LyceumError
from lyceum.llm.context import call_context
from lyceum.llm.gateway import Gateway
from lyceum.llm.types import Completion, GenerateParams, Message, StreamChunk, ToolCall, ToolSpec
from lyceum.server.auth import Caller
from lyceum.server.errors import (
    ERROR_RESPONSES,
    ApiError,
    ErrorBody,
    ErrorDetail,
    lyceum_error_response,
)
from lyceum.server.openai_schema import (
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    FunctionCallOut,
    ModelCard,
    ModelList,
    ToolCallOut,
    UsageOut,
)
from lyceum.server.state import get_state

router = APIRouter(prefix="/v1", tags=["openai"], responses=ERROR_RESPONSES)

CALLER = "server.openai"
DEFAULT_MODELS = ("default",)


def _model_names(gateway: Gateway) -> list[str]:
    return list(dict.fromkeys([*DEFAULT_MODELS, *gateway.roles, *gateway.backend_names]))


def resolve_model(gateway: Gateway, name: str) -> Gateway:
    if name in DEFAULT_MODELS:
        return gateway
    if name in gateway.roles or name in gateway.backend_names:
        return gateway.for_role(name)
    raise ApiError(
        404,
        f"the model {name!r} does not exist",
        type="invalid_request_error",
        code="model_not_found",
        param="model",
        hint=f"Use one of: {', '.join(_model_names(gateway))} (GET /v1/models).",
    )


def _to_messages(body: ChatCompletionRequest) -> list[Message]:
    out = []
    for i, m in enumerate(body.messages):
        calls: list[ToolCall] = []
        for tc in m.tool_calls or []:
            try:
                args = json.loads(tc.function.arguments or "{}")
            except ValueError:
                args = None
            if not isinstance(args, dict):
                raise ApiError(
                    422,
                    f"messages.{i}.tool_calls: arguments of {tc.function.name!r} "
                    "must be a JSON object string",
                    param=f"messages.{i}.tool_calls",
                )
            calls.append(ToolCall(id=tc.id, name=tc.function.name, arguments=args))
        if m.role == "tool" and not m.tool_call_id:
            raise ApiError(
                422, f"messages.{i}: a tool message needs tool_call_id", param="messages"
            )
        role = "system" if m.role == "developer" else m.role
        out.append(
            Message(
                role=role,
                content=m.text(),
                name=m.name,
                tool_calls=tuple(calls),
                tool_call_id=m.tool_call_id,
            )
        )
    return out


def _to_params(body: ChatCompletionRequest) -> GenerateParams:
    schema: dict[str, Any] | None = None
    if body.response_format is not None and body.response_format.type == "json_object":
        schema = {"type": "object"}
    elif body.response_format is not None and body.response_format.type == "json_schema":
        if body.response_format.json_schema is None or not body.response_format.json_schema.schema_:
            raise ApiError(
                422,
                "response_format.json_schema.schema is required for type json_schema",
                param="response_format",
            )
        schema = body.response_format.json_schema.schema_
    tools: tuple[ToolSpec, ...] = ()
    if body.tools and body.tool_choice != "none":
        tools = tuple(
            ToolSpec(
                name=t.function.name,
                description=t.function.description,
                parameters=t.function.parameters,
            )
            for t in body.tools
        )
    stop = (body.stop,) if isinstance(body.stop, str) else tuple(body.stop or ())
    return GenerateParams(
        max_tokens=body.max_completion_tokens or body.max_tokens or 512,
        temperature=body.temperature if body.temperature is not None else 0.0,
        top_p=body.top_p,
        stop=stop,
        seed=body.seed,
        json_schema=schema,
        tools=tools,
    )


def _tool_calls_out(calls: tuple[ToolCall, ...]) -> list[ToolCallOut] | None:
    if not calls:
        return None
    return [
        ToolCallOut(
            id=c.id, function=FunctionCallOut(name=c.name, arguments=json.dumps(c.arguments))
        )
        for c in calls
    ]


def _headers(completion: Completion) -> dict[str, str]:
    return {
        "x-lyceum-backend": completion.backend,
        "x-lyceum-cache": completion.cached or "miss",
        "x-lyceum-cost-usd": f"{completion.cost_usd:.8f}",
        "x-lyceum-call-id": completion.call_id or "",
    }


@router.get("/models", response_model=ModelList, summary="Models (gateway routes) available")
async def list_models(request: Request, _caller: Caller) -> ModelList:
    gateway = get_state(request).gateway
    return ModelList(data=[ModelCard(id=name) for name in _model_names(gateway)])


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    summary="Chat completion through the gateway (set stream=true for server-sent events)",
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": "A completion, or with stream=true a stream of chunks then [DONE].",
        },
        502: {"model": ErrorBody, "description": "The backend failed."},
        503: {"model": ErrorBody, "description": "No model tier is available."},
        504: {"model": ErrorBody, "description": "The backend timed out."},
    },
)
async def chat_completions(request: Request, body: ChatCompletionRequest, _caller: Caller) -> Any:
    state = get_state(request)
    model = resolve_model(state.gateway, body.model)
    messages = _to_messages(body)
    params = _to_params(body)
    if body.stream:
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        return await _stream(model, body.model, messages, params, include_usage)
    with call_context(caller=CALLER):
        completion = await model.generate(messages, params)
    out = ChatCompletion(
        id=f"chatcmpl-{completion.call_id or uuid.uuid4().hex}",
        created=int(time.time()),
        model=body.model,
        choices=[
            Choice(
                index=0,
                message=AssistantMessage(
                    content=completion.text
                    if completion.text or not completion.tool_calls
                    else None,
                    tool_calls=_tool_calls_out(completion.tool_calls),
                ),
                finish_reason=completion.finish_reason,
            )
        ],
        usage=UsageOut(
            prompt_tokens=completion.usage.prompt_tokens,
            completion_tokens=completion.usage.completion_tokens,
            total_tokens=completion.usage.total_tokens,
        ),
    )
    return JSONResponse(
        out.model_dump(mode="json", exclude_none=False), headers=_headers(completion)
    )


def _sse(data: dict[str, Any] | str) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"data: {text}\n\n".encode()


async def _next(chunks: AsyncIterator[StreamChunk]) -> StreamChunk | None:
    # The call context is set around each step (not across yields), so the gateway's record
    # written at the end of the stream carries it, whichever task resumes the generator.
    with call_context(caller=CALLER):
        try:
            return await chunks.__anext__()
        except StopAsyncIteration:
            return None


async def _stream(
    model: Gateway,
    model_name: str,
    messages: list[Message],
    params: GenerateParams,
    include_usage: bool,
) -> Any:
    chunks = model.stream(messages, params).__aiter__()
    try:
        first = await _next(chunks)
    except LyceumError as exc:
        return lyceum_error_response(exc)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())

    def frame(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model_name,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }

    async def body() -> AsyncIterator[bytes]:
        yield _sse(frame({"role": "assistant", "content": ""}))
        chunk = first
        usage = None
        try:
            while chunk is not None:
                delta: dict[str, Any] = {}
                if chunk.delta:
                    delta["content"] = chunk.delta
                if chunk.tool_calls:
                    delta["tool_calls"] = [
                        {"index": i, **c.model_dump(mode="json")}
                        for i, c in enumerate(_tool_calls_out(chunk.tool_calls) or [])
                    ]
                if delta:
                    yield _sse(frame(delta))
                if chunk.usage is not None:
                    usage = chunk.usage
                if chunk.finish_reason is not None:
                    yield _sse(frame({}, chunk.finish_reason))
                chunk = await _next(chunks)
        except LyceumError as exc:
            detail = ErrorDetail(type="backend_error", message=str(exc), hint=exc.hint)
            yield _sse({"error": detail.model_dump(mode="json")})
            return
        if include_usage and usage is not None:
            yield _sse(
                {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model_name,
                    "choices": [],
                    "usage": {
                        "prompt_tokens": usage.prompt_tokens,
                        "completion_tokens": usage.completion_tokens,
                        "total_tokens": usage.total_tokens,
                    },
                }
            )
        yield _sse("[DONE]")

    return StreamingResponse(
        body(), media_type="text/event-stream", headers={"cache-control": "no-cache"}
    )
