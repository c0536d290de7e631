"""Harvest: research trajectories and lab results become candidate examples with provenance.

From a research run's trajectory.jsonl:
- an SFT example (question -> report), quality = share of its checked sentences the
  verifier labelled supported;
- the writer's first drafts (`writer_skill`): the task is the draft's prompt (question,
  section, the cited notes); a draft the claim check supported as written is an SFT
  example, a draft it rejected and whose rewrite it supported a DPO pair (chosen =
  rewrite, rejected = draft). Drafts without notes or passages in the trajectory are
  skipped.

From a lab run's stored results:
- an SFT example per correct answer (question -> prediction), quality = the judge panel's
  rubric score when the run was judged, else the primary metric;
- a DPO example per example where one condition was correct and another was not;
- a DPO example per pairwise judgement whose judges' strict majority preferred one method's
  answer (quality = the share of judges in that majority);
- a DPO example per self-critique revision that fixed the answer: in the trace of a
  correct result, the first draft the critic rejected is the rejected output and the final
  revised answer the chosen one, provided the draft itself scores below the threshold (or,
  for a metric that needs the faithfulness scorer, differs from the final answer).

Every harvested example is synthetic; its generation depth is one more than that of the
data the production model was trained on (0 for a model never trained on outputs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lyceum.errors import NotFoundError
from lyceum.evolve.examples import CandidateExample
from lyceum.evolve.writer_skill import tasks_from_trajectory, training_examples
from lyceum.lab.datasets.base import Example
from lyceum.lab.methods.extraction import extract_answer
from lyceum.lab.metrics import METRICS, ScoringInput
from lyceum.lab.outputs import MethodOutput
from lyceum.lab.results import ExampleResult, get_run, load_results
from lyceum.research.trajectory import read_trajectory
from lyceum.store.db import Database
from lyceum.store.lab_tables import LabJudgementRow


def trajectory_files(paths: Iterable[Path]) -> list[Path]:
    """trajectory.jsonl files named directly or found under directories, sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(path.rglob("trajectory.jsonl"))
        elif path.exists():
            found.add(path)
        else:
            raise NotFoundError(f"no trajectory file or directory {path}")
    return sorted(found)


def harvest_trajectory(path: Path, *, depth: int = 1) -> list[CandidateExample]:
    """Candidate examples of one research run."""
    trajectory = read_trajectory(path)
    report_record = trajectory.report
    if not trajectory.of_type("question") or report_record is None:
        return []
    question = trajectory.question
    run_id = trajectory.run_id
    report = str(report_record.get("markdown", ""))
    checked = trajectory.of_type("verdict")
    out: list[CandidateExample] = []
    if report.strip() and checked:
        supported = sum(1 for s in checked if s.get("label") == "supported")
        out.append(
            CandidateExample(
                id=f"research:{run_id}:report",
                instruction=question,
                output=report,
                quality=supported / len(checked),
                source_run=run_id,
                synthetic=True,
                generation_depth=depth,
                source="research",
            )
        )
    for task in tasks_from_trajectory(trajectory):
        out.extend(training_examples(task, depth=depth))
    return out


def _rubric_scores(db: Database, run_id: str) -> dict[tuple[str, str], float]:
    """(subject, example id) -> mean rubric score of the run's judges."""
    with db.session() as session:
        rows = session.execute(
            select(
                LabJudgementRow.subject, LabJudgementRow.example_id, LabJudgementRow.score
            ).where(LabJudgementRow.run_id == run_id, LabJudgementRow.kind == "rubric")
        ).all()
    collected: dict[tuple[str, str], list[float]] = defaultdict(list)
    for subject, example_id, score in rows:
        if score is not None:
            collected[(subject, example_id)].append(float(score))
    return {k: sum(v) / len(v) for k, v in collected.items()}


def _pairwise_preferences(db: Database, run_id: str) -> list[tuple[str, str, str, str, float]]:
    """(dataset, example id, preferred method, other method, share of judges agreeing)."""
    with db.session() as session:
        rows = session.execute(
            select(
                LabJudgementRow.dataset,
                LabJudgementRow.example_id,
                LabJudgementRow.subject,
                LabJudgementRow.verdict,
            ).where(LabJudgementRow.run_id == run_id, LabJudgementRow.kind == "pairwise")
        ).all()
    votes: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for dataset, example_id, subject, verdict in rows:
        votes[(dataset, example_id, subject)].append(verdict)
    out = []
    for (dataset, example_id, subject), verdicts in sorted(votes.items()):
        method_a, _, method_b = subject.partition(" vs ")
        for winner, (preferred, other) in (
            ("A", (method_a, method_b)),
            ("B", (method_b, method_a)),
        ):
            share = verdicts.count(winner) / len(verdicts)
            if share > 0.5:
                out.append((dataset, example_id, preferred, other, share))
    return out


