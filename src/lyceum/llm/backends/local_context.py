"""How large a context window (KV cache) the embedded model allocates, call by call.

`n_ctx` in the config is the ceiling a call may use. Allocating it up front costs memory
every call pays for and few need: Qwen2.5-0.5B keeps 12 KiB of K/V per token, and the
server's resident size was 682 MiB at 8192 tokens against 610 MiB at 2048 (measured with
benchmarks/research_profile.py's sibling, results in benchmarks/results/local_memory.json),
while the longest research call measured needs ~1,000 (prompt plus `max_tokens`).

So the model starts with `START_TOKENS` (or the ceiling, if smaller) and is reloaded with
a larger window, a power of two up to the ceiling, before a call that may not fit. Whether
it fits is judged before the call from a deliberate over-estimate of its prompt (a token
per `CHARS_PER_TOKEN` characters: English runs at about four) plus its `max_tokens`; a call
without `max_tokens` may run to the end of the window, so it gets the ceiling. Text that
tokenizes denser than the estimate is caught by llama.cpp before any output (its "exceeds
the available context size" error, which names the prompt's length), and the call is run
again in a window that fits. A window never shrinks: the reload costs about a second and
the KV cache it drops.
"""

from __future__ import annotations

import json
from typing import Any

START_TOKENS = 2048
CHARS_PER_TOKEN = 2.5
PER_MESSAGE_TOKENS = 8  # the chat template's role markers and separators


def window_for(needed: int, ceiling: int) -> int:
    """The smallest power-of-two window of at least `needed` tokens (and START_TOKENS),
    never more than `ceiling`."""
    window = START_TOKENS
    while window < needed:
        window *= 2
    return min(window, ceiling)


def tokens_needed(request: dict[str, Any], ceiling: int) -> int:
    """An upper estimate of the window an OpenAI-style `request` needs."""
    max_tokens = request.get("max_tokens") or request.get("max_completion_tokens")
    if not isinstance(max_tokens, int) or max_tokens <= 0:
        return ceiling
    chars = 0
    messages = request.get("messages") or []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            chars += len(content)
        elif content is not None:
            chars += len(json.dumps(content))
        for call in (message.get("tool_calls") or []) if isinstance(message, dict) else []:
            chars += len(json.dumps(call))
    if request.get("tools"):
        chars += len(json.dumps(request["tools"]))
    prompt = int(chars / CHARS_PER_TOKEN) + PER_MESSAGE_TOKENS * (len(messages) + 1)
    return prompt + max_tokens


def overflow_tokens(chunk: Any) -> int | None:
    """The prompt length llama.cpp names when a request did not fit its window, else None."""
    if not isinstance(chunk, dict):
        return None
    error = chunk.get("error")
    if not isinstance(error, dict) or error.get("type") != "exceed_context_size_error":
        return None
    n = error.get("n_prompt_tokens")
    return n if isinstance(n, int) and n > 0 else None
