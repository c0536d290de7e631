from __future__ import annotations

import pytest
from sqlalchemy import text

from lyceum.errors import LyceumError
from lyceum.store.calls import UNREGISTERED_RUN_KIND, CallFilter, CallLog, CallLogError, Runs
from lyceum.store.db import open_database


@pytest.fixture
def db(workspace):
    return open_database(f"sqlite:///{workspace / 'calls.db'}")


def test_a_call_naming_an_unknown_run_is_kept_under_an_unregistered_run(db):
    log = CallLog(db)
    call_id = log.write(run_id="run-never-created", backend="b", model="m", output="kept")
    record = log.get(call_id)
    assert record is not None and record.run_id == "run-never-created" and record.output == "kept"
    run = Runs(db).get("run-never-created")
    assert run is not None and run.kind == UNREGISTERED_RUN_KIND


def test_registering_a_run_adopts_the_row_the_call_log_made(db):
    log, runs = CallLog(db), Runs(db)
    log.write(run_id="r1", backend="b", model="m", output="first")
    assert runs.create("research", "later", {"q": "why"}, run_id="r1") == "r1"
    run = runs.get("r1")
    assert run is not None
    assert (run.kind, run.name, run.config, run.status) == (
        "research",
        "later",
        {"q": "why"},
        "running",
    )
    log.write(run_id="r1", backend="b", model="m", output="second")
    assert sorted(r.output for r in log.list(CallFilter(run_id="r1"))) == ["first", "second"]


def test_a_store_failure_is_a_call_log_error_naming_the_database(db):
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE calls"))
    with pytest.raises(CallLogError) as info:
        CallLog(db).write(backend="b", model="m", output="lost")
    assert isinstance(info.value, LyceumError)
    assert "calls.db" in str(info.value) and info.value.hint
