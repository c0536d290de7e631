"""Deep research on the embedded model: wall time, calls and tokens per report, the speed-up
of parallel workers over one worker, and report quality measured independently of the
pipeline's own claim check.

    python benchmarks/research.py speed   [--workspace WS] [--collection NAME] [--n 2]
                                          [--base 3336733] [--base-tree /tmp/speed-base]
    python benchmarks/research.py quality --workspace WS [--split dev|test|all] [--ids q1,q2]
                                          [--limit N] [--out DIR] [--labels PATH] [--in-place]

`speed`: the same questions researched by this code and by the commit `--base` (from a git
worktree), interleaved, same budgets and collection: wall time, calls, tokens, prompt
tokens the embedded model reused from its KV cache (see benchmarks/research_speed.py).
Without `--workspace` the small real corpus of the tests is ingested into a temporary one.
Results: benchmarks/results/research_speed.json.

`quality`: runs the hand-read questions of benchmarks/data/research_quality/questions.jsonl
in order, in one workspace (a copy of `--workspace` holding the wikipedia collection, unless
`--in-place`), with memory on and the workspace's default research settings, as a user
asking several questions in a row would. Each report lands in DIR/<id>/ with its cited
sentences (cited.jsonl). Per report and in total it measures, with the functions of
benchmarks/quality_metrics.py: documents read and cited, wall time, model calls, tokens;
hand-label precision (cited sentences labelled supported, on topic and standalone in
labels.jsonl) and how often the pipeline called a hand-labelled unsupported sentence
supported; nugget recall (a sentence hand-labelled unsupported states no nugget); question
parts answered or declared not covered; sentences opening with a pronoun or connective that
points outside them; near-duplicate sentence pairs; template headings. Cited sentences without a label go to DIR/unlabelled.jsonl, to be labelled.
Results: benchmarks/results/research_quality.json (or --results).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import quality_metrics as qm
from pydantic import BaseModel

from lyceum.config import GatewaySettings, Settings, load_settings
from lyceum.llm.backend_config import LocalBackendConfig  # also the base commit's path (speed)
from lyceum.research import ResearchSettings, run_research
from lyceum.research.citations import cited_sentences
from lyceum.research.settings import research_settings
from lyceum.research.state import ResearchState
from lyceum.research.verify import ClaimScorer
from lyceum.sources.base import Hit, Source

RESULTS = Path(__file__).parent / "results" / "research_quality.json"

CORPUS = Path(__file__).parents[1] / "tests/research/data/corpus"
QUESTIONS = [
    "How do plants turn sunlight into chemical energy?",
    "What causes earthquakes and volcanoes?",
    "How do vaccines train the immune system?",
    "How did penicillin change the treatment of bacterial infections?",
    "What happens when a massive star collapses?",
]


class CachedSource:
    """Serves repeated queries from memory, so timed runs measure the pipeline, not search."""

    def __init__(self, inner: Source) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[tuple[str, int], list[Hit]] = {}

    async def search(self, query: str, k: int = 10) -> list[Hit]:
        key = (query, k)
        if key not in self._cache:
            self._cache[key] = await self.inner.search(query, k)
        return self._cache[key]

    def __len__(self) -> int:
        return len(self._cache)


def settings_for(ws: Path, db_dir: Path, slots: int) -> Settings:
    """`ws`'s corpus, a fresh database in `db_dir`, no exact cache, `slots` decoding slots."""
    base = load_settings(ws)
    return load_settings(
        ws,
        models={
            "local": LocalBackendConfig(n_parallel=slots, max_concurrency=slots, timeout_s=900)
        },
        gateway=GatewaySettings(exact_cache=False),
        store={"url": f"sqlite:///{db_dir / 'bench.db'}"},
        sections=base.sections,
    )


