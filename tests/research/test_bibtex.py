import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lyceum.research.bibtex import render_bibtex, render_entry
from lyceum.research.citations import BibEntry

HAS_TEX = shutil.which("pdflatex") is not None and shutil.which("bibtex") is not None
AWKWARD_DOI = "10.1000/a_b%c#d{e}"


def _fields(entry: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) = \{(.*)\},$", entry, flags=re.MULTILINE))


def test_an_arxiv_paper_is_an_article_with_eprint_and_abs_url() -> None:
    entry = render_entry(
        BibEntry(
            key="vaswani2017",
            document_key="arxiv:1706.03762",
            title="Attention Is All You Need",
            source="arxiv",
            arxiv_id="1706.03762",
            year=2017,
            authors=["Ashish Vaswani", "Noam Shazeer"],
            notes=["q1.n1", "q2.n3"],
        )
    )
    assert entry.startswith("@article{vaswani2017,")
    f = _fields(entry)
    assert f["title"] == "{Attention Is All You Need}"
    assert f["author"] == "Ashish Vaswani and Noam Shazeer"
    assert f["year"] == "2017"
    assert f["eprint"] == "1706.03762" and f["archivePrefix"] == "arXiv"
    assert f["journal"] == "arXiv preprint arXiv:1706.03762"
    assert f["url"] == "https://arxiv.org/abs/1706.03762"
    assert f["howpublished"] == "\\url{https://arxiv.org/abs/1706.03762}"
    assert f["note"] == "Lyceum source arxiv; evidence q1.n1, q2.n3"


def test_a_doi_is_escaped_and_links_to_doi_org() -> None:
    entry = render_entry(
        BibEntry(
            key="smith2020", document_key="doi:x", title="A_b & c", source="web", doi=AWKWARD_DOI
        )
    )
    assert entry.startswith("@misc{smith2020,")  # plain's @article needs a journal
    f = _fields(entry)
    # A lone % is percent-encoded (%25), braces too; \\url wants % and # escaped.
    assert f["doi"] == "10.1000/a_b\\%25c\\#d\\%7Be\\%7D"
    assert f["url"] == "https://doi.org/10.1000/a_b\\%25c\\#d\\%7Be\\%7D"
    assert f["title"] == "{A\\_b \\& c}"
    assert entry.count("{") == entry.count("}")  # a brace in the DOI cannot end a field


def test_a_web_page_has_its_url_and_a_corpus_file_its_path() -> None:
    web = _fields(
        render_entry(
            BibEntry(
                key="leaf",
                document_key="u",
                title="Leaf",
                source="wikipedia",
                url="https://en.wikipedia.org/wiki/Leaf#Anatomy",
            )
        )
    )
    assert web["url"] == "https://en.wikipedia.org/wiki/Leaf\\#Anatomy"
    local = _fields(
        render_entry(
            BibEntry(key="x", document_key="p", title="X", source="local", path="/c/50%.txt")
        )
    )
    assert local["howpublished"] == "Local corpus: \\url{/c/50\\%.txt}"
    assert "url" not in local


def test_eprint_from_outside_cannot_break_out_of_its_field() -> None:
    entry = render_entry(
        BibEntry(key="k", document_key="a", title="T", source="arxiv", arxiv_id="1}, note={x")
    )
    f = _fields(entry)
    assert f["eprint"] == "1\\textbraceright{}, note=\\textbraceleft{}x"
    assert f["journal"] == "arXiv preprint arXiv:1\\textbraceright{}, note=\\textbraceleft{}x"
    assert f["note"].startswith("Lyceum source arxiv")  # still the only note field
    assert entry.count("note = {") == 1


def _brace_depths_ok(value: str) -> bool:
    depth = 0
    for char in value:  # as BibTeX counts: backslashes do not escape braces
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_every_field_keeps_bibtex_braces_balanced() -> None:
    entry = render_entry(
        BibEntry(
            key="k",
            document_key="a",
            title="a}b{c",
            source="we}b",
            authors=["X }Y"],
            doi="10.1/x}y",
            url="https://e.org/}{",
        )
    )
    values = re.findall(r"^  \w+ = \{(.*)\},$", entry, flags=re.MULTILINE)
    assert len(values) == entry.count("\n  ")
    assert all(_brace_depths_ok(v) for v in values), values


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_awkward_entries_go_through_bibtex_and_pdflatex(tmp_path: Path) -> None:
    entries = [
        BibEntry(
            key="a1",
            document_key="a",
            title="Résumé of α & β",
            source="arxiv",
            arxiv_id="hep-th/9901001",
            year=1999,
            authors=["José Núñez"],
        ),
        BibEntry(
            key="d1", document_key="d", title="DOI_paper 100% }{", source="web", doi=AWKWARD_DOI
        ),
        BibEntry(
            key="w1",
            document_key="w",
            title="Page",
            source="web",
            url="https://example.org/a_b?x=1&y=2#z",
        ),
    ]
    (tmp_path / "references.bib").write_text(render_bibtex(entries), "utf-8")
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\\usepackage[utf8]{inputenc}\\usepackage{url}"
        "\\usepackage[hidelinks]{hyperref}\\begin{document}See \\cite{a1,d1,w1}."
        "\\bibliographystyle{plain}\\bibliography{references}\\end{document}\n",
        "utf-8",
    )
    tex = ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "paper"]
    for cmd in (tex, ["bibtex", "paper"], tex, tex):
        done = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (cmd, done.stdout[-2000:])
    assert set(re.findall(r"\\bibitem\{(\w+)\}", (tmp_path / "paper.bbl").read_text())) == {
        "a1",
        "d1",
        "w1",
    }
    assert "undefined" not in (tmp_path / "paper.log").read_text()
