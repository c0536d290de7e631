"""The research pipeline: plan, gather, analyze, write, verify, render — resumable.

Each phase extends the `ResearchState`, which is checkpointed in the `runs` table after
every step and every sub-question. `run_research(..., resume=run_id)` loads the last
checkpoint and carries on; finished work is not redone and repeated model calls (a step
cut off mid-way) are answered by the gateway's exact cache.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from lyceum.config import Settings, load_settings
from lyceum.errors import LyceumError, NotFoundError
from lyceum.llm.context import call_context
from lyceum.llm.gateway import Gateway
from lyceum.llm.model import Model
from lyceum.research.analyst import plan_follow_ups
from lyceum.research.answer import not_covered, short_answer
from lyceum.research.budget import Clock, MeteredModel, exhausted
from lyceum.research.citations import cited_sentences
from lyceum.research.parts import question_parts, with_focus
from lyceum.research.planner import propose_plan, scaffold_plan
from lyceum.research.progress import ProgressCallback, ProgressEvent, ignore_progress
from lyceum.research.relevance import Relevance, load_relevance
from lyceum.research.render import Rendered, render_all
from lyceum.research.settings import ResearchSettings, research_settings
from lyceum.research.sources import build_sources
from lyceum.research.state import ResearchState, SubQuestion
from lyceum.research.verify import ClaimScorer, Verifier
from lyceum.research.workers import WorkerResult, passage_from_hit, run_worker, search_one
from lyceum.research.writer import write_section
from lyceum.sources.base import Source
from lyceum.store.calls import Runs
from lyceum.store.db import Database, open_database

RUN_KIND = "research"
RESTATES_PART = 0.8
"""Cosine at which a planned sub-question says again what a part of the question asks."""


@dataclass
class ResearchResult:
    run_id: str
    out_dir: Path
    state: ResearchState
    files: dict[str, Path]
    pdf_message: str

    @property
    def report(self) -> str:
        return self.files["report"].read_text("utf-8")


@dataclass
class Roles:
    brain: Model
    worker: Model
    writer: Model


RoleWrapper = Callable[[Model], Model]
"""Wraps each role's model before the run uses it: the CLI and the server pass the
self-improvement loop's production prompt (`lyceum.evolve.with_production_prompt`),
which research itself does not know about (evolve reads research, not the reverse)."""


def _roles(model: Model, config: ResearchSettings, wrap: RoleWrapper | None) -> Roles:
    """The brain, worker and writer models (views of the gateway by role), each wrapped by
    `wrap` when one is given."""
    view = getattr(model, "for_role", None)
    if view is None:
        roles = [model, model, model]
    else:
        roles = [view(config.brain_role), view(config.worker_role), view(config.writer_role)]
    return Roles(*(wrap(role) if wrap is not None else role for role in roles))


def default_scorer(config: ResearchSettings, judge: Model | None = None) -> ClaimScorer:
    """The trained verifier (`config.verifier_dir`, else the shipped one), mixed with the
    `judge` model's verdicts when one is given."""
    from lyceum.claimcheck.faithfulness import ClaimModel, FaithfulnessScorer

    verifier = ClaimModel(config.verifier_dir) if config.verifier_dir else ClaimModel()
    return FaithfulnessScorer(verifier, judge=judge)


def judge_model(model: Model, config: ResearchSettings) -> tuple[Model | None, str | None]:
    """The model `verify_judge_role` names, or None; and a problem to record, if any.

    A gateway routes the role only if it is a configured role or a backend name: an
    unconfigured role would silently fall back to the default tiers (for the embedded model
    a poor judge), so the claim check then uses the trained verifier alone and says so. A
    plain model (no roles) plays every role, the judge's included."""
    role = config.verify_judge_role
    if role is None:
        return None, None
    view = getattr(model, "for_role", None)
    if view is None:
        return model, None
    routes = set(getattr(model, "roles", {})) | set(getattr(model, "backend_names", []))
    if role not in routes:
        return None, (
            f"verify_judge_role {role!r} is neither a [gateway.roles] entry nor a backend; "
            "the claim check used the trained verifier alone"
        )
    return view(role), None


