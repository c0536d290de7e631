from __future__ import annotations

import sqlite3

from lyceum.store.calls import CallFilter, CallLog, Runs
from lyceum.store.db import Database, close_all, open_database


def test_database_is_migrated_and_uses_wal(workspace):
    url = f"sqlite:///{workspace / 'x.db'}"
    db = open_database(url)
    assert {"runs", "calls", "cache_entries", "alembic_version"} <= set(db.table_names())
    with sqlite3.connect(workspace / "x.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_a_migrated_database_keeps_its_rows(workspace):
    url = f"sqlite:///{workspace / 'y.db'}"
    CallLog(open_database(url)).write(backend="b", model="m", output="kept")
    close_all()
    again = Database(url)
    assert [r.output for r in CallLog(again).list()] == ["kept"]


def test_call_log_filters_summary_and_export(workspace, tmp_path):
    db = open_database(f"sqlite:///{workspace / 'z.db'}")
    runs = Runs(db)
    run_id = runs.create("experiment", "demo")
    log = CallLog(db)
    log.write(
        run_id=run_id,
        caller="lab.naive",
        backend="local",
        model="m",
        prompt_tokens=10,
        completion_tokens=5,
        cost_usd=0.5,
        latency_s=1.0,
    )
    log.write(
        run_id=run_id,
        caller="lab.cot",
        backend="api",
        model="m",
        error="boom",
        error_type="ServerError",
    )
    log.write(caller="cli.ask", backend="local", model="m", cache_hit="exact")
    assert len(log.list(CallFilter(run_id=run_id))) == 2
    assert [r.caller for r in log.list(CallFilter(errors_only=True))] == ["lab.cot"]
    s = log.summary(CallFilter(run_id=run_id))
    assert (s.calls, s.errors, s.prompt_tokens, s.cost_usd) == (2, 1, 10, 0.5)
    assert log.summary().cache_hits == 1
    out = tmp_path / "calls.jsonl"
    with out.open("w") as handle:
        assert log.export_jsonl(handle, CallFilter(backend="local")) == 2
    assert len(out.read_text().splitlines()) == 2


def test_runs_checkpoint_state(workspace):
    runs = Runs(open_database(f"sqlite:///{workspace / 'r.db'}"))
    run_id = runs.create("research", "q")
    runs.save_state(run_id, {"step": 3}, status="interrupted")
    row = runs.get(run_id)
    assert row is not None and row.state == {"step": 3} and row.status == "interrupted"


def test_prompts_can_be_kept_out_of_the_log(workspace):
    log = CallLog(open_database(f"sqlite:///{workspace / 'p.db'}"), record_prompts=False)
    log.write(backend="b", model="m", messages=[{"role": "user", "content": "secret"}], output="x")
    [r] = log.list()
    assert r.messages == [] and r.output == ""
