"""The report a new user gets, on the embedded model over a small real corpus, after earlier
unrelated research left passages and a strategy in memory: nothing from the unrelated topic
reaches the report, a part of the question the corpus cannot answer is declared, and every
cited sentence was checked and cites a source that resolves.

Runs in the CI set: it is the one test of the whole chain on the real models."""

from __future__ import annotations

import re
from pathlib import Path

from lyceum.config import load_settings
from lyceum.llm.weights import resolve_model
from lyceum.research import ResearchSettings, run_research
from lyceum.research.citations import cited_sentences
from lyceum.research.episodes import EpisodeStore, ResearchEpisode
from lyceum.retrieval import ingest
from lyceum.store.calls import Runs
from lyceum.store.db import open_database

CORPUS = Path(__file__).parent / "data" / "corpus"
QUESTION = "How do vaccines train the immune system, and how much do vaccines cost in Brazil?"
UNRELATED = {
    "printing_press.md": (
        "# Printing press\n\nA printing press is a mechanical device for applying pressure to "
        "an inked surface resting upon a print medium, thereby transferring the ink. The "
        "invention of the mechanical movable type printing press helped spread learning to "
        "the masses. Johannes Gutenberg developed the printing press around 1440 in Mainz, "
        "and it played a key role in the development of the Renaissance."
    ),
    "roman_republic.md": (
        "# Roman Republic\n\nThe Roman Republic was the era of classical Roman civilisation "
        "beginning with the overthrow of the Roman Kingdom. It was replaced by the Roman "
        "Empire after a series of civil wars. Its senate trained young men in law and "
        "rhetoric, and its system of magistrates developed the public immune to tyranny."
    ),
}


async def test_a_report_keeps_out_unrelated_memory_and_declares_what_the_corpus_lacks(
    tmp_path: Path,
) -> None:
    resolve_model("qwen2.5-coder-0.5b-instruct", fetch=True)
    settings = load_settings()
    ingest([str(CORPUS)], collection="corpus", settings=settings)
    memory = tmp_path / "memory"
    memory.mkdir()
    for name, text in UNRELATED.items():
        (memory / name).write_text(text)
    # What two earlier runs on other topics left behind: their passages and their strategy.
    ingest([str(memory)], collection="papers-read", settings=settings)
    db = open_database(settings.database_url)
    earlier = Runs(db).create("research", name="printing press")
    EpisodeStore(db).record(
        ResearchEpisode(
            run_id=earlier,
            question="How did the printing press change the spread of knowledge in Europe?",
            good_queries=["printing press Gutenberg", "movable type Renaissance"],
            sources=["local"],
            checked=3,
            supported=3,
        )
    )

    result = await run_research(
        QUESTION,
        out_dir=tmp_path / "out",
        settings=settings,
        config=ResearchSettings(max_rounds=1, compile_pdf=False),
    )

    state = result.state
    report = result.report
    cited = cited_sentences(state)
    assert cited, "the report cites nothing"
    unrelated_titles = {"Printing press", "Roman Republic"}
    for sentence in cited:
        for note_id in sentence.notes:
            assert state.passages[state.note(note_id).passage_id].title not in unrelated_titles
        assert not re.search(r"printing|gutenberg|roman|senate", sentence.text, re.IGNORECASE)
    assert not any("printing" in q.query.lower() for q in state.queries)
    assert not any("printing" in sq.question.lower() for sq in state.plan.sub_questions)
    # The part the corpus cannot answer is declared, in the report as well as the state.
    assert state.parts == [
        "How do vaccines train the immune system?",
        "How much do vaccines cost in Brazil?",
    ]
    assert state.not_covered == ["How much do vaccines cost in Brazil?"]
    assert "## What the sources do not cover" in report
    assert "How much do vaccines cost in Brazil?" in report.split("## What the sources")[1]
    # Every cited sentence was checked, stands in the report with keys that resolve.
    assert state.verification is not None
    assert state.verification.checked >= len(cited)
    bib = result.files["bib"].read_text()
    for sentence in cited:
        assert sentence.status in ("supported", "rewritten")
        assert sentence.verdict is not None and sentence.verdict["verdict"] == "supported"
    keys = set(re.findall(r"\[([a-z0-9]+)\]", report.split("## References")[0]))
    assert keys and all(f"{{{k}," in bib for k in keys)
    assert report.index("## Short answer") < report.index("## What the sources do not cover")
