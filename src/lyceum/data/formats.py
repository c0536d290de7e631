"""Format step: records to training rows, split into train/validation/test by a seeded hash.

Kinds of rows:
- `cpt`  (continued pretraining): `{"text": ...}`
- `sft`  : `{"instruction", "input", "output"}`
- `chat` : `{"messages": [{"role", "content"}, ...]}` (a record's own `messages` pass through)
- `dpo`  : `{"prompt", "chosen", "rejected"}`

Every field is a template over the record: `{text}`, `{id}` and any metadata key
(`{title}`, `{abstract}`); a record missing a field a template needs is dropped with reason
`missing_field`. A record's split depends only on the seed and its id, so it is stable across
runs and independent of order and parallelism.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lyceum.data.records import Record
from lyceum.data.stats import Drop

Kind = Literal["cpt", "sft", "chat", "dpo"]
SPLIT_NAMES = ("train", "validation", "test")

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    "cpt": {"text": "{text}"},
    "sft": {"instruction": "{instruction}", "input": "{input}", "output": "{output}"},
    "chat": {"user": "{prompt}", "assistant": "{response}"},
    "dpo": {"prompt": "{prompt}", "chosen": "{chosen}", "rejected": "{rejected}"},
}
_ALLOWED_FIELDS = {
    "cpt": {"text"},
    "sft": {"instruction", "input", "output"},
    "chat": {"system", "user", "assistant"},
    "dpo": {"prompt", "chosen", "rejected"},
}


class FormatConfig(BaseModel):
    """Options of the format step."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind = Field(default="cpt", description="Row shape: cpt, sft, chat or dpo.")
    templates: dict[str, str] = Field(
        default_factory=dict,
        description="Per output field, a template over the record ({text}, {id}, metadata "
        "keys); unset fields use the kind's defaults.",
    )
    optional_fields: list[str] = Field(
        default_factory=lambda: ["input", "system"],
        description="Template placeholders that become empty instead of dropping the record.",
    )
    splits: dict[str, float] = Field(
        default_factory=lambda: {"train": 1.0},
        description="Fractions per split (train, validation, test), summing to 1.",
    )
    seed: int = Field(default=0, description="Seed of the split assignment.")
    include_id: bool = Field(default=True, description="Add the record id to each row as `id`.")

    @field_validator("splits")
    @classmethod
    def _splits_valid(cls, splits: dict[str, float]) -> dict[str, float]:
        unknown = set(splits) - set(SPLIT_NAMES)
        if unknown:
            raise ValueError(f"unknown split(s) {sorted(unknown)}; use {SPLIT_NAMES}")
        if any(v < 0 for v in splits.values()) or abs(sum(splits.values()) - 1.0) > 1e-6:
            raise ValueError(f"split fractions must be non-negative and sum to 1, got {splits}")
        return splits

    @model_validator(mode="after")
    def _templates_valid(self) -> FormatConfig:
        unknown = set(self.templates) - _ALLOWED_FIELDS[self.kind]
        if unknown:
            raise ValueError(
                f"templates {sorted(unknown)} do not belong to kind {self.kind!r}; "
                f"its fields are {sorted(_ALLOWED_FIELDS[self.kind])}"
            )
        for name, template in self.templates.items():
            try:
                list(string.Formatter().parse(template))
            except ValueError as exc:
                raise ValueError(f"template {name!r} is malformed: {exc}") from exc
        return self

    def resolved_templates(self) -> dict[str, str]:
        return {**DEFAULT_TEMPLATES[self.kind], **self.templates}


class _MissingField(KeyError):
    pass


class _Values(dict[str, Any]):
    def __init__(self, record: Record, optional: Iterable[str]) -> None:
        super().__init__(record.metadata)
        self["text"] = record.text
        self["id"] = record.id
        self._optional = set(optional)

    def __missing__(self, key: str) -> Any:
        if key in self._optional:
            return ""
        raise _MissingField(key)


def render(template: str, record: Record, optional: Iterable[str] = ()) -> str:
    """Fill a template from the record; raises KeyError naming a missing field."""
    values = _Values(record, optional)
    out = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        value = values[name]
        if value is None:
            if name in values._optional:
                value = ""
            else:
                raise _MissingField(name)
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        out.append(format(value if conversion is None else repr(value), spec or ""))
    return "".join(out)


def assign_split(record_id: str, splits: dict[str, float], seed: int) -> str:
    """Deterministic split of an id: a seeded hash mapped onto the cumulative fractions."""
    digest = hashlib.blake2b(f"{seed}\x00{record_id}".encode(), digest_size=8).digest()
    u = int.from_bytes(digest, "big") / 2**64
    cumulative = 0.0
    names = [n for n in SPLIT_NAMES if n in splits]
    for name in names:
        cumulative += splits[name]
        if u < cumulative:
            return name
    return names[-1]


def format_record(record: Record, config: FormatConfig) -> dict[str, Any]:
    """One training row; raises KeyError if the record lacks a field a template needs."""
    templates = config.resolved_templates()
    optional = config.optional_fields
    row: dict[str, Any] = {"id": record.id} if config.include_id else {}
    if config.kind == "chat":
        existing = record.metadata.get("messages")
        if isinstance(existing, list) and existing and "user" not in config.templates:
            row["messages"] = existing
            return row
        messages = []
        for role in ("system", "user", "assistant"):
            if role in templates:
                content = render(templates[role], record, optional)
                if content or role != "system":
                    messages.append({"role": role, "content": content})
        row["messages"] = messages
        return row
    for name in sorted(_ALLOWED_FIELDS[config.kind], key=list(templates).index):
        row[name] = render(templates[name], record, optional)
    return row


@dataclass
class FormattedBatch:
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    docs_in: int = 0


def format_batch(records: list[Record], config: FormatConfig) -> FormattedBatch:
    """(split, row) for each record that has every field its templates need."""
    out = FormattedBatch(docs_in=len(records))
    for record in records:
        try:
            row = format_record(record, config)
        except _MissingField as exc:
            out.drops.append(Drop(record.id, "missing_field", f"no {exc.args[0]!r} in record"))
            continue
        out.rows.append((assign_split(record.id, config.splits, config.seed), row))
    return out


def format_records(
    records: Iterable[Record], config: FormatConfig | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Stream API: (split, row) pairs; records lacking a template field are skipped."""
    config = config or FormatConfig()
    for record in records:
        try:
            row = format_record(record, config)
        except _MissingField:
            continue
        yield assign_split(record.id, config.splits, config.seed), row


def row_text(row: dict[str, Any]) -> str:
    """All text of a row (for token statistics)."""
    if "messages" in row:
        return "\n".join(str(m.get("content", "")) for m in row["messages"])
    return "\n".join(str(v) for k, v in row.items() if k != "id" and isinstance(v, str))


def dump_row(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)
