"""Prompt templates: readable YAML files under `lyceum/lab/prompts/`, rendered with Jinja2."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, Template

from lyceum.errors import NotFoundError
from lyceum.llm.types import Message

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"

_env = Environment(undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False)


@dataclass(frozen=True)
class PromptTemplate:
    """A system and a user template; `render` gives the chat messages."""

    name: str
    system: Template
    user: Template

    def render_user(self, **variables: Any) -> Message:
        return Message.user(self.user.render(**variables).strip())

    def render(self, **variables: Any) -> list[Message]:
        return [
            Message.system(self.system.render(**variables).strip()),
            Message.user(self.user.render(**variables).strip()),
        ]


@cache
def _load_file(path: Path) -> dict[str, dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} must map prompt names to {{system, user}} templates")
    return data


def prompt(name: str, file: str = "qa.yaml") -> PromptTemplate:
    """The template `name` from a prompt file in the prompts directory."""
    templates = _load_file(PROMPTS_DIR / file)
    if name not in templates:
        raise NotFoundError(f"no prompt {name!r} in {file}", hint=f"Known: {sorted(templates)}")
    entry = templates[name]
    return PromptTemplate(
        name=name, system=_env.from_string(entry["system"]), user=_env.from_string(entry["user"])
    )