async def one_run(
    question: str,
    settings: Settings,
    config: ResearchSettings,
    sources: list[Source],
    out: Path,
    scorer: ClaimScorer | None = None,
) -> dict[str, float]:
    t0 = time.perf_counter()
    result = await run_research(
        question, out_dir=out, settings=settings, config=config, sources=sources, scorer=scorer
    )
    wall = time.perf_counter() - t0
    m = result.state.meter
    v = result.state.verification
    finals = cited_sentences(result.state)
    statements = [
        s for sec in result.state.sections for s in sec.sentences if s.status != "dropped"
    ]
    return {
        "wall_s": wall,
        "calls": m.calls,
        "prompt_tokens": m.prompt_tokens,
        "completion_tokens": m.completion_tokens,
        "checked": v.checked if v else 0,
        "supported": v.supported if v else 0,
        "rewritten": v.rewritten if v else 0,
        "dropped": v.dropped if v else 0,
        "statements": len(statements),
        "cited": len(finals),
        "final_supported": sum(
            1 for s in finals if (s.verdict or {}).get("verdict") == "supported"
        ),
        "pdf": float("pdf" in result.files),
        "problems": len(result.state.problems),
    }


class ReportScore(BaseModel):
    """The independent measures of one report (see benchmarks/quality_metrics.py)."""

    id: str
    question: str
    split: str
    out_dir: str
    wall_s: float
    elapsed_s: float
    calls: int
    cached_calls: int
    prompt_tokens: int
    completion_tokens: int
    documents_read: int
    documents_cited: int
    cited: int
    uncited_statements: int
    cited_in_relevant_articles: int
    # The "at least 4 distinct documents cited when the collection holds them":
    # the relevant articles the question's list names (written by reading the collection),
    # and how many of them the report cites.
    relevant_documents: int = 0
    relevant_documents_cited: int = 0
    nuggets: int
    nuggets_found: list[int]
    parts: list[qm.PartOutcome]
    not_covered: list[str]
    headings: list[str]
    template_headings: list[tuple[str, str]]
    dangling_openings: list[str]
    near_duplicates: list[tuple[str, str, float]]
    labels: qm.LabelStats
    # The short answer is what a reader reads first: its sentences' hand labels (each is a
    # copy of a body sentence, so `labels` counts it once as well).
    short_answer: qm.LabelStats = qm.LabelStats()
    problems: list[str]
    pdf: bool


DOCUMENTS_WANTED = (
    4  # issue #12: "at least 4 distinct documents cited when the collection holds them"
)


def cited_rows(
    state: ResearchState, question_id: str, *, short_answer_only: bool = False
) -> list[qm.CitedRow]:
    """The cited sentences a reader sees, in report order (short answer first when the
    state has one), each with the text of the passages its notes quote; with
    `short_answer_only`, those of the short answer."""
    sentences = list(getattr(state, "short_answer", None) or [])
    if not short_answer_only:
        sentences += [s for sec in state.sections if not sec.covered_above for s in sec.sentences]
    rows: list[qm.CitedRow] = []
    seen: set[str] = set()
    notes = {n.id: n for n in state.notes}
    for s in sentences:
        if s.kind != "fact" or s.status == "dropped" or s.text.strip().lower() in seen:
            continue
        cited = [notes[n] for n in s.notes if n in notes and notes[n].passage_id in state.passages]
        if not cited:
            continue
        seen.add(s.text.strip().lower())
        passages = [state.passages[n.passage_id] for n in cited]
        passage = "\n\n".join(dict.fromkeys(p.text for p in passages))
        rows.append(
            qm.CitedRow(
                key=qm.label_key(s.text, passage),
                question_id=question_id,
                claim=s.text,
                passage=passage,
                title=" | ".join(dict.fromkeys(p.title for p in passages)),
                documents=list(dict.fromkeys(p.document_key for p in passages)),
                quote=" | ".join(n.quote for n in cited),
                pipeline_verdict=(s.verdict or {}).get("verdict"),
                status=s.status,
            )
        )
    return rows


