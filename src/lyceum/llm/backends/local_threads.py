"""How many CPU threads a compute kernel (llama.cpp, torch) should use right now.

Measured on a 2-core machine (benchmarks/local_model.py, results in
benchmarks/results/local_model_threads.json): with the machine quiet, 2 threads decode
Qwen2.5-0.5B 1.7x faster than 1 and prefill 1.8-2.0x faster; with one busy-loop process
per core, 2 threads decode 0.2 tok/s against 2-3 on 1 thread, 10x slower. The threads
wait for each other at every layer, so one preempted thread stalls them all; llama.cpp's
`poll = 0` (sleep instead of spin while waiting) did not change that.

So the default is not a fixed number: use every core whose time nobody else is using.
"Nobody else" is measured, not guessed: the CPU time the whole machine spent busy
(/proc/stat) minus this process's own (/proc/self/stat) over a short window, so our own
threads never count as competition. Where /proc is missing, the 1-minute load average
stands in (it includes our own work, so it errs towards fewer threads).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _machine_busy_ticks() -> int | None:
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    values = [int(v) for v in fields[1:]]
    # user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
    return sum(values) - values[3] - (values[4] if len(values) > 4 else 0)


def _own_ticks() -> int | None:
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            stat = f.read()
    except OSError:
        return None
    # The command name may hold spaces and parentheses; fields restart after the last ')'.
    rest = stat.rsplit(")", 1)[-1].split()
    return int(rest[11]) + int(rest[12])  # utime + stime


@dataclass
class _Sample:
    at: float
    machine: int
    own: int


def others_busy_cores(window_s: float = 0.25) -> float:
    """Cores' worth of CPU time other processes used over the last `window_s` seconds."""
    first = _sample()
    if first is None:
        return max(0.0, os.getloadavg()[0]) if hasattr(os, "getloadavg") else 0.0
    time.sleep(window_s)
    second = _sample()
    assert second is not None
    return _busy_between(first, second)


def _sample() -> _Sample | None:
    machine, own = _machine_busy_ticks(), _own_ticks()
    if machine is None or own is None:
        return None
    return _Sample(time.monotonic(), machine, own)


def _busy_between(a: _Sample, b: _Sample) -> float:
    elapsed = b.at - a.at
    if elapsed <= 0:
        return 0.0
    other_ticks = (b.machine - a.machine) - (b.own - a.own)
    return max(0.0, other_ticks / _CLK_TCK / elapsed)


def choose_threads(n_cores: int, others_busy: float) -> int:
    """Every core nobody else is using, at least one.

    A core counts as taken once others use more than half of it: a second thread on a
    half-taken core is preempted often enough to stall its partners.
    """
    return max(1, min(n_cores, int(n_cores - others_busy + 0.5)))


def threads_now(window_s: float = 0.25) -> int:
    """`choose_threads` for this machine as it is at this moment."""
    return choose_threads(cores(), others_busy_cores(window_s))


class LoadWatch:
    """Cheap, non-blocking re-reading of `others_busy_cores` between calls.

    Each `check()` compares against the previous one, so the window is the time between
    checks (never less than `min_interval_s`, else the last answer is repeated).
    """

    def __init__(self, min_interval_s: float = 20.0) -> None:
        self.min_interval_s = min_interval_s
        self._last = _sample()
        self._answer: int | None = None

    def check(self) -> int | None:
        """Threads to use now, or None when it is too early or /proc is unreadable."""
        now = _sample()
        if now is None or self._last is None:
            return None
        if now.at - self._last.at < self.min_interval_s:
            return self._answer
        self._answer = choose_threads(cores(), _busy_between(self._last, now))
        self._last = now
        return self._answer
