"""The time estimate printed before a CPU run (lyceum.train.cpu.estimate)."""

from __future__ import annotations

import pytest
import torch

from lyceum.train import cpu


@pytest.fixture
def timed(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Micro-batch timings handed out in order: a cold first pass, then warm ones."""
    times = [4.0, 2.0, 2.0]
    monkeypatch.setattr(cpu, "measure_micro_batch", lambda model, ids: times.pop(0))
    return times


def test_the_estimate_times_a_warm_pass_scaled_to_the_mean_row(timed: list[float]) -> None:
    # SmolLM2 on the loop's own rows: the cold longest-row estimate was 14.7 s/step against
    # 7.4-8.2 measured; warm and scaled to the mean row it was 7.3.
    longest = torch.zeros((1, 400), dtype=torch.long)
    est = cpu.estimate(None, longest, steps=10, grad_accum=4, dpo=False, mean_tokens=200)
    assert est.seconds_per_micro_batch == pytest.approx(1.0)  # warm 2.0 s x 200/400
    assert est.seconds_per_step == pytest.approx(4.0)
    assert timed == [2.0]  # the cold pass was taken and discarded


def test_a_batch_of_several_rows_is_not_scaled_down(timed: list[float]) -> None:
    # padded to its longest row, a micro-batch of several rows costs its longest row's width
    batch = torch.zeros((4, 400), dtype=torch.long)
    est = cpu.estimate(None, batch, steps=10, grad_accum=1, dpo=False, mean_tokens=100)
    assert est.seconds_per_micro_batch == pytest.approx(2.0)


def test_a_time_budget_fits_the_steps_to_the_estimate(timed: list[float]) -> None:
    longest = torch.zeros((1, 100), dtype=torch.long)
    est = cpu.estimate(None, longest, steps=100, grad_accum=2, dpo=False, max_seconds=40)
    assert est.steps == 10 and est.planned_steps == 100  # 40 s / (2.0 s x 2)
