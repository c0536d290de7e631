from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from lyceum.cli.data import register


@pytest.fixture
def data_cli():
    """`lyceum data ...` on an app holding only this command group."""
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        pass

    register(app)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["data", *map(str, args)])

    return invoke


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _words(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}x" for i in range(n)]


def test_dedup_writes_kept_records_and_prints_exact_and_near_counts(data_cli, tmp_path):
    base = _words("w", 100)
    rows = [
        {"id": "a", "text": " ".join(base)},
        {"id": "b", "text": " ".join([*base[:-1], "changed"])},
        {"id": "c", "text": " ".join(base).upper()},
        {"id": "d", "text": " ".join(_words("v", 100))},
    ]
    src, out, clusters = (
        _write(tmp_path / "in.jsonl", rows),
        tmp_path / "out.jsonl",
        tmp_path / "c.jsonl",
    )
    result = data_cli(
        "dedup", src, "-o", out, "--threshold", "0.8", "--clusters", clusters, "-j", "1"
    )
    assert result.exit_code == 0, result.output
    assert "kept 2 of 4; dropped 1 exact and 1 near duplicates" in result.output
    assert [r["id"] for r in _read(out)] == ["a", "d"]
    assert _read(clusters)[0]["representative"] == "a"


def test_dedup_rejects_a_bad_threshold_and_a_missing_file(data_cli, tmp_path):
    src = _write(tmp_path / "in.jsonl", [{"text": "x"}])
    bad = data_cli("dedup", src, "-o", tmp_path / "o.jsonl", "--threshold", "1.5")
    assert bad.exit_code != 0 and "threshold" in str(bad.exception)
    missing = data_cli("dedup", tmp_path / "nope.jsonl", "-o", tmp_path / "o.jsonl")
    assert missing.exit_code != 0 and "does not exist" in str(missing.exception)


def test_clean_prints_drops_by_reason_and_logs_them(data_cli, tmp_path):
    prose = "Widgets are small machines that people build carefully in many workshops."
    rows = [
        {"id": "ok", "text": "The cafÃ© opened. " + prose},
        {"id": "tiny", "text": "hi"},
    ]
    src, out, drops = (
        _write(tmp_path / "in.jsonl", rows),
        tmp_path / "out.jsonl",
        tmp_path / "d.jsonl",
    )
    result = data_cli("clean", src, "-o", out, "--min-words", "5", "--drops", drops, "-j", "1")
    assert result.exit_code == 0, result.output
    assert "kept 1 of 2; dropped: too_short 1" in result.output
    assert _read(out)[0]["text"].startswith("The café opened.")
    assert _read(drops) == [
        {"id": "tiny", "step": "clean", "reason": "too_short", "detail": "1 < 5 words"}
    ]


def test_format_writes_split_files(data_cli, tmp_path):
    rows = [{"id": str(i), "text": f"t{i}", "title": f"T{i}"} for i in range(50)]
    src, out = _write(tmp_path / "in.jsonl", rows), tmp_path / "formatted"
    result = data_cli(
        "format",
        src,
        "-o",
        out,
        "--kind",
        "sft",
        "--template",
        "instruction=Title this.",
        "--template",
        "input={text}",
        "--template",
        "output={title}",
        "--split",
        "train=0.8",
        "--split",
        "test=0.2",
        "-j",
        "1",
    )
    assert result.exit_code == 0, result.output
    train, test = _read(out / "train.jsonl"), _read(out / "test.jsonl")
    assert len(train) + len(test) == 50 and train and test
    assert train[0]["instruction"] == "Title this." and train[0]["output"] == "T" + train[0]["id"]


def test_stats_of_a_file(data_cli, tmp_path):
    src = _write(
        tmp_path / "in.jsonl", [{"text": "one two three"}, {"text": "four.", "lang": "en"}]
    )
    result = data_cli("stats", src, "--json")
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["documents"] == 2 and stats["tokens"] == 5 and stats["fields"] == {"lang": 1}


