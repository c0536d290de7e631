"""Building a backend from its `[models.NAME]` options (the gateway: `lyceum.wiring`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from lyceum.config_backends import (
    AnthropicBackendConfig,
    BackendConfig,
    LocalBackendConfig,
    OpenAIBackendConfig,
    ScriptedBackendConfig,
)
from lyceum.errors import ConfigError
from lyceum.llm.model import Model

if TYPE_CHECKING:
    pass


def build_backend(name: str, config: BackendConfig) -> Model:
    """The backend for one `[models.NAME]` entry; SDKs are imported only when used."""
    if isinstance(config, LocalBackendConfig):
        from lyceum.llm.backends.local import LocalBackend

        return LocalBackend(name, config)
    if isinstance(config, OpenAIBackendConfig):
        from lyceum.llm.backends.openai_compat import OpenAICompatBackend

        return OpenAICompatBackend(name, config)
    if isinstance(config, AnthropicBackendConfig):
        from lyceum.llm.backends.anthropic import AnthropicBackend

        return AnthropicBackend(name, config)
    if isinstance(config, ScriptedBackendConfig):
        from lyceum.llm.backends.scripted import ScriptedBackend

        outputs: list[str] = list(config.outputs)
        if config.script_file is not None:
            try:
                outputs += [str(x) for x in json.loads(config.script_file.read_text())]
            except (OSError, ValueError) as exc:
                raise ConfigError(f"cannot read script_file {config.script_file}: {exc}") from exc
        return ScriptedBackend(outputs, name=name, default_output=config.default_output)
    raise ConfigError(f"unknown backend kind for {name!r}")
