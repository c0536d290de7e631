"""The issue's end-to-end check with the real embedded model: a folder with a PDF, a LaTeX
project using \\input, an HTML page and a corrupt file."""

from __future__ import annotations

from pathlib import Path

from lyceum.config import load_settings
from lyceum.retrieval import ingest, search


def test_ingest_folder_search_with_provenance_and_noop_reingest(
    corpus: Path, workspace: Path
) -> None:
    settings = load_settings(workspace)  # default: MiniLM embeddings, numpy vector store
    first = ingest([corpus], settings=settings)
    assert len(first.added) == 4 and [Path(p.path).name for p in first.failed] == ["broken.pdf"]

    [hit, *_] = search("How do leaves make energy from sunlight?", settings=settings, k=3)
    assert hit.source == str(corpus / "plants.pdf") and hit.section == "page 1"
    assert "Photosynthesis" in hit.text and hit.title == "Plant energy"

    [hit, *_] = search("Which creatures live in rocky pools by the sea?", settings=settings, k=3)
    assert hit.source == str(corpus / "pools.html") and "Anemones" in hit.text

    [hit, *_] = search("who first described the ensemble", settings=settings, k=3, mode="dense")
    assert hit.source == str(corpus / "paper" / "main.tex") and "Boltzmann" in hit.text
    assert hit.section in {"Introduction", "Background", "Abstract"}

    again = ingest([corpus], settings=settings)
    assert again.added == [] and again.updated == [] and again.chunks_added == 0
    assert len(again.unchanged) == 4
