"""Settings: `lyceum.toml` in the workspace, overridden by `LYCEUM_*` environment variables.

The workspace is a directory holding config, database, indexes, caches and artifacts,
chosen by `--workspace DIR`, else `LYCEUM_WORKSPACE`, else `~/.lyceum`.
Nested fields are set from the environment with a double underscore:
`LYCEUM_GATEWAY__MAX_RETRIES=5`; a feature table works the same way
(`LYCEUM_RETRIEVAL__CHUNK_TOKENS=300` sets `[retrieval] chunk_tokens`).
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import json
import os
import sys
import tomllib
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from lyceum.config_backends import BackendConfig, LocalBackendConfig
from lyceum.config_errors import CONFIG_HINT, config_error, source_of
from lyceum.errors import ConfigError, validation_problems

CONFIG_FILENAME = "lyceum.toml"


def default_workspace() -> Path:
    env = os.environ.get("LYCEUM_WORKSPACE")
    return Path(env).expanduser() if env else Path.home() / ".lyceum"


def data_dir() -> Path:
    """Root of Lyceum's downloaded-data cache, shared by all workspaces: `$LYCEUM_DATA_DIR`
    or `~/.cache/lyceum/data` (the lab's datasets, the claim check's lexicon)."""
    env = os.environ.get("LYCEUM_DATA_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "lyceum" / "data"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GatewaySettings(_Section):
    """How calls are routed, retried, cached and accounted."""

    tiers: list[str] = Field(
        default_factory=lambda: ["local"],
        description="Backends tried in order for the default route; later ones are fallbacks.",
    )
    roles: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Named routes, e.g. brain = ['api', 'local'], worker = ['local']. "
        "A role not listed uses `tiers`.",
    )
    max_retries: int = Field(default=2, ge=0, description="Retries per tier on retryable errors.")
    backoff_base_s: float = Field(default=0.5, ge=0, description="First retry delay.")
    backoff_max_s: float = Field(default=8.0, ge=0, description="Cap on one retry delay.")
    breaker_failure_threshold: int = Field(
        default=5, ge=1, description="Consecutive failures that open a backend's circuit."
    )
    breaker_reset_s: float = Field(
        default=30.0, gt=0, description="How long an open circuit refuses calls before a probe."
    )
    exact_cache: bool = Field(default=True, description="Serve repeated identical calls.")
    semantic_cache: bool = Field(
        default=False,
        description="Allow near-duplicate prompts to be served from cache when a call opts in.",
    )
    semantic_threshold: float = Field(
        default=0.92, gt=0, le=1, description="Cosine similarity needed for a semantic hit."
    )


class StoreSettings(_Section):
    url: str | None = Field(
        default=None,
        description="SQLAlchemy URL. Default: a SQLite file `lyceum.db` in the workspace. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    record_prompts: bool = Field(
        default=True, description="Keep full messages and outputs in the call log."
    )


class PriceEntry(_Section):
    """USD per million tokens."""

    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(ge=0)


def _default_models() -> dict[str, Any]:
    return {"local": LocalBackendConfig()}


class Settings(BaseSettings):
    """Everything Lyceum reads from configuration."""

    model_config = SettingsConfigDict(
        env_prefix="LYCEUM_", env_nested_delimiter="__", extra="forbid"
    )

    workspace: Path = Field(default_factory=default_workspace)
    models: dict[str, BackendConfig] = Field(
        default_factory=_default_models,
        description="Backends by name; `[models.NAME]` tables in lyceum.toml.",
    )
    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    pricing: dict[str, PriceEntry] = Field(
        default_factory=dict, description="Extra or overriding prices, by model name."
    )
    sections: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Feature sections ([retrieval], [research], [lab], ...), validated by "
        "each feature's own settings class.",
    )

    @model_validator(mode="after")
    def _tiers_name_models(self) -> Settings:
        known = set(self.models)
        routes = {"tiers": self.gateway.tiers, **self.gateway.roles}
        for route, names in routes.items():
            missing = [n for n in names if n not in known]
            if missing:
                raise ValueError(
                    f"gateway.{route} names unknown model(s) {missing}; "
                    f"configured models are {sorted(known)}"
                )
        return self

    @property
    def database_url(self) -> str:
        return self.store.url or f"sqlite:///{self.workspace / 'lyceum.db'}"

    @property
    def config_path(self) -> Path:
        return self.workspace / CONFIG_FILENAME

    def section(self, name: str) -> dict[str, Any]:
        return self.sections.get(name, {})

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Explicit arguments win over the environment, which wins over the file.
        return (init_settings, env_settings, _FileSource(settings_cls))


_file_data: ContextVar[dict[str, Any]] = ContextVar("lyceum_config_file", default={})  # noqa: B039


class _FileSource(PydanticBaseSettingsSource):
    """The parsed lyceum.toml, handed in by `load_settings`."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return _file_data.get().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_file_data.get())


