"""Response caches: exact match (always on by default) and semantic (opt-in per call).

Both live in the `cache_entries` table so a killed process keeps what it paid for and a
resumed run replays finished calls for free.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select

from lyceum.llm.embedder import Embedder
from lyceum.llm.types import Completion, GenerateParams, Message
from lyceum.store.db import Database
from lyceum.store.tables import CacheRow

# Fields that change what the model produces; cache policy and deadlines do not.
_OUTPUT_PARAMS = ("max_tokens", "temperature", "top_p", "stop", "seed", "json_schema", "tools")


def _digest(payload: object) -> str:
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _params_payload(params: GenerateParams) -> dict[str, object]:
    return params.model_dump(mode="json", include=set(_OUTPUT_PARAMS))


def exact_key(model: str, messages: Sequence[Message], params: GenerateParams) -> str:
    """Model + messages + output-shaping params + sample index."""
    return _digest(
        {
            "model": model,
            "messages": [m.model_dump(mode="json") for m in messages],
            "params": _params_payload(params),
            "sample": params.sample_index,
        }
    )


def semantic_scope(model: str, messages: Sequence[Message], params: GenerateParams) -> str:
    """Everything but the final user turn: a semantic hit must match all of it exactly."""
    return _digest(
        {
            "model": model,
            "history": [m.model_dump(mode="json") for m in messages[:-1]],
            "params": _params_payload(params),
            "sample": params.sample_index,
        }
    )


def cacheable(params: GenerateParams) -> bool:
    if params.cache == "bypass":
        return False
    if params.cache == "read_write":
        return True
    return params.temperature == 0.0


class ExactCache:
    """SQL-backed exact cache with a small in-process LRU in front for hot keys."""

    def __init__(self, db: Database, memory_entries: int = 2048) -> None:
        self._db = db
        self._memory: OrderedDict[str, Completion] = OrderedDict()
        self._memory_entries = memory_entries
        self._lock = threading.Lock()

    def get(self, key: str) -> Completion | None:
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
                return hit
        with self._db.session() as session:
            row = session.get(CacheRow, key)
            if row is None:
                return None
            completion = Completion.model_validate(row.completion)
        self._remember(key, completion)
        return completion

    def put(
        self,
        key: str,
        model: str,
        completion: Completion,
        *,
        scope: str = "",
        prompt_text: str = "",
        embedding: np.ndarray | None = None,
    ) -> None:
        stored = completion.model_copy(update={"cached": "", "call_id": None})
        with self._db.session() as session:
            session.merge(
                CacheRow(
                    key=key,
                    model=model,
                    scope=scope,
                    completion=stored.model_dump(mode="json"),
                    prompt_text=prompt_text,
                    embedding=None if embedding is None else embedding.astype(np.float32).tobytes(),
                )
            )
        self._remember(key, stored)

    def _remember(self, key: str, completion: Completion) -> None:
        with self._lock:
            self._memory[key] = completion
            self._memory.move_to_end(key)
            while len(self._memory) > self._memory_entries:
                self._memory.popitem(last=False)


_ORDINALS = frozenset(
    {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"}
    | {"tenth", "last", "i", "ii", "iii", "iv", "v", "vi"}
)


def salient_terms(text: str) -> tuple[str, ...]:
    """Numbers, ordinals and capitalised names, in order: the words whose change changes
    the answer.

    Sentence embeddings put "capital of France" and "capital of Germany" at cosine ~0.9,
    and "convert 100 F to C" and "convert 100 C to F" near 1.0; two questions that differ
    in these terms, or in their order, are never the same question.
    """
    tokens = re.findall(r"[A-Za-z]+|\d+(?:[.,]\d+)*", text)
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok[0].isdigit():
            out.append(tok)
        elif tok != "I" and (tok.lower() in _ORDINALS or (i > 0 and tok[0].isupper())):
            out.append(tok.lower())
    return tuple(out)


class SemanticCache:
    """Serves a cached answer when the final user turn is close enough to a cached one.

    Published semantic caches return a wrong answer on roughly one hit in ten at a 0.9
    threshold, so this cache is opt-in per call, never used for tool calls or agent steps,
    and scoped: model, params and the whole prior conversation must match exactly. On top
    of cosine similarity, a hit must name the same numbers, ordinals and proper names
    (`salient_terms`). benchmarks/semantic_cache.py measures the false-hit rate of both.
    """

    def __init__(
        self, db: Database, embedder: Embedder, threshold: float = 0.92, *, guard: bool = True
    ) -> None:
        self._db = db
        self._embedder = embedder
        self.threshold = threshold
        self.guard = guard
        self._index: dict[str, tuple[list[str], list[str], np.ndarray]] = {}
        self._lock = threading.Lock()

    def embed(self, text: str) -> np.ndarray:
        vector = np.asarray(self._embedder.embed([text]), dtype=np.float32)[0]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def _load_scope(self, scope: str) -> tuple[list[str], list[str], np.ndarray]:
        with self._lock:
            if scope in self._index:
                return self._index[scope]
        with self._db.session() as session:
            rows = session.execute(
                select(CacheRow.key, CacheRow.prompt_text, CacheRow.embedding).where(
                    CacheRow.scope == scope, CacheRow.embedding.is_not(None)
                )
            ).all()
        matrix = (
            np.stack([np.frombuffer(r.embedding, dtype=np.float32) for r in rows])
            if rows
            else np.zeros((0, 0), dtype=np.float32)
        )
        entry = ([r.key for r in rows], [r.prompt_text for r in rows], matrix)
        with self._lock:
            return self._index.setdefault(scope, entry)

    def lookup(self, scope: str, vector: np.ndarray, text: str) -> tuple[str, float] | None:
        """The key of the most similar entry at or above the threshold that also passes the
        salient-term guard, with its cosine score."""
        keys, texts, matrix = self._load_scope(scope)
        if not keys:
            return None
        scores = matrix @ vector
        wanted = salient_terms(text) if self.guard else None
        for i in np.argsort(-scores):
            score = float(scores[i])
            if score < self.threshold:
                return None
            if wanted is None or salient_terms(texts[i]) == wanted:
                return keys[i], score
        return None

    def add(self, scope: str, key: str, vector: np.ndarray, text: str) -> None:
        self._load_scope(scope)
        with self._lock:
            keys, texts, matrix = self._index[scope]
            if key in keys:
                return
            row = vector.reshape(1, -1).astype(np.float32)
            matrix = row if matrix.size == 0 else np.vstack([matrix, row])
            self._index[scope] = ([*keys, key], [*texts, text], matrix)


def last_user_text(messages: Sequence[Message]) -> str:
    for message in reversed(messages):
        if message.role == "user":
            return message.content
    return ""
