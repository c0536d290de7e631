"""The Markdown report: sections with [key] citations, hypotheses marked with their
confidence, the verification counts, open gaps, references and the run's cost."""

from __future__ import annotations

from lyceum.research.citations import BibEntry, sentence_keys, shown_sentences
from lyceum.research.state import ResearchState, Sentence


def sentence_md(s: Sentence, note_keys: dict[str, str]) -> str:
    if s.kind == "hypothesis":
        return f"*Hypothesis (confidence: {s.confidence or 'low'}):* {s.text}"
    keys = sentence_keys(s, note_keys)
    return f"{s.text} [{'; '.join(keys)}]" if keys else s.text


def verification_line(state: ResearchState) -> str:
    v = state.verification
    if v is None:
        return "Claim check: not run."
    return (
        f"Claim check: {v.checked} cited sentences checked against their passages; "
        f"{v.supported} supported as written, {v.rewritten} rewritten, {v.dropped} dropped; "
        f"{v.hypotheses} statements marked as hypotheses."
    )


def render_markdown(
    state: ResearchState, bibliography: list[BibEntry], note_keys: dict[str, str]
) -> str:
    assert state.plan is not None
    out = [f"# {state.question}", "", f"*{state.plan.summary}*", ""]
    said: set[str] = set()
    for section in (sec for sec in state.sections if not sec.covered_above):
        kept = shown_sentences(section, said)
        out += [f"## {section.title}", ""]
        out.append(
            " ".join(sentence_md(s, note_keys) for s in kept)
            if kept
            else "No evidence was found for this sub-question."
        )
        out.append("")
    open_gaps = [g for g in state.gaps if not g.closed]
    if open_gaps:
        out += ["## Open questions", ""]
        out += [f"- {state.sub_question(g.sub_question).question}: {g.detail}" for g in open_gaps]
        out.append("")
    m = state.meter
    out += [
        "## Method",
        "",
        f"Sources searched: {', '.join(sorted({q.source for q in state.queries})) or 'none'}; "
        f"{len(state.queries)} queries, {len(state.passages)} passages read, "
        f"{len(state.notes)} evidence notes.",
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
