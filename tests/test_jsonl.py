"""One JSONL reader, one policy for a bad line: an error naming file and line, or skipped
and counted when the caller asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from lyceum.errors import ConfigError
from lyceum.jsonl import BadLine, JsonlError, JsonlRow, SkippedLines, read_jsonl, scan_jsonl

GOOD_AND_BAD = b'{"a": 1}\n\n{"a": oops}\n[1, 2]\n\xff\xfe{"a": 3}\n{"a": 4}\n'


def test_objects_come_with_their_line_numbers_and_blank_lines_are_ignored(tmp_path: Path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n\n  \n{"a": 2}\n')
    assert list(read_jsonl(path)) == [JsonlRow(1, {"a": 1}), JsonlRow(4, {"a": 2})]


def test_a_bad_line_is_an_error_naming_the_file_and_the_line(tmp_path: Path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(GOOD_AND_BAD)
    with pytest.raises(JsonlError, match=r"rows\.jsonl:3: invalid JSON") as caught:
        list(read_jsonl(path, hint="Fix the line."))
    assert caught.value.hint == "Fix the line."


def test_the_caller_chooses_the_error_class(tmp_path: Path):
    path = tmp_path / "data.jsonl"
    path.write_text('"just a string"\n')
    with pytest.raises(ConfigError, match=r"data\.jsonl:1: not a JSON object \(a JSON str\)"):
        list(read_jsonl(path, error=ConfigError))


def test_skipped_lines_are_counted_when_the_caller_asks(tmp_path: Path):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(GOOD_AND_BAD)
    skipped = SkippedLines()
    assert [r.value["a"] for r in read_jsonl(path, skipped=skipped)] == [1, 4]
    assert skipped.count == 3
    assert [w.split(": ", 1)[1].split(" (")[0] for w in skipped.first] == [
        "invalid JSON",
        "not a JSON object",
        "not UTF-8",
    ]


def test_scan_yields_every_bad_line_in_order_and_replace_decodes_bad_bytes():
    lines = GOOD_AND_BAD.splitlines(keepends=True)
    items = list(scan_jsonl(lines))
    assert [type(i) for i in items] == [JsonlRow, BadLine, BadLine, BadLine, JsonlRow]
    assert [i.line for i in items] == [1, 3, 4, 5, 6]
    replaced = list(scan_jsonl([b'{"t": "caf\xe9"}\n'], errors="replace"))
    assert replaced == [JsonlRow(1, {"t": "caf\ufffd"})]
