"""The report's focus cut: a checked sentence far from the report's best is left out.

A sentence's focus is `Relevance.focus` of it as the report reads it (`named.focus_texts`).
Absolute scores do not separate an answer from a neighbouring subject; the distance to the
report's most focused sentence does (`benchmarks/report_focus.py`). The verifier cuts every
checked sentence at `report_focus_margin`, and the report's body, past the short answer, is
cut again at the closer `report_body_margin` (`answer.keep_body_focus`).
"""

from __future__ import annotations

from collections.abc import Collection

from lyceum.research.named import focus_texts
from lyceum.research.relevance import Relevance
from lyceum.research.state import ResearchState


async def drop_off_focus(
    state: ResearchState,
    relevance: Relevance,
    margin: float,
    *,
    keep: Collection[str] = (),
    reason: str | None = None,
) -> int:
    """Drop the checked sentences whose focus falls more than `margin` below the best
    checked sentence's, except those whose lower-cased text is in `keep`; each gets an
    "off_topic" verdict with its focus, the best focus and `reason` if given. Returns how
    many were dropped (the caller recounts the verification)."""
    checked = [s for sec in state.sections for s in sec.sentences if s.checked]
    if not checked:
        return 0
    scores = await relevance.focus(focus_texts(state, checked), state.question)
    best = max(scores)
    dropped = 0
    for sentence, score in zip(checked, scores, strict=True):
        if sentence.text.lower() in keep or score >= best - margin:
            continue
        sentence.status = "dropped"
        sentence.verdict = {
            "verdict": "off_topic",
            "focus": round(score, 3),
            "best_focus": round(best, 3),
            **({"reason": reason} if reason else {}),
        }
        dropped += 1
    return dropped
