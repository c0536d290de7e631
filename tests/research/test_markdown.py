from lyceum.research.answer import mark_answers_in_the_body
from lyceum.research.citations import (
    ANSWERED_ABOVE,
    DOES_NOT_ANSWER,
    NO_EVIDENCE,
    NOT_ANSWERED_ABOVE,
    NOTHING_PASSED,
    REPORTED_ABOVE,
    SUMMARISED_ABOVE,
    build_bibliography,
)
from lyceum.research.markdown import render_markdown, verification_line
from lyceum.research.state import (
    Gap,
    Note,
    Passage,
    Plan,
    ReportSection,
    ResearchState,
    Sentence,
    SubQuestion,
    VerificationStats,
)

CORE = "A neutron star is the collapsed core of a massive star."
DENSE = "A neutron star is extremely dense."
PULSAR = "A pulsar is a rotating neutron star."
UNCITED = "Neutron stars probably hide quark matter."


def report_state() -> ResearchState:
    """A finished run: two sections, a short answer copying one sentence of each (so the
    pulsar section has nothing left of its own), an uncited statement left out, and a
    part of the question the sources do not cover."""
    state = ResearchState(run_id="r", question="What is a neutron star, and how hot is it?")
    state.parts = ["What is a neutron star", "how hot is it"]
    state.plan = Plan(
        summary="Read about neutron stars.",
        sub_questions=[
            SubQuestion(
                id="q1", question="What is a neutron star?", heading="What a neutron star is"
            ),
            SubQuestion(id="q2", question="What are pulsars?", heading="Pulsars", origin="aspect"),
        ],
    )
    state.passages = {
        "p1": Passage(
            id="p1",
            source="local",
            hit_id="a",
            title="Neutron star",
            url="https://en.wikipedia.org/wiki/Neutron_star",
            text=f"{CORE} {DENSE}",
        ),
        "p2": Passage(
            id="p2",
            source="local",
            hit_id="b",
            title="Pulsar",
            url="https://en.wikipedia.org/wiki/Pulsar",
            text=PULSAR,
        ),
    }
    state.notes = [
        Note(id="q1.n1", sub_question="q1", claim=CORE, quote=CORE, passage_id="p1"),
        Note(id="q1.n2", sub_question="q1", claim=DENSE, quote=DENSE, passage_id="p1"),
        Note(id="q2.n1", sub_question="q2", claim=PULSAR, quote=PULSAR, passage_id="p2"),
    ]
    core = Sentence(text=CORE, notes=["q1.n1"], status="supported")
    pulsar = Sentence(text=PULSAR, notes=["q2.n1"], status="supported")
    state.sections = [
        ReportSection(
            title="What is a neutron star?",
            sub_question="q1",
            sentences=[
                core,
                Sentence(text=DENSE, notes=["q1.n2"], status="supported"),
                Sentence(text=UNCITED, kind="hypothesis", confidence="low", status="dropped"),
            ],
        ),
        ReportSection(title="What are pulsars?", sub_question="q2", sentences=[pulsar]),
    ]
    state.short_answer = [core.model_copy(), pulsar.model_copy()]
    state.not_covered = ["how hot is it"]
    state.verification = VerificationStats(checked=3, supported=3, hypotheses=1)
    return state


def _render(state: ResearchState) -> str:
    bibliography, note_keys = build_bibliography(state)
    return render_markdown(state, bibliography, note_keys)


def _section(report: str, heading: str) -> str:
    return report.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0].strip()


def test_the_short_answer_comes_first_with_its_citations() -> None:
    report = _render(report_state())
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Short answer"
    assert _section(report, "Short answer") == f"{CORE} [neutronstar] {PULSAR} [pulsar]"


def test_body_sections_do_not_repeat_the_short_answer() -> None:
    report = _render(report_state())
    assert report.count(CORE) == 1 and report.count(PULSAR) == 1
    assert _section(report, "What a neutron star is") == f"{DENSE} [neutronstar]"
    # an aspect section (the pipeline's own angle, not a part of the question) with nothing
    # left of its own is left out: a heading over nothing is noise
    assert "## Pulsars" not in report


def test_a_part_of_the_question_keeps_its_heading_when_the_short_answer_says_it_all() -> None:
    state = report_state()
    pulsars = state.plan.sub_questions[1]  # type: ignore[union-attr]
    pulsars.origin, pulsars.part = "part", 1
    state.not_covered = []
    assert _section(_render(state), "Pulsars") == SUMMARISED_ABOVE