FEATURE_SECTIONS = ("retrieval", "research", "lab", "data", "evolve", "server", "sources")

# Every feature table and the model that validates it, as "module:Class": imported only when
# the table is read, so `import lyceum.config` stays light and feature modules can import it.
FEATURE_TABLES: dict[str, str] = {
    "retrieval": "lyceum.retrieval.settings:RetrievalSettings",
    "research": "lyceum.research.settings:ResearchSettings",
    "lab": "lyceum.lab.settings:LabSettings",
    "data": "lyceum.data.settings:DataSettings",
    "evolve": "lyceum.evolve.settings:EvolveSettings",
    "server": "lyceum.server.settings:ServerSettings",
    "sources.wikipedia": "lyceum.sources.wikipedia:WikipediaSettings",
    "sources.web": "lyceum.sources.web:WebSearchSettings",
    "sources.arxiv": "lyceum.sources.arxiv:ArxivSettings",
    "sources.fetch": "lyceum.sources.fetch:FetchPolicy",
}

M = TypeVar("M", bound=BaseModel)


def table_model(table: str) -> type[BaseModel]:
    """The settings model of a feature table (`lab`, `sources.web`)."""
    module, _, name = FEATURE_TABLES[table].partition(":")
    model: type[BaseModel] = getattr(_table_module(module), name)
    return model


def _table_module(module: str) -> ModuleType:
    """The module defining a table's model.

    Every command validates every table, and importing a feature package runs its
    `__init__` (for retrieval the whole search stack: +1 s or more on a busy machine), so a
    package's `settings` module, which only defines models, is executed on its own under a
    private name unless the package is imported already.
    """
    if module in sys.modules or not module.endswith(".settings"):
        return importlib.import_module(module)
    private = "lyceum._config_table_" + module.replace(".", "_")
    if private in sys.modules:
        return sys.modules[private]
    path = Path(__file__).parent.joinpath(*module.split(".")[1:]).with_suffix(".py")
    spec = importlib.util.spec_from_file_location(private, path)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[private] = loaded  # pydantic resolves the module's annotations through it
    try:
        spec.loader.exec_module(loaded)
    except BaseException:
        del sys.modules[private]
        raise
    return loaded


def _table_data(settings: Settings, table: str) -> dict[str, Any]:
    top, _, sub = table.partition(".")
    data = settings.section(top)
    return data.get(sub, {}) if sub else data


def feature_settings(
    settings: Settings,
    table: str,
    model: type[M],
    overrides: Mapping[str, Any] | None = None,
) -> M:
    """The `[table]` of lyceum.toml (and its LYCEUM_ variables) validated by `model`, with
    `overrides` (options given in code or as flags) applied over it.

    The one accessor of every feature table, so that a typo in any of them is reported the
    same way: the file or variable, the dotted key, what is allowed, and a hint. A bad
    override is a `ConfigError` naming the table and the option.
    """
    data = _table_data(settings, table)
    try:
        validated = model(**data)
    except ValidationError as exc:
        raise config_error(
            exc, settings.config_path, model, prefix=tuple(table.split("."))
        ) from None
    if not overrides:
        return validated
    try:
        return model(**{**data, **overrides})
    except ValidationError as exc:
        problems = "; ".join(validation_problems(exc))
        raise ConfigError(f"invalid [{table}] options: {problems}") from None


