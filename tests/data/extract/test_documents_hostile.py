"""Hostile LaTeX projects, folders and archives cannot read files outside themselves, unpack
past their caps, or hold a reader past its time limit."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import time
from pathlib import Path
from types import ModuleType

import pytest

from lyceum.data import archives
from lyceum.data.archives import CorruptArchiveError, extract_archive
from lyceum.data.clean import remove_floats
from lyceum.data.extract import discover_files, extract_file, extract_latex
from lyceum.data.extract import latex as latex_module
from lyceum.data.extract.deadline import ExtractionTimeout, time_limit
from lyceum.data.readers import InputUnit, list_sources, read_source

pytestmark = pytest.mark.hostile

SECRET = "LYCEUMSECRETTOKEN42"
MAIN = "\\documentclass{article}\n\\title{Paper}\n\\begin{document}\nVisible body.\n%s\n\\end{document}\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding a secret (as .tex and without suffix)."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.tex").write_text(f"{SECRET} from tex\n")
    (folder / "secret").write_text(f"{SECRET} bare\n")
    return folder


def _project(tmp_path: Path, body: str) -> Path:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    main = project / "main.tex"
    main.write_text(MAIN % body)
    return main


@pytest.mark.parametrize(
    "command",
    [
        "\\input{{{outside}/secret}}",
        "\\input{{{outside}/secret.tex}}",
        "\\input {outside}/secret.tex",
        "\\include{{../outside/secret}}",
        "\\subfile{{../../{name}/outside/secret}}",
        "\\input{{ {outside}/secret }}",
        "\\input{{./../outside/secret}}",
        "\\input{{sub/../../outside/secret}}",
        "\\input{{/proc/self/environ}}",
        "\\input{{/etc/hostname}}",
        "\\input{{~/.bashrc}}",
    ],
)
def test_hostile_input_outside_the_project_is_a_missing_input(
    command: str, tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LYCEUM_TEST_SECRET", SECRET)
    (tmp_path / "project" / "sub").mkdir(parents=True)
    main = _project(tmp_path, command.format(outside=outside, name=tmp_path.name))
    [doc] = extract_file(main)
    assert SECRET not in doc.text
    assert "Visible body." in doc.text
    assert doc.metadata["missing_inputs"]
    hostname = Path("/etc/hostname")
    if "hostname" in command and hostname.exists() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in doc.text.split()


def test_hostile_symlinks_out_of_the_project_are_not_followed(
    tmp_path: Path, outside: Path
) -> None:
    main = _project(tmp_path, "\\input{link}\\input{dirlink/secret}\\input{inside}")
    project = main.parent
    (project / "link.tex").symlink_to(outside / "secret.tex")
    (project / "dirlink").symlink_to(outside, target_is_directory=True)
    (project / "inside.tex").write_text("Inside text.")
    [doc] = extract_file(main)
    assert SECRET not in doc.text
    assert "Inside text." in doc.text
    assert sorted(doc.metadata["missing_inputs"]) == ["dirlink/secret", "link"]


def test_a_symlink_inside_the_project_is_followed(tmp_path: Path) -> None:
    main = _project(tmp_path, "\\input{alias}")
    (main.parent / "real.tex").write_text("Real inside text.")
    (main.parent / "alias.tex").symlink_to(main.parent / "real.tex")
    [doc] = extract_file(main)
    assert "Real inside text." in doc.text
    assert "missing_inputs" not in doc.metadata


def test_hostile_folder_links_are_not_walked(tmp_path: Path, outside: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("A note.")
    (corpus / "leak.txt").symlink_to(outside / "secret")
    (corpus / "leak.tex").symlink_to(outside / "secret.tex")
    (corpus / "alldir").symlink_to(outside, target_is_directory=True)
    (corpus / "etc.txt").symlink_to("/etc/hostname")
    units = discover_files([corpus])
    assert [u.path.name for u in units] == ["note.txt"]
    assert [Path(s.path).name for s in list_sources([corpus])] == ["note.txt"]


def _tar(path: Path, members: list[tarfile.TarInfo], data: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info in members:
            body = data.get(info.name)
            if body is not None:
                info.size = len(body)
                tar.addfile(info, io.BytesIO(body))
            else:
                tar.addfile(info)
    return path


def _file(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def _link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def test_hostile_tar_members_are_not_written_or_read(tmp_path: Path, outside: Path) -> None:
    main = MAIN % (
        "\\input{sym}\\input{hard}\\input{abs}\\input{up}\\input{dev}"
        f"\\input{{{outside}/secret}}\\input{{ok}}"
    )
    members = [
        _file("main.tex"),
        _file("ok.tex"),
        _link("sym.tex", str(outside / "secret.tex"), tarfile.SYMTYPE),
        _link("hard.tex", str(outside / "secret.tex"), tarfile.LNKTYPE),
        _file(str(tmp_path / "abs.tex")),
        _file("../up.tex"),
        _link("dev.tex", "", tarfile.CHRTYPE),
        _link("fifo.tex", "", tarfile.FIFOTYPE),
    ]
    data = {
        "main.tex": main.encode(),
        "ok.tex": b"Member text.",
        str(tmp_path / "abs.tex"): f"{SECRET} absolute".encode(),
        "../up.tex": f"{SECRET} parent".encode(),
    }
    archive = _tar(tmp_path / "2101.00001.tar.gz", members, data)
    doc = extract_archive(archive)
    assert "Member text." in doc.text and SECRET not in doc.text
    assert not (tmp_path / "abs.tex").exists() and not (tmp_path / "up.tex").exists()
    assert set(doc.metadata["missing_inputs"]) >= {"sym", "hard", "abs", "up", "dev"}


def test_an_archive_with_too_many_members_is_refused_before_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives, "MAX_MEMBERS", 50)
    archive = tmp_path / "many.tar"
    with tarfile.open(archive, "w") as tar:
        for i in range(60):
            info = tarfile.TarInfo(f"f{i}.tex")
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
    # A corrupt tail: a reader that looked at the whole archive first would fail on it.
    archive.write_bytes(archive.read_bytes()[: 512 * 2 * 55] + b"\xff" * 4096)
    with pytest.raises(CorruptArchiveError, match="more than 50 members"):
        extract_archive(archive)


def test_a_decompression_bomb_is_refused_while_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives, "MAX_UNPACKED_BYTES", 1024 * 1024)
    archive = tmp_path / "bomb.tar.gz"
    zeros = 64 * 1024 * 1024
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        info = tarfile.TarInfo("main.tex")
        info.size = 100
        tar.addfile(info, io.BytesIO(b"x" * 100))
        info = tarfile.TarInfo("zeros.bin")
        info.size = zeros

        class Zeros(io.RawIOBase):
            left = zeros

            def readable(self) -> bool:
                return True

            def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
                n = min(len(buffer), self.left)
                buffer[:n] = bytes(n)
                self.left -= n
                return n

        tar.addfile(info, io.BufferedReader(Zeros()))
    assert archive.stat().st_size < zeros // 100
    started = time.monotonic()
    with pytest.raises(CorruptArchiveError, match="unpacks to more than"):
        extract_archive(archive)
    assert time.monotonic() - started < 2  # refused on its header, not after 64 MB


def test_a_gzipped_single_file_bomb_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives, "MAX_SINGLE_FILE_BYTES", 1024 * 1024)
    archive = tmp_path / "2101.00002.gz"
    archive.write_bytes(gzip.compress(b"\\section{x}" + b" " * (4 * 1024 * 1024)))
    with pytest.raises(CorruptArchiveError, match="unpacks to more than"):
        extract_archive(archive)


def test_a_stuck_latex_parser_is_stopped_by_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def stuck(latex: str) -> str:
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(latex_module, "_to_text", stuck)
    started = time.monotonic()
    with pytest.raises(ExtractionTimeout, match=r"longer than 0\.5s"):
        extract_latex("\\section{A} text", name="slow.tex", time_limit_s=0.5)
    assert time.monotonic() - started < 3


def test_a_stuck_pdf_parser_is_a_timeout_error_of_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, samples: ModuleType
) -> None:
    from pypdf import PageObject

    from lyceum.data.extract import pdf as pdf_module

    pdf_file = samples.write_text_pdf(tmp_path / "p.pdf", ["Some text on a page."])

    def stuck(self: PageObject, *args: object, **kwargs: object) -> str:
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(PageObject, "extract_text", stuck)
    monkeypatch.setattr(pdf_module, "PARSE_SECONDS", 0.5)
    original = pdf_module.extract_pdf
    monkeypatch.setattr(
        "lyceum.data.extract.files.extract_pdf",
        lambda data, source="": original(data, source, time_limit_s=0.5),
    )
    started = time.monotonic()
    records, errors = read_source(InputUnit(str(pdf_file), "pdf"))
    assert records == [] and [e.kind for e in errors] == ["timeout"]
    assert time.monotonic() - started < 3


def test_the_deadline_is_checked_off_the_main_thread_too() -> None:
    import threading

    raised: list[BaseException] = []

    def work() -> None:
        try:
            with time_limit(0.2, "x") as deadline:
                time.sleep(0.3)
                deadline.check()
        except ExtractionTimeout as exc:
            raised.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert raised


def test_figures_and_tables_become_caption_lines_that_clean_removes() -> None:
    doc = extract_latex(
        "\\section{Intro}Body text here.\n"
        "\\begin{figure}[t]\\centering\\includegraphics[width=3cm]{x.png}"
        "\\caption[short]{A plot of \\emph{widgets}.}\\label{f}\\end{figure}\n"
        "\\begin{table}\\begin{tabular}{cc}a & b\\\\ c & d\\end{tabular}"
        "\\caption{Numbers.}\\end{table}\n"
        "\\begin{figure*}\\begin{subfigure}{x}inner\\end{subfigure}\\end{figure*}\n"
        "More text."
    )
    assert "Figure 1: A plot of widgets." in doc.text.splitlines()
    assert "Table 1: Numbers. a b c d" in doc.text.splitlines()
    assert any(line.startswith("Figure 2:") for line in doc.text.splitlines())
    assert doc.text.count("widgets") == 1
    cleaned = remove_floats(doc.text)
    assert "widgets" not in cleaned and "Numbers" not in cleaned and "inner" not in cleaned
    assert "Body text here." in cleaned and "More text." in cleaned


def test_an_unclosed_figure_is_kept_as_text() -> None:
    doc = extract_latex("\\section{A}Before.\\begin{figure}Never closed. After.")
    assert "Before." in doc.text and "Never closed." in doc.text


def test_a_project_cannot_inline_itself_into_a_huge_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(latex_module, "_MAX_PROJECT_CHARS", 10_000)
    main = _project(tmp_path, "\\input{a}\\input{b}\\input{c}")
    for name in "abc":
        (main.parent / f"{name}.tex").write_text("x" * 4000)
    records, errors = read_source(InputUnit(str(main), "latex"))
    assert records == [] and "more than 10000" in errors[0].message
    assert os.path.exists(main)
