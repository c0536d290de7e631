from __future__ import annotations

import json
import subprocess
import sys


def test_init_then_models_lists_the_default_local_backend(cli, workspace):
    assert cli("init").exit_code == 0
    result = cli("models", "--no-probe")
    assert result.exit_code == 0 and "local" in result.output and "default#1" in result.output


def test_ask_streams_the_answer_and_records_the_call(cli, scripted_workspace):
    result = cli("ask", "What is the capital of France?")
    assert result.exit_code == 0, result.output
    assert "Paris is the capital of France." in result.stdout
    listed = cli("calls", "--json")
    [record] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert record["caller"] == "cli.ask" and record["backend"] == "fake"
    assert record["messages"][-1]["content"] == "What is the capital of France?"


def test_ask_again_is_served_from_the_exact_cache(cli, scripted_workspace):
    cli("ask", "Same question", "--no-stream")
    second = cli("ask", "Same question", "--no-stream")
    assert "Paris is the capital of France." in second.stdout
    summary = cli("calls", "summary")
    assert "2 calls" in summary.stdout and "1 cache hit (50%)" in summary.stdout


def test_models_probe_reports_reachability(cli, scripted_workspace):
    result = cli("models")
    assert result.exit_code == 0 and "yes" in result.output


def test_calls_export_and_show(cli, scripted_workspace, tmp_path):
    cli("ask", "q1", "--no-stream")
    out = tmp_path / "calls.jsonl"
    assert cli("calls", "export", "--out", str(out)).exit_code == 0
    record = json.loads(out.read_text().splitlines()[0])
    shown = cli("calls", "show", record["id"][:10])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == record["id"]


def test_errors_are_one_line_with_a_hint_and_no_traceback(workspace):
    (workspace / "lyceum.toml").write_text("[gateway]\nmax_retrys = 3\n")
    proc = subprocess.run(
        [sys.executable, "-m", "lyceum", "--workspace", str(workspace), "calls"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "gateway.max_retrys" in proc.stderr and "hint:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unreachable_backend_is_a_clear_error(workspace):
    (workspace / "lyceum.toml").write_text(
        """
[models.remote]
kind = "openai"
base_url = "http://127.0.0.1:9/v1"
model = "x"
api_key_env = "NOPE"
[gateway]
tiers = ["remote"]
max_retries = 0
"""
    )
    proc = subprocess.run(
        [sys.executable, "-m", "lyceum", "-w", str(workspace), "ask", "hi"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "cannot reach" in proc.stderr and "Traceback" not in proc.stderr
