"""The CLI renders counted work's progress events as lines when stderr is piped."""

from __future__ import annotations

import pytest

from lyceum.cli.progress import LineProgress
from lyceum.progress import advance, finish, start


def test_lines_come_once_per_tenth_and_when_a_task_ends(capsys: pytest.CaptureFixture) -> None:
    lines = LineProgress()
    lines(start("clean", 20))
    for _ in range(20):
        lines(advance("clean", 1))
    lines(finish("clean", total=20))
    lines(start("dedup", 5))
    lines(finish("dedup", "reused", total=5))
    printed = capsys.readouterr().err.splitlines()
    assert printed[0] == "clean: 2/20" and printed[-2] == "clean: 20/20 done"
    assert len(printed) == 9 + 2  # 2, 4, ..., 18 of 20; then the two ends
    assert printed[-1] == "dedup: 5/5 done (reused)"


def test_a_task_whose_total_comes_later_counts_up_to_it(capsys: pytest.CaptureFixture) -> None:
    lines = LineProgress()
    lines(start("embed papers", None))
    lines(start("embed papers", 10))
    lines(advance("embed papers", 10))
    lines(finish("embed papers"))
    assert capsys.readouterr().err.splitlines() == ["embed papers: 10/10 done"]
