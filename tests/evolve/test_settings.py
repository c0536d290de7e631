from __future__ import annotations

import pytest

from lyceum.config import load_settings
from lyceum.errors import ConfigError
from lyceum.evolve.settings import EvolveSettings, evolve_settings


def test_the_evolve_table_configures_the_loop(workspace):
    (workspace / "lyceum.toml").write_text(
        "[evolve]\nmax_synthetic_share = 0.3\narena_margin = 0.05\n"
    )
    settings = evolve_settings(load_settings(workspace))
    assert (settings.max_synthetic_share, settings.arena_margin) == (0.3, 0.05)
    assert settings.max_generation_depth == 2 and settings.min_diversity_ratio == 0.85


def test_a_typo_in_the_evolve_table_is_named(workspace):
    (workspace / "lyceum.toml").write_text("[evolve]\nmin_mean_qualty = 0.9\n")
    with pytest.raises(ConfigError, match=r"evolve\.min_mean_qualty"):
        evolve_settings(load_settings(workspace))


def test_the_corpus_mix_must_sum_to_one():
    with pytest.raises(ValueError, match="must be 1"):
        EvolveSettings(mix_anchor=0.5, mix_trajectories=0.3, mix_negatives=0.1)
