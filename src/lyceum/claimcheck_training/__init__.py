"""How the claim check's model (`lyceum.claimcheck.ClaimModel`) is trained.

- `data`: VitaminC claim/evidence pairs (from lab's bigbench reader), split by page;
- `hard_negatives`: false and faithful variants of true Wikipedia sentences, the
  generator of `benchmarks/claim_check.py` and of the adapter's training pairs;
- `train`: `python -m lyceum.claimcheck_training.train` reproduces the shipped model;
- `lora`: `python -m lyceum.claimcheck_training.lora --out DIR` trains a LoRA adapter over
  it from the offline Wikipedia corpus (sources).

It sits above lab and sources because its datasets come from there; nothing in the
library imports it (the claim check only runs the model). torch, sentence-transformers and
peft load when training starts.
"""

from __future__ import annotations

from lyceum.claimcheck_training.data import VerifierPair, VerifierSplits, build_splits
from lyceum.claimcheck_training.hard_negatives import Builder, split_of

__all__ = ["Builder", "VerifierPair", "VerifierSplits", "build_splits", "split_of"]
