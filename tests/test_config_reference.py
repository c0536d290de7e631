"""`lyceum init` writes every table with every key and its default; a typo in any table is
reported the same way."""

from __future__ import annotations

import re
import tomllib

import pytest

from lyceum.config import FEATURE_TABLES, GatewaySettings, StoreSettings, load_settings, table_model
from lyceum.config_backends import LocalBackendConfig
from lyceum.config_reference import reference_toml
from lyceum.errors import ConfigError
from lyceum.init_workspace import init_workspace

TABLES = {
    "models.local": LocalBackendConfig,
    "gateway": GatewaySettings,
    "store": StoreSettings,
    **{name: table_model(name) for name in FEATURE_TABLES},
}


def _table(data: dict, dotted: str) -> dict:
    for part in dotted.split("."):
        data = data[part]
    return data


def _commented_keys(text: str, table: str) -> set[str]:
    """Keys written as `# key = (unset)` inside `[table]`."""
    block = text.split(f"[{table}]", 1)[1].split("\n[", 1)[0]
    return set(re.findall(r"^# (\w+) = \(unset\)$", block, flags=re.M))


@pytest.mark.parametrize("table", sorted(TABLES))
def test_init_writes_every_key_of_every_table_with_its_default(table, workspace):
    path = init_workspace(workspace / "fresh")
    text = path.read_text(encoding="utf-8")
    assert text == reference_toml()
    model = TABLES[table]
    written = _table(tomllib.loads(text), table)
    assert set(written) | _commented_keys(text, table) == set(model.model_fields)
    assert model(**written).model_dump() == model().model_dump()


def test_every_written_key_has_a_one_line_meaning():
    text = reference_toml()
    for table, model in TABLES.items():
        block = text.split(f"[{table}]", 1)[1].split("\n[", 1)[0].splitlines()[1:]
        for key in model.model_fields:
            at = next(i for i, line in enumerate(block) if re.match(rf"^(# )?{key} = ", line))
            if key not in ("kind", "user_agent"):  # self-explanatory, undocumented in the model
                meaning = block[at - 1]
                assert meaning.startswith("# ") and not re.match(r"^# \w+ = ", meaning), key


def test_init_output_loads_as_the_default_settings(workspace):
    init_workspace(workspace / "fresh")
    assert load_settings(workspace / "fresh").gateway == GatewaySettings()


def _typo(table: str) -> str:
    extra = 'kind = "local"\n' if table == "models.local" else ""
    return f"[{table}]\n{extra}not_a_key = 1\n"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_a_typo_in_any_table_names_the_file_the_key_and_what_is_allowed(table, workspace):
    (workspace / "lyceum.toml").write_text(_typo(table))
    with pytest.raises(ConfigError) as raised:
        load_settings(workspace)
    message = str(raised.value)
    assert str(workspace / "lyceum.toml") in message
    assert f"{table}.not_a_key is not a key of [{table}]" in message
    allowed = ", ".join(sorted(TABLES[table].model_fields))
    assert f"(allowed: {allowed})" in message
    assert "lyceum init --print" in raised.value.hint


def test_a_misspelt_key_is_answered_with_the_closest_one(workspace):
    (workspace / "lyceum.toml").write_text("[lab]\nbootstrap_resample = 200\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(workspace)
    assert raised.value.hint.startswith("Did you mean lab.bootstrap_resamples?")


def test_a_misspelt_table_is_named_with_the_tables_there_are(workspace):
    (workspace / "lyceum.toml").write_text("[reseach]\nbreadth = 2\n")
    with pytest.raises(ConfigError, match=r"\[reseach\] is not a table") as raised:
        load_settings(workspace)
    assert raised.value.hint.startswith("Did you mean [research]?")


def test_a_bad_value_names_the_key_and_the_value_given(workspace):
    (workspace / "lyceum.toml").write_text("[server]\nport = 99999\n")
    with pytest.raises(ConfigError, match=r"server\.port: .*65535 \(got 99999\)"):
        load_settings(workspace)