def score_report(
    q: qm.Question,
    state: ResearchState,
    report_md: str,
    labels: dict[str, qm.Label],
    *,
    wall_s: float,
    out_dir: Path,
    pdf: bool,
) -> tuple[ReportScore, list[qm.CitedRow]]:
    rows = cited_rows(state, q.id)
    claims = [r.claim for r in rows]
    found = sorted(
        {i for r in rows for i in qm.stated_nuggets(q, r.claim, qm.find_label(labels, r))}
    )
    not_covered = list(getattr(state, "not_covered", None) or qm.parse_not_covered(report_md))
    labelled_parts = [
        p
        for r in rows
        if (lab := qm.find_label(labels, r)) is not None and lab.good
        for p in lab.parts
    ]
    headings = qm.section_headings(report_md)
    relevant = set(q.relevant_articles)
    m = state.meter
    score = ReportScore(
        id=q.id,
        question=q.question,
        split=q.split,
        out_dir=str(out_dir),
        wall_s=round(wall_s, 1),
        elapsed_s=round(state.elapsed_s, 1),
        calls=m.calls,
        cached_calls=m.cached_calls,
        prompt_tokens=m.prompt_tokens,
        completion_tokens=m.completion_tokens,
        documents_read=len({p.document_key for p in state.passages.values()}),
        documents_cited=len({d for r in rows for d in r.documents}),
        cited=len(rows),
        uncited_statements=sum(
            1
            for sec in state.sections
            if not sec.covered_above
            for st in sec.sentences
            if st.status != "dropped" and (st.kind == "hypothesis" or not st.notes)
        ),
        cited_in_relevant_articles=sum(1 for r in rows if relevant & set(r.title.split(" | "))),
        relevant_documents=len(relevant),
        relevant_documents_cited=len(relevant & {t for r in rows for t in r.title.split(" | ")}),
        nuggets=len(q.nuggets),
        nuggets_found=found,
        parts=qm.part_outcomes(q, found, not_covered, labelled_parts),
        not_covered=not_covered,
        headings=headings,
        template_headings=[(h, why) for h in headings if (why := qm.template_heading(h))],
        dangling_openings=[c for c in claims if qm.dangling_opening(c)],
        near_duplicates=[(claims[i], claims[j], sim) for i, j, sim in qm.near_duplicates(claims)],
        labels=qm.label_stats(rows, labels),
        short_answer=qm.label_stats(cited_rows(state, q.id, short_answer_only=True), labels),
        problems=list(state.problems),
        pdf=pdf,
    )
    return score, rows


def totals(scores: list[ReportScore]) -> dict[str, Any]:
    """Sums over the reports and the ratios the table reports."""
    labels = qm.LabelStats()
    short = qm.LabelStats()
    for s in scores:
        labels = labels.add(s.labels)
        short = short.add(s.short_answer)
    parts = [p for s in scores for p in s.parts]
    answerable = [p for p in parts if p.answerable]
    unanswerable = [p for p in parts if not p.answerable]
    cited = sum(s.cited for s in scores)
    headings = sum(len(s.headings) for s in scores)

    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 3) if b else None

    return {
        "reports": len(scores),
        "wall_s": round(sum(s.wall_s for s in scores), 1),
        "calls": sum(s.calls for s in scores),
        "tokens": sum(s.prompt_tokens + s.completion_tokens for s in scores),
        "documents_read": sum(s.documents_read for s in scores),
        "documents_cited": sum(s.documents_cited for s in scores),
        "cited": cited,
        "uncited_statements": sum(s.uncited_statements for s in scores),
        "labelled": labels.labelled,
        "unlabelled": cited - labels.labelled,
        "hand_precision": ratio(labels.good, labels.labelled),
        "hand_supported": ratio(labels.supported, labels.labelled),
        "hand_on_topic": ratio(labels.on_topic, labels.labelled),
        "off_topic_rate": ratio(labels.labelled - labels.on_topic, labels.labelled),
        "unrelated_topic_sentences": labels.unrelated,
        "off_topic_unclassified": labels.off_topic_unclassified,
        "hand_standalone": ratio(labels.standalone, labels.labelled),
        "short_answer_sentences": short.cited,
        "short_answer_labelled": short.labelled,
        "short_answer_precision": ratio(short.good, short.labelled),
        "short_answer_on_topic": ratio(short.on_topic, short.labelled),
        "pipeline_supported_of_labelled": ratio(labels.pipeline_supported, labels.labelled),
        "labelled_unsupported": labels.unsupported,
        "false_supported": labels.false_supported,
        "false_supported_rate": ratio(labels.false_supported, labels.unsupported),
        "nuggets": sum(s.nuggets for s in scores),
        "nuggets_found": sum(len(s.nuggets_found) for s in scores),
        "nugget_recall": ratio(
            sum(len(s.nuggets_found) for s in scores), sum(s.nuggets for s in scores)
        ),
        "parts": len(parts),
        "answerable_parts_answered": ratio(sum(p.answered for p in answerable), len(answerable)),
        "parts_answered_or_declared": ratio(sum(p.addressed for p in parts), len(parts)),
        "unanswerable_parts_declared": ratio(
            sum(p.declared for p in unanswerable), len(unanswerable)
        ),
        "answerable_parts_declared": ratio(sum(p.declared for p in answerable), len(answerable)),
        "dangling_check_vs_labels": {
            "flagged": labels.dangling_flagged,
            "flagged_and_labelled_not_standalone": labels.dangling_flagged_not_standalone,
            "labelled_not_standalone": labels.not_standalone,
        },
        "dangling_openings": sum(len(s.dangling_openings) for s in scores),
        "dangling_rate": ratio(sum(len(s.dangling_openings) for s in scores), cited),
        "near_duplicate_pairs": sum(len(s.near_duplicates) for s in scores),
        "headings": headings,
        "template_headings": sum(len(s.template_headings) for s in scores),
        "template_heading_rate": ratio(sum(len(s.template_headings) for s in scores), headings),
        "cited_in_relevant_articles": ratio(
            sum(s.cited_in_relevant_articles for s in scores), cited
        ),
        "relevant_documents_cited": sum(s.relevant_documents_cited for s in scores),
        "relevant_documents_wanted": sum(
            min(DOCUMENTS_WANTED, s.relevant_documents) for s in scores
        ),
        "reports_citing_enough_documents": ratio(
            sum(enough_documents(s) for s in scores), len(scores)
        ),
    }


