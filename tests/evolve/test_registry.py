from __future__ import annotations

import pytest

from lyceum.evolve.registry import Registry, RegistryError
from lyceum.store.db import open_database


@pytest.fixture
def registry(workspace):
    return Registry(open_database(f"sqlite:///{workspace / 'lyceum.db'}"))


def test_promote_keeps_the_previous_production_as_backup(registry):
    v1 = registry.register("prompt", {"addendum": "one"})
    v2 = registry.register("prompt", {"addendum": "two"})
    registry.promote(v1.id, reason="first")
    registry.promote(v2.id, reason="won the arena")
    assert registry.production("prompt").id == v2.id
    assert registry.backup("prompt").id == v1.id
    assert (v1.number, v2.number) == (1, 2) and v2.name == "prompt-v2"


def test_a_third_promotion_retires_the_old_backup(registry):
    ids = [registry.register("prompt", {"n": i}).id for i in range(3)]
    for i in ids:
        registry.promote(i, reason="next")
    statuses = {v.id: v.status for v in registry.versions("prompt")}
    assert [statuses[i] for i in ids] == ["retired", "backup", "production"]


def test_rollback_restores_the_backup_and_logs_every_transition(registry):
    v1 = registry.register("model", {"route": "local"})
    v2 = registry.register("model", {"route": "big"})
    registry.promote(v1.id, reason="baseline")
    registry.promote(v2.id, reason="better")
    restored = registry.rollback("model", reason="regression in production")
    assert restored.id == v1.id and registry.production("model").id == v1.id
    assert registry.get(v2.id).status == "rolled_back"
    events = [(t.event, t.from_status, t.to_status) for t in registry.transitions("model")]
    assert events == [
        ("registered", "", "candidate"),
        ("registered", "", "candidate"),
        ("promoted", "candidate", "production"),
        ("demoted", "production", "backup"),
        ("promoted", "candidate", "production"),
        ("rolled_back", "production", "rolled_back"),
        ("restored", "backup", "production"),
    ]
    assert registry.transitions("model")[-1].reason == "regression in production"
    assert all(t.created_at is not None for t in registry.transitions())


def test_rollback_without_a_backup_is_refused(registry):
    registry.promote(registry.register("prompt", {}).id, reason="only one")
    with pytest.raises(RegistryError, match="no backup"):
        registry.rollback("prompt", reason="x")


def test_only_candidates_are_promoted(registry):
    v = registry.register("prompt", {})
    registry.promote(v.id, reason="x")
    with pytest.raises(RegistryError, match="only candidates"):
        registry.promote(v.id, reason="again")


def test_metrics_are_recorded_with_a_transition(registry):
    v = registry.register("prompt", {})
    registry.record_metrics(v.id, {"accuracy": 0.7}, event="arena", reason="suite")
    assert registry.get(v.id).metrics == {"accuracy": 0.7}
    assert registry.transitions()[-1].event == "arena"


def test_versions_are_found_by_name_or_id_prefix(registry):
    v = registry.register("prompt", {})
    assert registry.get("prompt-v1").id == v.id
    assert registry.get(v.id[:8]).id == v.id


def test_transitions_keep_their_logged_order_when_timestamps_tie(registry, workspace):
    from sqlalchemy import text

    v1 = registry.register("prompt", {"addendum": "one"})
    v2 = registry.register("prompt", {"addendum": "two"})
    registry.promote(v1.id, reason="first")
    registry.promote(v2.id, reason="second")
    registry.rollback("prompt", reason="worse")
    expected = [t.event for t in registry.transitions()]
    # Same timestamp everywhere and ids that sort against the logged order: only the
    # sequence number can still tell the order.
    with registry._db.engine.begin() as conn:
        conn.execute(text("UPDATE evolve_transitions SET created_at = '2026-01-01 00:00:00'"))
        conn.execute(text("UPDATE evolve_transitions SET id = printf('%09d', 999999999 - seq)"))
    assert expected == ["registered", "registered", "promoted", "demoted", "promoted",
                        "rolled_back", "restored"]  # fmt: skip
    assert [t.event for t in registry.transitions()] == expected


def test_the_sequence_migration_numbers_existing_transitions_in_their_old_order(tmp_path):
    from alembic import command
    from sqlalchemy import text

    from lyceum.store.db import _alembic_config, make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = _alembic_config(engine)
    command.upgrade(cfg, "evolve_0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO evolve_versions (id, kind, name, number, status, payload, metrics, "
            "created_at) VALUES ('v', 'prompt', 'prompt-v1', 1, 'production', '{}', '{}', "
            "'2026-01-01 00:00:00')"
        ))  # fmt: skip
        for row_id, stamp in (("b", "00:00:01"), ("a", "00:00:02"), ("c", "00:00:02")):
            conn.execute(text(
                "INSERT INTO evolve_transitions (id, version_id, kind, event, from_status, "
                "to_status, reason, detail, created_at) VALUES (:id, 'v', 'prompt', :id, '', "
                "'production', '', '{}', :at)"
            ), {"id": row_id, "at": f"2026-01-01 {stamp}"})  # fmt: skip
    migrate(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, seq FROM evolve_transitions ORDER BY seq")).all()
    assert [tuple(r) for r in rows] == [("b", 1), ("a", 2), ("c", 3)]
    registry = Registry(open_database(f"sqlite:///{tmp_path / 'old.db'}"))
    registry.register("prompt", {"addendum": "next"})
    assert [t.event for t in registry.transitions()] == ["b", "a", "c", "registered"]