def test_a_part_whose_evidence_earlier_sections_reported_keeps_its_heading() -> None:
    # The dev report on the Great Pyramid: "How long did it take?" read only sentences the
    # sections before had printed, and its heading was left out.
    state = report_state()
    pulsars = state.plan.sub_questions[1]  # type: ignore[union-attr]
    pulsars.origin, pulsars.part = "part", 1
    state.sections[1].sentences, state.sections[1].covered_above = [], True
    state.not_covered = []
    assert _section(_render(state), "Pulsars") == REPORTED_ABOVE
    state.not_covered = ["how hot is it"]
    assert _section(_render(state), "Pulsars") == NOT_ANSWERED_ABOVE
    # A section for no part of the question, all of whose evidence is above, is left out.
    pulsars.origin, pulsars.part = "aspect", None
    assert "## Pulsars" not in _render(state)


def test_a_declared_part_does_not_say_the_short_answer_answers_it() -> None:
    # Its sentence is in the short answer, but the part is listed as not covered: the
    # section must not contradict that list.
    state = report_state()
    pulsars = state.plan.sub_questions[1]  # type: ignore[union-attr]
    pulsars.origin, pulsars.part = "part", 1
    report = _render(state)
    assert _section(report, "Pulsars") == NOT_ANSWERED_ABOVE
    assert "- how hot is it" in _section(report, "What the sources do not cover")


def test_sections_are_headed_by_the_sub_question_title() -> None:
    state = report_state()
    state.short_answer = []
    report = _render(state)
    assert "## What a neutron star is\n" in report and "## Pulsars\n" in report
    assert "## What is a neutron star?" not in report


def test_the_plan_summary_is_in_the_method_said_to_be_the_models() -> None:
    report = _render(report_state())
    assert report.startswith("# What is a neutron star, and how hot is it?\n\n## Short answer")
    assert "Plan (the planning model's, not checked): Read about neutron stars." in _section(
        report, "Method"
    )


def test_without_a_plan_summary_no_filler_line_is_printed() -> None:
    state = report_state()
    state.plan.summary = ""  # type: ignore[union-attr]
    report = _render(state)
    assert report.startswith("# What is a neutron star, and how hot is it?\n\n## Short answer")


def test_parts_the_sources_do_not_cover_are_listed_before_the_method() -> None:
    report = _render(report_state())
    assert "## What the sources do not cover" in report
    assert "- how hot is it" in _section(report, "What the sources do not cover")
    assert report.index("## What the sources do not cover") < report.index("## Method")


def test_uncited_statements_are_not_printed_and_the_method_counts_them() -> None:
    report = _render(report_state())
    assert UNCITED not in report and "Hypothesis" not in report
    method = _section(report, "Method")
    assert "3 cited sentences checked" in method
    assert "1 uncited statement left out" in method


def test_an_old_runs_uncited_hypothesis_is_not_printed_either() -> None:
    state = report_state()
    state.sections[0].sentences.append(
        Sentence(text="Leaves may be green.", kind="hypothesis", confidence="high")
    )
    report = _render(state)
    assert "Leaves may be green." not in report
    assert "2 uncited statements left out" in report


def test_an_empty_section_of_a_part_says_whether_evidence_was_found() -> None:
    state = report_state()
    pulsars = state.plan.sub_questions[1]  # type: ignore[union-attr]
    pulsars.origin, pulsars.part = "part", 1
    state.short_answer = []
    state.sections[1].sentences[0].status = "dropped"
    assert _section(_render(state), "Pulsars") == NOTHING_PASSED
    # The part not declared: another part's evidence answers it, and the section says so.
    state.not_covered = []
    assert _section(_render(state), "Pulsars") == ANSWERED_ABOVE
    state.not_covered = ["how hot is it"]
    state.notes = state.notes[:2]
    assert _section(_render(state), "Pulsars") == NO_EVIDENCE
    pulsars.origin, pulsars.part = "aspect", None
    assert "## Pulsars" not in _render(state)