def enough_documents(s: ReportScore) -> bool:
    """The report cites `DOCUMENTS_WANTED` of the question's relevant articles, or all of
    them when the collection holds fewer."""
    return s.relevant_documents_cited >= min(DOCUMENTS_WANTED, s.relevant_documents)


def bench_workspace(ws: Path, in_place: bool, copy_to: Path | None) -> Path:
    """The workspace the runs write to: a copy of `ws` (its memory collections and database
    change as questions are researched) unless `in_place`."""
    if in_place:
        return ws
    dest = copy_to or ws.parent / f"bench-{time.strftime('%Y%m%d-%H%M%S')}"
    if dest.exists():
        raise SystemExit(f"{dest} exists; pass another --copy-to or remove it")
    shutil.copytree(ws, dest, symlinks=True)
    return dest


def git_commit() -> dict[str, Any]:
    root = Path(__file__).parents[1]

    def git(*cmd: str) -> str:
        done = subprocess.run(["git", *cmd], cwd=root, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "src").splitlines()
    return {"commit": git("rev-parse", "HEAD"), "src_changes_uncommitted": len(changed)}


async def quality(args: argparse.Namespace) -> None:
    if args.workspace is None:
        raise SystemExit("quality needs --workspace: a workspace holding the wikipedia collection")
    questions = qm.select_questions(
        qm.load_questions(),
        split=args.split,
        ids=[i.strip() for i in args.ids.split(",") if i.strip()] if args.ids else None,
        limit=args.limit,
    )
    labels = qm.load_labels(args.labels)
    ws = bench_workspace(args.workspace, args.in_place, args.copy_to)
    settings = load_settings(ws)
    config = research_settings(settings)
    if args.no_pdf:
        config = config.with_overrides(compile_pdf=False)
    print(f"workspace: {ws}; {len(questions)} questions; {len(labels)} labels", flush=True)
    load_before = os.getloadavg()
    scores: list[ReportScore] = []
    all_rows: list[qm.CitedRow] = []
    for q in questions:
        out = (args.out / q.id).resolve()
        t0 = time.perf_counter()
        result = await run_research(q.question, out_dir=out, settings=settings, config=config)
        wall = time.perf_counter() - t0
        report = result.files.get("report")
        report_md = report.read_text("utf-8") if report else ""
        score, rows = score_report(
            q, result.state, report_md, labels, wall_s=wall, out_dir=out, pdf="pdf" in result.files
        )
        qm.write_jsonl(out / "cited.jsonl", rows)
        (out / "state.json").write_text(result.state.model_dump_json(), "utf-8")
        run = {"wall_s": wall, "pdf": "pdf" in result.files}
        (out / "run.json").write_text(json.dumps(run), "utf-8")
        scores.append(score)
        all_rows += rows
        print(_row(score), flush=True)
        # Written after every report, so a run stopped half-way keeps what it measured.
        summary = write_results(args, ws, config, scores, all_rows, labels, load_before)
    _print_table(scores, summary, args, load_before)


