from __future__ import annotations

from pathlib import Path

import pytest

from lyceum.errors import ConfigError, NotFoundError
from lyceum.lab.experiment import load_experiment, parse_experiment

BASE = {"name": "x", "datasets": ["squad"], "methods": ["naive", "cot"], "models": ["local"]}


def test_shorthand_names_become_specs_with_defaults():
    config = parse_experiment(BASE)
    assert [m.key for m in config.methods] == ["naive", "cot"]
    assert config.metrics == ["exact_match", "token_f1"]
    assert config.concurrency == 4


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"concurency": 3}, "concurency"),
        ({"metrics": ["accuracy"]}, "metrics"),
        ({"methods": ["naive", "tree_of_thought"]}, "methods.1"),
        ({"methods": [{"name": "self_consistency", "params": {"samples": 0}}]}, "params.samples"),
        ({"methods": [{"name": "cot", "params": {"temprature": 1}}]}, "params.temprature"),
        ({"datasets": [{"name": "jsonl", "options": {}}]}, "options.path"),
        ({"datasets": ["squad_v3"]}, "datasets.0"),
        ({"models": []}, "models"),
        ({"methods": ["cot", "cot"]}, "distinct label"),
    ],
)
def test_bad_configs_name_the_field(change, field):
    with pytest.raises(ConfigError) as info:
        parse_experiment({**BASE, **change})
    assert field in str(info.value)


def test_hash_identifies_the_experiment():
    a = parse_experiment(BASE)
    assert a.config_hash() == parse_experiment(dict(BASE)).config_hash()
    assert a.config_hash() != parse_experiment({**BASE, "seed": 1}).config_hash()


def test_load_experiment_from_yaml(tmp_path: Path):
    path = tmp_path / "exp.yaml"
    path.write_text(
        "name: demo\ndatasets:\n  - name: jsonl\n    options: {path: qa.jsonl}\n"
        "methods: [naive, {name: self_consistency, label: sc3, params: {samples: 3}}]\n"
        "models: [local]\nsample_size: 10\n"
    )
    config = load_experiment(path)
    assert [m.key for m in config.methods] == ["naive", "sc3"]
    with pytest.raises(NotFoundError):
        load_experiment(tmp_path / "missing.yaml")
    path.write_text("name: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_experiment(path)


def test_bundled_example_experiments_are_valid():
    root = Path(__file__).resolve().parents[2] / "examples" / "experiments"
    files = sorted(root.glob("*.yaml"))
    assert files
    for path in files:
        load_experiment(path)
