"""The research-quality yardstick of benchmarks/quality_metrics.py: pure functions over text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from .benchmark_loader import load_benchmark

qm = load_benchmark("quality_metrics")


def _question() -> qm.Question:
    return qm.Question(
        id="q01",
        question="How do neutron stars form, what are pulsars, and how do mergers make gold?",
        split="dev",
        parts=[
            qm.Part(text="How neutron stars form", answerable=True),
            qm.Part(text="What pulsars are", answerable=True),
            qm.Part(text="How neutron star mergers make gold", answerable=False),
        ],
        nuggets=[
            qm.Nugget(
                text="It results from a supernova combined with gravitational collapse.",
                article="Neutron star",
                part=0,
                keys=[["supernova"], ["gravitational collapse"]],
            ),
            qm.Nugget(
                text="A pulsar is a highly magnetized rotating neutron star.",
                article="Pulsar",
                part=1,
                keys=[["magnetized", "magnetised"], ["rotating", "spinning"]],
            ),
        ],
        relevant_articles=["Neutron star", "Pulsar"],
    )


def test_a_nugget_needs_an_alternative_from_every_key_group() -> None:
    keys = [["gutenberg"], ["1440", "c. 1440"]]
    assert qm.nugget_matches(keys, "Johannes GUTENBERG built his press c. 1440.")
    assert not qm.nugget_matches(keys, "Gutenberg built a printing press.")
    assert not qm.nugget_matches([], "anything")


def test_nugget_matching_ignores_case_dashes_and_spacing() -> None:
    keys = [["10-25", "10 to 25"], ["solar masses"]]
    assert qm.nugget_matches(keys, "Progenitors weigh 10\u201325  Solar\nmasses.")


def test_found_nuggets_are_those_some_cited_sentence_states() -> None:
    sentences = [
        "Neutron stars form in a supernova, combined with gravitational collapse of the core.",
        "Pulsars are magnetised neutron stars.",
        "A pulsar is a rotating, magnetized neutron star.",
    ]
    assert qm.found_nuggets(_question(), sentences) == [0, 1]
    assert qm.found_nuggets(_question(), sentences[1:2]) == []


def test_a_hand_label_decides_which_nuggets_a_sentence_states() -> None:
    sentence = "A supernova explosion ends the gravitational collapse of a white dwarf."

    def label(**judged: object) -> qm.Label:
        return qm.Label(key="k", claim=sentence, on_topic=True, standalone=True, **judged)

    assert qm.stated_nuggets(_question(), sentence, None) == [0]  # unlabelled: the keys
    assert qm.stated_nuggets(_question(), sentence, label(supported=True)) == [0]
    assert qm.stated_nuggets(_question(), sentence, label(supported=True, nuggets=[])) == []
    assert qm.stated_nuggets(_question(), sentence, label(supported=False)) == []
    # A nugget is part of a complete answer: a label cannot say the sentence states one and
    # is unsupported or off topic.
    with pytest.raises(ValidationError, match="states nuggets"):
        label(supported=False, nuggets=[0])
    with pytest.raises(ValidationError, match="states nuggets"):
        qm.Label(
            key="k", claim=sentence, supported=True, on_topic=False, standalone=True, nuggets=[0]
        )
    # Judged as stating a nugget whose keys it misses: the hand label wins.
    assert qm.stated_nuggets(_question(), sentence, label(supported=True, nuggets=[1, 0])) == [
        0,
        1,
    ]


@pytest.mark.parametrize(
    ("sentence", "opening"),
    [
        ("It results from the supernova explosion of a massive star.", "It"),
        ("This process occurs in all organisms.", "This"),
        ("These gases absorb some of the heat.", "These"),
        ("Their values remain central to French politics.", "Their"),
        ("\u201cHe\u201d was a German inventor.", "He"),
        ("The latter phenomenon is referred to as the ozone hole.", "The latter"),
        ("In response, the surface emits longwave radiation.", "In response"),
        ("For example, the Milky Way has a black hole at its center.", "For example"),
        ("However the theory was accepted.", "However"),
        ("In response to the war, Congress passed the act.", None),
        ("In addition, the war ended.", "In addition"),
        ("In addition to an arms race, the Cold War was fought by proxy.", None),
        ("Neutron stars are very dense.", None),
        ("Itinerant traders used the Silk Road.", None),
        ("Theirsville is not a word, but Thermal vents are.", None),
        ("It is estimated that 15 to 22 million people died.", None),
        ("It was not until 1953 that the structure was known.", None),
    ],
)
def test_a_sentence_opening_with_a_pronoun_that_points_outside_it_is_flagged(
    sentence: str, opening: str | None
) -> None:
    assert qm.dangling_opening(sentence) == opening


def test_near_duplicates_are_pairs_sharing_most_content_words() -> None:
    sentences = [
        "A pulsar is a highly magnetized rotating neutron star.",
        "Neutron stars are the collapsed cores of supergiant stars.",
        "The Black Death killed up to 50 million people.",
        "A pulsar is a rotating, highly magnetized neutron star!",
    ]
    pairs = qm.near_duplicates(sentences)
    assert [(i, j) for i, j, _ in pairs] == [(0, 3)]
    assert pairs[0][2] == 1.0
    assert qm.near_duplicates(sentences, threshold=0.2)[0][:2] == (0, 1)


@pytest.mark.parametrize(
    ("heading", "flagged"),
    [
        ("Background: neutron stars", True),
        ("Effects and applications: vaccines", True),
        ("Mechanisms: how vaccines train the immune system", True),
        ("pulsars, neutron stars, supernova, magnetic field", True),
        ("neutron star pulsar formation supernova remnant", True),
        ("How neutron stars form", False),
        ("Neutron star formation", False),
        ("Pulsars: rotating neutron stars", False),
        ("What pulsars are", False),
    ],
)
def test_template_headings_are_generic_labels_or_keyword_lists(heading: str, flagged: bool) -> None:
    assert (qm.template_heading(heading) is not None) is flagged


REPORT = """# How do neutron stars form?

