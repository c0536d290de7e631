"""One research run's phases: plan, gather, analyze, mine, write, verify, render.

A `ResearchRun` holds the run's state, its models (metered views of one model by role), its
sources, claim scorer and relevance, and checkpoints the state in the `runs` table after every
step. Each phase moves `state.phase` on to the next one, so `run` can start from any of them:
a resumed run (`lyceum.research.resume`) carries on where its checkpoint stopped.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lyceum.config import Settings
from lyceum.errors import LyceumError
from lyceum.llm.context import call_context
from lyceum.llm.model import Model
from lyceum.research.analyst import plan_follow_ups
from lyceum.research.answer import settle_answer
from lyceum.research.background import subject_background
from lyceum.research.budget import Clock, MeteredModel, exhausted
from lyceum.research.citations import cited_sentences, shown_report
from lyceum.research.links import find_links, link_follow_ups
from lyceum.research.matching import normalize_space
from lyceum.research.mining import mine_answers, rank_part_notes
from lyceum.research.part_subject import standalone_part
from lyceum.research.parts import question_parts, with_focus
from lyceum.research.planner import propose_plan, scaffold_plan
from lyceum.research.progress import ProgressCallback, ProgressEvent
from lyceum.research.rehome import rehome_notes
from lyceum.research.relevance import (
    Relevance,
    another_instance,
    subject_pages,
)
from lyceum.research.render import Rendered, render_all
from lyceum.research.settings import ResearchSettings
from lyceum.research.state import ResearchState, SubQuestion, note_order
from lyceum.research.verify import ClaimScorer, Verifier
from lyceum.research.workers import (
    PROGRAMMING_ERRORS,
    WorkerResult,
    choose_passages,
    opening_text,
    passage_from_hit,
    search_one,
    take_notes,
)
from lyceum.research.writer import (
    refill_room,
    refill_section,
    reorder_section,
    write_section,
)
from lyceum.sources.base import Source
from lyceum.store.calls import Runs
from lyceum.store.db import Database

RESTATES_PART = 0.8
"""Cosine at which a planned sub-question says again what a part of the question asks."""
REFILLS = 2
"""Rounds of offering unused notes in the places of dropped sentences (`_refill`)."""


@dataclass
class Roles:
    brain: Model
    worker: Model
    writer: Model


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
        # Passages chosen so far, shared by the workers (see choose_passages).
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
        # Not another instance of what a page the question's subject names is (*Tunisia* for
        # a question on Morocco: `relevance.another_instance`), judged by the pages'
        # openings: the hit for *Tunisia* is a later passage ("… Tunis is the capital …").
        # A hit that opens its page says what it is already; only the others are looked up,
        # once per page (the last hit of a title stands for it, as the dict keeps it).
        last = {h.title: h for h in hits}
        openings = {t: opening_text(self.sources, h) for t, h in last.items()}
        named = subject_pages(self.state.question, list(openings.items()))
        titles: list[str] = []
        texts: list[str] = []
        for hit in hits:
            title = " ".join(hit.title.split())
            if another_instance(title, openings[hit.title], named) is not None:
                continue
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
            for item in items:
                # The model's "Why is it important?" is about the question's subject: said
                # so, it is seen to restate "Why is the ozone layer important?" (a report had
                # kept both, and listed the first as an open question with no evidence).
                item.question = standalone_part(item.question, s.question)
            scores = await self.relevance.amatrix(
                [item.question for item in items],
                [s.question, *(with_focus(part, s.question) for part in s.parts)],
            )
            offered = {normalize_space(q).lower() for q in past}
            for i, (item, row) in enumerate(zip(items, scores, strict=True)):
                closest = int(row[1:].argmax())
                if normalize_space(item.question).lower() in offered:
                    # A past run's query copied as a sub-question: strategy, not a section.
                    continue
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
            key=lambda n: (order[n.sub_question], note_order(n.id)),
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
        # Workers choose their passages one after another in plan order (searching and
        # relevance only, no model call) and read them in parallel: which worker gets a
        # passage two of them retrieve does not depend on timing, so the same run gives
        # the same report, and a resumed run the report an uninterrupted one gives.
        chosen_in_turn = [asyncio.Event() for _ in pending]

        def out_of_budget() -> bool:
            stop = exhausted(self.state.meter, self.clock, self.config)
            if stop:
                self.state.stopped_by = self.state.stopped_by or stop
            return bool(stop)

        async def work(i: int, sq: SubQuestion) -> None:
            try:
                if i:
                    await chosen_in_turn[i - 1].wait()
                if out_of_budget():
                    return
                chosen = await choose_passages(
                    self.sources,
                    self.state.question,
                    sq,
                    self.config,
                    self.progress,
                    self.relevance,
                    self.read,
                )
            finally:
                chosen_in_turn[i].set()
            async with slots:
                if out_of_budget():
                    return
                with call_context(caller=f"research.worker.{sq.id}"):
                    result = await take_notes(
                        self.worker,
                        self.state.question,
                        sq,
                        chosen,
                        self.config,
                        self.progress,
                        self.relevance,
                    )
                self._merge(result)

        await asyncio.gather(*(work(i, sq) for i, sq in enumerate(pending)))
        self._phase("analyze")

    async def analyze(self) -> None:
        s = self.state
        assert s.plan is not None
        stop = s.stopped_by or exhausted(s.meter, self.clock, self.config)
        if stop or s.round + 1 >= self.config.max_rounds:
            s.stopped_by = stop
            self._phase("mine")
            return
        follow_ups = await plan_follow_ups(self.brain, s, self.config, s.round + 1)
        try:
            links = await find_links(s, self.sources, self.relevance, self.config)
        except PROGRAMMING_ERRORS:
            raise
        except Exception as exc:  # a source that cannot list its titles: no links, recorded
            self._problem(f"links not followed: {type(exc).__name__}: {exc}")
            links = []
        follow_ups += link_follow_ups(s, links, s.round + 1)
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
            self._phase("mine")
            return
        s.plan.sub_questions += follow_ups
        s.round += 1
        self._phase("gather")

    async def mine(self) -> None:
        before = Counter(n.sub_question for n in self.state.notes)
        moved = await rehome_notes(self.state, self.relevance, self.config)
        if moved:
            self._notes_changed(before, f"{len(moved)} note(s) moved to the part they answer")
        before = Counter(n.sub_question for n in self.state.notes)
        mined = await mine_answers(self.state, self.relevance, self.config)
        self.state.notes += mined
        self._notes_changed(before, f"{len(mined)} note(s) mined from the passages read")
        self._phase("write")

    def _notes_changed(self, before: Counter[str], message: str) -> None:
        """A note event for each sub-question whose count of notes is not `before`'s, in the
        shape of a worker's (`sub_question`, `notes`: its notes so far)."""
        now = Counter(n.sub_question for n in self.state.notes)
        for sq_id in sorted(set(now) | set(before)):
            if now[sq_id] != before[sq_id]:
                self.progress(
                    ProgressEvent(
                        kind="note",
                        message=message,
                        data={"sub_question": sq_id, "notes": now[sq_id]},
                    )
                )

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
                self.writer,
                self.state,
                root,
                self.config,
                used_quotes=used,
                rank=await rank_part_notes(self.state, self.relevance, root),
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
            neighbour_floor=self.config.min_neighbour_focus,
        )
        self.state.verification = await verifier.run()
        refilled: set[str] = set()
        ranks: dict[str, dict[str, float]] = {}
        for _ in range(REFILLS):
            added = await self._refill(ranks)
            if not added:
                break
            refilled |= added
            self.state.verification = await verifier.run()
        for section in self.state.sections:
            if section.sub_question in refilled:
                reorder_section(self.state, section, self.state.sub_question(section.sub_question))
        await settle_answer(self.state, self.relevance, self.config)
        self.state.background = (
            await subject_background(self.state, self.scorer)
            if shown_report(self.state).answers_nothing
            else []
        )
        if self.state.background and self.state.verification is not None:
            # Checked like any cited sentence, so counted with them in the report's method.
            self.state.verification.checked += len(self.state.background)
            self.state.verification.supported += len(self.state.background)
        self._phase("render")

    async def _refill(self, ranks: dict[str, dict[str, float]]) -> set[str]:
        """Offer each section's best unused notes in the places of the sentences the claim
        check dropped (`writer.refill_section`); returns the sections given drafts. A
        section's note ranking is computed once, for a section with room, and kept in `ranks`
        for the next round (its notes do not change)."""
        added: dict[str, int] = {}
        for section in self.state.sections:
            if not refill_room(section, self.config):
                continue
            root = self.state.sub_question(section.sub_question)
            if root.id not in ranks:
                ranks[root.id] = await rank_part_notes(self.state, self.relevance, root)
            if n := refill_section(self.state, section, root, self.config, ranks[root.id]):
                added[section.sub_question] = n
        if added:
            self.progress(
                ProgressEvent(
                    kind="section",
                    message=f"{sum(added.values())} sentence(s) offered in the places of "
                    "dropped ones",
                    data={"sentences": sum(added.values())},
                )
            )
        return set(added)

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
            "mine": self.mine,
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
