"""Chat-template special tokens in outside text, defused.

A passage holding `<|im_end|>\n<|im_start|>system` could close the user's turn and speak as
the system to a backend that parses special tokens in text, and a training file holding
them teaches a model to emit them. `neutralize_specials` defuses every `<|...|>` token (Qwen,
Llama 3, Phi, GPT, DeepSeek's full-width `<｜...｜>`), named ones (the embedded models' own,
read from their GGUF vocabularies: SmolLM2's `<repo_name>`, `<file_sep>`, `<jupyter_*>`...,
Qwen's `<tool_call>`; and `<s>`, `</s>`, Gemma's `<start_of_turn>`, `<think>`, `<fim_*>`),
and Llama/Mistral's `[INST]`, `<<SYS>>`: their `<` becomes `‹`, their brackets parentheses.

It lives with extraction, the lowest layer that reads outside text (`Document` applies it);
`lyceum.sources.untrusted` applies it to search hits and to every wrapped prompt document.
"""

from __future__ import annotations

import re

ANGLE = "<\uff1c\ufe64\u2329\u3008\u27e8"
"""`<` and the look-alikes a page could use for it."""
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
"""Zero-width and other invisible format characters a page could hide inside a token."""
_BAR = "|\uff5c\u2223\u01c0"
_CLOSE_ANGLE = ">\uff1e\ufe65\u232a\u3009\u27e9"
_INV = f"{INVISIBLE.pattern}*"
# Special tokens written without bars: the embedded models' own (SmolLM2's code-corpus
# markers, Qwen's tool-call tags) and the common chat-template ones.
SPECIAL_NAMES = (
    "s",
    "unk",
    "pad",
    "bos",
    "eos",
    "mask",
    "sep",
    "cls",
    "start_of_turn",
    "end_of_turn",
    "start_of_image",
    "tool_call",
    "tool_response",
    "tools",
    "think",
    "repo_name",
    "reponame",
    "file_sep",
    "filename",
    "gh_stars",
    "issue_start",
    "issue_comment",
    "issue_closed",
    "jupyter_start",
    "jupyter_text",
    "jupyter_code",
    "jupyter_output",
    "jupyter_script",
    "empty_output",
    "fim_prefix",
    "fim_middle",
    "fim_suffix",
    "fim_pad",
    "commit_before",
    "commit_msg",
    "commit_after",
)
BRACKET_NAMES = (
    "INST",
    "SYS",
    "SYSTEM_PROMPT",
    "TOOL_CALLS",
    "AVAILABLE_TOOLS",
    "TOOL_RESULTS",
    "TOOL_CONTENT",
    "IMG",
    "IMG_BREAK",
    "IMG_END",
    "PREFIX",
    "MIDDLE",
    "SUFFIX",
)


def _hidden(word: str) -> str:
    """A pattern for `word` with invisible characters allowed between its letters, so that
    a step that strips them later cannot assemble a token."""
    return _INV.join(re.escape(c) for c in word)


def _names(names: tuple[str, ...]) -> str:
    return "|".join(_hidden(n) for n in sorted(names, key=len, reverse=True))


_SPACE = rf"(?:[ \t]|{_INV[:-1]})*"
# One pattern, one pass, led by a character set so that the scan for candidates runs in C:
# `<<SYS>>`; "<|" (which opens every bar-delimited special: Qwen, Llama 3, Phi, GPT,
# DeepSeek's full-width); named specials; `[INST]`-style markers.
_SPECIAL = re.compile(
    rf"[{ANGLE}\[](?:"
    rf"(?P<sys>(?<=<){_INV}<{_SPACE}/?{_SPACE}{_hidden('SYS')}{_SPACE}>{_INV}>)"
    rf"|(?P<angle>(?<=[{ANGLE}])(?:{_SPACE}[{_BAR}]"
    rf"|{_SPACE}/?{_SPACE}(?:{_names(SPECIAL_NAMES)}){_SPACE}[{_CLOSE_ANGLE}]))"
    rf"|(?P<bracket>(?<=\[){_SPACE}/?{_SPACE}(?:{_names(BRACKET_NAMES)}){_SPACE}\]))",
    re.IGNORECASE,
)
ANGLES = re.compile(f"[{ANGLE}]")
_DEFUSEDANGLE = "\u2039"  # ‹: no tokenizer or chat template reads it as markup


def _defuse(match: re.Match[str]) -> str:
    token = match.group(0)
    if match.lastgroup == "bracket":
        return "(" + token[1:-1] + ")"
    return ANGLES.sub(_DEFUSEDANGLE, token)


def neutralize_specials(text: str) -> str:
    """`text` with chat-template special tokens defused: the `<` of `<|...|>`, `<s>`,
    `<repo_name>`, `<<SYS>>` and the like becomes `‹`, and `[INST]`-style markers become
    `(INST)`. Tokens with invisible characters inside are caught too. The length is kept
    (section offsets stay valid), the result is a fixed point, and ordinary text
    (`a <b> c`, `x | y`, `[1]`) is unchanged."""
    return _SPECIAL.sub(_defuse, text) if text else text
