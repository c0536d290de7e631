"""The Markdown report: a short answer, sections with [key] citations, what the sources do
not cover, open gaps, the method with honest verification counts, references and cost."""

from __future__ import annotations

from lyceum.research.background import background_intro
from lyceum.research.citations import (
    DOES_NOT_ANSWER,
    BibEntry,
    ShownReport,
    sentence_keys,
    shown_report,
    uncited_count,
)
from lyceum.research.state import ResearchState, Sentence

NOT_COVERED_INTRO = "The sources searched do not answer these parts of the question:"
NO_ANSWER = (
    "The sources searched do not answer this question: no sentence found in them passed the checks."
)
"""The short answer of a report that cites nothing: a trial report on "What is the Moon made of,
and how did it form?" (the collection's lead on the Moon says neither) opened on its first
part's heading, with no word at the top that nothing was found."""
NO_DIRECT_ANSWER = (
    "The sources searched do not answer this question; the sections below give what they say "
    "on related points."
)
"""The short answer of a report that declares every part of the question not covered but
cites sentences found for other sub-questions (`ShownReport.answers_no_part`)."""


NO_ANSWER_FOUND = (
    "The sources searched do not answer this question: what they were found to say does not "
    "answer it."
)
"""The short answer of a report that prints nothing because every sentence that passed the
claim check was found not to answer its part (`citations.DOES_NOT_ANSWER`)."""


def no_answer_line(shown: ShownReport) -> str:
    """The short answer's statement that the question is not answered: with sentences on
    related points in the sections below, with sentences that passed the checks but do not
    answer, or with nothing found at all."""
    if any(section.sentences for section in shown.sections):
        return NO_DIRECT_ANSWER
    if any(section.empty == DOES_NOT_ANSWER for section in shown.sections):
        return NO_ANSWER_FOUND
    return NO_ANSWER


def sentence_md(s: Sentence, note_keys: dict[str, str]) -> str:
    keys = sentence_keys(s, note_keys)
    text = f"{s.text} [{'; '.join(keys)}]" if keys else s.text
    # Only an old run can hold a cited hypothesis: the writer no longer drafts any.
    if s.kind == "hypothesis":
        return f"*Hypothesis (confidence: {s.confidence or 'low'}):* {text}"
    return text


def verification_line(state: ResearchState) -> str:
    """What the claim check did, and what never reached it: only cited sentences are
    printed, so the uncited statements the writer drafted are counted as left out."""
    uncited = uncited_count(state)
    left_out = (
        f" {uncited} uncited statement{'s' if uncited != 1 else ''} left out "
        "(only sentences that cite a passage are printed)."
    )
    v = state.verification
    if v is None:
        return "Claim check: not run; the cited sentences are unchecked." + left_out
    # A sentence left out as off the question is not one its passage failed to support.
    why = (
        f" ({v.off_topic} as off the question, {v.dropped - v.off_topic} as unsupported)"
        if v.off_topic
        else ""
    )
    return (
        f"Claim check: {v.checked} cited sentences checked against their passages: "
        f"{v.supported} supported as written, {v.rewritten} rewritten, {v.dropped} dropped"
        f"{why}." + left_out
    )


_PICKED_BY = {
    "model": "named by the worker model",
    "ranked": "chosen by relevance score",
    "fallback": "chosen by relevance score",
    "mined": "mined for a part of the question",
    "background": "the opening of the page on the question's subject",
}


def notes_line(state: ResearchState) -> str:
    """How many evidence notes there are and who chose them: a reader should know whether a
    model or code picked the sentences the report is built from."""
    counts: dict[str, int] = {}
    for note in state.notes:
        how = _PICKED_BY[note.extracted_by]
        counts[how] = counts.get(how, 0) + 1
    detail = ", ".join(f"{n} {how}" for how, n in counts.items())
    return f"{len(state.notes)} evidence notes" + (f" ({detail})" if detail else "") + "."


def plan_line(summary: str) -> str:
    """The planning model's one line on how to research the question. It is the model's
    word, not a checked claim, so it stands in the method, said to be the plan, and not
    under the title where it reads as the report's own statement."""
    return f"Plan (the planning model's, not checked): {summary}"


def render_markdown(
    state: ResearchState, bibliography: list[BibEntry], note_keys: dict[str, str]
) -> str:
    assert state.plan is not None
    shown = shown_report(state)
    out = [f"# {' '.join(state.question.split())}", ""]
    if shown.short_answer:
        out += ["## Short answer", ""]
        out += [" ".join(sentence_md(s, note_keys) for s in shown.short_answer), ""]
    elif shown.answers_nothing:
        out += ["## Short answer", "", no_answer_line(shown), ""]
        if shown.background:
            said = " ".join(sentence_md(s, note_keys) for s in shown.background)
            out += [f"{background_intro(state.question)} {said}", ""]
    for section in shown.sections:
        out += [f"## {section.title}", ""]
        out.append(" ".join(sentence_md(s, note_keys) for s in section.sentences) or section.empty)
        out.append("")
    if shown.not_covered:
        out += ["## What the sources do not cover", "", NOT_COVERED_INTRO, ""]
        out += [f"- {part}" for part in shown.not_covered]
        out.append("")
    if shown.open_questions:
        out += ["## Open questions", ""]
        out += [f"- {line}" for line in shown.open_questions]
        out.append("")
    m = state.meter
    out += [
        "## Method",
        "",
        *([plan_line(state.plan.summary), ""] if state.plan.summary else []),
        f"Sources searched: {', '.join(sorted({q.source for q in state.queries})) or 'none'}; "
        f"{len(state.queries)} queries, {len(state.passages)} passages read, " + notes_line(state),
        "",
        verification_line(state),
        "",
        f"Model usage: {m.calls} calls ({m.cached_calls} from cache), "
        f"{m.prompt_tokens + m.completion_tokens} tokens, ${m.cost_usd:.4f}, "
        f"{state.elapsed_s:.0f}s."
        + (f" Gathering stopped by the {state.stopped_by} budget." if state.stopped_by else ""),
        "",
        "## References",
        "",
    ]
    for e in bibliography:
        where = e.location
        out.append(f"- [{e.key}] {e.title}" + (f". {where}" if where else ""))
    if not bibliography:
        out.append("No sources were cited.")
    return "\n".join(out).rstrip() + "\n"