async def rescore(args: argparse.Namespace) -> None:
    """Scores the reports already in --out again (after new labels), without re-running."""
    questions = qm.select_questions(
        qm.load_questions(),
        split="all",
        ids=[i.strip() for i in args.ids.split(",") if i.strip()] if args.ids else None,
    )
    labels = qm.load_labels(args.labels)
    previous = json.loads(args.results.read_text("utf-8")) if args.results.exists() else {}
    scores: list[ReportScore] = []
    all_rows: list[qm.CitedRow] = []
    for q in questions:
        out = (args.out / q.id).resolve()
        if not (out / "state.json").exists():
            continue
        state = ResearchState.model_validate_json((out / "state.json").read_text("utf-8"))
        run = json.loads((out / "run.json").read_text("utf-8"))
        report = out / "report.md"
        score, rows = score_report(
            q,
            state,
            report.read_text("utf-8") if report.exists() else "",
            labels,
            wall_s=run["wall_s"],
            out_dir=out,
            pdf=run["pdf"],
        )
        scores.append(score)
        all_rows += rows
    qm.write_jsonl(args.out / "unlabelled.jsonl", qm.unlabelled(all_rows, labels))
    summary = totals(scores)
    # The run's date, machine, load and code stay those of the run that wrote the reports.
    doc = previous | {
        "rescored": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "questions": [s.model_dump(mode="json") for s in scores],
        "totals": summary,
    }
    args.results.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
    _print_table(scores, summary, args, tuple(previous.get("load_average_before", (0.0,))))


