"""`evolve run` as a resumable sequence of stages: a refused batch ends the run, a gated
batch waits for review and the next attempt skips what is done, a spent budget stops
before training, and the arena's questions never reach the training files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lyceum.config import load_settings
from lyceum.evolve.closed_loop import (
    RunOptions,
    StopRun,
    ensure_base_in_production,
    hold_out,
    load_state,
    run_loop,
)
from lyceum.evolve.registry import Registry
from lyceum.progress import ProgressEvent
from lyceum.store.db import open_database

from ..own_team import ran_on_ended_threads
from .conftest import make_example


def write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def settings(workspace):
    anchor = [make_example(i).model_dump() for i in range(20)]
    write(workspace / "anchor.jsonl", anchor)
    write(workspace / "qa.jsonl", [
        {"id": "q1", "question": "Which river flows through Cairo?", "answers": ["Nile"]},
        {"id": "q2", "question": "Who wrote Hamlet?", "answers": ["Shakespeare"]},
    ])  # fmt: skip
    (workspace / "suite.yaml").write_text(
        "name: s\ndatasets: [{name: jsonl, options: {path: qa.jsonl}}]\nmethods: [naive]\n"
        "models: [fake]\n"
    )
    (workspace / "lyceum.toml").write_text(
        '[models.fake]\nkind = "scripted"\n[gateway]\ntiers = ["fake"]\n'
        '[evolve]\nembedding_model = "hashing"\nanchor_path = "anchor.jsonl"\n'
        'arena_experiment = "suite.yaml"\n'
    )
    return load_settings(workspace)


def no_arena(*_):
    raise AssertionError("the arena must not run in this test")


def options(tmp_path, batch, **extra):
    return RunOptions(base_model="smollm2-135m-instruct", out_dir=tmp_path / "run",
                      batch=batch, **extra)  # fmt: skip


def test_a_batch_the_gate_refuses_ends_the_run_with_the_rules_named(settings, tmp_path):
    bad = [make_example(100 + i, synthetic=True, depth=3, quality=0.5).model_dump()
           for i in range(40)]  # fmt: skip
    state = run_loop(settings, options(tmp_path, write(tmp_path / "b.jsonl", bad)), no_arena,
                     progress=lambda _: None)  # fmt: skip
    assert state.outcome.startswith("refused by the gate")
    assert "generation_depth" in state.outcome and "train" not in state.done


def test_a_gated_batch_waits_for_review_and_the_next_attempt_resumes(settings, tmp_path):
    good = [make_example(200 + i, synthetic=True, depth=1, quality=0.9).model_dump()
            for i in range(4)]  # fmt: skip
    batch = write(tmp_path / "b.jsonl", good)
    with pytest.raises(StopRun, match="waits for review"):
        run_loop(settings, options(tmp_path, batch), no_arena, progress=lambda _: None)
    saved = load_state(options(tmp_path, batch))
    assert set(saved.done) == {"harvest", "gate"}
    # approved now, but with no budget left: the finished stages are not repeated and the
    # run stops before training, saying how to go on
    events: list[ProgressEvent] = []
    with pytest.raises(StopRun, match="budget is spent before train"):
        run_loop(settings, options(tmp_path, batch, approve=True, max_hours=1e-9), no_arena,
                 progress=events.append)  # fmt: skip
    assert [e.data["stage"] for e in events] == ["review", "compose"]
    assert [e.message.split("]")[0] for e in events] == ["[review", "[compose"]
    assert set(load_state(options(tmp_path, batch)).done) == {"harvest", "gate", "review",
                                                              "compose"}  # fmt: skip


def test_rows_asking_an_arena_question_are_held_out(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "sft.jsonl", [{"instruction": "Who wrote Hamlet?", "output": "Shakespeare"},
                                 {"instruction": "Name a colour.", "output": "Red"}])  # fmt: skip
    write(corpus / "dpo.jsonl", [{"prompt": "Q: which river flows through Cairo? Be brief.",
                                  "chosen": "Nile", "rejected": "Thames"}])  # fmt: skip
    counts = hold_out(corpus, {"who wrote hamlet", "which river flows through cairo"})
    assert counts == {"dropped": 2, "sft.jsonl": 1, "dpo.jsonl": 0}
    assert "colour" in (corpus / "sft.jsonl").read_text()


def test_the_untrained_base_becomes_production_once_so_a_promotion_can_be_rolled_back(settings):
    registry = Registry(open_database(settings.database_url))
    first = ensure_base_in_production(registry, "smollm2-135m-instruct")
    assert first.status == "production" and first.payload["base_model"] == "smollm2-135m-instruct"
    assert ensure_base_in_production(registry, "smollm2-135m-instruct").id == first.id
    trained = registry.register("model", {"base_model": "smollm2-135m-instruct"}, name="t1")
    registry.promote(trained.id, reason="won")
    assert registry.rollback("model", reason="check").id == first.id


@pytest.mark.slow
def test_the_loop_trains_serves_and_judges_a_smollm2_adapter(workspace, tmp_path, embedded_model):
    """On the real fast tier: one DPO step from its GGUF, the exported adapter served as a
    version, the arena against the untrained base, then promote or refuse (either is a
    valid outcome; the loop must run) and a rollback when promoted."""
    pytest.importorskip("trl")
    embedded_model("smollm2-135m-instruct")
    from lyceum.cli.evolve import _arena_runner

    write(workspace / "anchor.jsonl", [make_example(i).model_dump() for i in range(20)])
    write(workspace / "qa.jsonl", [
        {"id": f"q{i}", "context": f"Box {i} holds the code ZEBRA-{i}.",
         "question": f"What code does box {i} hold?", "answers": [f"ZEBRA-{i}"]}
        for i in range(4)
    ])  # fmt: skip
    (workspace / "suite.yaml").write_text(
        "name: s\ndatasets: [{name: jsonl, options: {path: qa.jsonl, context_field: context}}]\n"
        "methods: [{name: naive, params: {max_tokens: 12}}]\nmodels: [local]\nconcurrency: 1\n"
        "metrics: [token_f1]\n"
    )
    (workspace / "lyceum.toml").write_text(
        '[models.local]\nkind = "local"\nmodel = "smollm2-135m-instruct"\nn_ctx = 1024\n'
        '[gateway]\ntiers = ["local"]\nmax_retries = 0\n[evolve]\nembedding_model = "hashing"\n'
        'anchor_path = "anchor.jsonl"\narena_experiment = "suite.yaml"\narena_model = "local"\n'
    )
    settings = load_settings(workspace)
    pairs = [make_example(300 + i, synthetic=True, depth=1, quality=0.9, kind="dpo").model_dump()
             for i in range(8)]  # fmt: skip
    batch = write(tmp_path / "b.jsonl", pairs)
    state = run_loop(settings, options(tmp_path, batch, approve=True, max_steps=1, kind="dpo"),
                     _arena_runner, progress=lambda _: None)  # fmt: skip
    assert Path(state.done["train"]["adapter_gguf"]).is_file()
    arena = state.done["arena"]
    assert arena["overall"]["n"] == 4 and "mcnemar_p" in arena["overall"]
    registry = Registry(open_database(settings.database_url))
    name = state.done["register"]["version"]
    if state.outcome.startswith("promoted"):
        assert registry.production("model").name == name
        restored = registry.rollback("model", reason="test")
        assert restored.name != name and "adapter_gguf" not in restored.payload
    else:
        assert state.outcome.startswith(f"refused {name}")
        assert registry.get(name).status == "candidate"


def test_training_runs_on_a_thread_that_ends_with_it(tmp_path, monkeypatch):
    # Its torch OpenMP team must not outlive it: the arena decodes with the embedded model
    # in the same process (lyceum.llm.backends.openmp_team).
    import threading

    import lyceum.train
    from lyceum.evolve import closed_loop

    threads = []

    def fake_train(spec, data, out, *, max_seconds, progress):
        threads.append(threading.current_thread())
        return {"spec": type(spec).__name__, "out": out}

    monkeypatch.setattr(lyceum.train, "train_sft", fake_train)
    monkeypatch.setattr(lyceum.train, "train_dpo", fake_train)
    for kind in ("sft", "dpo"):
        result = closed_loop._train(options(tmp_path, None), kind, tmp_path, None, lambda e: None)
        assert result["spec"] == f"{kind.upper()}Spec" and result["out"] == tmp_path / "train"
    assert ran_on_ended_threads(threads)
    assert len(threads) == 2
