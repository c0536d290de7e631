from __future__ import annotations

import json
from pathlib import Path

import pytest

from lyceum.cli.main import app

TOPICS = ["rivers", "volcanoes", "bees", "comets", "castles", "glaciers", "printing", "tides",
          "deserts", "orchids", "lighthouses", "compilers"]  # fmt: skip
PRINCIPLES = '{"principles": ["Answer with the entity only."]}'


def rows(n, *, synthetic, depth, quality, start=0):
    return [
        {"id": f"e{start + i}", "instruction": f"Tell me about {TOPICS[(start + i) % 12]}.",
         "output": f"Facts about {TOPICS[(start + i) % 12]} ({start + i}).",
         "synthetic": synthetic, "generation_depth": depth, "quality": quality}
        for i in range(n)
    ]  # fmt: skip


def write(path: Path, items) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in items))
    return path


@pytest.fixture
def ws(workspace):
    write(workspace / "anchor.jsonl", rows(12, synthetic=False, depth=0, quality=1.0))
    (workspace / "qa.jsonl").write_text(
        "".join(
            json.dumps({"id": c, "question": f"Capital of {c}?", "answers": [a]}) + "\n"
            for c, a in [("France", "Paris"), ("Italy", "Rome"), ("Spain", "Madrid")]
        )
    )
    (workspace / "suite.yaml").write_text(
        "name: suite\ndatasets: [{name: jsonl, label: caps, options: {path: qa.jsonl}}]\n"
        "methods: [naive]\nmodels: [fake]\n"
    )
    (workspace / "lyceum.toml").write_text(
        f"""
[models.fake]
kind = "scripted"
default_output = '{PRINCIPLES}'
[gateway]
tiers = ["fake"]
[evolve]
embedding_model = "hashing"
anchor_path = "anchor.jsonl"
arena_experiment = "suite.yaml"
"""
    )
    return workspace


def test_check_accepts_a_clean_batch_and_review_yes_accepts_it(cli, ws, tmp_path):
    batch = write(tmp_path / "good.jsonl", rows(4, synthetic=True, depth=1, quality=0.9, start=20))
    checked = cli("evolve", "check", str(batch))
    assert checked.exit_code == 0, checked.output
    assert "accepted by the gate" in checked.stdout and "status gated" in checked.stdout
    reviewed = cli("evolve", "review", str(batch), "--yes", "--sample", "2")
    assert reviewed.exit_code == 0, reviewed.output
    assert reviewed.stdout.count("instruction:") == 2
    assert "accepted (scripted --yes)" in reviewed.stdout
    status = cli("evolve", "status")
    assert "accepted" in status.stdout
    as_json = cli("evolve", "status", "--json")
    assert as_json.exit_code == 0, as_json.output
    [batch_row] = json.loads(as_json.stdout)["batches"]
    assert batch_row["status"] == "accepted" and batch_row["violations"] == []


def test_check_refuses_naming_every_violated_rule(cli, ws, tmp_path):
    bad = rows(60, synthetic=True, depth=3, quality=0.5, start=40)
    for r in bad:
        r["instruction"], r["output"] = "Same thing.", "Same answer."
    batch = write(tmp_path / "bad.jsonl", bad)
    result = cli("evolve", "check", str(batch))
    assert result.exit_code == 1
    assert "violates synthetic_share, generation_depth, diversity, quality" in result.stdout
    review = cli("evolve", "review", str(batch), "--yes")
    assert review.exit_code != 0 and "refused by the gate" in str(review.exception)


def test_check_names_bad_lines_of_a_malformed_batch(cli, ws, tmp_path):
    batch = tmp_path / "broken.jsonl"
    batch.write_text('{"instruction": "x", "output": "y"}\nnot json\n')
    result = cli("evolve", "check", str(batch))
    assert result.exit_code != 0
    message = str(result.exception)
    assert "line 1: synthetic: Field required" in message and "line 2: invalid JSON" in message


def test_an_interactive_rejection_is_recorded(cli, ws, tmp_path):
    from lyceum.evolve.batches import reviews_of
    from lyceum.evolve.examples import batch_id
    from lyceum.store.db import open_database

    batch = write(tmp_path / "b.jsonl", rows(2, synthetic=True, depth=1, quality=1.0, start=60))
    assert cli("evolve", "check", str(batch)).exit_code == 0
    from typer.testing import CliRunner

    from lyceum.cli.state import state

    state._settings = None
    result = CliRunner().invoke(
        app, ["--workspace", str(ws), "evolve", "review", str(batch)], input="n\n"
    )
    assert result.exit_code == 0 and "rejected" in result.stdout
    db = open_database(f"sqlite:///{ws / 'lyceum.db'}")
    (review,) = reviews_of(db, batch_id(batch))
    assert not review.approved and not review.scripted


def test_compose_writes_the_corpus_and_manifest(cli, ws, tmp_path):
    batch = write(tmp_path / "good.jsonl", rows(8, synthetic=True, depth=1, quality=0.9, start=20))
    assert cli("evolve", "check", str(batch)).exit_code == 0
    assert cli("evolve", "review", str(batch), "--yes").exit_code == 0
    result = cli("evolve", "compose", "--out", str(tmp_path / "corpus"))
    assert result.exit_code == 0, result.output
    assert "anchor: 12 used of 12" in result.stdout and "trajectories: 6 used of 8" in result.stdout
    assert (tmp_path / "corpus" / "manifest.json").exists()


