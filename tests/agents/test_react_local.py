"""The ReAct loop on the real embedded model (Qwen2.5-Coder-0.5B): a calculator task."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from lyceum.agents import run_react
from lyceum.llm.types import GenerateParams


@pytest.fixture(scope="module")
def qwen(embedded_model_path: Path) -> Iterator[object]:
    from lyceum.config_backends import LocalBackendConfig
    from lyceum.llm.backends.local import LocalBackend

    backend = LocalBackend("local", LocalBackendConfig(model=str(embedded_model_path), n_ctx=4096))
    yield backend
    asyncio.run(backend.aclose())


async def test_the_local_model_uses_the_calculator_and_answers(qwen: object) -> None:
    result = await run_react(
        qwen,  # type: ignore[arg-type]
        "What is 2 to the power 20? Use the calculator.",
        ["calculator"],
        max_iterations=4,
        params=GenerateParams(max_tokens=200),
    )

    assert result.mode == "json"
    assert result.format_errors == 0
    calculator_steps = [s for s in result.steps if s.action == "calculator"]
    assert calculator_steps and calculator_steps[0].observation == "1048576"
    assert "1048576" in result.answer
    assert result.usage.total_tokens > 0
