"""The registry: versions of prompt addenda and model routes, with their metrics.

Per kind there is at most one `production` and one `backup` version. Promoting a
candidate makes the production version the backup (the old backup is retired); rolling
back makes the backup production again. Every change is a transition row with a reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lyceum.errors import LyceumError, NotFoundError
from lyceum.store.db import Database
from lyceum.store.evolve_tables import EvolveTransitionRow, EvolveVersionRow

VersionKind = Literal["prompt", "model"]


class RegistryError(LyceumError):
    """A registry transition is not allowed in the current state."""


class Version(BaseModel):
    id: str
    kind: str
    name: str
    number: int
    status: str
    payload: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, Any] = Field(default_factory=dict)
    parent_id: str | None = None
    created_at: datetime


class Transition(BaseModel):
    version_id: str
    kind: str
    event: str
    from_status: str
    to_status: str
    reason: str
    detail: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime


def _version(row: EvolveVersionRow) -> Version:
    return Version(
        id=row.id,
        kind=row.kind,
        name=row.name,
        number=row.number,
        status=row.status,
        payload=dict(row.payload or {}),
        metrics=dict(row.metrics or {}),
        parent_id=row.parent_id,
        created_at=row.created_at,
    )


class Registry:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _log(
        self,
        session: Session,
        row: EvolveVersionRow,
        event: str,
        from_status: str,
        reason: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        # The query autoflushes the transitions already added in this session, so several
        # transitions of one operation get consecutive numbers in the order they were logged.
        last = session.scalar(select(func.max(EvolveTransitionRow.seq))) or 0
        session.add(
            EvolveTransitionRow(
                seq=last + 1,
                version_id=row.id,
                kind=row.kind,
                event=event,
                from_status=from_status,
                to_status=row.status,
                reason=reason,
                detail=detail or {},
            )
        )

    def register(
        self,
        kind: VersionKind,
        payload: dict[str, Any],
        *,
        name: str = "",
        parent_id: str | None = None,
        metrics: dict[str, Any] | None = None,
        reason: str = "registered",
    ) -> Version:
        with self._db.session() as session:
            if (
                name
                and session.scalars(
                    select(EvolveVersionRow).where(EvolveVersionRow.name == name)
                ).first()
            ):
                raise RegistryError(
                    f"a version named {name!r} exists already", hint="Choose another --name."
                )
            number = (
                session.scalar(
                    select(func.max(EvolveVersionRow.number)).where(EvolveVersionRow.kind == kind)
                )
                or 0
            ) + 1
            row = EvolveVersionRow(
                kind=kind,
                name=name or f"{kind}-v{number}",
                number=number,
                status="candidate",
                payload=payload,
                metrics=metrics or {},
                parent_id=parent_id,
            )
            session.add(row)
            session.flush()
            self._log(session, row, "registered", "", reason)
            return _version(row)

    def get(self, version_id: str) -> Version:
        with self._db.session() as session:
            return _version(self._row(session, version_id))

    def _row(self, session: Session, ref: str) -> EvolveVersionRow:
        row = session.get(EvolveVersionRow, ref)
        if row is None:
            matches = session.scalars(
                select(EvolveVersionRow).where(
                    (EvolveVersionRow.name == ref)
                    | EvolveVersionRow.id.startswith(ref, autoescape=True)
                )
            ).all()
            if len(matches) == 1:
                row = matches[0]
        if row is None:
            raise NotFoundError(
                f"no registry version {ref!r}", hint="List versions with 'lyceum evolve status'."
            )
        return row

    def _with_status(self, session: Session, kind: str, status: str) -> EvolveVersionRow | None:
        return session.scalars(
            select(EvolveVersionRow).where(
                EvolveVersionRow.kind == kind, EvolveVersionRow.status == status
            )
        ).first()

    def production(self, kind: VersionKind) -> Version | None:
        with self._db.session() as session:
            row = self._with_status(session, kind, "production")
            return _version(row) if row else None

    def backup(self, kind: VersionKind) -> Version | None:
        with self._db.session() as session:
            row = self._with_status(session, kind, "backup")
            return _version(row) if row else None

    def record_metrics(
        self, version_id: str, metrics: dict[str, Any], *, event: str, reason: str
    ) -> Version:
        with self._db.session() as session:
            row = self._row(session, version_id)
            row.metrics = {**(row.metrics or {}), **metrics}
            self._log(session, row, event, row.status, reason, metrics)
            return _version(row)

    def promote(self, version_id: str, *, reason: str) -> Version:
        """Make a candidate production; production becomes backup, the old backup retires."""
        with self._db.session() as session:
            row = self._row(session, version_id)
            if row.status != "candidate":
                raise RegistryError(
                    f"version {row.name} is {row.status}; only candidates can be promoted"
                )
            old_backup = self._with_status(session, row.kind, "backup")
            if old_backup is not None:
                old_backup.status = "retired"
                self._log(session, old_backup, "retired", "backup", f"{row.name} promoted")
            current = self._with_status(session, row.kind, "production")
            if current is not None:
                current.status = "backup"
                self._log(session, current, "demoted", "production", f"{row.name} promoted")
            row.status = "production"
            self._log(session, row, "promoted", "candidate", reason)
            return _version(row)

    def rollback(self, kind: VersionKind, *, reason: str) -> Version:
        """Restore the backup as production; the current production is marked rolled_back."""
        with self._db.session() as session:
            backup = self._with_status(session, kind, "backup")
            current = self._with_status(session, kind, "production")
            if backup is None:
                raise RegistryError(
                    f"no backup {kind} version to roll back to",
                    hint="A backup exists after a second promotion.",
                )
            if current is not None:
                current.status = "rolled_back"
                self._log(session, current, "rolled_back", "production", reason)
            backup.status = "production"
            self._log(session, backup, "restored", "backup", reason)
            return _version(backup)

    def versions(self, kind: VersionKind | None = None) -> list[Version]:
        with self._db.session() as session:
            q = select(EvolveVersionRow).order_by(EvolveVersionRow.kind, EvolveVersionRow.number)
            if kind:
                q = q.where(EvolveVersionRow.kind == kind)
            return [_version(r) for r in session.scalars(q).all()]

    def transitions(self, kind: VersionKind | None = None) -> list[Transition]:
        with self._db.session() as session:
            q = select(EvolveTransitionRow).order_by(EvolveTransitionRow.seq)
            if kind:
                q = q.where(EvolveTransitionRow.kind == kind)
            return [
                Transition(
                    version_id=r.version_id,
                    kind=r.kind,
                    event=r.event,
                    from_status=r.from_status,
                    to_status=r.to_status,
                    reason=r.reason,
                    detail=dict(r.detail or {}),
                    created_at=r.created_at,
                )
                for r in session.scalars(q).all()
            ]
