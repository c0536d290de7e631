"""trajectory.jsonl: the whole run as records for the self-improvement loop — question,
plan, queries, passages, notes, every sentence with its verifier labels, and the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lyceum.research.citations import BibEntry, sentence_keys
from lyceum.research.state import ResearchState


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


def write_trajectory(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