def _print_table(
    scores: list[ReportScore],
    summary: dict[str, Any],
    args: argparse.Namespace,
    load_before: tuple[float, ...],
) -> None:
    print(
        f"\nmachine: {os.cpu_count()} cores; load {load_before[0]:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    print(HEADER)
    print(SEP)
    for s in scores:
        print(_row(s))
    print(_totals_line(summary))
    print(
        f"\nwrote {args.results}; {summary['unlabelled']} unlabelled in {args.out / 'unlabelled.jsonl'}"
    )


def write_results(
    args: argparse.Namespace,
    ws: Path,
    config: ResearchSettings,
    scores: list[ReportScore],
    rows: list[qm.CitedRow],
    labels: dict[str, qm.Label],
    load_before: tuple[float, ...],
) -> dict[str, Any]:
    import lyceum

    qm.write_jsonl(args.out / "unlabelled.jsonl", qm.unlabelled(rows, labels))
    summary = totals(scores)
    doc = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "git": git_commit(),
        "lyceum_code": str(Path(lyceum.__file__).parent),
        "workspace": str(ws),
        "settings": {
            "research": config.model_dump(mode="json"),
            "split": args.split,
            "ids": args.ids,
            "limit": args.limit,
            "labels": str(args.labels),
        },
        "questions": [s.model_dump(mode="json") for s in scores],
        "totals": summary,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return summary


HEADER = (
    "| id | wall s | calls | tokens | docs read/cited | cited | nuggets | parts answered "
    "| unanswerable declared | dangling | dup pairs | template headings | labelled | good |"
)
SEP = "|" + "---|" * 14


def _row(s: ReportScore) -> str:
    answerable = [p for p in s.parts if p.answerable]
    unanswerable = [p for p in s.parts if not p.answerable]
    return (
        f"| {s.id} | {s.wall_s:.0f} | {s.calls} | {s.prompt_tokens + s.completion_tokens} "
        f"| {s.documents_read}/{s.documents_cited} | {s.cited} "
        f"| {len(s.nuggets_found)}/{s.nuggets} "
        f"| {sum(p.answered for p in answerable)}/{len(answerable)} "
        f"| {sum(p.declared for p in unanswerable)}/{len(unanswerable)} "
        f"| {len(s.dangling_openings)} | {len(s.near_duplicates)} "
        f"| {len(s.template_headings)}/{len(s.headings)} | {s.labels.labelled} | {s.labels.good} |"
    )


def _totals_line(t: dict[str, Any]) -> str:
    def f(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    return (
        f"| **all {t['reports']}** | {t['wall_s']:.0f} | {t['calls']} | {t['tokens']} "
        f"| {t['documents_read']}/{t['documents_cited']} | {t['cited']} "
        f"| {t['nuggets_found']}/{t['nuggets']} = {f(t['nugget_recall'])} "
        f"| {f(t['answerable_parts_answered'])} | {f(t['unanswerable_parts_declared'])} "
        f"| {t['dangling_openings']} ({f(t['dangling_rate'])}) | {t['near_duplicate_pairs']} "
        f"| {t['template_headings']}/{t['headings']} | {t['labelled']} "
        f"| precision {f(t['hand_precision'])} |\n\n"
        f"hand labels: supported {f(t['hand_supported'])}, on topic {f(t['hand_on_topic'])}, "
        f"standalone {f(t['hand_standalone'])}; short answers: "
        f"{t['short_answer_sentences']} sentences, precision {f(t['short_answer_precision'])}, "
        f"on topic {f(t['short_answer_on_topic'])}; from unrelated topics "
        f"{t['unrelated_topic_sentences']} ({t['off_topic_unclassified']} off-topic labels "
        "not classified); pipeline said supported "
        f"{f(t['pipeline_supported_of_labelled'])} of the labelled; false-supported "
        f"{t['false_supported']}/{t['labelled_unsupported']} = {f(t['false_supported_rate'])}; "
        f"parts answered or declared not covered {f(t['parts_answered_or_declared'])}; "
        f"answerable parts declared not covered {f(t['answerable_parts_declared'])}; cited "
        f"sentences from the question's relevant articles {f(t['cited_in_relevant_articles'])}; "
        f"relevant articles cited {t['relevant_documents_cited']} of the "
        f"{t['relevant_documents_wanted']} wanted (min(4, held) per question), reports citing "
        f"enough {f(t['reports_citing_enough_documents'])}"
    )


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", choices=["speed", "quality", "rescore"])
    parser.add_argument(
        "--workspace", type=Path, default=None, help="Workspace holding the corpus."
    )
    parser.add_argument(
        "--collection", default=None, help="speed: collection to search (default: all)."
    )
    parser.add_argument("--question", default=None, help="speed: the question timed.")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--breadth", type=int, default=3, help="speed: sub-questions.")
    parser.add_argument("--depth", type=int, default=3, help="speed: passages per sub-question.")
    parser.add_argument("--max-rounds", type=int, default=2, help="speed: gather rounds.")
    parser.add_argument(
        "--slots", type=int, default=2, help="Sequences the local model decodes at once."
    )
    parser.add_argument("--out", type=Path, default=Path("research-bench-out"))
    parser.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    parser.add_argument("--ids", default=None, help="quality: question ids, comma-separated.")
    parser.add_argument("--limit", type=int, default=None, help="quality: first N questions.")
    parser.add_argument("--labels", type=Path, default=qm.LABELS, help="quality: hand labels.")
    parser.add_argument("--results", type=Path, default=RESULTS, help="quality: results file.")
    parser.add_argument(
        "--in-place", action="store_true", help="quality: run in --workspace, not a copy."
    )
    parser.add_argument(
        "--copy-to", type=Path, default=None, help="quality: where to copy the workspace."
    )
    parser.add_argument("--no-pdf", action="store_true", help="quality: skip compiling PDFs.")
    import research_speed

    research_speed.add_arguments(parser)
    args = parser.parse_args()
    if args.mode == "speed":
        import research_speed

        if args.results == RESULTS:
            args.results = research_speed.RESULTS
        research_speed.speed(args)
        return
    modes = {"quality": quality, "rescore": rescore}
    asyncio.run(modes[args.mode](args))


if __name__ == "__main__":
    main()
