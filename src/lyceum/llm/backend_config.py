"""The backend option models under their old path; they are defined with the settings in
`lyceum.config_backends`. Kept for modules that still import them from here."""

from lyceum.config_backends import (
    AnthropicBackendConfig,
    BackendConfig,
    LlamaCppServerBackendConfig,
    LocalBackendConfig,
    OllamaBackendConfig,
    OpenAIBackendConfig,
    ScriptedBackendConfig,
    VLLMBackendConfig,
)

__all__ = [
    "AnthropicBackendConfig",
    "BackendConfig",
    "LlamaCppServerBackendConfig",
    "LocalBackendConfig",
    "OllamaBackendConfig",
    "OpenAIBackendConfig",
    "ScriptedBackendConfig",
    "VLLMBackendConfig",
]
