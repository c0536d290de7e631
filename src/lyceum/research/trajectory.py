"""trajectory.jsonl: the whole run as records for the self-improvement loop — question,
plan, queries, passages, notes, every sentence with its verifier labels, and the report.

`write_trajectory` writes it at the end of a run; `read_trajectory` is how everything else
(evolve's harvest, writer tasks and prompt evolution) reads it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from lyceum.errors import LyceumError
from lyceum.jsonl import read_jsonl
from lyceum.research.citations import BibEntry, sentence_keys
from lyceum.research.state import ResearchState

RecordType = Literal[
    "question", "plan", "query", "passage", "note", "gap", "verdict", "hypothesis", "report"
]


class TrajectoryError(LyceumError):
    """A line of a trajectory.jsonl is not a JSON object."""


def trajectory_records(
    state: ResearchState, bibliography: list[BibEntry], note_keys: dict[str, str], report_md: str
) -> list[dict[str, Any]]:
    assert state.plan is not None
    run = state.run_id
    records: list[dict[str, Any]] = [
        {"type": "question", "run_id": run, "question": state.question},
        {
            "type": "plan",
            "run_id": run,
            **state.plan.model_dump(mode="json"),
            "episodes_offered": state.episodes_offered,
        },
    ]
    records += [
        {"type": "query", "run_id": run, **q.model_dump(mode="json")} for q in state.queries
    ]
    records += [
        {"type": "passage", "run_id": run, **p.model_dump(mode="json")}
        for p in sorted(state.passages.values(), key=lambda p: p.id)
    ]
    records += [{"type": "note", "run_id": run, **n.model_dump(mode="json")} for n in state.notes]
    records += [{"type": "gap", "run_id": run, **g.model_dump(mode="json")} for g in state.gaps]
    for section in state.sections:
        for s in section.sentences:
            records.append(
                {
                    "type": "verdict" if s.kind == "fact" and s.notes else "hypothesis",
                    "run_id": run,
                    "section": section.title,
                    "text": s.text,
                    "draft_text": s.draft_text,
                    "drafted_by": s.drafted_by,
                    "notes": s.notes,
                    "keys": sentence_keys(s, note_keys),
                    "status": s.status,
                    "confidence": s.confidence,
                    "draft_label": (s.draft_verdict or {}).get("verdict"),
                    "label": (s.verdict or {}).get("verdict"),
                    "draft_verdict": s.draft_verdict,
                    "verdict": s.verdict,
                }
            )
    records.append(
        {
            "type": "report",
            "run_id": run,
            "markdown": report_md,
            "references": [e.model_dump(mode="json") for e in bibliography],
            "verification": state.verification.model_dump() if state.verification else None,
            "usage": state.meter.model_dump(),
            "problems": state.problems,
        }
    )
    return records


def drafted_by_model(record: dict[str, Any]) -> bool:
    """Whether a verdict record's draft is the writer model's, not a note's quote that code
    wrote (trajectories from before `drafted_by` was recorded count as the model's)."""
    return record.get("drafted_by") != "code"


def write_trajectory(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class Trajectory:
    """The records of one run's trajectory.jsonl, in the order they were written."""

    path: Path
    records: list[dict[str, Any]]

    def of_type(self, kind: RecordType) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("type") == kind]

    def by_id(self, kind: RecordType) -> dict[str, dict[str, Any]]:
        """The records of `kind` (notes, passages) by their `id`."""
        return {str(r.get("id")): r for r in self.of_type(kind)}

    @property
    def question(self) -> str:
        """The run's question ("" for a file without a question record)."""
        first = self.of_type("question")[:1]
        return str(first[0].get("question", "")) if first else ""

    @property
    def run_id(self) -> str:
        first = self.of_type("question")[:1]
        return str(first[0].get("run_id", "")) if first else ""

    @property
    def report(self) -> dict[str, Any] | None:
        """The last report record, or None for a run that wrote none."""
        reports = self.of_type("report")
        return reports[-1] if reports else None


def read_trajectory(path: Path) -> Trajectory:
    """The trajectory `write_trajectory` wrote to `path`. A line that is not a JSON object
    is a `TrajectoryError` naming `file:line`."""
    rows = read_jsonl(
        path, error=TrajectoryError, hint="A trajectory.jsonl is written by 'lyceum research'."
    )
    return Trajectory(path=Path(path), records=[row.value for row in rows])
