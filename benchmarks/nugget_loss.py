"""Where the research reports lose the nuggets and the relevant articles they miss.

    python benchmarks/nugget_loss.py RESULTS.json [RESULTS.json ...] [--out F]

Each RESULTS.json is a result of `benchmarks/research.py quality`; each report's `out_dir`
holds its `state.json`. For every nugget of every question (`questions.jsonl`, written by
hand from the collection), the first stage of the run that holds a sentence matching the
nugget's keys (`quality_metrics.nugget_matches`, the benchmark's own matching), from the
last stage back:

- `printed`: a cited sentence of the report;
- `dropped_focus`: a checked sentence the focus cut dropped (`focus_cut`, verdict off_topic
  with a focus);
- `dropped_draft`: a drafted sentence the report's relevance bar or a part's kind turned
  away before the check (draft verdict off_topic);
- `dropped_other`: a sentence dropped for another reason (unsupported, a duplicate, a
  part declared);
- `noted`: a note (evidence taken from a passage) that no section sentence quotes;
- `read`: a passage read holds it, but no note took it;
- `not_read`: no passage read holds it (its article unread, or read only in part).

And per question, how many of its relevant articles (those its nuggets are in) the run read
and cited, and whether citing every relevant article it read, or every one it holds a
checked sentence of (before the focus cut), would reach the benchmark's target of min(4,
held) cited. Keys are a proxy (a sentence can match a nugget's keys and state something
else), so the counts are an upper bound on what each stage costs. Results:
benchmarks/results/nugget_loss.json.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import provenance
from quality_metrics import Question, load_questions, nugget_matches

from lyceum.research.state import ResearchState, Sentence

ROOT = Path(__file__).parent
RESULTS = ROOT / "results" / "nugget_loss.json"
STAGES = (
    "printed",
    "dropped_focus",
    "dropped_draft",
    "dropped_other",
    "noted",
    "read",
    "not_read",
)
WANTED_DOCUMENTS = 4
"""The issue's target: at least this many distinct documents cited when the collection holds
them (the quality benchmark's `reports_citing_enough_documents`)."""


def _dropped_stage(sentence: Sentence) -> str:
    verdict = sentence.verdict or {}
    if verdict.get("verdict") == "off_topic" and "focus" in verdict:
        return "dropped_focus"
    if sentence.verdict is None and (sentence.draft_verdict or {}).get("verdict") == "off_topic":
        return "dropped_draft"
    return "dropped_other"


def _sentences(state: ResearchState) -> list[Sentence]:
    """Every sentence of the report's sections and its short answer, in that order."""
    return [s for sec in state.sections for s in sec.sentences] + list(state.short_answer)


def nugget_stage(state: ResearchState, keys: list[list[str]]) -> str:
    """The last stage of the run at which a sentence matching `keys` is still held."""
    sentences = _sentences(state)
    matching = [s for s in sentences if nugget_matches(keys, s.text)]
    if any(s.status == "supported" for s in matching):
        return "printed"
    for stage in ("dropped_focus", "dropped_draft", "dropped_other"):
        if any(s.status == "dropped" and _dropped_stage(s) == stage for s in matching):
            return stage
    if any(nugget_matches(keys, n.claim) or nugget_matches(keys, n.quote) for n in state.notes):
        return "noted"
    if any(nugget_matches(keys, p.text) for p in state.passages.values()):
        return "read"
    return "not_read"


def report_rows(question: Question, state: ResearchState) -> dict[str, Any]:
    """The question's nuggets by stage, and its relevant articles read, checked and cited."""
    stages = Counter(nugget_stage(state, n.keys) for n in question.nuggets)
    relevant = set(question.relevant_articles)
    read = {p.title for p in state.passages.values()} & relevant
    sentences = _sentences(state)
    cited = {state.source_title(s) for s in sentences if s.status == "supported"} & relevant
    checked = {
        state.source_title(s)
        for s in sentences
        if s.status == "supported" or (s.verdict or {}).get("verdict") == "off_topic"
    } & relevant
    wanted = min(WANTED_DOCUMENTS, len(relevant))
    return {
        "id": question.id,
        "nuggets": len(question.nuggets),
        "stages": {stage: stages.get(stage, 0) for stage in STAGES},
        "relevant_articles": len(relevant),
        "relevant_read": len(read),
        "relevant_checked": len(checked),
        "relevant_cited": len(cited),
        "enough_cited": len(cited) >= wanted,
        "enough_if_checked_cited": len(checked) >= wanted,
        "enough_if_read_cited": len(read) >= wanted,
        "not_read": sorted(relevant - read),
    }


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    stages = Counter[str]()
    for row in rows:
        stages.update(row["stages"])
    return {
        "reports": len(rows),
        "nuggets": sum(r["nuggets"] for r in rows),
        "stages": {stage: stages.get(stage, 0) for stage in STAGES},
        "relevant_articles": sum(r["relevant_articles"] for r in rows),
        "relevant_read": sum(r["relevant_read"] for r in rows),
        "relevant_checked": sum(r["relevant_checked"] for r in rows),
        "relevant_cited": sum(r["relevant_cited"] for r in rows),
        "reports_citing_enough": sum(r["enough_cited"] for r in rows),
        "reports_enough_if_checked_cited": sum(r["enough_if_checked_cited"] for r in rows),
        "reports_enough_if_read_cited": sum(r["enough_if_read_cited"] for r in rows),
    }


def analyse(results: Path) -> dict[str, Any]:
    questions = {q.id: q for q in load_questions()}
    data = json.loads(results.read_text())
    rows = []
    for report in data["questions"]:
        state = ResearchState.model_validate_json(
            (Path(report["out_dir"]) / "state.json").read_text()
        )
        rows.append(report_rows(questions[report["id"]], state))
    split = data["settings"]["split"]
    out = {"results": str(results), "split": split, "git": data.get("git"), "totals": totals(rows)}
    print(f"{split}: {json.dumps(out['totals'])}")
    return out | {"reports": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, nargs="+", help="research.py quality results")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    load = os.getloadavg()
    runs = [analyse(path) for path in args.results]
    provenance.write(args.out, load, runs=runs)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