def test_a_declared_part_whose_checked_sentences_do_not_answer_it_says_so() -> None:
    # Trial reports on "How does yeast make bread rise?" and "What happened to Amelia
    # Earhart?" said no sentence had passed the checks, though the claim check had supported
    # them: they were dropped for not answering the part.
    from lyceum.research.latex import render_latex
    from lyceum.research.markdown import NO_ANSWER_FOUND

    state = report_state()
    state.short_answer = []
    state.not_covered = ["What is a neutron star", "how hot is it"]
    for section in state.sections:
        for sentence in section.sentences:
            sentence.status = "dropped"
            sentence.verdict = {"verdict": "off_topic", "reason": "its part is declared"}
    pulsars = state.plan.sub_questions[1]  # type: ignore[union-attr]
    pulsars.origin, pulsars.part = "part", 1
    report = _render(state)
    assert _section(report, "Pulsars") == DOES_NOT_ANSWER
    assert _section(report, "Short answer") == NO_ANSWER_FOUND
    bibliography, note_keys = build_bibliography(state)
    assert "what they were found to say does not answer it" in render_latex(
        state, bibliography, note_keys
    )
    # Dropped by the claim check, they did not pass it.
    for sentence in state.sections[1].sentences:
        sentence.verdict = {"verdict": "not_enough_info"}
    assert _section(_render(state), "Pulsars") == NOTHING_PASSED


def test_a_report_without_short_answer_or_gaps_in_coverage_has_neither_section() -> None:
    state = report_state()
    state.short_answer, state.not_covered = [], []
    report = _render(state)
    assert "## Short answer" not in report and "do not cover" not in report
    assert _section(report, "Pulsars") == f"{PULSAR} [pulsar]"


def test_the_method_says_who_chose_the_evidence_notes() -> None:
    from lyceum.research.markdown import notes_line
    from lyceum.research.state import Note, ResearchState

    state = ResearchState(run_id="r", question="q?")
    kinds = ["ranked", "ranked", "mined", "model", "fallback"]
    state.notes = [
        Note(id=f"q1.n{i}", sub_question="q1", claim="c", quote="c", passage_id="p", extracted_by=k)  # type: ignore[arg-type]
        for i, k in enumerate(kinds)
    ]
    assert notes_line(state) == (
        "5 evidence notes (3 chosen by relevance score, 1 mined for a part of the question, "
        "1 named by the worker model)."
    )
    assert notes_line(ResearchState(run_id="r", question="q?")) == "0 evidence notes."


def test_an_open_gap_of_a_part_already_declared_is_not_listed_again() -> None:
    # From a dev report: "When was the Great Pyramid of Giza built?" under "What the sources
    # do not cover", then "When?: no evidence found" under "Open questions".
    state = report_state()
    pulsars = state.plan.sub_questions[1]  # type: ignore[union-attr]
    pulsars.origin, pulsars.part = "part", 1
    state.gaps = [
        Gap(sub_question="q2", kind="no_evidence", detail="no evidence found"),
        Gap(sub_question="q1", kind="single_source", detail="one source only"),
    ]
    report = _render(state)
    assert _section(report, "Open questions") == "- What is a neutron star?: one source only"
    # Not declared, the part is answered with evidence found for another part: a trial
    # report on the Galápagos Islands answered "Why are they famous?" and listed "no
    # evidence found" for it. Its other gaps are listed, named as the part reads on its own.
    state.not_covered = []
    assert "no evidence found" not in _render(state)
    state.gaps[0] = Gap(sub_question="q2", kind="single_source", detail="one source only")
    assert "- how hot is a neutron star: one source only" in _render(state)


def test_the_method_tells_sentences_left_out_as_off_the_question_from_unsupported_ones() -> None:
    state = report_state()
    off = Sentence(text="A pandemic is …", notes=["q1.n2"], status="dropped")
    off.verdict = {"verdict": "off_topic", "focus": 0.8, "best_focus": 1.4}
    drafted_off = Sentence(text="Neutrons …", notes=["q1.n2"], status="dropped")
    drafted_off.draft_verdict = {"verdict": "off_topic"}
    unsupported = Sentence(text="Pulsars are …", notes=["q1.n2"], status="dropped")
    unsupported.draft_verdict = {"verdict": "not_enough_info"}
    state.sections[0].sentences += [off, drafted_off, unsupported]
    assert state.verification is not None
    state.verification.recount(
        [s for sec in state.sections for s in sec.sentences if s.kind == "fact" and s.notes]
    )
    assert (state.verification.dropped, state.verification.off_topic) == (3, 2)
    assert "3 dropped (2 as off the question, 1 as unsupported)." in verification_line(state)
    state.verification.off_topic = 0
    assert "0 rewritten, 3 dropped. " in verification_line(state)


def test_the_gap_of_an_aspect_read_to_widen_the_reading_is_not_an_open_question() -> None:
    # A report on the Titanic listed "Why did the Titanic sink, and how many people died?
    # (Chernobyl disaster): evidence from one document only".
    state = report_state()
    aspect = state.plan.sub_questions[1]  # type: ignore[union-attr]
    aspect.origin, aspect.part = "aspect", None
    state.gaps = [
        Gap(sub_question="q2", kind="single_source", detail="evidence from one document only"),
        Gap(sub_question="q1", kind="single_source", detail="one source only"),
    ]
    assert (
        _section(_render(state), "Open questions") == "- What is a neutron star?: one source only"
    )


