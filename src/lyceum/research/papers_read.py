"""Papers read: every document a research run read is remembered (table rows), and its
passages are added to a long-term corpus collection that later runs can search."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select

from lyceum.config import Settings
from lyceum.research.state import ResearchState
from lyceum.store.db import Database
from lyceum.store.research_tables import ResearchPaperRow


class PaperRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    run_id: str
    document_key: str
    title: str
    source: str
    location: str
    cited: bool


def papers_of(state: ResearchState, cited_passages: set[str]) -> list[PaperRead]:
    """One entry per document read, cited if any of its passages was cited."""
    papers: dict[str, PaperRead] = {}
    for p in state.passages.values():
        entry = papers.get(p.document_key)
        if entry is None:
            entry = papers[p.document_key] = PaperRead(
                run_id=state.run_id,
                document_key=p.document_key,
                title=p.title,
                source=p.source,
                location=p.url or p.path or "",
                cited=False,
            )
        entry.cited = entry.cited or p.id in cited_passages
    return list(papers.values())


class PaperStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, papers: list[PaperRead]) -> None:
        run_ids = {p.run_id for p in papers}
        with self._db.session() as session:
            for run_id in run_ids:
                session.execute(delete(ResearchPaperRow).where(ResearchPaperRow.run_id == run_id))
            session.add_all(ResearchPaperRow(**p.model_dump()) for p in papers)

    def for_run(self, run_id: str) -> list[PaperRead]:
        with self._db.session() as session:
            rows = session.scalars(
                select(ResearchPaperRow).where(ResearchPaperRow.run_id == run_id)
            )
            return [PaperRead.model_validate(r) for r in rows]


def add_to_collection(state: ResearchState, settings: Settings, collection: str) -> int:
    """Ingest the run's passages into `collection` (one unit per run); returns chunks added."""
    from lyceum.data.extract import Document
    from lyceum.retrieval.ingestion import ingest_documents

    docs = [
        Document(
            text=p.text,
            title=p.title,
            source=p.url or p.path or p.document_key,
            url=p.url,
            arxiv_id=p.arxiv_id,
            doi=p.doi,
            year=p.year,
            authors=p.authors,
            key=p.id,
            metadata={"run_id": state.run_id, "question": state.question, "source": p.source},
        )
        for p in sorted(state.passages.values(), key=lambda p: p.id)
    ]
    if not docs:
        return 0
    digest = hashlib.sha256("".join(d.key + d.text for d in docs).encode()).hexdigest()
    report = ingest_documents(
        docs,
        source=f"research:{state.run_id}",
        content_hash=digest,
        collection=collection,
        settings=settings,
    )
    return report.chunks_added
