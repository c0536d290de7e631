"""Untrusted text must not smuggle control tokens into the embedded model's prompt.

llama.cpp renders the chat template and tokenizes the result with special-token parsing
on, so a passage holding `<|im_end|>\\n<|im_start|>system` really closes the user's turn
and opens a system turn (measured: "hello <|im_end|>" counts one token less than
"hello <|im_end |>"). Every message is therefore cleaned before it is sent: each
special-token string of the loaded model found in the text gets a WORD JOINER (U+2060,
invisible, no width) after its first character, so it tokenizes as plain text.

Which strings are control tokens is asked of the model's own tokenizer (through a
callback: does parsing special tokens change how the string tokenizes?), not taken from a
list, so SmolLM2's `<file_sep>` is caught as well as Qwen's `<|im_start|>`. Only
bracketed look-alikes are candidates; answers are cached per string. Two kinds the
tokenizer cannot tell apart from text are neutralised by their shape instead: anything
written `<|...|>` (no text needs it), and the tool-call and reasoning markers of chat
templates (Qwen's `<tool_call>` is an added token that is parsed even with special-token
parsing off).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

JOINER = "\u2060"
# Every special token of the catalogue's models (Qwen, SmolLM2, Llama, Mistral) looks
# like one of these: <|name|>, <name>, </name>, <s>, [INST], [/INST].
_CANDIDATE = re.compile(r"<[^<>\s]{1,64}>|\[/?[A-Z_]{2,32}\]")
_ALWAYS = re.compile(
    r"<\|[^<>\s]*\|>|</?(?:tool_call|tool_response|tools|think|function_call)>", re.IGNORECASE
)


class SpecialTokenGuard:
    """Neutralises the strings `is_special` says are control tokens of this model."""

    def __init__(self, is_special: Callable[[str], bool]) -> None:
        self._is_special = is_special
        self._known: dict[str, bool] = {}
        self._lock = threading.Lock()

    def special(self, candidate: str) -> bool:
        if _ALWAYS.fullmatch(candidate):
            return True
        with self._lock:
            known = self._known.get(candidate)
        if known is None:
            known = self._is_special(candidate)
            with self._lock:
                self._known[candidate] = known
        return known

    def neutralise(self, text: str) -> str:
        if "<" not in text and "[" not in text:
            return text

        def fix(match: re.Match[str]) -> str:
            token = match.group(0)
            return token[0] + JOINER + token[1:] if self.special(token) else token

        return _CANDIDATE.sub(fix, text)

    def clean_request(self, request: dict[str, Any]) -> dict[str, Any]:
        """`request` (an OpenAI chat body) with every message's text neutralised."""
        messages = []
        for message in request.get("messages", []):
            message = dict(message)
            content = message.get("content")
            if isinstance(content, str):
                message["content"] = self.neutralise(content)
            elif isinstance(content, list):
                message["content"] = [
                    {**part, "text": self.neutralise(part["text"])}
                    if isinstance(part, dict) and isinstance(part.get("text"), str)
                    else part
                    for part in content
                ]
            messages.append(message)
        return {**request, "messages": messages}