class ResearchRun:
    """One run: its state, its models, sources and scorer, and the checkpoints."""

    def __init__(
        self,
        state: ResearchState,
        config: ResearchSettings,
        *,
        roles: Roles,
        sources: list[Source],
        scorer: ClaimScorer,
        runs: Runs,
        db: Database,
        settings: Settings,
        progress: ProgressCallback,
        relevance: Relevance,
    ) -> None:
        self.state = state
        self.relevance = relevance
        self.config = config
        self.sources = sources
        self.scorer = scorer
        self.runs = runs
        self.db = db
        self.settings = settings
        self.progress = progress
        self.clock = Clock(state.elapsed_s)
        # Passages read so far, shared by the workers (see run_worker).
        self.read: set[str] = set(state.passages)
        self.brain = MeteredModel(roles.brain, state.meter, progress)
        self.worker = MeteredModel(roles.worker, state.meter, progress)
        self.writer = MeteredModel(roles.writer, state.meter, progress)

    # -- checkpoints -------------------------------------------------------------------

    def save(self, status: str | None = None) -> None:
        self.state.elapsed_s = self.clock.elapsed_s
        self.runs.save_state(self.state.run_id, self.state.model_dump(mode="json"), status)

    def _phase(self, phase: str) -> None:
        self.state.phase = phase  # type: ignore[assignment]
        self.save()
        self.progress(
            ProgressEvent(
                kind="phase", message=phase, data={"phase": phase, "round": self.state.round}
            )
        )

    def _problem(self, text: str) -> None:
        self.state.problem(text)
        self.progress(ProgressEvent(kind="problem", message=text))

    # -- phases ------------------------------------------------------------------------

    def _past_queries(self) -> list[str]:
        """Queries that found supported evidence for similar past questions. Only queries:
        a past question shown to the planner was taken as a sub-question of a new report."""
        if not (self.config.memory and self.config.past_episodes):
            return []
        from lyceum.research.episodes import EpisodeStore

        found = EpisodeStore(self.db).similar(
            self.state.question,
            self.config.past_episodes,
            exclude_run=self.state.run_id,
            min_similarity=self.config.episode_similarity,
        )
        return list(dict.fromkeys(q for e in found for q in e.good_queries[:4]))

    async def _aspects(self) -> list[str]:
        """Titles of documents the question retrieves that bear on it, beyond the first
        `depth` (which the question's own sub-question reads anyway), best first."""
        k = self.config.aspect_hits
        if k == 0:
            return []
        found = await asyncio.gather(
            *(search_one(src, self.state.question, k) for src in self.sources)
        )
        hits = [h for hits, _ in found for h in hits]
        hits.sort(key=lambda h: -h.score)
        titles: list[str] = []
        texts: list[str] = []
        for hit in hits:
            title = " ".join(hit.title.split())
            if title and title.lower() not in (t.lower() for t in titles):
                titles.append(title)
                texts.append(passage_from_hit(hit, "", self.config.passage_chars).text)
        if not titles:
            return []
        scores = await self.relevance.ascores(texts, self.state.question)
        relevant = [
            t
            for t, sc in zip(titles, scores, strict=True)
            if sc >= self.config.min_passage_relevance
        ]
        return relevant[self.config.depth :]

    async def plan(self) -> None:
        s = self.state
        s.parts = question_parts(s.question)
        past = self._past_queries()
        s.episodes_offered = past
        problems: list[str] = []
        proposed = await propose_plan(
            self.brain, s.question, self.config, past_queries=past, problems=problems
        )
        on_topic: set[int] = set()
        part_queries: dict[int, list[str]] = {}
        if proposed is not None and proposed.sub_questions:
            items = proposed.sub_questions
            scores = await self.relevance.amatrix(
                [item.question for item in items],
                [s.question, *(with_focus(part, s.question) for part in s.parts)],
            )
            for i, (item, row) in enumerate(zip(items, scores, strict=True)):
                closest = int(row[1:].argmax())
                if row[1 + closest] >= RESTATES_PART:
                    # A restated part adds only its queries, not a second section.
                    part_queries.setdefault(closest, []).extend(item.queries)
                elif row[0] >= self.config.min_sentence_relevance:
                    on_topic.add(i)
        aspects = await self._aspects()
        s.plan = scaffold_plan(
            s.question,
            proposed,
            self.config,
            aspects=aspects,
            on_topic=on_topic,
            part_queries=part_queries,
        )
        for p in problems:
            self._problem(p)
        self.progress(
            ProgressEvent(
                kind="plan",
                message=s.plan.summary or f"{len(s.plan.sub_questions)} sub-questions",
                data=s.plan.model_dump(mode="json"),
            )
        )
        self._phase("gather")

    def _merge(self, result: WorkerResult) -> None:
        s = self.state
        assert s.plan is not None
        order = {sq.id: i for i, sq in enumerate(s.plan.sub_questions)}
        for p in result.passages:
            s.passages.setdefault(p.id, p)
        # Completion order varies between runs; the merged order must not.
        s.notes = sorted(
            [*s.notes, *result.notes],
            key=lambda n: (order[n.sub_question], int(n.id.rsplit(".n", 1)[1])),
        )
        s.queries = sorted([*s.queries, *result.queries], key=lambda q: order[q.sub_question])
        for problem in result.problems:
            self._problem(f"{result.sub_question}: {problem}")
        s.sub_question(result.sub_question).done = True
        self.save()

    async def gather(self) -> None:
        assert self.state.plan is not None
        pending = [
            sq
            for sq in self.state.plan.sub_questions
            if sq.round == self.state.round and not sq.done
        ]
        slots = asyncio.Semaphore(self.config.concurrency)

        async def work(sq: SubQuestion) -> None:
            async with slots:
                stop = exhausted(self.state.meter, self.clock, self.config)
                if stop:
                    self.state.stopped_by = self.state.stopped_by or stop
                    return
                with call_context(caller=f"research.worker.{sq.id}"):
                    result = await run_worker(
                        self.worker,
                        self.sources,
                        self.state.question,
                        sq,
                        self.config,
                        self.progress,
                        self.relevance,
                        self.read,
                    )
                self._merge(result)

        await asyncio.gather(*(work(sq) for sq in pending))
        self._phase("analyze")

    async def analyze(self) -> None:
        s = self.state
        assert s.plan is not None
        stop = s.stopped_by or exhausted(s.meter, self.clock, self.config)
        if stop or s.round + 1 >= self.config.max_rounds:
            s.stopped_by = stop
            self._phase("write")
            return
        follow_ups = await plan_follow_ups(self.brain, s, self.config, s.round + 1)
        self.progress(
            ProgressEvent(
                kind="gap",
                message=f"{len(follow_ups)} follow-up(s)",
                data={
                    "gaps": [g.model_dump() for g in s.gaps],
                    "follow_ups": [f.model_dump() for f in follow_ups],
                },
            )
        )
        if not follow_ups:
            self._phase("write")
            return
        s.plan.sub_questions += follow_ups
        s.round += 1
        self._phase("gather")

    async def write(self) -> None:
        done = {sec.sub_question for sec in self.state.sections}
        for root in self.state.roots():
            if root.id in done:
                continue
            # Sub-questions overlap and read the same passages; say each thing once.
            used = {
                self.state.note(n).quote
                for sec in self.state.sections
                for x in sec.sentences
                for n in x.notes
            }
            section = await write_section(
                self.writer, self.state, root, self.config, used_quotes=used
            )
            said = {
                x.text.lower()
                for sec in self.state.sections
                for x in sec.sentences
                if x.status != "dropped"
            }
            section.sentences = [x for x in section.sentences if x.text.lower() not in said]
            section.covered_above = bool(self.state.notes_for(root.id)) and not any(
                x.notes for x in section.sentences
            )
            self.state.sections.append(section)
            self.progress(
                ProgressEvent(
                    kind="section",
                    message=section.title,
                    data={"sentences": len(section.sentences)},
                )
            )
            self.save()
        self._phase("verify")

    async def verify(self) -> None:
        verifier = Verifier(
            self.state,
            self.scorer,
            self.worker,
            self.progress,
            relevance=self.relevance,
            min_relevance=self.config.min_sentence_relevance,
            min_part_relevance=self.config.min_part_relevance,
            min_report_relevance=self.config.min_report_relevance,
            focus_margin=self.config.report_focus_margin,
        )
        self.state.verification = await verifier.run()
        self.state.short_answer = await short_answer(self.state, self.relevance)
        self.state.not_covered = await not_covered(
            self.state, self.relevance, self.config.min_part_answer
        )
        self._phase("render")

    def render(self, out_dir: Path) -> Rendered:
        self.state.elapsed_s = self.clock.elapsed_s
        rendered = render_all(
            self.state,
            out_dir,
            compile=self.config.compile_pdf,
            attempts=self.config.compile_attempts,
        )
        self.state.artifacts = {k: str(v) for k, v in rendered.files.items()}
        self.state.latex_problems = rendered.latex_unresolved
        for problem in rendered.latex_unresolved:
            self._problem(f"paper.tex: {problem} (the static repair could not fix it)")
        fixed = [f"static repair: {p}" for p in rendered.latex_problems]
        compiled = [*rendered.compile.log, rendered.compile.message] if rendered.compile else []
        self.state.compile_log = [*fixed, *compiled]
        for name, path in rendered.files.items():
            self.progress(ProgressEvent(kind="artifact", message=str(path), data={"name": name}))
        if self.config.memory:
            self.remember()
        return rendered

    def remember(self) -> None:
        from lyceum.research.episodes import EpisodeStore, ResearchEpisode
        from lyceum.research.papers_read import PaperStore, add_to_collection, papers_of

        s = self.state
        good = [s.note(n) for sent in cited_sentences(s) for n in sent.notes]
        queries = list(
            dict.fromkeys(
                s.passages[n.passage_id].query for n in good if s.passages[n.passage_id].query
            )
        )
        sources = sorted({s.passages[n.passage_id].source for n in good})
        v = s.verification
        EpisodeStore(self.db).record(
            ResearchEpisode(
                run_id=s.run_id,
                question=s.question,
                good_queries=queries,
                sources=sources,
                checked=v.checked if v else 0,
                supported=(v.supported + v.rewritten) if v else 0,
            )
        )
        PaperStore(self.db).record(papers_of(s, {s.note(n.id).passage_id for n in good}))
        try:
            add_to_collection(s, self.settings, self.config.memory_collection)
        except LyceumError as exc:
            self._problem(f"memory: papers not added to {self.config.memory_collection}: {exc}")

    async def run(self, out_dir: Path) -> Rendered:
        steps = {
            "plan": self.plan,
            "gather": self.gather,
            "analyze": self.analyze,
            "write": self.write,
            "verify": self.verify,
        }
        with call_context(run_id=self.state.run_id, caller="research"):
            while self.state.phase in steps:
                await steps[self.state.phase]()
        rendered = self.render(out_dir)
        self.state.phase = "done"
        self.save(status="done")
        self.progress(
            ProgressEvent(kind="done", message=str(out_dir), data={"run_id": self.state.run_id})
        )
        return rendered


