"""Exponential backoff with full jitter: the one retry layer.

No backend retries on its own: the OpenAI-compatible ones call httpx directly (whose
transport makes no retries by default) and the Anthropic SDK is built with `max_retries=0`.
"""

from __future__ import annotations

import random


def backoff_delay(
    attempt: int, *, base_s: float, max_s: float, rng: random.Random | None = None
) -> float:
    """Delay before retry number `attempt` (1-based): uniform in [0, min(max, base * 2^(n-1))].

    Full jitter spreads retries from many concurrent callers so they do not hammer a
    recovering backend in lockstep (AWS architecture blog, "Exponential Backoff and Jitter").
    """
    ceiling = min(max_s, base_s * (2 ** (attempt - 1)))
    return (rng or random).uniform(0, ceiling)
