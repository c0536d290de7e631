from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from lyceum.data.extract import (
    ExtractionError,
    discover_files,
    extract_bytes,
    extract_file,
    extract_latex,
)


def test_latex_project_follows_input_and_include_and_strips_comments(latex_project: Path) -> None:
    [doc] = extract_file(latex_project)
    assert doc.format == "latex"
    assert doc.title == "Entropy of Widget Ensembles"
    assert doc.authors == ["Grace Hopper", "Alan Turing"]
    assert doc.year == 2021
    assert doc.arxiv_id == "2103.01234"
    assert "Widgets are tiny machines" in doc.text
    assert "minimise with gradient descent" in doc.text
    assert "comment" not in doc.text and "hidden remark" not in doc.text
    assert "usepackage" not in doc.text and "documentclass" not in doc.text
    assert "50% per hour" in doc.text


def test_latex_keeps_equations_verbatim_and_section_spans(latex_project: Path) -> None:
    [doc] = extract_file(latex_project)
    assert "\\begin{equation}" in doc.text and "F = U - T S" in doc.text
    titles = [(s.title, s.level) for s in doc.sections]
    assert titles == [("Abstract", 1), ("Introduction", 1), ("Background", 2), ("Method", 1)]
    method = doc.sections[-1]
    assert doc.text[method.start :].startswith("Method")
    assert "F = U - T S" in doc.text[method.start : method.end]
    background_at = doc.text.index("Boltzmann")
    assert doc.section_at(background_at).title == "Background"


def test_latex_fragment_without_preamble_is_read() -> None:
    doc = extract_latex(r"\section{Only} Some \textbf{bold} text.", name="frag.tex")
    assert doc.text.startswith("Only")
    assert "Some bold text." in doc.text


def test_pdf_text_layer_and_metadata(tmp_path: Path, samples: ModuleType) -> None:
    pdf = samples.write_text_pdf(
        tmp_path / "p.pdf",
        ["Photosynthesis converts light into chemical energy.", "doi: 10.1234/abc.5678"],
        title="Plant energy",
        author="Ada Lovelace; Charles Babbage",
    )
    [doc] = extract_file(pdf)
    assert doc.format == "pdf"
    assert "Photosynthesis converts light" in doc.text
    assert doc.title == "Plant energy"
    assert doc.authors == ["Ada Lovelace", "Charles Babbage"]
    assert doc.doi == "10.1234/abc.5678"
    assert doc.sections[0].title == "page 1"


def test_corrupt_pdf_raises_an_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n this is not really a pdf \x00\x01\x02")
    with pytest.raises(ExtractionError, match=r"broken\.pdf"):
        extract_file(bad)


def test_html_keeps_main_content_and_drops_boilerplate(samples: ModuleType) -> None:
    [doc] = extract_bytes(samples.HTML_PAGE.encode(), "html", "pools.html")
    assert "Anemones, sea stars" in doc.text
    assert "Login" not in doc.text and "All rights reserved" not in doc.text
    assert doc.title == "Tide pools"
    assert doc.authors == ["Rachel Carson"]
    assert [s.title for s in doc.sections] == ["Tide pools", "Zonation"]


def test_markdown_front_matter_and_heading_sections() -> None:
    md = (
        "---\ntitle: Notes on Moss\nauthors: [Ann Lee, Bo Chen]\nyear: 2019\n---\n"
        "# Moss\nIntro.\n\n## Growth\nMoss grows in shade.\n\n```\n# not a heading\n```\n"
    )
    [doc] = extract_bytes(md.encode(), "markdown", "moss.md")
    assert doc.title == "Notes on Moss"
    assert doc.authors == ["Ann Lee", "Bo Chen"]
    assert doc.year == 2019
    assert [s.title for s in doc.sections] == ["Moss", "Growth"]
    assert "title:" not in doc.text


def test_jsonl_records_become_documents_with_metadata() -> None:
    lines = [
        {"id": "a1", "text": "First record.", "title": "One", "year": 2001, "lang": "en"},
        {"content": "Second record.", "authors": "X; Y", "url": "https://e.org/2"},
    ]
    data = "\n".join(json.dumps(r) for r in lines).encode()
    docs = extract_bytes(data, "jsonl", "recs.jsonl")
    assert [d.key for d in docs] == ["a1", "L2"]
    assert docs[0].metadata == {"lang": "en"} and docs[0].year == 2001
    assert docs[1].authors == ["X", "Y"] and docs[1].url == "https://e.org/2"


def test_jsonl_bad_line_is_reported_with_its_number() -> None:
    with pytest.raises(ExtractionError, match=r"recs.jsonl:2: invalid JSON"):
        extract_bytes(b'{"text": "ok"}\n{broken\n', "jsonl", "recs.jsonl")


def test_binary_data_in_a_text_file_is_refused() -> None:
    with pytest.raises(ExtractionError, match="binary"):
        extract_bytes(b"\x00\x01\x02abc", "text", "x.txt")


