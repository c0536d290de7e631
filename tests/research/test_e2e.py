"""End to end on the embedded model and a small real corpus (Wikipedia lead sections)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lyceum.config import load_settings
from lyceum.errors import NotFoundError
from lyceum.research import ResearchSettings, run_research
from lyceum.research.pdf import tex_tool

CORPUS = Path(__file__).parent / "data" / "corpus"


@pytest.mark.slow
async def test_research_on_the_embedded_model_over_a_small_real_corpus(tmp_path: Path) -> None:
    from lyceum.llm.weights import resolve_model

    try:
        resolve_model("qwen2.5-coder-0.5b-instruct", fetch=False)
    except NotFoundError:
        pytest.skip("embedded model weights not fetched (scripts/fetch-models)")
    from lyceum.retrieval import ingest

    settings = load_settings()
    ingest([str(CORPUS)], collection="corpus", settings=settings)
    config = ResearchSettings(breadth=2, max_rounds=1, depth=2, memory=False)
    result = await run_research(
        "How do plants turn sunlight into chemical energy?",
        out_dir=tmp_path / "out",
        settings=settings,
        config=config,
    )

    report = result.files["report"].read_text()
    assert report.startswith("# How do plants turn sunlight into chemical energy?")
    tex = result.files["tex"].read_text()
    bib_keys = set(
        re.findall(r"^@\w+\{([^,]+),", result.files["bib"].read_text(), flags=re.MULTILINE)
    )
    cited = {k for group in re.findall(r"\\cite\{([^}]*)\}", tex) for k in group.split(",")}
    assert cited, "the report cites no source"
    assert cited <= bib_keys  # every citation key resolves to a source
    for key in cited:
        assert f"[{key}]" in report
    state = result.state
    facts = [s for sec in state.sections for s in sec.sentences if s.kind == "fact" and s.notes]
    assert state.verification is not None and state.verification.checked == len(facts)
    for s in facts:  # the claim check ran on every cited sentence and kept only supported ones
        assert s.draft_verdict is not None
        assert s.status == "dropped" or s.verdict["verdict"] == "supported"
    for note in state.notes:
        assert note.quote in state.passages[note.passage_id].text
    if tex_tool() is not None:
        assert "pdf" in result.files, result.pdf_message
        assert result.files["pdf"].read_bytes().startswith(b"%PDF")
