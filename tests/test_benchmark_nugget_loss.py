"""benchmarks/nugget_loss.py: each nugget is put at the last stage of the run that holds it,
and a report's relevant articles are counted as read, checked and cited."""

from __future__ import annotations

from lyceum.research.state import Note, Passage, ReportSection, ResearchState, Sentence

from .benchmark_loader import load_benchmark

load_benchmark("provenance")
qm = load_benchmark("quality_metrics")
nl = load_benchmark("nugget_loss")

STAR = "A neutron star is the collapsed core of a supergiant star."
PULSAR = "A pulsar is a rotating neutron star that emits beams of radiation."
SUPERNOVA = "In a supernova the core collapses to a neutron star."
WHITE_DWARF = "A white dwarf is the remnant of a star like the Sun."


def _state() -> ResearchState:
    passages = {
        "p1": Passage(id="p1", source="local", hit_id="1", title="Neutron star", text=STAR),
        "p2": Passage(id="p2", source="local", hit_id="2", title="Pulsar", text=PULSAR),
        "p3": Passage(id="p3", source="local", hit_id="3", title="White dwarf", text=WHITE_DWARF),
    }
    notes = [
        Note(id="n1", sub_question="q1", claim=STAR, quote=STAR, passage_id="p1"),
        Note(id="n2", sub_question="q1", claim=PULSAR, quote=PULSAR, passage_id="p2"),
    ]
    sentences = [
        Sentence(text=STAR, notes=["n1"], status="supported"),
        Sentence(
            text=PULSAR,
            notes=["n2"],
            status="dropped",
            verdict={"verdict": "off_topic", "focus": 1.0, "best_focus": 1.5},
        ),
    ]
    return ResearchState(
        run_id="r",
        question="How do neutron stars form, and what are pulsars?",
        passages=passages,
        notes=notes,
        sections=[ReportSection(title="How do neutron stars form?", sentences=sentences)],
    )


def test_each_nugget_is_placed_at_the_last_stage_that_holds_it() -> None:
    state = _state()
    assert nl.nugget_stage(state, [["collapsed core"], ["supergiant"]]) == "printed"
    assert nl.nugget_stage(state, [["rotating neutron star"]]) == "dropped_focus"
    assert nl.nugget_stage(state, [["remnant"]]) == "read"
    assert nl.nugget_stage(state, [["supernova"]]) == "not_read"
    # A drafted sentence the report's bar turned away before the check.
    state.sections[0].sentences[1].verdict = None
    state.sections[0].sentences[1].draft_verdict = {"verdict": "off_topic"}
    assert nl.nugget_stage(state, [["rotating neutron star"]]) == "dropped_draft"


def test_relevant_articles_are_counted_as_read_checked_and_cited() -> None:
    question = qm.Question(
        id="q01",
        question="How do neutron stars form, and what are pulsars?",
        split="dev",
        parts=[],
        nuggets=[
            qm.Nugget(text=STAR, article="Neutron star", part=0, keys=[["supergiant"]]),
            qm.Nugget(text=SUPERNOVA, article="Supernova", part=0, keys=[["supernova"]]),
        ],
        relevant_articles=["Neutron star", "Pulsar", "White dwarf", "Supernova"],
    )
    row = nl.report_rows(question, _state())
    assert row["stages"]["printed"] == 1 and row["stages"]["not_read"] == 1
    assert (row["relevant_read"], row["relevant_checked"], row["relevant_cited"]) == (3, 2, 1)
    assert not row["enough_cited"] and not row["enough_if_read_cited"]
    assert row["not_read"] == ["Supernova"]
