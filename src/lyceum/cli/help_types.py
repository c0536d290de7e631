"""Help that shows value types the way click always has (TEXT, INTEGER, PATH) and none
for flags: typer 0.29 prints a Python-ish `<str>`/`<bool>` beside every option, `--help`
and on/off flags included, which tells a reader nothing about what to type."""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperOption

NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "bool": "BOOLEAN"}


def value_type(label: str | None) -> str | None:
    """`<int range>` -> `INTEGER`, `<list[str]>` -> `TEXT`, `<path>` -> `PATH`; choices
    (`a|b`) and explicit metavars stay as written."""
    if label is None or not (label.startswith("<") and label.endswith(">")):
        return label
    inner = label[1:-1]
    suffix = "..." if label.endswith("...>") else ""
    inner = inner.removesuffix("...").removesuffix(" range")
    if inner.startswith("list[") and inner.endswith("]"):
        inner = inner[5:-1]
    if "|" in inner or "," in inner:
        return inner + suffix
    return NAMES.get(inner, inner.upper()) + suffix


_option_type = TyperOption.display_type_rich
_argument_type = TyperArgument.display_type_rich


def _option(self: TyperOption, ctx: Any) -> str | None:
    if self.is_flag and not self.count:
        return None
    return value_type(_option_type(self, ctx))


def _argument(self: TyperArgument, ctx: Any) -> str | None:
    return value_type(_argument_type(self, ctx))


def install() -> None:
    """Apply to every command; idempotent."""
    TyperOption.display_type_rich = _option  # type: ignore[method-assign]
    TyperArgument.display_type_rich = _argument  # type: ignore[method-assign]