DEFAULT_OUT_DIR = Path("research-out")
# What a resumed run may change: budgets and how it finishes. The breadth, depth and sources
# shaped the plan and the passages already read, so changing them would mix two designs.
RESUMABLE_OPTIONS = frozenset(
    {"max_rounds", "max_time_s", "max_tokens", "max_cost_usd", "concurrency", "compile_pdf"}
)


def _resumed_config(
    stored: ResearchSettings, state: ResearchState, overrides: dict[str, Any]
) -> ResearchSettings:
    given = {k: v for k, v in overrides.items() if v is not None}
    fixed = sorted(
        k for k, v in given.items() if k not in RESUMABLE_OPTIONS and v != getattr(stored, k)
    )
    if fixed:
        raise LyceumError(
            f"cannot change {', '.join(fixed)} when resuming run {state.run_id}: "
            "its plan and reading were made with the options it started with",
            hint="Resume with budget options only (max rounds, time, tokens, cost, "
            "concurrency, PDF), or start a new run.",
        )
    state.resume_overrides = {**state.resume_overrides, **given}
    return stored.with_overrides(**state.resume_overrides)


def reopen_for_budget(state: ResearchState, config: ResearchSettings) -> bool:
    """Send a run that a budget stopped back to gathering when the resumed budgets leave
    room (its report is then written again from all the evidence); True if reopened."""
    if state.stopped_by is None or state.phase in ("plan", "gather", "analyze"):
        return False
    meter, clock = state.meter, Clock(state.elapsed_s)
    if exhausted(meter, clock, config):
        return False
    state.stopped_by = None
    state.phase = "gather" if state.plan is not None else "plan"
    state.sections = []
    state.verification = None
    return True


