"""When the gateway may answer from its caches, and what it stores in them.

The exact cache serves any cacheable call (`cacheable`: temperature 0 or an explicit
`read_write`). The semantic cache is consulted only when the call opts in and is not a
tool call or an agent step: a near-miss answer to a tool-using turn would act on the wrong
question. A semantic hit is served from the exact cache's row it points at.
"""

from __future__ import annotations

from collections.abc import Sequence

from lyceum.llm.cache import (
    ExactCache,
    SemanticCache,
    cacheable,
    exact_key,
    last_user_text,
    semantic_scope,
)
from lyceum.llm.context import current_context
from lyceum.llm.metrics import GatewayMetrics
from lyceum.llm.types import Completion, GenerateParams, Message


class CachePolicy:
    """The gateway's caches and the rules for using them; either cache may be absent."""

    def __init__(
        self,
        exact: ExactCache | None,
        semantic: SemanticCache | None,
        metrics: GatewayMetrics,
    ) -> None:
        self.exact = exact
        self.semantic = semantic
        self._metrics = metrics

    def _semantic_allowed(self, messages: Sequence[Message], params: GenerateParams) -> bool:
        return (
            self.semantic is not None
            and params.semantic_cache
            and not params.tools
            and not current_context().agent_step
            and not any(m.role == "tool" or m.tool_calls for m in messages)
            and bool(last_user_text(messages))
        )

    def lookup(
        self, tier: str, model_id: str, messages: Sequence[Message], params: GenerateParams
    ) -> Completion | None:
        """A cached answer for this call on `tier`, marked with the cache that served it."""
        if self.exact is None or not cacheable(params):
            return None
        hit = self.exact.get(exact_key(model_id, messages, params))
        if hit is not None:
            self._metrics.cache_hits.labels("exact").inc()
            return hit.model_copy(update={"cached": "exact", "backend": tier})
        if self.semantic is not None and self._semantic_allowed(messages, params):
            scope = semantic_scope(model_id, messages, params)
            text = last_user_text(messages)
            found = self.semantic.lookup(scope, self.semantic.embed(text), text)
            if found is not None:
                near = self.exact.get(found[0])
                if near is not None:
                    self._metrics.cache_hits.labels("semantic").inc()
                    return near.model_copy(update={"cached": "semantic", "backend": tier})
        return None

    def store(
        self,
        model_id: str,
        messages: Sequence[Message],
        params: GenerateParams,
        completion: Completion,
    ) -> None:
        """Keep a fresh answer (never an error) for the calls that may be served from it."""
        if self.exact is None or not cacheable(params) or completion.finish_reason == "error":
            return
        key = exact_key(model_id, messages, params)
        scope, vector, text = "", None, ""
        if self.semantic is not None and self._semantic_allowed(messages, params):
            text = last_user_text(messages)
            scope = semantic_scope(model_id, messages, params)
            vector = self.semantic.embed(text)
        self.exact.put(key, model_id, completion, scope=scope, prompt_text=text, embedding=vector)
        if self.semantic is not None and vector is not None:
            self.semantic.add(scope, key, vector, text)