def test_prompt_evolution_arena_promote_rollback_from_the_cli(cli, ws):
    run = cli("eval", "run", str(ws / "suite.yaml"))
    assert run.exit_code == 0, run.output
    run_id = run.stdout.split("run ", 1)[1].split(" ", 1)[0]
    evolved = cli("evolve", "evolve-prompt", "--lab-run", run_id)
    assert evolved.exit_code == 0, evolved.output
    assert (
        "registered prompt-v1" in evolved.stdout
        and "Answer with the entity only." in evolved.stdout
    )
    arena = cli("evolve", "arena", "prompt-v1")
    assert arena.exit_code == 0, arena.output
    assert "prompt-v1 lost the arena" in arena.stdout  # the fake answers the same either way
    refused = cli("evolve", "promote", "prompt-v1")
    assert refused.exit_code != 0 and "has not won an arena" in str(refused.exception)
    assert cli("evolve", "promote", "prompt-v1", "--force", "--reason", "baseline").exit_code == 0

    from lyceum.evolve.registry import Registry
    from lyceum.store.db import open_database

    registry = Registry(open_database(f"sqlite:///{ws / 'lyceum.db'}"))
    registry.register("prompt", {"addendum": "- Be brief.", "principles": ["Be brief."]})
    assert cli("evolve", "promote", "prompt-v2", "--force").exit_code == 0
    rolled = cli("evolve", "rollback", "prompt", "--reason", "worse in use")
    assert rolled.exit_code == 0 and "prompt-v1 is production again" in rolled.stdout
    status = cli("evolve", "status", "--transitions", "20")
    assert "rolled_back" in status.stdout and "worse in use" in status.stdout
    events = [t.event for t in registry.transitions("prompt")]
    assert events == ["registered", "arena", "promoted", "registered", "demoted", "promoted",
                      "rolled_back", "restored"]  # fmt: skip
    assert registry.transitions("prompt")[2].reason == "forced: baseline"


def test_train_names_an_unknown_base_model_and_the_catalogue(cli, ws, tmp_path):
    pytest.importorskip("trl")
    data = tmp_path / "sft.jsonl"
    data.write_text(json.dumps({"instruction": "a", "input": "", "output": "b"}) + "\n")
    result = cli(
        "evolve", "train", "sft", str(data), "--out", str(tmp_path / "o"), "--base-model", "m"
    )
    assert result.exit_code != 0 and "no base model 'm'" in str(result.exception)
    assert "qwen2.5-coder-0.5b-instruct" in result.exception.hint


def test_train_cpu_smoke_from_the_cli(cli, ws, tmp_path):
    pytest.importorskip("trl")
    data = tmp_path / "sft.jsonl"
    rows_ = [{"instruction": f"Say {w}.", "input": "", "output": w, "generation_depth": d}
             for w, d in [("yes", 0), ("no", 1)] * 4]  # fmt: skip
    write(data, rows_)
    result = cli("evolve", "train", "sft", str(data), "--out", str(tmp_path / "o"), "--cpu-smoke",
                 "--register", "--route", "tuned")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "trained 12 steps" in result.stdout
    assert "registered model-v1 (candidate, trained_on_depth 1)" in result.stdout
    assert (tmp_path / "o" / "adapter" / "adapter_config.json").exists()
    status = cli("evolve", "status")
    assert "model-v1" in status.stdout and "candidate" in status.stdout


@pytest.mark.slow
def test_train_on_cpu_registers_a_version_that_ask_answers_with(cli, workspace, tmp_path,
                                                                embedded_model):  # fmt: skip
    pytest.importorskip("trl")
    embedded_model("smollm2-135m-instruct")
    (workspace / "lyceum.toml").write_text(
        '[models.local]\nkind = "local"\nmodel = "smollm2-135m-instruct"\nn_ctx = 1024\n'
        '[gateway]\ntiers = ["local"]\n'
    )
    data = write(tmp_path / "sft.jsonl", [
        {"instruction": f"What is the code of box {i}?", "output": f"ZEBRA-{i}"} for i in range(4)
    ])  # fmt: skip
    trained = cli("evolve", "train", "sft", str(data), "--out", str(tmp_path / "o"),
                  "--base-model", "smollm2-135m-instruct", "--max-steps", "1",
                  "--name", "smol-v1")  # fmt: skip
    assert trained.exit_code == 0, trained.output
    assert "trained 1 steps on cpu" in trained.stdout and "registered smol-v1" in trained.stdout
    assert (tmp_path / "o" / "adapter.gguf").is_file()
    asked = cli("ask", "-m", "smol-v1", "What is the code of box 2?", "--max-tokens", "8",
                "--no-stream")  # fmt: skip
    assert asked.exit_code == 0, asked.output
    assert asked.stdout.strip()
    assert "smol-v1/smollm2-135m-instruct+smol-v1" in asked.stderr
