from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from lyceum.config import Settings, load_settings


@pytest.fixture
def settings(workspace: Path) -> Settings:
    """A workspace using the model-free hashing embedder, so tests need no weights."""
    return load_settings(workspace, sections={"retrieval": {"embedding_model": "hashing"}})


@pytest.fixture
def corpus(tmp_path: Path, samples: ModuleType) -> Path:
    """A folder with a LaTeX project, a PDF, an HTML page, notes and a corrupt PDF."""
    root = tmp_path / "corpus"
    samples.write_latex_project(root / "paper")
    samples.write_text_pdf(
        root / "plants.pdf",
        [
            "Photosynthesis converts light energy into chemical energy in chloroplasts.",
            "Chlorophyll absorbs mostly red and blue light and reflects green.",
        ],
        title="Plant energy",
        author="Ada Lovelace",
    )
    (root / "pools.html").write_text(samples.HTML_PAGE)
    (root / "notes.md").write_text(
        "---\ntitle: Volcano notes\nyear: 2015\n---\n# Volcanoes\n"
        "Basaltic lava is runny because it is low in silica.\n"
    )
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    return root
