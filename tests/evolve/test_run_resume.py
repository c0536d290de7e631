"""`lyceum evolve run` killed (SIGKILL, a real subprocess) in the middle of training, then
run again with the same --out: training resumes from its last checkpoint, the steps before
it are not trained again, and the run ends with the same step count, an exported adapter
and an arena verdict. On the real fast tier (SmolLM2-135M from its GGUF), a few short
steps."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import make_example

SMOL = "smollm2-135m-instruct"
STEPS = 4
KILL_AFTER = 3  # the checkpoint of step 2 is saved; step 4 is being trained
ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def command(workspace: Path, out: Path, batch: Path) -> list[str]:
    return [sys.executable, "-m", "lyceum", "--workspace", str(workspace), "evolve", "run",
            "--base-model", SMOL, "--out", str(out), "--batch", str(batch), "--approve",
            "--kind", "sft", "--max-steps", str(STEPS)]  # fmt: skip


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200",
            "LYCEUM_TRAIN_THREADS": "1", "HF_HUB_OFFLINE": "1"}  # fmt: skip


STEP = re.compile(r"^step (\d+)/(\d+)")


def steps_trained(lines: list[str]) -> list[int]:
    return [int(m.group(1)) for line in lines if (m := STEP.match(line.strip()))]


def test_a_run_killed_inside_training_resumes_from_its_last_checkpoint(
    workspace, tmp_path, embedded_model
):
    pytest.importorskip("trl")
    embedded_model(SMOL)
    write(workspace / "anchor.jsonl", [make_example(i).model_dump() for i in range(20)])
    write(workspace / "qa.jsonl", [
        {"id": f"q{i}", "context": f"Box {i} holds the code ZEBRA-{i}.",
         "question": f"What code does box {i} hold?", "answers": [f"ZEBRA-{i}"]}
        for i in range(2)
    ])  # fmt: skip
    (workspace / "suite.yaml").write_text(
        "name: s\ndatasets: [{name: jsonl, options: {path: qa.jsonl, context_field: context}}]\n"
        "methods: [{name: naive, params: {max_tokens: 8}}]\nmodels: [local]\nconcurrency: 1\n"
        "metrics: [token_f1]\n"
    )
    (workspace / "lyceum.toml").write_text(
        f'[models.local]\nkind = "local"\nmodel = "{SMOL}"\nn_ctx = 512\n'
        '[gateway]\ntiers = ["local"]\nmax_retries = 0\n[evolve]\nembedding_model = "hashing"\n'
        'anchor_path = "anchor.jsonl"\narena_experiment = "suite.yaml"\narena_model = "local"\n'
    )
    batch = write(tmp_path / "b.jsonl", [
        make_example(300 + i, synthetic=True, depth=1, quality=0.9).model_dump() for i in range(8)
    ])  # fmt: skip
    out = tmp_path / "run"

    first = subprocess.Popen(command(workspace, out, batch), stderr=subprocess.PIPE, text=True,
                             stdout=subprocess.DEVNULL, env=environment())  # fmt: skip
    seen: list[str] = []
    deadline = time.monotonic() + 600
    assert first.stderr is not None
    for line in first.stderr:
        seen.append(line)
        if steps_trained([line]) == [KILL_AFTER] or time.monotonic() > deadline:
            break
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL
    assert steps_trained(seen) == [1, 2, KILL_AFTER], "".join(seen[-20:])
    state = json.loads((out / "run.json").read_text())
    assert "compose" in state["done"] and "train" not in state["done"]
    assert (out / "train" / "checkpoint-2" / "trainer_state.json").is_file()

    again = subprocess.run(command(workspace, out, batch), capture_output=True, text=True,
                           env=environment(), timeout=900)  # fmt: skip
    assert again.returncode in (0, 1), again.stderr[-3000:]
    lines = again.stderr.splitlines()
    # only the steps after the checkpoint are trained again; the finished stages are not
    # run again either
    assert steps_trained(lines) == list(range(3, STEPS + 1)), again.stderr[-3000:]
    assert not any(line.startswith(("[harvest]", "[gate]", "[compose]")) for line in lines)
    state = json.loads((out / "run.json").read_text())
    train = state["done"]["train"]
    assert train["resumed_from"].endswith("checkpoint-2") and train["steps"] == STEPS
    assert len(train["losses"]) == STEPS and Path(train["adapter_gguf"]).is_file()
    assert state["done"]["arena"]["overall"]["n"] == 2
    assert state["outcome"].startswith(("promoted", "refused"))
