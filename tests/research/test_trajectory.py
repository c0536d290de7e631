"""trajectory.jsonl is read back with the reader beside its writer, with one policy for a
bad line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lyceum.research.trajectory import TrajectoryError, read_trajectory, write_trajectory

RECORDS = [
    {"type": "question", "run_id": "r1", "question": "Why is the sky blue?"},
    {"type": "passage", "run_id": "r1", "id": "p1", "text": "Rayleigh scattering."},
    {"type": "note", "run_id": "r1", "id": "n1", "passage_id": "p1", "claim": "Scattering."},
    {"type": "verdict", "run_id": "r1", "text": "Light scatters.", "label": "supported"},
    {"type": "report", "run_id": "r1", "markdown": "# Draft"},
    {"type": "report", "run_id": "r1", "markdown": "# Final"},
]


def test_what_the_writer_wrote_is_what_the_reader_reads(tmp_path: Path) -> None:
    path = tmp_path / "trajectory.jsonl"
    write_trajectory(path, RECORDS)
    trajectory = read_trajectory(path)
    assert trajectory.records == RECORDS
    assert (trajectory.run_id, trajectory.question) == ("r1", "Why is the sky blue?")
    assert set(trajectory.by_id("note")) == {"n1"}
    assert trajectory.by_id("passage")["p1"]["text"] == "Rayleigh scattering."
    assert [v["label"] for v in trajectory.of_type("verdict")] == ["supported"]
    assert trajectory.report is not None and trajectory.report["markdown"] == "# Final"


def test_a_file_without_question_or_report_reads_as_empty_fields(tmp_path: Path) -> None:
    path = tmp_path / "trajectory.jsonl"
    write_trajectory(path, RECORDS[1:4])
    trajectory = read_trajectory(path)
    assert (trajectory.question, trajectory.run_id, trajectory.report) == ("", "", None)


def test_a_bad_line_is_an_error_naming_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "trajectory.jsonl"
    write_trajectory(path, RECORDS[:2])
    path.write_text(path.read_text() + "\n[1, 2]\n")
    with pytest.raises(TrajectoryError, match=r"trajectory\.jsonl:4: not a JSON object"):
        read_trajectory(path)