def _check_feature_tables(settings: Settings) -> None:
    """Validate every feature table present, so a typo fails every command, not only the
    ones that read that table."""
    for top, data in settings.sections.items():
        if top != "sources":
            feature_settings(settings, top, table_model(top))
            continue
        for sub in data:
            name = f"sources.{sub}"
            if name not in FEATURE_TABLES:
                known = sorted(t.partition(".")[2] for t in FEATURE_TABLES if "." in t)
                close = difflib.get_close_matches(sub, known, n=1)
                raise ConfigError(
                    f"invalid configuration: {source_of(name, settings.config_path)}: "
                    f"[{name}] is not a table (allowed: {', '.join(known)})",
                    hint=(f"Did you mean [sources.{close[0]}]? " if close else "") + CONFIG_HINT,
                )
            feature_settings(settings, name, table_model(name))


ENV_PREFIX = "LYCEUM_"
NESTED_DELIMITER = "__"


def _env_value(raw: str) -> Any:
    # JSON only for containers: a scalar stays a string, which the feature's pydantic model
    # coerces to its field's type ("300" -> 300) without turning a string field into an int.
    if raw.lstrip()[:1] in ("[", "{"):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw


def feature_sections_from_env(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """`LYCEUM_<FEATURE>__<FIELD>[__<SUBFIELD>...]` variables as nested section tables.

    pydantic-settings only maps variables onto `Settings`' own fields, where feature tables
    sit under `sections`; this gives them the same spelling as the other tables.
    """
    out: dict[str, dict[str, Any]] = {}
    # Sorted, so a variable for a table comes before those for fields inside it.
    for name, raw in sorted(environ.items()):
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX):
            continue
        feature, _, rest = upper.removeprefix(ENV_PREFIX).partition(NESTED_DELIMITER)
        feature = feature.lower()
        if feature not in FEATURE_SECTIONS or not rest:
            continue
        *parents, leaf = rest.lower().split(NESTED_DELIMITER)
        node: dict[str, Any] = out.setdefault(feature, {})
        for key in parents:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise ConfigError(
                    f"{name} sets a field inside {feature}.{key}, which another "
                    "LYCEUM_ variable sets to a plain value",
                    hint="Unset one of the two environment variables.",
                )
        node[leaf] = _env_value(raw)
    return out


def _deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML: {exc}",
            hint="Fix the file, or regenerate it with 'lyceum init --force'.",
        ) from exc


def load_settings(workspace: Path | str | None = None, **overrides: Any) -> Settings:
    """Read the workspace's lyceum.toml (if any) and the environment into `Settings`."""
    ws = Path(workspace).expanduser() if workspace else default_workspace()
    path = ws / CONFIG_FILENAME
    data: dict[str, Any] = _read_toml(path) if path.exists() else {}
    sections = {k: data.pop(k) for k in list(data) if k in FEATURE_SECTIONS}
    data.setdefault("sections", {}).update(sections)
    data["sections"] = _deep_merge(data["sections"], feature_sections_from_env(os.environ))
    token = _file_data.set(data)
    try:
        settings = Settings(workspace=ws, **overrides)
    except ValidationError as exc:
        raise _settings_error(exc, path) from None
    finally:
        _file_data.reset(token)
    _check_feature_tables(settings)
    return settings


def _settings_error(exc: ValidationError, path: Path) -> ConfigError:
    """Settings' own tables are reported like feature tables; an unknown top-level table is
    one of the feature tables misspelt, and `sections` is an implementation detail."""
    unknown = [e for e in exc.errors() if e["type"] == "extra_forbidden" and len(e["loc"]) == 1]
    if unknown:
        name = str(unknown[0]["loc"][0])
        tables = sorted(
            {*Settings.model_fields} - {"sections", "workspace"} | set(FEATURE_SECTIONS)
        )
        close = difflib.get_close_matches(name, tables, n=1)
        return ConfigError(
            f"invalid configuration: {source_of(name, path)}: [{name}] is not a table "
            f"(allowed: {', '.join(tables)})",
            hint=(f"Did you mean [{close[0]}]? " if close else "") + CONFIG_HINT,
        )
    return config_error(exc, path, Settings)
