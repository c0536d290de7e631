"""Choosing the embedded model's thread count from what the rest of the machine uses."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from lyceum.llm.backends import local_threads
from lyceum.llm.backends.local_threads import LoadWatch, _busy_between, _Sample, choose_threads


@pytest.mark.parametrize(
    ("cores", "others", "threads"),
    [
        (2, 0.0, 2),  # quiet: every core
        (2, 0.4, 2),  # a little background noise does not cost a core
        (2, 0.6, 1),  # someone uses more than half a core: leave it to them
        (2, 2.0, 1),  # fully busy: one thread, never zero
        (2, 9.0, 1),
        (8, 3.2, 5),
        (1, 0.0, 1),
    ],
)
def test_threads_are_the_cores_nobody_else_uses(cores: int, others: float, threads: int) -> None:
    assert choose_threads(cores, others) == threads


def test_our_own_cpu_time_is_not_counted_as_competition() -> None:
    # 2 s of wall time: the machine was busy 1.9 core-seconds/s, 1.5 of them ours.
    hz = local_threads._CLK_TCK
    before = _Sample(at=0.0, machine=0, own=0)
    after = _Sample(at=2.0, machine=int(3.8 * hz), own=int(3.0 * hz))
    assert _busy_between(before, after) == pytest.approx(0.4, abs=0.02)


def test_a_busy_loop_is_seen_as_one_core_taken() -> None:
    loop = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        busy = local_threads.others_busy_cores(0.5)
    finally:
        loop.kill()
        loop.wait()
    # The machine is shared with other work, so only the lower bound is certain.
    assert busy >= 0.7


def test_the_watch_answers_only_after_its_interval() -> None:
    watch = LoadWatch(min_interval_s=0.2)
    assert watch.check() is None
    time.sleep(0.25)
    threads = watch.check()
    assert threads is not None and 1 <= threads <= local_threads.cores()
    assert watch.check() == threads  # too soon again: the last answer stands
