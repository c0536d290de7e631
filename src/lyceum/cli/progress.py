"""The CLI's rendering of `lyceum.progress` events: counted work (start / advance / finish
per task) as a rich bar per task on a terminal or `task: done/total` lines when stderr is
piped; training and the evolve loop as one line per message. Research's live view is
rendered by its command."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from lyceum.cli.console import console, is_piped
from lyceum.progress import ProgressEvent


class BarProgress:
    """A progress callback that draws one bar per task, with the latest note beside it.

    Used as a context manager around the work. A task whose total is known and below
    `min_total` gets no bar (a few files ingest faster than a bar draws)."""

    def __init__(self, *, min_total: int = 0) -> None:
        self.min_total = min_total
        self._bar = Progress(
            TextColumn("{task.description:>8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[note]}"),
            console=console(stderr=True),
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> BarProgress:
        self._bar.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._bar.__exit__(kind, error, trace)

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind == "start":
            if event.task in self._tasks:
                self._bar.update(self._tasks[event.task], total=event.total)
            elif event.total is None or event.total >= self.min_total:
                self._tasks[event.task] = self._bar.add_task(
                    escape(event.task), total=event.total, note=""
                )
            return
        task = self._tasks.get(event.task)
        if task is None:
            return
        if event.kind == "advance":
            self._bar.advance(task, event.n)
            if event.message:
                self._bar.update(task, note=escape(event.message[-60:]))
        elif event.kind == "finish":
            label = f"{event.task} ({event.message})" if event.message else event.task
            done = next(t.completed for t in self._bar.tasks if t.id == task)
            total = event.total if event.total is not None else int(done)
            self._bar.update(
                task, description=escape(label), total=total or 1, completed=total or 1, note=""
            )


class LineProgress:
    """A progress callback for a piped stderr: `task: done/total` once per tenth of a task,
    and `task: total/total done` when it ends, instead of a bar a log cannot show."""

    def __init__(self) -> None:
        self._state: dict[str, dict[str, Any]] = {}

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind == "start":
            total = event.total
            self._state[event.task] = {
                "total": total,
                "done": self._state.get(event.task, {}).get("done", 0),
                "next_at": max(1, (total or 0) // 10),
            }
        elif event.kind == "advance" and event.task in self._state:
            s = self._state[event.task]
            s["done"] += event.n
            total = s["total"]
            if total and s["done"] >= s["next_at"] and s["done"] < total:
                _print(f"{event.task}: {s['done']}/{total}")
                s["next_at"] = s["done"] + max(1, total // 10)
        elif event.kind == "finish":
            s = self._state.pop(event.task, {})
            total = event.total if event.total is not None else s.get("total") or s.get("done", 0)
            note = f" ({event.message})" if event.message else ""
            _print(f"{event.task}: {total}/{total} done{note}")


class MessageLines:
    """A progress callback that prints each event's message to stderr as a line (the
    trainer's `step N/M loss … ETA`, the evolve loop's `[stage] {result}`)."""

    def __call__(self, event: ProgressEvent) -> None:
        if event.message:
            _print(event.message)


def _print(line: str) -> None:
    console(stderr=True).print(escape(line))


def progress_for_stderr(*, min_total: int = 0) -> BarProgress | LineProgress:
    """Bars on a terminal, lines when stderr is piped."""
    return LineProgress() if is_piped(stderr=True) else BarProgress(min_total=min_total)