## How neutron stars form

Neutron stars form in supernovae [neutronstar].

## What the sources do not cover

- How neutron star mergers make gold
- The exact age of the oldest pulsar

## Method

Sources searched: local.
"""


def test_not_covered_items_are_read_from_the_report_and_matched_to_parts() -> None:
    items = qm.parse_not_covered(REPORT)
    assert items == ["How neutron star mergers make gold", "The exact age of the oldest pulsar"]
    assert qm.part_declared("How neutron star mergers make gold", items)
    assert qm.part_declared("Do mergers of neutron stars produce gold?", items)
    assert not qm.part_declared("What pulsars are", items)
    assert not qm.part_declared("How neutron stars form", ["The exact age of the oldest pulsar"])
    assert qm.declared_parts(
        ["How neutron stars form", "How neutron star mergers make gold"],
        ["Whether neutron star mergers make gold"],
    ) == {1}
    assert qm.section_headings(REPORT) == ["How neutron stars form"]
    # The dev DNA report's wording of its third part: "copying" is "copy".
    assert qm.part_declared("Which enzymes copy DNA", ["Which enzymes carry out the copying?"])


def test_a_part_is_answered_by_a_found_nugget_or_a_hand_label() -> None:
    q = _question()
    outcomes = qm.part_outcomes(q, [0], ["How neutron star mergers make gold"])
    assert [(o.answered, o.declared) for o in outcomes] == [
        (True, False),
        (False, False),
        (False, True),
    ]
    assert [o.addressed for o in qm.part_outcomes(q, [], [], labelled_parts=[1])] == [
        False,
        True,
        False,
    ]


def _row(claim: str, passage: str, verdict: str = "supported") -> qm.CitedRow:
    return qm.CitedRow(
        key=qm.label_key(claim, passage),
        question_id="q01",
        claim=claim,
        passage=passage,
        title="Pulsar",
        pipeline_verdict=verdict,
    )


def _label(row: qm.CitedRow, supported: bool, on_topic: bool = True) -> dict[str, object]:
    return {
        "key": row.key,
        "claim": row.claim,
        "supported": supported,
        "on_topic": on_topic,
        "standalone": True,
    }


def test_labels_are_found_by_claim_and_passage_and_a_later_row_wins(tmp_path: Path) -> None:
    a = _row("Pulsars rotate.", "A pulsar is a rotating neutron star.")
    b = _row("Pulsars cause cosmic rays.", "Pulsars are candidates for cosmic rays.")
    path = tmp_path / "labels.jsonl"
    rows = [_label(a, False), _label(a, True), _label(b, False)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    labels = qm.load_labels(path)
    assert qm.find_label(labels, a).supported and not qm.find_label(labels, b).supported
    assert qm.find_label(labels, _row("Pulsars rotate.", "other passage")) is None
    assert qm.load_labels(tmp_path / "absent.jsonl") == {}


def test_a_label_is_for_the_question_it_was_judged_against(tmp_path: Path) -> None:
    # The same sentence is off topic in a photosynthesis report, on topic in a
    # greenhouse-effect one: a label for one question does not judge the other's.
    row = _row("The Sun heats the Earth's surface.", "The greenhouse effect ...")
    label = _label(row, True, on_topic=False) | {"question_id": "q05"}
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(label) + "\n")
    labels = qm.load_labels(path)
    assert qm.find_label(labels, row.model_copy(update={"question_id": "q05"})) is not None
    assert qm.find_label(labels, row) is None  # cited for q01
    assert qm.unlabelled([row], labels) == [row]


def test_label_stats_count_precision_and_what_the_pipeline_wrongly_supported() -> None:
    good = _row("Pulsars rotate.", "A pulsar is a rotating neutron star.")
    wrong = _row("Pulsars cause cosmic rays.", "Pulsars are candidates for cosmic rays.")
    caught = _row("Pulsars are white dwarfs.", "A pulsar is a neutron star.", "refuted")
    off = _row("Gutenberg printed a Bible.", "The Gutenberg Bible ...")
    fresh = _row("Pulsars emit beams.", "A pulsar emits beams.")
    labels = {
        qm.label_id("", r.key): qm.Label.model_validate(lab)
        for r, lab in [
            (good, _label(good, True)),
            (wrong, _label(wrong, False)),
            (caught, _label(caught, False)),
            (off, _label(off, True, on_topic=False)),
        ]
    }
    stats = qm.label_stats([good, wrong, caught, off, fresh], labels)
    assert (stats.cited, stats.labelled, stats.supported, stats.on_topic, stats.good) == (
        5,
        4,
        2,
        3,
        1,
    )
    assert (stats.unsupported, stats.false_supported, stats.false_supported_rate) == (2, 1, 0.5)
    assert (stats.not_standalone, stats.dangling_flagged) == (0, 0)
    assert qm.unlabelled([good, fresh], labels) == [fresh]
    assert stats.add(stats).labelled == 8


def test_off_topic_labels_say_what_they_are_about_and_unrelated_ones_are_counted() -> None:
    # "0 sentences from unrelated topics" is counted apart from sentences on the question's
    # own subject or a neighbouring one, which are off topic too.
    rows = [
        _row("World War I spread the Spanish flu.", "World War I also helped spread the flu."),
        _row("The Cold War ended in 1991.", "These events marked the end of the Cold War."),
        _row("A steam turbine is a machine.", "A steam turbine is a machine ..."),
    ]
    kinds = ["subject", "unrelated", None]
    labels = {
        qm.label_id("", r.key): qm.Label.model_validate(
            {**_label(r, True, on_topic=False), "off_topic_kind": kind}
        )
        for r, kind in zip(rows, kinds, strict=True)
    }
    stats = qm.label_stats(rows, labels)
    assert (stats.unrelated, stats.off_topic_unclassified) == (1, 1)
    with pytest.raises(ValidationError, match="off_topic_kind"):
        qm.Label.model_validate({**_label(rows[0], True), "off_topic_kind": "subject"})
    with pytest.raises(ValidationError):
        qm.Label.model_validate(
            {**_label(rows[0], True, on_topic=False), "off_topic_kind": "elsewhere"}
        )


def test_questions_are_chosen_by_ids_in_order_else_by_split() -> None:
    qs = [
        _question().model_copy(update={"id": f"q{i}", "split": s})
        for i, s in enumerate(["dev", "test", "dev"])
    ]
    assert [q.id for q in qm.select_questions(qs, ids=["q2", "q1"])] == ["q2", "q1"]
    assert [q.id for q in qm.select_questions(qs, split="dev")] == ["q0", "q2"]
    assert [q.id for q in qm.select_questions(qs, split="all", limit=2)] == ["q0", "q1"]
    with pytest.raises(KeyError, match="q9"):
        qm.select_questions(qs, ids=["q9"])


def _report_state(passage: Any, notes: list[Any], sections: list[Any]) -> Any:
    """A finished run's state over one passage: its notes and its report's sections."""
    from lyceum.research.state import Plan, ResearchState

    return ResearchState(
        run_id="r",
        question=_question().question,
        plan=Plan(),
        passages={passage.id: passage},
        notes=notes,
        sections=sections,
    )


def test_a_report_is_scored_from_the_cited_sentences_a_reader_sees() -> None:
    bench = load_benchmark("research", "benchmarks_research")
    from lyceum.research.state import Note, Passage, ReportSection, Sentence

    passage = Passage(
        id="p1",
        source="local",
        hit_id="h1",
        title="Pulsar",
        text="A pulsar is a highly magnetized rotating neutron star.",
        url="https://en.wikipedia.org/wiki/Pulsar",
    )
    note = Note(id="n1", sub_question="s1", claim="c", quote=passage.text, passage_id="p1")
    cited = Sentence(text="A pulsar is a highly magnetized rotating neutron star.", notes=["n1"])
    state = _report_state(
        passage,
        [note],
        [
            ReportSection(
                title="Background: pulsars",
                sentences=[
                    cited,
                    cited.model_copy(),
                    Sentence(text="It spins.", notes=["n1"], verdict={"verdict": "supported"}),
                    Sentence(text="Dropped.", notes=["n1"], status="dropped"),
                    Sentence(text="Uncited."),
                ],
            ),
            ReportSection(title="Above", covered_above=True, sentences=[cited]),
        ],
    )
    report = "# Q\n\n## Background: pulsars\n\n...\n\n## What the sources do not cover\n\n"
    report += "- How neutron star mergers make gold\n"
    score, rows = bench.score_report(
        _question(), state, report, {}, wall_s=1.0, out_dir=Path("out"), pdf=False
    )
    assert [r.claim for r in rows] == [cited.text, "It spins."]
    assert rows[1].pipeline_verdict == "supported" and rows[0].title == "Pulsar"
    assert score.nuggets_found == [1] and score.documents_cited == 1
    assert [p.addressed for p in score.parts] == [False, True, True]
    assert score.dangling_openings == ["It spins."]
    assert score.template_headings == [("Background: pulsars", "generic label 'Background:'")]
    assert score.cited_in_relevant_articles == 2 and score.labels.labelled == 0
    assert score.uncited_statements == 1
    assert bench.totals([score])["nugget_recall"] == 0.5
    # one of the two relevant articles cited: short of min(4, 2) documents
    assert (score.relevant_documents, score.relevant_documents_cited) == (2, 1)
    documents = {k: v for k, v in bench.totals([score]).items() if "documents" in k}
    assert documents["relevant_documents_wanted"] == 2
    assert documents["reports_citing_enough_documents"] == 0.0
    both = score.model_copy(update={"relevant_documents_cited": 2})
    assert bench.totals([score, both])["reports_citing_enough_documents"] == 0.5
    wrong = qm.Label(
        key=rows[0].key, claim=cited.text, supported=False, on_topic=True, standalone=True
    )

    def scored_with(label: qm.Label) -> Any:
        score, _ = bench.score_report(
            _question(),
            state,
            report,
            {qm.label_id("", label.key): label},
            wall_s=1.0,
            out_dir=Path("out"),
            pdf=False,
        )
        return score

    relabelled = scored_with(wrong)
    assert relabelled.nuggets_found == [] and relabelled.labels.false_supported == 0
    # Supported, but judged by hand to state none of the nuggets its words match.
    rejudged = scored_with(wrong.model_copy(update={"supported": True, "nuggets": []}))
    assert rejudged.nuggets_found == [] and rejudged.labels.labelled == 1


def test_the_short_answer_is_scored_on_its_own_from_the_same_hand_labels() -> None:
    bench = load_benchmark("research", "benchmarks_research")
    from lyceum.research.state import Note, Passage, ReportSection, Sentence

    text = "A pulsar is a highly magnetized rotating neutron star. Pulsars emit radio beams."
    passage = Passage(id="p1", source="local", hit_id="h1", title="Pulsar", text=text)
    notes = [
        Note(id=f"n{i}", sub_question="s1", claim="c", quote=q, passage_id="p1")
        for i, q in enumerate(text.split(". "))
    ]
    on = Sentence(text="A pulsar is a highly magnetized rotating neutron star.", notes=["n0"])
    off = Sentence(text="Pulsars emit radio beams.", notes=["n1"])
    state = _report_state(passage, notes, [ReportSection(title="P", sentences=[on, off])])
    state.short_answer = [off.model_copy()]
    rows = bench.cited_rows(state, "q1")
    labels = {
        qm.label_id("", r.key): qm.Label(
            key=r.key, claim=r.claim, supported=True, on_topic=r.claim == on.text, standalone=True
        )
        for r in rows
    }
    score, _ = bench.score_report(
        _question(), state, "# Q\n", labels, wall_s=1.0, out_dir=Path("out"), pdf=False
    )
    # The body counts the short answer's copy once; the short answer alone is off topic.
    assert (score.labels.cited, score.labels.good) == (2, 1)
    assert (score.short_answer.cited, score.short_answer.good) == (1, 0)
    totals = bench.totals([score])
    assert totals["short_answer_sentences"] == 1
    assert (totals["short_answer_precision"], totals["short_answer_on_topic"]) == (0.0, 0.0)
    assert totals["hand_precision"] == 0.5
