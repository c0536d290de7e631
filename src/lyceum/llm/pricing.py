"""Token prices and cost accounting. Users extend or override the table in lyceum.toml:

[pricing."gpt-4o-mini"]
input_per_mtok = 0.15
output_per_mtok = 0.60
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel

from lyceum.llm.types import Usage


class Price(BaseModel):
    """USD per million tokens."""

    input_per_mtok: float
    output_per_mtok: float


# List prices in USD per million tokens, as published by each provider (2025-2026).
# Local and self-hosted models cost nothing per token.
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o": Price(input_per_mtok=2.50, output_per_mtok=10.00),
    "gpt-4o-mini": Price(input_per_mtok=0.15, output_per_mtok=0.60),
    "gpt-4.1": Price(input_per_mtok=2.00, output_per_mtok=8.00),
    "gpt-4.1-mini": Price(input_per_mtok=0.40, output_per_mtok=1.60),
    "gpt-4.1-nano": Price(input_per_mtok=0.10, output_per_mtok=0.40),
    "o4-mini": Price(input_per_mtok=1.10, output_per_mtok=4.40),
    "claude-sonnet-4-5": Price(input_per_mtok=3.00, output_per_mtok=15.00),
    "claude-haiku-4-5": Price(input_per_mtok=1.00, output_per_mtok=5.00),
    "claude-opus-4-1": Price(input_per_mtok=15.00, output_per_mtok=75.00),
}


class PricingTable:
    def __init__(self, overrides: Mapping[str, object] | None = None) -> None:
        self._prices = dict(DEFAULT_PRICES)
        for name, entry in (overrides or {}).items():
            self._prices[name] = Price.model_validate(entry, from_attributes=True)

    def price_for(self, model: str) -> Price | None:
        """Exact name first, then the longest catalogue name that prefixes it
        ('gpt-4o-mini-2024-07-18' bills as 'gpt-4o-mini')."""
        if model in self._prices:
            return self._prices[model]
        matches = [name for name in self._prices if model.startswith(name)]
        return self._prices[max(matches, key=len)] if matches else None

    def cost(self, model: str, usage: Usage) -> float:
        price = self.price_for(model)
        if price is None:
            return 0.0
        return (
            usage.prompt_tokens * price.input_per_mtok
            + usage.completion_tokens * price.output_per_mtok
        ) / 1_000_000

    def __contains__(self, model: str) -> bool:
        return self.price_for(model) is not None