def test_discover_groups_a_latex_project_under_its_main_file(
    tmp_path: Path, samples: ModuleType
) -> None:
    samples.write_latex_project(tmp_path / "corpus" / "paper")
    (tmp_path / "corpus" / "notes.md").write_text("# Notes\nhello")
    (tmp_path / "corpus" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "corpus" / ".hidden.txt").write_text("secret")
    units = discover_files([tmp_path / "corpus"])
    names = sorted(u.path.name for u in units)
    assert names == ["main.tex", "notes.md"]
    latex = next(u for u in units if u.format == "latex")
    assert sorted(p.name for p in latex.parts) == ["intro.tex", "main.tex", "method.tex"]


def test_content_hash_changes_when_an_input_file_changes(latex_project: Path) -> None:
    [unit] = discover_files([latex_project.parent])
    before = unit.content_hash()
    (latex_project.parent / "method.tex").write_text("\\section{Method}\nChanged.")
    assert unit.content_hash() != before


def test_a_file_without_a_title_is_named_after_itself(tmp_path: Path) -> None:
    notes = tmp_path / "field-notes.md"
    notes.write_text("Just a line without headings.")
    assert extract_file(notes)[0].title == "field-notes"
    (tmp_path / "guide.md").write_text("## Setup\nInstall it.\n## Use\nRun it.\n")
    assert extract_file(tmp_path / "guide.md")[0].title == "Setup"


def _project(root: Path, n: int) -> None:
    root.mkdir(parents=True)
    (root / "main.tex").write_text(
        f"\\documentclass{{article}}\n\\title{{Paper {n}}}\n\\begin{{document}}\n"
        f"\\input{{intro}}\nBody {n}.\n\\end{{document}}\n"
    )
    (root / "intro.tex").write_text(f"\\section{{Intro}}\nIntro of paper {n}.")


def test_a_folder_of_latex_projects_reads_each_file_a_bounded_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(40):
        _project(tmp_path / "corpus" / f"p{n:02d}", n)
    (tmp_path / "corpus" / "fragment.tex").write_text("\\section{Loose}\nNo preamble.")
    reads: dict[Path, int] = {}
    original = Path.read_text

    def counting_read_text(self: Path, *args: object, **kwargs: object) -> str:
        reads[self.resolve()] = reads.get(self.resolve(), 0) + 1
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counting_read_text)
    units = discover_files([tmp_path / "corpus"])
    assert len(units) == 41
    mains = [u for u in units if u.path.name == "main.tex"]
    assert len(mains) == 40 and all(
        sorted(p.name for p in u.parts) == ["intro.tex", "main.tex"] for u in mains
    )
    # Ranking reads every file once and expanding a project reads its files once more;
    # deciding main files again after each project would read an unused main file 40 times.
    assert max(reads.values()) <= 2
    assert sum(reads.values()) <= 2 * 81


def test_a_main_file_input_by_a_better_main_file_belongs_to_its_project(tmp_path: Path) -> None:
    root = tmp_path / "book"
    root.mkdir()
    (root / "main.tex").write_text(
        "\\documentclass{book}\n\\begin{document}\n\\input{chapter}\n\\end{document}\n"
    )
    (root / "chapter.tex").write_text("\\documentclass{article}\n\\section{One}\nText.")
    [unit] = discover_files([root])
    assert unit.path.name == "main.tex"
    assert sorted(p.name for p in unit.parts) == ["chapter.tex", "main.tex"]


def test_the_html_fallback_reads_a_page_too_small_for_trafilatura() -> None:
    from lyceum.data.extract.html import _fallback_text

    text, title = _fallback_text(
        "<html><head><title>Tiny</title><script>var x;</script></head>"
        "<body><nav>Menu</nav><p>One short line.</p></body></html>"
    )
    assert title == "Tiny" and text == "One short line."


_ARTICLE = (
    "<p>Tide pools are rocky pools on the seashore that are separated from the sea at low "
    "tide and filled with seawater. Many animals live in them, among them anemones, "
    "starfish and small fish, which must survive changes of temperature and salinity.</p>"
) * 3


@pytest.mark.parametrize(
    ("head", "footer", "year"),
    [
        ("", "<footer>Copyright 2024 Example Corp</footer>", None),
        (
            '<meta name="date" content="2019-05-04">',
            "<footer>Copyright 2024 Example Corp</footer>",
            2019,
        ),
        ("", '<p>Published <time datetime="2018-03-02">2 March 2018</time></p>', 2018),
    ],
)
def test_the_html_year_comes_from_metadata_not_the_footer(
    head: str, footer: str, year: int | None
) -> None:
    page = (
        f"<html><head><title>Tide pools</title>{head}</head><body><article>"
        f"<h1>Tide pools</h1>{_ARTICLE}{footer}</article></body></html>"
    )
    [doc] = extract_bytes(page.encode(), "html", "pools.html")
    assert doc.year == year