def test_a_report_that_cites_nothing_says_so_at_the_top() -> None:
    from lyceum.research.markdown import NO_ANSWER

    state = report_state()
    state.short_answer = []
    for section in state.sections:
        for sentence in section.sentences:
            sentence.status = "dropped"
    report = _render(state)
    assert _section(report, "Short answer") == NO_ANSWER
    assert report.index("## Short answer") < report.index("## Method")


def test_a_report_answering_no_part_gives_no_short_answer_but_keeps_what_it_found() -> None:
    # A trial report on "How many moons does Jupiter have?" declared its one part and gave
    # the planet's diameter, found for a sub-question of the planner's, as its short answer.
    from lyceum.research.latex import render_latex
    from lyceum.research.markdown import NO_DIRECT_ANSWER

    state = report_state()
    state.not_covered = ["What is a neutron star", "how hot is it"]
    report = _render(state)
    assert _section(report, "Short answer") == NO_DIRECT_ANSWER
    assert f"{PULSAR} [pulsar]" in _section(report, "Pulsars")
    bibliography, note_keys = build_bibliography(state)
    tex = render_latex(state, bibliography, note_keys)
    assert "The sources searched do not answer this question" in tex


def _answering_nothing() -> ResearchState:
    """The report of `report_state` with every sentence dropped, and its background: the
    opening of the page on the question's subject, checked."""
    state = report_state()
    state.short_answer = []
    for section in state.sections:
        for sentence in section.sentences:
            sentence.status = "dropped"
    state.background = [Sentence(text=CORE, notes=["q1.n1"], status="supported")]
    return state


def test_a_report_that_answers_nothing_gives_its_subject_s_page_opening_as_background() -> None:
    # Trial reports on tuberculosis's spread and uranium's uses printed nothing but the
    # statement that the sources do not answer: a reader learned nothing of the subject.
    from lyceum.research.latex import render_latex
    from lyceum.research.markdown import NO_ANSWER

    state = _answering_nothing()
    report = _render(state)
    assert _section(report, "Short answer") == (
        f"{NO_ANSWER}\n\nWhat they say of a neutron star: {CORE} [neutronstar]"
    )
    assert "- [neutronstar] Neutron star" in report
    bibliography, note_keys = build_bibliography(state)
    tex = render_latex(state, bibliography, note_keys)
    short = tex.split("\\section*{Short answer}", 1)[1].split("\\section{", 1)[0]
    assert "do not answer this question" in short
    assert "What they say of a neutron star: " + CORE + "~\\cite{neutronstar}" in short
    # The abstract does not call the report an answer to the question.
    assert "This report answers the question" not in tex


def test_background_never_stands_beside_an_answer() -> None:
    state = report_state()
    state.background = [Sentence(text=DENSE, notes=["q1.n2"], status="supported")]
    report = _render(state)
    assert "What they say of" not in report
    assert _section(report, "Short answer") == f"{CORE} [neutronstar] {PULSAR} [pulsar]"


def test_a_part_answered_under_another_part_says_so_not_that_the_short_answer_does() -> None:
    # A trial report said "Its evidence is summarised in the short answer above" under "Why
    # is a biopsy done?", whose answer stood under "What is a biopsy?".
    state = report_state()
    state.question = "What is a neutron star, and why is it so dense?"
    state.parts = ["What is a neutron star", "why is it so dense"]
    pulsars = state.plan.sub_questions[1]  # type: ignore[union-attr]
    pulsars.origin, pulsars.part = "part", 1
    state.not_covered = []
    because = "Neutron stars are dense because gravity compresses their matter."
    state.notes.append(
        Note(id="q1.n3", sub_question="q1", claim=because, quote=because, passage_id="p1")
    )
    state.passages["p1"].text += f" {because}"
    state.sections[0].sentences.append(Sentence(text=because, notes=["q1.n3"], status="supported"))
    mark_answers_in_the_body(state)
    assert _section(_render(state), "Pulsars") == ANSWERED_ABOVE
    # With the answer in the short answer, the heading points there.
    state.short_answer.append(state.sections[0].sentences[-1].model_copy())
    mark_answers_in_the_body(state)
    assert _section(_render(state), "Pulsars") == SUMMARISED_ABOVE
