"""A live terminal view of a research run, fed by its progress events (used by the CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lyceum.research.progress import ProgressEvent


@dataclass
class LiveView:
    run_id: str = ""
    question: str = ""
    phase: str = ""
    round: int = 0
    sub_questions: dict[str, dict[str, Any]] = field(default_factory=dict)
    queries: int = 0
    passages: int = 0
    sources: set[str] = field(default_factory=set)
    usage: dict[str, Any] = field(default_factory=dict)
    verification: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    artifacts: list[str] = field(default_factory=list)

    def __call__(self, event: ProgressEvent) -> None:
        d = event.data
        if event.kind == "run":
            self.run_id, self.question, self.phase = d["run_id"], d["question"], d["phase"]
        elif event.kind == "phase":
            self.phase, self.round = d["phase"], d["round"]
        elif event.kind == "plan":
            for sq in d.get("sub_questions", []):
                self.sub_questions[sq["id"]] = {
                    "question": sq["question"],
                    "status": "planned",
                    "notes": 0,
                }
        elif event.kind == "gap":
            for sq in d.get("follow_ups", []):
                self.sub_questions[sq["id"]] = {
                    "question": "follow-up: " + ", ".join(sq["queries"]),
                    "status": "planned",
                    "notes": 0,
                }
        elif event.kind == "worker":
            row = self.sub_questions.setdefault(d["sub_question"], {"question": "", "notes": 0})
            row["status"] = d["status"]
            row["notes"] = d.get("notes", row["notes"])
        elif event.kind == "note":
            self.sub_questions.setdefault(d["sub_question"], {"question": "", "status": "running"})[
                "notes"
            ] = d["notes"]
        elif event.kind == "query":
            self.queries += 1
        elif event.kind == "passage":
            self.passages += 1
            self.sources.add(d["source"])
        elif event.kind == "usage":
            self.usage = d
        elif event.kind == "verdict":
            self.verification = d
        elif event.kind == "problem":
            self.problems.append(event.message)
        elif event.kind == "artifact":
            self.artifacts.append(event.message)
        elif event.kind == "done":
            self.phase = "done"

    def __rich__(self) -> Panel:
        plan = Table(box=None, expand=True, show_header=True, header_style="bold")
        plan.add_column("id", no_wrap=True)
        plan.add_column("sub-question")
        plan.add_column("status", no_wrap=True)
        plan.add_column("notes", justify="right")
        for sq_id, row in self.sub_questions.items():
            plan.add_row(
                sq_id, row.get("question", "")[:90], row.get("status", ""), str(row.get("notes", 0))
            )
        u = self.usage
        tokens = u.get("prompt_tokens", 0) + u.get("completion_tokens", 0)
        stats = Text(
            f"phase {self.phase or 'starting'} (round {self.round + 1})  ·  {self.queries} queries  ·  "
            f"{self.passages} passages from {', '.join(sorted(self.sources)) or '-'}  ·  "
            f"{u.get('calls', 0)} calls ({u.get('cached_calls', 0)} cached)  ·  {tokens} tokens  ·  "
            f"${u.get('cost_usd', 0.0):.4f}"
        )
        parts: list[Any] = [stats, plan]
        if self.verification:
            v = self.verification
            parts.append(
                Text(
                    f"claims checked {v['checked']}: {v['supported']} supported, {v['rewritten']} rewritten, {v['dropped']} dropped"
                )
            )
        if self.problems:
            parts.append(
                Text(
                    f"{len(self.problems)} degraded step(s); last: {self.problems[-1][:100]}",
                    style="yellow",
                )
            )
        return Panel(Group(*parts), title=f"research {self.run_id}", subtitle=self.question[:80])
