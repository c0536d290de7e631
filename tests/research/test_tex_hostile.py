"""Hostile metadata cannot make TeX read or write files, run commands, or stop the paper.

Two layers, tested separately: escaping (no field that reaches TeX carries TeX syntax), and
the confined TeX run (even raw TeX cannot read outside its build folder, write outside it,
run past its time limit or grow its output past the size limit).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from lyceum.research import pdf
from lyceum.research.bibtex import render_bibtex, render_entry
from lyceum.research.citations import BibEntry
from lyceum.research.latex import cite_key, escape, problems, url_escape
from lyceum.research.pdf import _compile_once, compile_pdf

pytestmark = pytest.mark.hostile

HAS_TEX = shutil.which("pdflatex") is not None and shutil.which("bibtex") is not None
SECRET = "LYCEUMSECRETTOKEN42"

# TeX's ^^ notation (^^5c is a backslash, ^^7b a brace), control sequences, catcode tricks,
# control characters, BibTeX brace breaks.
PAYLOADS = [
    "http://x.example/^^5cpdffiledump^^20length^^20200^^7b{secret}^^7d",
    "http://x.example/^^5cinput^^7b{secret}^^7d",
    "^^5cinput^^7b{secret}^^7d",
    "^^5C^^5c^^7B^^7D^^25^^0d^^00^^M^^?",
    "\\input{{{secret}}}",
    "\\include{{{secret}}}",
    "\\newread\\r\\openin\\r={secret}\\read\\r to\\x\\x",
    "\\immediate\\write18{{touch {pwned}}}",
    "\\immediate\\openout9={pwned}\\immediate\\write9{{x}}",
    "\\catcode`\\^=7 \\catcode`\\|=0 |input{{{secret}}}",
    "\\pdffiledump length 200{{{secret}}}\\pdfmdfivesum file{{{secret}}}",
    "}}, note = {{\\input{{{secret}}}}}, x = {{",
    "@misc{{evil, title={{\\input{{{secret}}}}}}}",
    "a\x00b\x07c\x0cd\x1be\x7ff\x85g\u2028h\r\ni\tj",
    "~%#$&_{{}}|<>\"'`",
    "\\def\\x{{\\x}}\\x",
]
ALLOWED_MACROS = {
    "textbackslash",
    "textasciicircum",
    "textasciitilde",
    "textbraceleft",
    "textbraceright",
    "ensuremath",
    "%",
    "#",
    "$",
    "&",
    "_",
    "{",
    "}",
    "url",
    "'",
}


def _payloads(tmp: Path) -> list[str]:
    secret = tmp / "secret.txt"
    return [p.format(secret=secret, pwned=tmp / "pwned") for p in PAYLOADS]


def _hostile_entries(tmp: Path) -> list[BibEntry]:
    entries = []
    for i, payload in enumerate(_payloads(tmp)):
        entries.append(
            BibEntry(
                key=f"k{i}",
                document_key=f"web:{i}",
                title=payload,
                source=payload,
                url=payload if payload.startswith("http") else f"https://x.example/{payload}",
                doi=payload if i % 3 == 0 else None,
                arxiv_id=payload if i % 4 == 1 else None,
                authors=[payload, f"Doe, {payload}"],
                notes=[payload],
            )
        )
    return entries


def _macros(tex: str) -> set[str]:
    return set(re.findall(r"\\([A-Za-z]+|.)", tex))


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_escapes_to_plain_text_only(payload: str, tmp_path: Path) -> None:
    text = escape(payload.format(secret=tmp_path / "s", pwned=tmp_path / "p"))
    assert "^" not in text
    assert "~" not in text.replace("{\\textasciitilde}", "")
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028]", text)
    assert _macros(text) <= ALLOWED_MACROS, _macros(text) - ALLOWED_MACROS
    assert _balanced(re.sub(r"\\[{}]", "", text))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_url_is_percent_encoded(payload: str, tmp_path: Path) -> None:
    url = url_escape(payload.format(secret=tmp_path / "s", pwned=tmp_path / "p"))
    assert re.fullmatch(r"(?:[A-Za-z0-9\-._:/?=&@!*+,;()']|\\%[0-9A-Fa-f]{2}|\\#)*", url), url
    assert url.count("\\#") <= 1


def test_a_percent_encoded_url_keeps_its_meaning() -> None:
    assert url_escape("https://x.org/a b~c%41%zz#f#g") == (
        "https://x.org/a\\%20b\\%7Ec\\%41\\%25zz\\#f\\%23g"
    )
    assert url_escape("/corpus/50%41.txt", path=True) == "/corpus/50\\%41.txt"
    assert len(url_escape("https://x.org/" + "a" * 100_000)) == 2000


def test_hostile_bibliography_fields_hold_no_tex_syntax(tmp_path: Path) -> None:
    for entry in _hostile_entries(tmp_path):
        rendered = render_entry(entry)
        body = rendered.split("\n", 1)[1]
        assert "^" not in body and "\x00" not in body
        assert _macros(body) <= ALLOWED_MACROS | {"textasciitilde"}, _macros(body)
        for line in body.splitlines()[:-1]:  # each field's braces balance on its own line
            assert _balanced(re.sub(r"\\[{}%#$&_]", "", line)), line
        assert rendered.count("\n@") == 0  # no second entry smuggled in


def test_a_hostile_citation_key_becomes_one_plain_token() -> None:
    assert cite_key("smith2020{") == "smith2020-7B"
    assert cite_key("a b,c}\\") == "a-20b-2Cc-7D-5C"
    assert cite_key(cite_key("x{")) == cite_key("x{")
    tex = "\\documentclass{article}\\usepackage{url}\\begin{document}\\cite{x-7B}\\end{document}"
    assert not [p for p in problems(tex, {"x{"}) if "citation" in p]


def test_very_long_fields_are_cut(tmp_path: Path) -> None:
    entry = BibEntry(
        key="long",
        document_key="web:long",
        title="T" * 200_000,
        source="web",
        url="https://x.example/" + "u" * 200_000,
        authors=[f"Author{i} " + "n" * 5000 for i in range(2000)],
    )
    rendered = render_entry(entry)
    assert len(rendered) < 200_000
    assert max(len(line) for line in rendered.splitlines()) < 100_000


def _paper(body: str = "Hello \\cite{k0}.") -> str:
    return (
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\\usepackage{url}"
        "\\usepackage[hidelinks]{hyperref}\n\\begin{document}\n"
        f"{body}\n\\bibliographystyle{{plain}}\n\\bibliography{{references}}\n\\end{{document}}\n"
    )


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_a_hostile_bibliography_compiles_and_reads_no_file(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET)
    out = tmp_path / "out"
    out.mkdir()
    entries = _hostile_entries(tmp_path)
    entries.append(
        BibEntry(
            key="long",
            document_key="web:long",
            title="T " * 50_000,
            source="web",
            url="https://x.example/" + "u" * 50_000,
            authors=[f"Author{i} Name" for i in range(500)],
        )
    )
    odd_names = [" and ", "and and", ",,,,", "a, b, c, d", "{", "}", "others", "", " ", "-"]
    entries.append(
        BibEntry(key="names", document_key="web:names", title="N", source="web", authors=odd_names)
    )
    (out / "references.bib").write_text(render_bibtex(entries), "utf-8")
    cites = ",".join(cite_key(e.key) for e in entries)
    (out / "paper.tex").write_text(_paper(f"Hello \\cite{{{cites}}}."), "utf-8")
    result = compile_pdf(out, attempts=1, timeout_s=120)
    assert result.ok, result.message
    assert result.bibitems == len(entries)
    text = _pdf_text(out / "paper.pdf").replace("\n", "")
    assert SECRET not in text
    assert SECRET.encode().hex().upper() not in text.upper()
    assert not list(tmp_path.rglob("pwned*"))


def _raw(tmp_path: Path, body: str, *, timeout: float = 60) -> tuple[bool, str, float]:
    build = tmp_path / "build"
    build.mkdir(exist_ok=True)
    (build / "paper.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nStart.\n" + body + "\nEnd.\n\\end{document}\n"
    )
    started = time.monotonic()
    ok, log = _compile_once("pdflatex", build, timeout)
    return ok, log, time.monotonic() - started


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
@pytest.mark.parametrize(
    "body",
    [
        "\\pdffiledump length 200{{{secret}}}",
        "\\pdfmdfivesum file{{{secret}}}",
        "\\input{{{secret}}}",
        "\\input{{../secret.txt}}",
        "\\newread\\r\\immediate\\openin\\r={secret}\\ifeof\\r\\else\\read\\r to\\x\\x\\fi",
        "\\input{{{home}/.bashrc}}",
    ],
)
def test_hostile_raw_tex_cannot_read_outside_the_build_folder(body: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    ok, log, _ = _raw(tmp_path, body.format(secret=secret, home=os.path.expanduser("~")))
    assert SECRET not in log
    assert "openin_any = p" in log or "not found" in log
    pdf_file = tmp_path / "build" / "paper.pdf"
    if ok:
        text = _pdf_text(pdf_file)
        assert SECRET not in text
        assert SECRET.encode().hex().upper() not in text.upper()


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
@pytest.mark.parametrize(
    "target",
    ["{outside}/pwned.tex", "../pwned.tex", ".pwned.tex"],
)
def test_hostile_raw_tex_cannot_write_outside_the_build_folder(target: str, tmp_path: Path) -> None:
    name = target.format(outside=tmp_path)
    _raw(tmp_path, f"\\immediate\\openout9={name}\\immediate\\write9{{x}}\\immediate\\closeout9")
    assert not (tmp_path / "pwned.tex").exists()
    assert not (tmp_path / "build" / ".pwned.tex").exists()


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_an_endless_loop_is_killed_with_its_process_group(tmp_path: Path) -> None:
    (tmp_path / "paper.tex").write_text(_paper("\\def\\x{\\x}\\x"), "utf-8")
    build = tmp_path / "build"
    started = time.monotonic()
    result = compile_pdf(tmp_path, attempts=1, timeout_s=3)
    assert time.monotonic() - started < 15
    assert not result.ok and "timed out" in result.message
    time.sleep(0.2)
    alive = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")) == build.resolve():
                alive.append(proc.name)
        except OSError:
            continue
    assert alive == []


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_output_past_the_size_limit_stops_tex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "MAX_OUTPUT_BYTES", 256 * 1024)
    ok, log, elapsed = _raw(tmp_path, "\\def\\x{\\message{" + "y" * 200 + "}\\x}\\x", timeout=30)
    assert not ok
    assert "output-size or CPU limit" in log
    assert elapsed < 25
    assert all(p.stat().st_size <= 256 * 1024 for p in (tmp_path / "build").iterdir())


def test_tex_runs_confined_whatever_the_environment_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEXMFOUTPUT", "/")
    monkeypatch.setenv("TEXMF_OUTPUT_DIRECTORY", "/")
    monkeypatch.setenv("openin_any", "a")
    monkeypatch.setenv("openout_any", "a")
    monkeypatch.setenv("shell_escape", "t")
    env = pdf.tex_environment()
    assert env["openin_any"] == "p" and env["openout_any"] == "p"
    assert env["shell_escape"] == "f"
    assert "TEXMFOUTPUT" not in env and "TEXMF_OUTPUT_DIRECTORY" not in env
