"""The prompt templates of a research run (files in `prompts/`), filled with `str.format`."""

from __future__ import annotations

from functools import cache
from importlib import resources

from lyceum.llm.types import Message
from lyceum.sources.untrusted import UNTRUSTED_INSTRUCTION


@cache
def template(name: str) -> str:
    return (resources.files("lyceum.research") / "prompts" / f"{name}.txt").read_text("utf-8")


def render(name: str, **values: object) -> str:
    """Template `name` with `values`; `{untrusted}` is always the untrusted-text rule."""
    return template(name).format(untrusted=UNTRUSTED_INSTRUCTION, **values).strip()


def messages(step: str, **values: object) -> list[Message]:
    """The system and user messages of a step (`<step>_system.txt`, `<step>_user.txt`)."""
    return [
        Message.system(render(f"{step}_system", **values)),
        Message.user(render(f"{step}_user", **values)),
    ]
