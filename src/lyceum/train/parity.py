"""Does the served adapter do what the trained one does?

On each prompt, the greedy answer of transformers + PEFT (the float32 model training saw)
is compared with the greedy answer of the embedded llama.cpp backend serving the GGUF base
(quantised) + the exported GGUF adapter, through the same chat request `lyceum ask` sends.
Both answers are tokenised with the base's tokenizer; agreement is the share of the first
`n_tokens` positions before the two first differ (greedy decoding cannot reconverge in a
meaningful way after a divergence). The same comparison without the adapter on both sides
is the baseline: quantisation alone already costs some agreement, so the adapter's figure
is read against it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.types import GenerateParams, Message


class PromptParity(BaseModel):
    prompt: str
    hf_base: str
    hf_adapter: str
    llama_base: str
    llama_adapter: str
    agreement_base: float
    agreement_adapter: float
    adapter_changed_hf: bool
    adapter_changed_llama: bool


class ParityReport(BaseModel):
    n_tokens: int
    prompts: list[PromptParity]

    @property
    def mean_agreement_adapter(self) -> float:
        return sum(p.agreement_adapter for p in self.prompts) / max(1, len(self.prompts))

    @property
    def mean_agreement_base(self) -> float:
        return sum(p.agreement_base for p in self.prompts) / max(1, len(self.prompts))


def prefix_agreement(a: Sequence[int], b: Sequence[int], n: int) -> float:
    """Share of the first `n` positions before `a` and `b` first differ; two sequences
    that both end early and identically agree fully."""
    a, b = list(a[:n]), list(b[:n])
    same = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            return same / n
        same += 1
    return 1.0 if len(a) == len(b) else same / n


def hf_greedy(model: Any, tokenizer: Any, prompt: str, n_tokens: int) -> list[int]:
    """transformers' greedy continuation of a one-turn chat, as token ids."""
    import torch

    ids = tokenizer.apply_chat_template(
        [{"role": "user", "content": prompt}], add_generation_prompt=True, return_tensors="pt"
    )
    if not torch.is_tensor(ids):
        ids = ids["input_ids"]
    model.eval()
    with torch.no_grad():
        out = model.generate(
            ids, max_new_tokens=n_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id
        )
    tail = out[0][ids.shape[1] :].tolist()
    eos = tokenizer.eos_token_id
    return tail[: tail.index(eos)] if eos in tail else tail


async def _llama_answers(
    base: str, adapter: Path, prompts: Sequence[str], n_tokens: int, active: bool
) -> list[str]:
    from lyceum.llm.backends.local_adapters import AdapterBackend

    backend = AdapterBackend(
        "parity", LocalBackendConfig(model=base, n_ctx=1024), adapters=[str(adapter)],
        active=str(adapter) if active else None,
    )  # fmt: skip
    params = GenerateParams(max_tokens=n_tokens, temperature=0.0)
    try:
        return [(await backend.generate([Message.user(p)], params)).text for p in prompts]
    finally:
        await backend.aclose()


def adapter_parity(
    peft_model: Any,
    tokenizer: Any,
    base: str,
    adapter_gguf: Path,
    prompts: Sequence[str],
    *,
    n_tokens: int = 32,
) -> ParityReport:
    """Greedy agreement of transformers + PEFT with llama.cpp + the GGUF adapter (and of the
    two bases without it) over `n_tokens` tokens on each prompt."""

    def encode(text: str) -> list[int]:
        return list(tokenizer(text, add_special_tokens=False)["input_ids"])

    hf_adapter = [hf_greedy(peft_model, tokenizer, p, n_tokens) for p in prompts]
    with peft_model.disable_adapter():
        hf_base = [hf_greedy(peft_model, tokenizer, p, n_tokens) for p in prompts]
    llama_adapter = asyncio.run(_llama_answers(base, adapter_gguf, prompts, n_tokens, True))
    llama_base = asyncio.run(_llama_answers(base, adapter_gguf, prompts, n_tokens, False))
    rows = []
    for i, prompt in enumerate(prompts):
        la, lb = encode(llama_adapter[i]), encode(llama_base[i])
        rows.append(
            PromptParity(
                prompt=prompt,
                hf_base=tokenizer.decode(hf_base[i]),
                hf_adapter=tokenizer.decode(hf_adapter[i]),
                llama_base=llama_base[i],
                llama_adapter=llama_adapter[i],
                agreement_base=prefix_agreement(hf_base[i], lb, n_tokens),
                agreement_adapter=prefix_agreement(hf_adapter[i], la, n_tokens),
                adapter_changed_hf=hf_adapter[i] != hf_base[i],
                adapter_changed_llama=la != lb,
            )
        )
    return ParityReport(n_tokens=n_tokens, prompts=rows)