def test_run_pipeline_then_rerun_reuses_steps_and_stats_reads_the_report(data_cli, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Widgets are small machines that people build carefully in many workshops."
    _write(corpus / "docs.jsonl", [{"id": "a", "text": text}, {"id": "b", "text": text}])
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(
        "name: tiny\noutput: out\nworkers: 1\nsteps:\n  - read: {paths: [corpus]}\n"
        "  - clean: {}\n  - dedup: {}\n  - format: {kind: cpt}\n"
    )
    first = data_cli("run", pipeline)
    assert first.exit_code == 0, first.output
    assert "2 documents read, 1 out, duplicate rate 50.0%" in first.output
    assert [r["id"] for r in _read(tmp_path / "out" / "train.jsonl")] == ["a"]
    second = data_cli("run", pipeline)
    assert second.exit_code == 0 and "(reused)" in second.output
    report = data_cli("stats", tmp_path / "out")
    assert report.exit_code == 0
    assert re.search(r"│ duplicate_rate\s+│ 50\.0%\s+│", report.output), report.output


def test_run_reports_an_invalid_pipeline_clearly(data_cli, tmp_path):
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text("output: out\nsteps:\n  - read: {paths: [x]}\n  - shuffle: {}\n")
    result = data_cli("run", pipeline)
    assert result.exit_code != 0 and "unknown step 'shuffle'" in str(result.exception)


def test_dedup_names_the_missing_text_field_and_how_to_fix_it(data_cli, tmp_path):
    src = _write(tmp_path / "in.jsonl", [{"id": "a", "body": "words here"}])
    result = data_cli("dedup", src, "-o", tmp_path / "o.jsonl", "-j", "2")
    assert result.exit_code != 0
    assert "no string 'text' field" in str(result.exception)
    assert "--text-field" in result.exception.hint
    ok = data_cli("dedup", src, "-o", tmp_path / "o.jsonl", "--text-field", "body", "-j", "1")
    assert ok.exit_code == 0 and "kept 1 of 1" in ok.output


def _tar_gz(path: Path, files: dict[str, str]) -> Path:
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


LATEX_MAIN = r"""\documentclass{article}
\title{Sparse Widgets}
\begin{document}
\section{Introduction}
\input{sections/intro}
\end{document}
"""
LATEX_INTRO = "Widgets are everywhere. % a comment nobody should read\nWe measure $E = mc^2$.\n"


def test_read_turns_folders_and_tarballs_into_records_and_counts_corrupt_inputs(data_cli, tmp_path):
    folder = tmp_path / "in"
    (folder / "widgets" / "sections").mkdir(parents=True)
    (folder / "widgets" / "main.tex").write_text(LATEX_MAIN)
    (folder / "widgets" / "sections" / "intro.tex").write_text(LATEX_INTRO)
    (folder / "notes.md").write_text("# Field notes\n\nBees dance to point at flowers.")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    tarball = _tar_gz(
        tmp_path / "2101.00001v2.tar.gz",
        {"main.tex": LATEX_MAIN, "sections/intro.tex": LATEX_INTRO},
    )
    broken = tmp_path / "2101.00009.tar.gz"
    broken.write_bytes(b"\x1f\x8b\x08garbage that is not deflate")
    out = tmp_path / "out" / "records.jsonl"
    errors = tmp_path / "errors.jsonl"
    result = data_cli("read", folder, tarball, broken, "-o", out, "--errors", errors, "-j", "1")
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in _read(out)}
    assert len(records) == 3 and "2101.00001" in records
    assert "E = mc^2" in records["2101.00001"]["text"]
    latex = next(r for r in records.values() if r["metadata"]["format"] == "latex" and r["id"] != "2101.00001")  # fmt: skip
    assert "Widgets are everywhere." in latex["text"] and "comment nobody" not in latex["text"]
    assert "read 3 records from 5 sources" in result.stdout
    assert "2 unreadable: corrupt_archive 1, undecodable 1" in result.stderr
    logged = {Path(e["source"]).name: e["kind"] for e in _read(errors)}
    assert logged == {"2101.00009.tar.gz": "corrupt_archive", "binary.txt": "undecodable"}
    assert sorted(p.name for p in out.parent.iterdir()) == ["records.jsonl"]


def test_read_names_a_missing_input(data_cli, tmp_path):
    result = data_cli("read", tmp_path / "nowhere", "-o", tmp_path / "out.jsonl")
    assert result.exit_code != 0
    assert "does not exist" in str(result.exception)
