from __future__ import annotations

import pytest
from pydantic import ValidationError

from lyceum.train import DPOSpec, SFTSpec, TrainingUnavailableError, has_gpu, require_gpu


def test_defaults_sit_in_the_recommended_ranges():
    sft, dpo = SFTSpec(), DPOSpec()
    assert 8 <= sft.rank <= 64 and sft.alpha == 2 * sft.rank
    assert 1e-4 <= sft.learning_rate <= 2e-4
    assert 5e-6 <= dpo.learning_rate <= 5e-5 and dpo.beta == 0.1
    assert SFTSpec(rank=32).alpha == 64


@pytest.mark.parametrize(
    ("spec", "field"),
    [(lambda: SFTSpec(rank=4), "rank"), (lambda: SFTSpec(rank=128), "rank"),
     (lambda: SFTSpec(learning_rate=1e-3), "learning_rate"),
     (lambda: DPOSpec(learning_rate=1e-4), "learning_rate"),
     (lambda: SFTSpec(lora_rank=8), "lora_rank")],
)  # fmt: skip
def test_values_outside_the_ranges_are_errors(spec, field):
    with pytest.raises(ValidationError, match=field):
        spec()


@pytest.mark.skipif(has_gpu(), reason="this machine has a GPU")
def test_without_a_gpu_training_refuses_with_a_hint():
    with pytest.raises(TrainingUnavailableError, match="needs a CUDA GPU") as info:
        require_gpu()
    assert "--cpu-smoke" in info.value.hint
