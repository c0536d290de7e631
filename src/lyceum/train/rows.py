"""Training files: sft.jsonl (instruction, input, output) and dpo.jsonl (prompt, chosen,
rejected), read with every bad line named, and turned into TRL's row formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lyceum.errors import ConfigError, NotFoundError
from lyceum.jsonl import read_jsonl


def training_file_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The JSON objects of a training file with their line numbers; a missing file, a line
    that is not a JSON object and a file without rows are errors naming the problem."""
    if not path.exists():
        raise NotFoundError(f"no training file {path}")
    rows = [(row.line, row.value) for row in read_jsonl(path, error=ConfigError)]
    if not rows:
        raise ConfigError(f"{path} holds no rows")
    return rows


def _rows(path: Path, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = training_file_rows(path)
    for i, row in rows:
        missing = [f for f in fields if not row.get(f)]
        if missing:
            raise ConfigError(
                f"{path} line {i} lacks {missing}", hint="Use 'lyceum evolve compose'."
            )
    return [row for _, row in rows]


def sft_rows(path: Path) -> list[dict[str, str]]:
    """sft.jsonl rows as TRL prompt/completion pairs."""
    out = []
    for r in _rows(path, ("instruction", "output")):
        prompt = f"{r['instruction']}\n\n{r['input']}" if r.get("input") else r["instruction"]
        out.append({"prompt": prompt + "\n", "completion": r["output"]})
    return out


def dpo_rows(path: Path) -> list[dict[str, str]]:
    return [
        {"prompt": r["prompt"], "chosen": r["chosen"], "rejected": r["rejected"]}
        for r in _rows(path, ("prompt", "chosen", "rejected"))
    ]


def as_chat(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Rows in TRL's conversational form, so training sees the chat template the served
    model sees (llama.cpp applies the GGUF's template to every chat request)."""
    out: list[dict[str, Any]] = []
    for row in rows:
        chat: dict[str, Any] = {"prompt": [{"role": "user", "content": row["prompt"].strip()}]}
        for key in ("completion", "chosen", "rejected"):
            if key in row:
                chat[key] = [{"role": "assistant", "content": row[key]}]
        out.append(chat)
    return out