def rejected_draft(trace: list[dict[str, Any]]) -> str | None:
    """The first answer a self-critique trace's critic rejected, as the model wrote it, if
    the method then revised it; None otherwise.

    The trace is the model's calls and the method's notes in order: the first call is the
    draft; a `critique` note with `correct` false is followed by the revision call (the
    calls between them asked for the critique).
    """
    draft: str | None = None
    for i, step in enumerate(trace):
        if step.get("kind") == "call" and draft is None:
            draft = str(step.get("content", ""))
        elif step.get("kind") == "critique" and not (step.get("detail") or {}).get("correct"):
            revised = any(later.get("kind") == "call" for later in trace[i + 1 :])
            return draft if revised else None
    return None


def _draft_score(result: ExampleResult, draft: str, metric: str) -> float | None:
    """The run's metric on the draft answer; None when it cannot be scored offline."""
    entry = METRICS.get(metric)
    if entry.needs_faithfulness:
        return None
    example = Example(id=result.example_id, question=result.question, answers=result.gold)
    value = entry.fn(ScoringInput(example, MethodOutput(prediction=draft)))
    return float(value) if value is not None else None


def harvest_lab_run(db: Database, run_id: str, *, depth: int = 1) -> list[CandidateExample]:
    """Candidate examples of one experiment run."""
    run = get_run(db, run_id)
    metric = str((run.config.get("metrics") or ["exact_match"])[0])
    threshold = float(run.config.get("correct_threshold", 0.5))
    judged = _rubric_scores(db, run.id)
    results = [
        r for r in load_results(db, run.id, with_trace=True) if r.status == "done" and r.prediction
    ]

    def score(r: ExampleResult) -> float:
        value = r.scores.get(metric)
        return float(value) if value is not None else 0.0

    out: list[CandidateExample] = []
    for r in results:
        if score(r) < threshold:
            continue
        quality = judged.get((f"{r.dataset}/{r.model}/{r.method}", r.example_id), score(r))
        out.append(
            CandidateExample(
                id=f"lab:{run.id}:{r.dataset}:{r.model}:{r.method}:{r.example_id}",
                instruction=r.question,
                output=r.prediction,
                quality=min(1.0, max(0.0, quality)),
                source_run=run.id,
                synthetic=True,
                generation_depth=depth,
                source="lab",
            )
        )
    by_example: dict[tuple[str, str], list[ExampleResult]] = defaultdict(list)
    for r in results:
        by_example[(r.dataset, r.example_id)].append(r)
    for (dataset, example_id), group in sorted(by_example.items()):
        good = sorted((r for r in group if score(r) >= threshold), key=score, reverse=True)
        bad = [
            r
            for r in group
            if score(r) < threshold and r.prediction != (good[0].prediction if good else None)
        ]
        if not good or not bad:
            continue
        out.append(
            CandidateExample(
                id=f"lab:{run.id}:{dataset}:{example_id}:pair",
                kind="dpo",
                instruction=good[0].question,
                output=good[0].prediction,
                rejected=bad[0].prediction,
                quality=min(1.0, max(0.0, score(good[0]))),
                source_run=run.id,
                synthetic=True,
                generation_depth=depth,
                source="lab",
            )
        )
    for r in results:
        raw_draft = rejected_draft(r.trace) if score(r) >= threshold else None
        draft = extract_answer(raw_draft) if raw_draft else ""
        if not draft or draft == r.prediction:
            continue
        draft_score = _draft_score(r, draft, metric)
        if draft_score is not None and draft_score >= threshold:
            continue
        out.append(
            CandidateExample(
                id=f"lab:{run.id}:{r.dataset}:{r.model}:{r.method}:{r.example_id}:revision",
                kind="dpo",
                instruction=r.question,
                output=r.prediction,
                rejected=draft,
                quality=min(1.0, max(0.0, score(r))),
                source_run=run.id,
                synthetic=True,
                generation_depth=depth,
                source="lab",
            )
        )
    by_condition = {(r.dataset, r.example_id, r.method, r.model): r for r in results}
    models = sorted({r.model for r in results})
    for dataset, example_id, preferred, other, share in _pairwise_preferences(db, run.id):
        for model in models:
            good_r = by_condition.get((dataset, example_id, preferred, model))
            bad_r = by_condition.get((dataset, example_id, other, model))
            if good_r is None or bad_r is None or good_r.prediction == bad_r.prediction:
                continue
            out.append(
                CandidateExample(
                    id=f"lab:{run.id}:{dataset}:{model}:{example_id}:judged:{preferred}>{other}",
                    kind="dpo",
                    instruction=good_r.question,
                    output=good_r.prediction,
                    rejected=bad_r.prediction,
                    quality=share,
                    source_run=run.id,
                    synthetic=True,
                    generation_depth=depth,
                    source="lab",
                )
            )
    return out


def harvest(
    db: Database,
    *,
    trajectories: Iterable[Path] = (),
    lab_runs: Iterable[str] = (),
    depth: int = 1,
) -> list[CandidateExample]:
    """Candidates from research trajectories (files or directories) and lab runs, deduplicated
    by id, in a stable order."""
    out: dict[str, CandidateExample] = {}
    for path in trajectory_files(trajectories):
        for ex in harvest_trajectory(path, depth=depth):
            out.setdefault(ex.id, ex)
    for run_id in lab_runs:
        for ex in harvest_lab_run(db, run_id, depth=depth):
            out.setdefault(ex.id, ex)
    return list(out.values())
