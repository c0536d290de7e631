"""Summing llama.cpp's per-call timings into a run's totals."""

from __future__ import annotations

from lyceum.llm.backends.local_stats import LocalStats


def test_timings_add_up_and_a_window_is_their_difference() -> None:
    stats = LocalStats()
    stats.record({"prompt_n": 10, "cache_n": 90, "prompt_ms": 50.0, "predicted_n": 20})
    before = stats.model_copy()
    stats.record({"prompt_n": 5, "cache_n": 95, "draft_n": 8, "draft_n_accepted": 6})
    stats.record({"prompt_n": "junk", "cache_n": None})  # hostile values count as zero
    window = stats.minus(before)
    assert (window.calls, window.prompt_tokens_evaluated, window.prompt_tokens_reused) == (2, 5, 95)
    assert (window.draft_tokens, window.draft_tokens_accepted) == (8, 6)
    assert stats.prompt_tokens_reused == 185
    assert window.reused_fraction == 0.95
    assert LocalStats().reused_fraction == 0.0
