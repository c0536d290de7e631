from __future__ import annotations

import pytest

from lyceum.config import load_settings
from lyceum.config_backends import LocalBackendConfig, OllamaBackendConfig
from lyceum.errors import ConfigError
from lyceum.init_workspace import init_workspace


def test_defaults_route_to_the_embedded_local_model(workspace):
    s = load_settings(workspace)
    assert isinstance(s.models["local"], LocalBackendConfig)
    assert s.gateway.tiers == ["local"]
    assert s.database_url == f"sqlite:///{workspace / 'lyceum.db'}"


def test_workspace_defaults_to_env_variable(workspace):
    assert load_settings().workspace == workspace


def test_toml_models_and_routes_are_read(workspace):
    (workspace / "lyceum.toml").write_text(
        """
[models.local]
kind = "local"
[models.ollama]
kind = "ollama"
model = "qwen2.5:7b"
[gateway]
tiers = ["ollama", "local"]
[gateway.roles]
brain = ["ollama"]
[research]
max_rounds = 2
"""
    )
    s = load_settings(workspace)
    assert isinstance(s.models["ollama"], OllamaBackendConfig)
    assert s.models["ollama"].base_url == "http://127.0.0.1:11434/v1"
    assert s.gateway.roles == {"brain": ["ollama"]}
    assert s.section("research") == {"max_rounds": 2}


def test_environment_overrides_the_file(workspace, monkeypatch):
    (workspace / "lyceum.toml").write_text("[gateway]\nmax_retries = 1\n")
    monkeypatch.setenv("LYCEUM_GATEWAY__MAX_RETRIES", "7")
    assert load_settings(workspace).gateway.max_retries == 7


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[gateway]\nmax_retrys = 3\n", "gateway.max_retrys"),
        ('[models.x]\nkind = "local"\nn_ctxx = 5\n', "n_ctxx"),
        ('[models.x]\nkind = "nonsense"\n', "models.x"),
        ('[gateway]\ntiers = ["missing"]\n', "unknown model"),
        ("[gateway\n", "not valid TOML"),
        ("[gateway]\nsemantic_threshold = 3\n", "semantic_threshold"),
    ],
)
def test_malformed_config_is_a_clear_error_naming_the_field(workspace, text, fragment):
    (workspace / "lyceum.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(workspace)
    assert fragment in str(info.value)
    assert info.value.hint


def test_init_writes_a_config_that_loads_and_refuses_to_overwrite(workspace):
    path = init_workspace(workspace)
    assert "[models.local]" in path.read_text()
    assert load_settings(workspace).models["local"].kind == "local"
    with pytest.raises(Exception, match="already exists"):
        init_workspace(workspace)
    init_workspace(workspace, force=True)


def test_feature_tables_are_set_from_the_environment_like_the_file(workspace, monkeypatch):
    from lyceum.retrieval.settings import RetrievalSettings

    (workspace / "lyceum.toml").write_text("[retrieval]\nchunk_tokens = 200\nchunk_overlap = 20\n")
    monkeypatch.setenv("LYCEUM_RETRIEVAL__CHUNK_TOKENS", "300")
    monkeypatch.setenv("LYCEUM_RESEARCH__MAX_ROUNDS", "4")
    monkeypatch.setenv("LYCEUM_RESEARCH__SOURCES", '["local", "wikipedia"]')
    monkeypatch.setenv("LYCEUM_SOURCES__WEB__LANGUAGE", "en")
    s = load_settings(workspace)
    retrieval = RetrievalSettings(**s.section("retrieval"))
    assert (retrieval.chunk_tokens, retrieval.chunk_overlap) == (300, 20)
    assert s.section("research") == {"max_rounds": "4", "sources": ["local", "wikipedia"]}
    assert s.section("sources") == {"web": {"language": "en"}}


def test_a_misspelt_feature_variable_is_an_error_not_ignored(workspace, monkeypatch):
    monkeypatch.setenv("LYCEUM_RETRIEVAL__CHUNK_TOKNS", "300")
    with pytest.raises(ConfigError, match="LYCEUM_RETRIEVAL__CHUNK_TOKNS") as raised:
        load_settings(workspace)
    assert "retrieval.chunk_tokns is not a key of [retrieval]" in str(raised.value)
    assert "retrieval.chunk_tokens" in raised.value.hint


def test_a_variable_inside_a_field_another_sets_is_a_clear_error(workspace, monkeypatch):
    monkeypatch.setenv("LYCEUM_LAB__JUDGE", "x")
    monkeypatch.setenv("LYCEUM_LAB__JUDGE__MODELS", "y")
    with pytest.raises(ConfigError, match="LYCEUM_LAB__JUDGE__MODELS"):
        load_settings(workspace)


def test_feature_options_apply_over_the_table_and_a_bad_one_names_table_and_option(workspace):
    """Options given in code (a source's keyword arguments) go through the same accessor as
    the file: they override the table, and a typo is a ConfigError, not a pydantic error."""
    from lyceum.config import feature_settings
    from lyceum.sources.wikipedia import WikipediaSettings

    (workspace / "lyceum.toml").write_text("[sources.wikipedia]\nextract_chars = 150\n")
    settings = load_settings(workspace)
    assert feature_settings(settings, "sources.wikipedia", WikipediaSettings).extract_chars == 150
    given = feature_settings(settings, "sources.wikipedia", WikipediaSettings, {"max_age_s": 60.0})
    assert (given.extract_chars, given.max_age_s) == (150, 60.0)
    with pytest.raises(
        ConfigError, match=r"invalid \[sources.wikipedia\] options: api_ur: unknown"
    ):
        feature_settings(settings, "sources.wikipedia", WikipediaSettings, {"api_ur": "typo"})
