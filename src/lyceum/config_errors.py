"""How a configuration problem is reported: the file or variable that set the key, the
dotted key, what is allowed there, and a hint naming the closest allowed key of a typo.
Every table of lyceum.toml goes through `config_error`, so all typos read alike."""

from __future__ import annotations

import difflib
import os
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from lyceum.errors import ConfigError

CONFIG_HINT = "'lyceum init --print' shows every table and key with its default and meaning."


def _unwrap(annotation: Any) -> Any:
    """The type inside `X | None` or `Annotated[X, ...]`."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) == 1:
            return _unwrap(inner[0])
    return annotation


def _tagged_member(annotation: Any, tag: str) -> type[BaseModel] | None:
    """The member of a union of models told apart by a literal `kind` equal to `tag`."""
    if get_origin(annotation) not in (Union, types.UnionType):
        return None
    for member in get_args(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            kind = member.model_fields.get("kind")
            if kind is not None and kind.default == tag:
                return member
    return None


def _resolve(model: type[BaseModel], loc: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    """The type at `loc` (a pydantic error location) and the location as the user wrote it,
    without the union tags pydantic inserts (`models.local.local.n_ctx` -> `models.local.n_ctx`).
    """
    current: Any = model
    written: list[str] = []
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        member = _tagged_member(current, part)
        if member is not None:
            current = member
            continue
        written.append(part)
        if get_origin(current) is dict:
            current = _unwrap(get_args(current)[1])
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = _unwrap(field.annotation) if field is not None else None
        else:
            current = None
    return current, tuple(written)


def source_of(dotted: str, path: Path) -> str:
    """Where a key was set: its LYCEUM_ variable if one is set, else the file."""
    env = "LYCEUM_" + dotted.upper().replace(".", "__")
    if env in os.environ:
        return f"environment variable {env}"
    return str(path) if path.exists() else "the environment"


def config_error(
    exc: ValidationError, path: Path, model: type[BaseModel], *, prefix: tuple[str, ...] = ()
) -> ConfigError:
    """A `ConfigError` for every problem of `exc`: where it was set, the dotted key, what is
    allowed there, and a hint that names the closest allowed key of a typo."""
    problems: list[str] = []
    guesses: list[str] = []
    for err in exc.errors():
        _, loc = _resolve(model, tuple(str(p) for p in err["loc"]))
        dotted = ".".join((*prefix, *loc)) or "(root)"
        where = source_of(dotted, path)
        if err["type"] == "extra_forbidden":
            owner, _ = _resolve(model, tuple(str(p) for p in err["loc"][:-1]))
            table = ".".join((*prefix, *loc[:-1]))
            problem = (
                f"{where}: {dotted} is not a key of [{table}]"
                if table
                else f"{where}: {dotted} is not a table or key"
            )
            if isinstance(owner, type) and issubclass(owner, BaseModel):
                allowed = sorted(owner.model_fields)
                problem += f" (allowed: {', '.join(allowed)})"
                close = difflib.get_close_matches(loc[-1], allowed, n=1)
                if close:
                    guesses.append(".".join((*prefix, *loc[:-1], close[0])))
        else:
            problem = f"{where}: {dotted}: {err['msg']}"
            if "input" in err and not isinstance(err["input"], (dict, list)):
                problem += f" (got {err['input']!r})"
        problems.append(problem)
    hint = f"Did you mean {' / '.join(guesses)}? " if guesses else ""
    return ConfigError("invalid configuration: " + "; ".join(problems), hint=hint + CONFIG_HINT)
