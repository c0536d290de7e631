"""What the embedded model did, summed over a process: the numbers behind the speed-ups.

llama.cpp reports per call how many prompt tokens it took from the KV cache (`cache_n`)
and how many it had to evaluate (`prompt_n`), and, with speculation, how many drafted
tokens it accepted; this adds them up so a benchmark can read one run's totals.
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel, PrivateAttr


class LocalStats(BaseModel):
    calls: int = 0
    prompt_tokens_evaluated: int = 0
    prompt_tokens_reused: int = 0
    prefill_ms: float = 0.0
    decoded_tokens: int = 0
    decode_ms: float = 0.0
    draft_tokens: int = 0
    draft_tokens_accepted: int = 0
    reloads: int = 0
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def record(self, timings: dict[str, Any]) -> None:
        """Add one call's llama.cpp `timings` (missing fields count as zero)."""

        def number(key: str) -> float:
            value = timings.get(key, 0)
            return float(value) if isinstance(value, int | float) else 0.0

        with self._lock:
            self.calls += 1
            self.prompt_tokens_evaluated += int(number("prompt_n"))
            self.prompt_tokens_reused += int(number("cache_n"))
            self.prefill_ms += number("prompt_ms")
            self.decoded_tokens += int(number("predicted_n"))
            self.decode_ms += number("predicted_ms")
            self.draft_tokens += int(number("draft_n"))
            self.draft_tokens_accepted += int(number("draft_n_accepted"))

    def minus(self, earlier: LocalStats) -> LocalStats:
        """What happened between `earlier` (a copy taken before) and now."""
        return LocalStats(
            **{
                name: getattr(self, name) - getattr(earlier, name)
                for name in LocalStats.model_fields
            }
        )

    @property
    def reused_fraction(self) -> float:
        total = self.prompt_tokens_evaluated + self.prompt_tokens_reused
        return self.prompt_tokens_reused / total if total else 0.0


STATS = LocalStats()
