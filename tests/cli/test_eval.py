from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lyceum.cli.main import app


@pytest.fixture(autouse=True)
def _eval_registered():
    """Register `lyceum eval` on the app if the lead's module list does not yet."""
    if not any(g.name == "eval" for g in app.registered_groups):
        from lyceum.cli import eval as eval_cli

        eval_cli.register(app)


@pytest.fixture
def experiment(scripted_workspace: Path, lab_experiment) -> Path:
    return lab_experiment("cli-demo", concurrency=2)


def _run_id(output: str) -> str:
    match = re.search(r"run ([0-9a-f]{32})", output)
    assert match, output
    return match.group(1)


def test_eval_run_report_list_and_compare(cli, experiment, tmp_path):
    result = cli("eval", "run", str(experiment))
    assert result.exit_code == 0, result.output
    run_id = _run_id(result.stdout)
    assert "8 examples run, 0 already done, 0 errors" in result.stdout

    listed = cli("eval", "list")
    assert listed.exit_code == 0 and "cli-demo" in listed.stdout and "done" in listed.stdout

    out = tmp_path / "report"
    report = cli("eval", "report", run_id[:10], "--out", str(out), "--resamples", "200")
    assert report.exit_code == 0, report.output
    assert "| naive | 4 | 0 |" in report.stdout
    assert (out / "report.md").exists() and (out / "accuracy_cost.png").exists()

    as_json = cli("eval", "report", run_id, "--json", "--resamples", "200")
    assert {c["method"] for c in json.loads(as_json.stdout)["conditions"]} == {"naive", "cot"}

    compared = cli("eval", "compare", f"{run_id}:naive", f"{run_id}:cot")
    assert compared.exit_code == 0, compared.output
    assert "McNemar exact p" in compared.stdout and "Not significant by McNemar" in compared.stdout


def test_eval_run_resume_skips_finished_examples(cli, experiment):
    run_id = _run_id(cli("eval", "run", str(experiment)).stdout)
    again = cli("eval", "run", str(experiment), "--resume", run_id)
    assert again.exit_code == 0, again.output
    assert "0 examples run, 8 already done" in again.stdout


def test_eval_run_with_a_bad_experiment_names_the_field(cli, experiment):
    experiment.write_text(experiment.read_text().replace("concurrency: 2", "concurency: 2"))
    result = cli("eval", "run", str(experiment))
    assert result.exit_code != 0
    assert "concurency" in str(result.exception)


def test_eval_run_with_an_unknown_model_fails_before_any_call(cli, experiment):
    experiment.write_text(experiment.read_text().replace("models: [fake]", "models: [gpt9]"))
    result = cli("eval", "run", str(experiment))
    assert "gpt9" in str(result.exception)
    assert "no experiment runs" in cli("eval", "list").output


def test_eval_judge_rates_a_run(cli, experiment, scripted_workspace):
    run_id = _run_id(cli("eval", "run", str(experiment)).stdout)
    config = scripted_workspace / "lyceum.toml"
    config.write_text(
        config.read_text()
        + '\n[models.judge]\nkind = "scripted"\ndefault_output = \'{"reasoning": "ok", "score": 4}\'\n'
    )
    result = cli("eval", "judge", run_id, "--judge", "judge", "--method", "naive")
    assert result.exit_code == 0, result.output
    assert "caps/fake/naive: mean score 75.0/100 over 4 answers" in result.stdout


def test_eval_judge_pairwise_counts_position_bias_as_ties(cli, experiment, scripted_workspace):
    run_id = _run_id(cli("eval", "run", str(experiment)).stdout)
    config = scripted_workspace / "lyceum.toml"
    config.write_text(
        config.read_text()
        + '\n[models.first]\nkind = "scripted"\ndefault_output = \'{"reasoning": "r", "winner": "A"}\'\n'
    )
    result = cli("eval", "judge", run_id, "--judge", "first", "--pairwise", "naive", "cot")
    assert result.exit_code == 0, result.output
    assert "naive vs cot on 4 examples" in result.stdout
    assert "ties 4 (4 position-inconsistent verdicts)" in result.stdout


def test_a_typo_in_the_lab_table_fails_every_command_not_only_those_reading_it(
    cli, experiment, scripted_workspace
):
    config = scripted_workspace / "lyceum.toml"
    config.write_text(config.read_text() + "\n[lab]\nbootstrap_resampels = 5\n")
    for args in (("eval", "list"), ("eval", "compare", "x", "y"), ("collections",)):
        result = cli(*args)
        assert result.exit_code == 1 and "lab.bootstrap_resampels" in str(result.exception)


def test_eval_run_with_a_workspace_searches_that_workspaces_index(
    cli, experiment, scripted_workspace, tmp_path, monkeypatch
):
    from lyceum.config import load_settings
    from lyceum.lab.results import load_results
    from lyceum.retrieval import ingest
    from lyceum.store.db import open_database

    hashing = '\n[retrieval]\nembedding_model = "hashing"\n'
    config = scripted_workspace / "lyceum.toml"
    config.write_text(config.read_text() + hashing)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "capitals.txt").write_text("Zanzibar Paris is the capital city of France.\n")
    ingest([docs], settings=load_settings(scripted_workspace))
    # The default workspace is another, empty one: the run must not search it.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "lyceum.toml").write_text(hashing)
    monkeypatch.setenv("LYCEUM_WORKSPACE", str(elsewhere))
    experiment.write_text(experiment.read_text().replace("[naive, cot]", "[rag_naive]"))

    result = cli("eval", "run", str(experiment))
    assert result.exit_code == 0, result.output
    assert "4 examples run, 0 already done, 0 errors" in result.stdout
    db = open_database(load_settings(scripted_workspace).database_url)
    results = load_results(db, _run_id(result.stdout), with_trace=True)
    retrieved = [s for r in results for s in r.trace if s["kind"] == "retrieval"]
    assert len(retrieved) == 4
    assert all("Zanzibar Paris" in s["detail"]["passages"][0] for s in retrieved)
