"""Pulling the short answer out of a model's reasoning.

In order: the last "Answer:" (or "Final answer:") line; else the last sentence opening
with "Therefore"/"Thus"/"So", minus "the answer is"; else the last non-empty line.
"""

from __future__ import annotations

import re

_ANSWER = re.compile(r"(?:final\s+)?answer\s*(?:is)?\s*[:：]\s*(.+)", re.IGNORECASE)
_CONCLUSION = re.compile(
    r"(?:^|[.!?\n]\s*)(?:therefore|thus|so|hence)\b[,:]?\s*(.+?)(?:[.!?](?:\s|$)|\n|$)",
    re.IGNORECASE,
)
_ANSWER_IS = re.compile(
    r"^(?:the\s+)?(?:final\s+)?(?:correct\s+)?answer\s+(?:is|would be|=)\s*[:：]?\s*",
    re.IGNORECASE,
)
_WRAPPERS = "*_`\"' "
_ABBREVIATION = re.compile(r"\b[A-Za-z]\.[A-Za-z]\.$")  # "U.S." keeps its last period


def clean_answer(text: str) -> str:
    """Strip markdown emphasis, quotes, a trailing period and surrounding whitespace."""
    answer = text.strip().strip(_WRAPPERS)
    if answer.endswith(".") and not _ABBREVIATION.search(answer):
        answer = answer[:-1]
    return answer.strip().strip(_WRAPPERS)


def states_answer(text: str) -> bool:
    """Whether the text states its answer ("Answer: ..." or a "Therefore ..." conclusion),
    as opposed to reasoning that stopped before reaching one."""
    return bool(_ANSWER.search(text) or _CONCLUSION.search(text.strip()))


def extract_answer(text: str) -> str:
    """The short answer stated in `text` (see module docstring for the fallbacks)."""
    stripped = text.strip()
    if not stripped:
        return ""
    answers = _ANSWER.findall(stripped)
    if answers:
        return clean_answer(answers[-1].splitlines()[0])
    conclusions = _CONCLUSION.findall(stripped)
    if conclusions:
        return clean_answer(_ANSWER_IS.sub("", conclusions[-1].strip()))
    lines = [line for line in stripped.splitlines() if line.strip()]
    return clean_answer(_ANSWER_IS.sub("", lines[-1].strip()))