def _load_or_create(
    runs: Runs,
    question: str | None,
    resume: str | None,
    config: ResearchSettings,
    out_dir: Path | None,
    overrides: dict[str, Any],
) -> tuple[ResearchState, ResearchSettings, Path]:
    if resume:
        row = runs.get(resume)
        if row is None or row.kind != RUN_KIND:
            raise NotFoundError(
                f"no research run {resume!r}", hint="List runs with 'lyceum research --list'."
            )
        stored = ResearchSettings(**row.config.get("research", {}))
        state = (
            ResearchState.model_validate(row.state)
            if row.state
            else ResearchState(run_id=resume, question=row.config["question"])
        )
        if question and question.strip() != state.question:
            raise LyceumError(
                f"run {resume} researched {state.question!r}, not {question!r}",
                hint="Leave out the question when resuming.",
            )
        config = _resumed_config(stored, state, overrides)
        out = out_dir or Path(row.config.get("out_dir") or DEFAULT_OUT_DIR)
        return state, config, out
    if not question or not question.strip():
        raise LyceumError(
            "no research question given", hint='lyceum research "your question" --out DIR'
        )
    config = config.with_overrides(**overrides)
    out = out_dir or DEFAULT_OUT_DIR.resolve()
    run_id = runs.create(
        RUN_KIND,
        name=question.strip()[:500],
        config={
            "question": question.strip(),
            "research": config.model_dump(mode="json"),
            "out_dir": str(out),
        },
    )
    state = ResearchState(run_id=run_id, question=question.strip())
    runs.save_state(run_id, state.model_dump(mode="json"))
    return state, config, out


