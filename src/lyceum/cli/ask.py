"""`lyceum ask`: one question through the gateway, streamed."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer
from rich.markup import escape

from lyceum.cli.console import console
from lyceum.cli.state import state
from lyceum.errors import LyceumError
from lyceum.lab.runner import gateway_resolver
from lyceum.llm.context import call_context
from lyceum.llm.types import GenerateParams, Message, Usage
from lyceum.store.calls import CallFilter
from lyceum.wiring import build_gateway

DEFAULT_SYSTEM = "You are a concise, accurate assistant. Say so when you do not know."


async def _ask(
    question: str, route: str | None, system: str, max_tokens: int, temperature: float, stream: bool
) -> None:
    settings = state.settings()
    gateway = build_gateway(settings)
    try:
        model = gateway_resolver(gateway)(route) if route else gateway
    except LyceumError:
        await gateway.aclose()
        raise
    messages = [Message.system(system), Message.user(question)]
    params = GenerateParams(max_tokens=max_tokens, temperature=temperature)
    err = console(stderr=True)
    try:
        with call_context(caller="cli.ask"):
            if stream:
                usage = Usage()
                async for chunk in model.stream(messages, params):
                    sys.stdout.write(chunk.delta)
                    sys.stdout.flush()
                    usage = chunk.usage or usage
                sys.stdout.write("\n")
            else:
                completion = await model.generate(messages, params)
                print(completion.text)
        assert gateway.call_log is not None
        [record] = gateway.call_log.list(CallFilter(caller="cli.ask", limit=1))
        cache = f", cache hit ({record.cache_hit})" if record.cache_hit else ""
        err.print(
            f"[dim]{escape(record.backend)}/{escape(record.model)}: {record.prompt_tokens} prompt + "
            f"{record.completion_tokens} completion tokens, {record.latency_s:.2f}s, "
            f"${record.cost_usd:.6f}{cache}[/]"
        )
    finally:
        await gateway.aclose()


def register(app: typer.Typer) -> None:
    @app.command()
    def ask(
        question: Annotated[str, typer.Argument(help="The question to ask.")],
        model: Annotated[
            str | None, typer.Option("--model", "-m", help="A role or backend name to route to.")
        ] = None,
        system: Annotated[str, typer.Option(help="System prompt.")] = DEFAULT_SYSTEM,
        max_tokens: Annotated[int, typer.Option(min=1)] = 512,
        temperature: Annotated[float, typer.Option(min=0.0, max=2.0)] = 0.0,
        stream: Annotated[bool, typer.Option("--stream/--no-stream")] = True,
    ) -> None:
        """Ask a question; the answer streams, then tokens, latency and cost are printed."""
        asyncio.run(_ask(question, model, system, max_tokens, temperature, stream))
