"""The code in the README and the docs is real: Python parses and imports only names that
exist, blocks marked runnable run (on the scripted backend), shell blocks parse and call
`lyceum` commands that exist with options they accept, TOML uses only keys the settings
models accept, and YAML experiment and pipeline files validate."""

from __future__ import annotations

import ast
import importlib
import io
import re
import shlex
import subprocess
import tomllib
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from pydantic import BaseModel, TypeAdapter

ROOT = Path(__file__).resolve().parents[2]
RUN_MARK = "<!-- docs-test: run -->"
_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w+-]*)[^\n]*$")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    code: str
    run: bool

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def doc_files() -> list[Path]:
    docs = sorted(p for p in (ROOT / "docs").rglob("*.md") if "snippets" not in p.parts)
    return [ROOT / "README.md", *docs]


def blocks(path: Path) -> list[Block]:
    out: list[Block] = []
    lines = path.read_text("utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, lang, start = len(match["indent"]), match["lang"].lower(), i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith("```"):
            body.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i])
            i += 1
        run = start > 0 and lines[start - 1].strip() == RUN_MARK
        out.append(Block(path, start + 1, lang, "\n".join(body) + "\n", run))
        i += 1
    return out


def all_blocks(*langs: str) -> list[Block]:
    return [b for p in doc_files() for b in blocks(p) if b.lang in langs]


PYTHON = all_blocks("python")
SHELL = all_blocks("bash", "sh")
TOML = all_blocks("toml")
YAML = all_blocks("yaml")


def _ids(blocks: list[Block]) -> list[str]:
    return [b.where for b in blocks]


def test_the_docs_have_code_blocks_of_each_kind() -> None:
    assert len(PYTHON) >= 10 and len(SHELL) >= 10 and TOML and YAML
    assert any(b.run for b in PYTHON), "no Python block is marked runnable"


@pytest.mark.parametrize("block", PYTHON, ids=_ids(PYTHON))
def test_python_block_parses_and_imports_names_that_exist(block: Block) -> None:
    tree = compile(
        block.code, block.where, "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lyceum"):
            module = importlib.import_module(node.module)  # type: ignore[arg-type]
            for alias in node.names:
                assert hasattr(module, alias.name) or _is_submodule(node.module, alias.name), (
                    f"{block.where}: {node.module} has no {alias.name}"
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("lyceum"):
                    importlib.import_module(alias.name)


def _is_submodule(package: str | None, name: str) -> bool:
    try:
        importlib.import_module(f"{package}.{name}")
    except ImportError:
        return False
    return True


RUNNABLE = [b for b in PYTHON if b.run]


@pytest.mark.parametrize("block", RUNNABLE, ids=_ids(RUNNABLE))
def test_runnable_python_block_runs_on_the_scripted_backend(
    block: Block, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "lyceum.toml").write_text(
        '[models.local]\nkind = "scripted"\noutputs = ["Pencils: graphite is their core."]\n'
    )
    out = io.StringIO()
    with redirect_stdout(out):
        exec(compile(block.code, block.where, "exec"), {"__name__": "__main__"})
    assert "Pencils: graphite is their core." in out.getvalue()
    from lyceum.config import load_settings
    from lyceum.store.calls import CallLog
    from lyceum.store.db import open_database

    records = CallLog(open_database(load_settings().database_url)).list()
    assert records and all(r.output == "Pencils: graphite is their core." for r in records)


@pytest.mark.parametrize("block", SHELL, ids=_ids(SHELL))
def test_shell_block_parses(block: Block) -> None:
    done = subprocess.run(["bash", "-n"], input=block.code, capture_output=True, text=True)
    assert done.returncode == 0, f"{block.where}: {done.stderr}"


def _cli() -> Any:
    from lyceum.cli.main import app

    return typer.main.get_command(app)


def _lyceum_lines(block: Block) -> list[list[str]]:
    out = []
    for line in block.code.replace("\\\n", " ").splitlines():
        line = line.split(" #")[0].strip()
        for prefix in (".venv/bin/lyceum ", "lyceum "):
            if line.startswith(prefix):
                words = shlex.split(line[len(prefix) :].replace("[", "").replace("]", ""))
                out.append([w for w in words if w != "..."])
    return out


@pytest.mark.parametrize("block", SHELL, ids=_ids(SHELL))
def test_lyceum_commands_in_shell_blocks_exist_with_their_options(block: Block) -> None:
    root = _cli()
    for words in _lyceum_lines(block):
        command: Any = root
        path = ["lyceum"]
        for word in words:
            # typer vendors its own click, so groups are told by their `commands` mapping.
            sub = getattr(command, "commands", {}).get(word)
            if sub is None or word.startswith("-"):
                break
            command, path = sub, [*path, word]
        assert path != ["lyceum"] or not words, f"{block.where}: unknown command {words[0]!r}"
        known = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
        known |= {"--help"}
        for word in words:
            if word.startswith("--") or (word.startswith("-") and len(word) == 2):
                name = word.split("=")[0]
                if hasattr(command, "commands"):
                    continue
                assert name in known, f"{block.where}: {' '.join(path)} has no option {name}"


def _models_for_tables() -> dict[str, Any]:
    from lyceum.config import (
        FEATURE_TABLES,
        GatewaySettings,
        PriceEntry,
        StoreSettings,
        table_model,
    )
    from lyceum.config_backends import BackendConfig

    models: dict[str, Any] = {
        "gateway": GatewaySettings,
        "store": StoreSettings,
        "models.*": TypeAdapter(BackendConfig),
        "pricing.*": PriceEntry,
    }
    models.update({table: table_model(table) for table in FEATURE_TABLES})
    return models


@pytest.mark.parametrize("block", TOML, ids=_ids(TOML))
def test_toml_block_uses_only_keys_the_settings_accept(block: Block) -> None:
    data = tomllib.loads(block.code)
    models = _models_for_tables()
    checked = 0
    for table, value in data.items():
        if table in ("models", "pricing", "sources"):
            for name, sub in value.items():
                key = f"{table}.{name}" if table == "sources" else f"{table}.*"
                _validate(models[key], sub, f"{block.where} [{table}.{name}]")
                checked += 1
        else:
            assert table in models, f"{block.where}: unknown table [{table}]"
            _validate(models[table], value, f"{block.where} [{table}]")
            checked += 1
    assert checked


def _validate(model: Any, value: dict[str, Any], where: str) -> None:
    try:
        if isinstance(model, TypeAdapter):
            model.validate_python(value)
        else:
            assert issubclass(model, BaseModel)
            model.model_validate(value)
    except Exception as exc:  # a pydantic ValidationError names the key
        pytest.fail(f"{where}: {exc}")


@pytest.mark.parametrize("block", YAML, ids=_ids(YAML))
def test_yaml_block_is_a_valid_experiment_or_pipeline(block: Block) -> None:
    data = yaml.safe_load(block.code)
    if "steps" in data:
        from lyceum.data.pipeline_config import parse_pipeline

        parse_pipeline(data, Path("."))
    else:
        from lyceum.lab.experiment import parse_experiment

        parse_experiment(data, block.where)