async def run_research(
    question: str | None,
    *,
    out_dir: Path | str | None = None,
    settings: Settings | None = None,
    config: ResearchSettings | None = None,
    resume: str | None = None,
    overrides: dict[str, Any] | None = None,
    model: Model | None = None,
    sources: list[Source] | None = None,
    scorer: ClaimScorer | None = None,
    progress: ProgressCallback = ignore_progress,
    db: Database | None = None,
    relevance: Relevance | None = None,
    role_wrapper: RoleWrapper | None = None,
) -> ResearchResult:
    """Research `question` and write report.md, paper.tex, references.bib, trajectory.jsonl
    (and paper.pdf with TeX) into `out_dir` (default ./research-out).

    `resume` continues a run from its checkpoint, with the settings it started with and
    into the folder it started with (unless `out_dir` is given). `overrides` (option name
    -> value; None values are ignored) apply over `config` for a new run; for a resumed
    run only budgets may change (`RESUMABLE_OPTIONS`), and a run that a budget stopped
    goes back to gathering when the new budgets leave room.

    `model` defaults to the gateway built from settings (roles brain/worker/writer);
    `sources` to those named in the config; `scorer` to the trained faithfulness verifier;
    `relevance` to cosines of `config.relevance_model` (MiniLM). `role_wrapper` wraps
    each role's model (the CLI and the server apply the promoted production prompt).
    """
    settings = settings or load_settings()
    config = config or research_settings(settings)
    given_out = Path(out_dir).expanduser().resolve() if out_dir is not None else None
    db = db or open_database(settings.database_url)
    runs = Runs(db)
    state, config, out = _load_or_create(
        runs, question, resume, config, given_out, dict(overrides or {})
    )
    reopened = bool(resume) and reopen_for_budget(state, config)
    sources = sources if sources is not None else build_sources(config, settings)
    owned: Gateway | None = None
    if model is None:
        from lyceum.wiring import build_gateway

        owned = build_gateway(settings, db=db)
        model = cast(Model, owned)
    if scorer is None:
        judge, problem = judge_model(model, config)
        if problem and problem not in state.problems:
            state.problem(problem)
            progress(ProgressEvent(kind="problem", message=problem))
        metered = MeteredModel(judge, state.meter, progress) if judge is not None else None
        scorer = default_scorer(config, judge=metered)
    progress(
        ProgressEvent(
            kind="run",
            message=("resumed " if resume else "started ") + state.run_id,
            data={
                "run_id": state.run_id,
                "question": state.question,
                "phase": state.phase,
                "out_dir": str(out),
                "overrides": state.resume_overrides if resume else {},
                "reopened": reopened,
            },
        )
    )
    if relevance is None:
        from lyceum.retrieval.settings import retrieval_settings

        threads = retrieval_settings(settings).embed_threads
        relevance = load_relevance(config.relevance_model, threads=threads)
    run = ResearchRun(
        state,
        config,
        roles=_roles(model, config, role_wrapper),
        sources=sources,
        scorer=scorer,
        runs=runs,
        db=db,
        settings=settings,
        progress=progress,
        relevance=relevance,
    )
    try:
        rendered = await run.run(out)
    except BaseException:
        run.save(status="interrupted")
        raise
    finally:
        if owned is not None:
            await owned.aclose()
    message = rendered.compile.message if rendered.compile else "PDF compilation disabled"
    return ResearchResult(state.run_id, out, state, rendered.files, message)


def research_runs(settings: Settings | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Recent research runs: id, question, status, phase."""
    settings = settings or load_settings()
    rows = Runs(open_database(settings.database_url)).list(RUN_KIND, limit)
    return [
        {
            "run_id": r.id,
            "question": r.name,
            "status": r.status,
            "phase": (r.state or {}).get("phase", ""),
            "created_at": r.created_at,
        }
        for r in rows
    ]
