from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest

from lyceum.data.archives import (
    CorruptArchiveError,
    arxiv_id_from_name,
    extract_archive,
)
from lyceum.data.extract import ExtractionError


def _tar_gz(path: Path, files: dict[str, str]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_tarball_project_is_flattened_and_named_by_its_arxiv_id(tmp_path, corpus):
    archive = _tar_gz(
        tmp_path / "2101.00001v2.tar.gz",
        {"main.tex": corpus.LATEX_MAIN, "sections/intro.tex": corpus.LATEX_INTRO},
    )
    doc = extract_archive(archive)
    assert doc.arxiv_id == "2101.00001" and doc.title == "Sparse Widgets"
    assert "E = mc^2" in doc.text and "comment nobody" not in doc.text
    assert doc.metadata["archive"] == str(archive) and "files" not in doc.metadata


def test_gzipped_single_tex_file_is_read(tmp_path, corpus):
    path = tmp_path / "hep-th9901001.gz"
    path.write_bytes(
        gzip.compress(corpus.LATEX_MAIN.replace("\\input{sections/intro}", "").encode())
    )
    doc = extract_archive(path)
    assert doc.arxiv_id == "hep-th/9901001" and "sparse widgets compose" in doc.text


def test_arxiv_gz_that_is_really_a_tarball_is_unpacked(tmp_path, corpus):
    archive = _tar_gz(tmp_path / "2101.00002.gz", {"paper.tex": corpus.LATEX_MAIN})
    assert extract_archive(archive).title == "Sparse Widgets"


@pytest.mark.parametrize("name", ["2101.00003.tar.gz", "broken.gz", "cut.tgz"])
def test_corrupt_archives_raise_a_corrupt_archive_error(tmp_path, corpus, name):
    path = tmp_path / name
    if name == "cut.tgz":
        good = _tar_gz(tmp_path / "good.tgz", {"main.tex": corpus.LATEX_MAIN * 50})
        path.write_bytes(good.read_bytes()[:200])
    else:
        path.write_bytes(b"\x1f\x8b\x08garbage that is not deflate")
    with pytest.raises(CorruptArchiveError):
        extract_archive(path)


def test_archive_without_a_paper_is_an_extraction_error(tmp_path):
    archive = _tar_gz(tmp_path / "2101.00004.tar.gz", {"README": "just notes"})
    with pytest.raises(ExtractionError, match="no LaTeX main file"):
        extract_archive(archive)


def test_members_escaping_the_archive_are_not_written(tmp_path, corpus):
    archive = _tar_gz(
        tmp_path / "evil.tar.gz", {"../escaped.tex": "x", "main.tex": corpus.LATEX_MAIN}
    )
    extract_archive(archive)
    assert not (tmp_path / "escaped.tex").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2101.00001v3.tar.gz", "2101.00001"),
        ("1905.12345.gz", "1905.12345"),
        ("math.GT0309136.gz", "math.GT/0309136"),
        ("paper.tar.gz", None),
    ],
)
def test_arxiv_id_from_archive_name(name, expected):
    assert arxiv_id_from_name(name) == expected
