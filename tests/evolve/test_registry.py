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
