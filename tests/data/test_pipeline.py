from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from lyceum.data import step_runs
from lyceum.data.pipeline import run_pipeline
from lyceum.data.pipeline_config import load_pipeline
from lyceum.errors import ConfigError
from lyceum.progress import ProgressEvent

PIPELINE = """
name: test
output: out
workers: {workers}
executor: {executor}
batch_size: 8
steps:
  - read: {{paths: [corpus]}}
  - clean: {{min_words: 5}}
  - dedup: {{threshold: {threshold}}}
  - format: {{kind: cpt, splits: {{train: 0.5, validation: 0.25, test: 0.25}}, seed: 1}}
"""


def _tar_gz(path: Path, files: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in files.items():
            data = content.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _build(tmp_path: Path, corpus, words, *, workers=1, executor="local", threshold=0.8) -> Path:
    root = tmp_path / "corpus"
    corpus.write_latex_project(root / "widgets")
    _tar_gz(
        root / "2101.00001.tar.gz",
        {
            "ms.tex": corpus.LATEX_MAIN.replace("Sparse Widgets", "Dense Widgets"),
            "sections/intro.tex": "Dense widgets differ entirely: nothing here repeats the other "
            "paper, every sentence of it is new and written for this archive alone.",
        },
    )
    (root / "2101.00002.tar.gz").write_bytes(b"truncated download")
    rows, _ = corpus.near_duplicate_corpus(words, bases=12)
    rows.append({"id": "moji", "text": "The cafÃ© opened early and served coffee to everyone."})
    corpus.write_jsonl(root / "docs.jsonl", rows)
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(PIPELINE.format(workers=workers, executor=executor, threshold=threshold))
    return pipeline


def _rows(out: Path) -> dict[str, dict]:
    rows = {}
    for split in ("train", "validation", "test"):
        for line in (out / f"{split}.jsonl").read_text().splitlines():
            row = json.loads(line)
            rows[row["id"]] = {**row, "split": split}
    return rows


def test_pipeline_turns_a_mixed_corpus_into_split_training_files(tmp_path, corpus, words):
    result = run_pipeline(load_pipeline(_build(tmp_path, corpus, words, workers=2)))
    rows = _rows(result.output)
    _, expected = corpus.near_duplicate_corpus(corpus.WordSource(seed=7), bases=12)
    assert not set(expected) & set(rows)  # every known duplicate removed...
    assert {"b0", "b1", "d1", "moji"} <= set(rows)  # ...and nothing distinct merged
    assert rows["moji"]["text"].startswith("The café opened")
    [paper] = [r for r in rows.values() if "E = mc^2" in r["text"] and "Sparse" not in r["text"]]
    assert "funding" not in paper["text"]  # acknowledgements dropped
    assert "2101.00001" in rows and "Dense widgets differ" in rows["2101.00001"]["text"]
    assert {r["split"] for r in rows.values()} == {"train", "validation", "test"}

    steps = {s.step: s for s in result.steps}
    assert steps["read"].errors == {"corrupt_archive": 1}
    assert steps["dedup"].dropped == {
        "exact_duplicate": sum(k.startswith("x") for k in expected),
        "near_duplicate": sum(k.startswith("n") for k in expected),
    }
    assert steps["format"].docs_out == len(rows) == result.summary["documents_out"]
    assert result.summary["unreadable_sources"] == 1
    assert json.loads((result.output / "stats.json").read_text())["summary"] == result.summary
    errors = (result.output / "steps" / "00-read.errors.jsonl").read_text()
    assert "2101.00002.tar.gz" in errors


def test_rerun_skips_finished_steps_and_a_config_change_reruns_from_that_step(
    tmp_path, corpus, words
):
    pipeline = _build(tmp_path, corpus, words)
    first = run_pipeline(load_pipeline(pipeline))
    assert first.skipped == []
    again = run_pipeline(load_pipeline(pipeline))
    assert again.skipped == ["read", "clean", "dedup", "format"]
    assert again.steps == first.steps

    pipeline.write_text(pipeline.read_text().replace("threshold: 0.8", "threshold: 0.5"))
    changed = run_pipeline(load_pipeline(pipeline))
    assert changed.skipped == ["read", "clean"]

    (tmp_path / "out" / "steps" / "01-clean.jsonl").unlink()
    repaired = run_pipeline(load_pipeline(pipeline))
    assert repaired.skipped == ["read", "dedup", "format"]  # clean's output is identical again


def test_each_step_reports_start_advance_and_finish_as_progress_events(tmp_path, corpus, words):
    pipeline = _build(tmp_path, corpus, words)
    events: list[ProgressEvent] = []
    first = run_pipeline(load_pipeline(pipeline), progress=events.append)
    steps = [s.step for s in first.steps]
    assert [e.task for e in events if e.kind == "start"] == steps
    for stats in first.steps:
        mine = [e for e in events if e.task == stats.step]
        assert mine[0].kind == "start" and mine[-1].kind == "finish"
        assert mine[-1].total == stats.docs_in and mine[-1].message == ""
        assert sum(e.n for e in mine if e.kind == "advance") > 0

    events.clear()
    run_pipeline(load_pipeline(pipeline), progress=events.append)
    assert [e.message for e in events if e.kind == "finish"] == ["reused"] * len(steps)


def test_an_interrupted_step_leaves_no_output_and_runs_again(tmp_path, corpus, words, monkeypatch):
    pipeline = _build(tmp_path, corpus, words)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    original = step_runs.format_lines
    monkeypatch.setattr(step_runs, "format_lines", crash)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(load_pipeline(pipeline))
    out = tmp_path / "out"
    assert not (out / "train.jsonl").exists()
    assert not any(p.name.endswith(".partial") for p in out.rglob("*"))
    monkeypatch.setattr(step_runs, "format_lines", original)
    resumed = run_pipeline(load_pipeline(pipeline))
    assert resumed.skipped == ["read", "clean", "dedup"] and (out / "train.jsonl").exists()


def test_force_reruns_everything(tmp_path, corpus, words):
    pipeline = _build(tmp_path, corpus, words)
    run_pipeline(load_pipeline(pipeline))
    assert run_pipeline(load_pipeline(pipeline), force=True).skipped == []


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ("  - clean: {}\n", "first step must be 'read'"),
        ("  - read: {paths: [.]}\n  - format: {}\n  - clean: {}\n", "'format' must be the last"),
        ("  - read: {paths: [.]}\n  - clean: {min_wrds: 3}\n", "min_wrds"),
        ("  - read: {paths: [.]}\n  - dedup: {threshold: 2}\n", "threshold"),
        ("  - read: {paths: [.]}\n  - [clean, dedup]\n", "one key"),
    ],
)
def test_invalid_pipelines_are_config_errors(tmp_path, steps, message):
    path = tmp_path / "p.yaml"
    path.write_text("output: out\nsteps:\n" + steps)
    with pytest.raises(ConfigError, match=message):
        load_pipeline(path)


@pytest.mark.slow  # 25-58 s on the shared 2-core machine (median 39 s)
def test_ray_executor_gives_the_same_outputs_as_the_process_pool(tmp_path, corpus, words):
    pytest.importorskip("ray")
    import ray

    local = run_pipeline(load_pipeline(_build(tmp_path / "local", corpus, words, workers=2)))
    words_again = corpus.WordSource(seed=7)
    ray_pipeline = _build(tmp_path / "ray", corpus, words_again, workers=2, executor="ray")
    try:
        on_ray = run_pipeline(load_pipeline(ray_pipeline))
    finally:
        ray.shutdown()
    assert _rows(on_ray.output) == _rows(local.output)
    assert [s.model_dump(exclude={"seconds"}) for s in on_ray.steps] == [
        s.model_dump(exclude={"seconds"}) for s in local.steps
    ]


EXAMPLES = Path(__file__).parents[2] / "examples" / "pipelines"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_example_pipelines_are_valid(name):
    config = load_pipeline(EXAMPLES / name)
    assert config.steps[0].name == "read" and config.steps[-1].name == "format"


def _run_example(tmp_path: Path, name: str, rows: list[dict], corpus_file: str):
    """Run an example pipeline from a copy placed so its relative paths land in tmp_path."""
    here = tmp_path / "examples" / "pipelines"
    here.mkdir(parents=True)
    (here / name).write_text((EXAMPLES / name).read_text())
    (tmp_path / "corpora").mkdir()
    path = tmp_path / "corpora" / corpus_file
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = load_pipeline(here / name).model_copy(update={"executor": "local", "workers": 1})
    return run_pipeline(config)


def test_dpo_example_removes_repeated_prompts_and_writes_pairs(tmp_path):
    rows = [
        {"id": "1", "prompt": "What is two plus two?", "chosen": "4", "rejected": "5"},
        {"id": "2", "prompt": "what is two plus  two?", "chosen": "Four", "rejected": "22"},
        {"id": "3", "prompt": "Name a prime number.", "chosen": "7", "rejected": "8"},
    ]
    result = _run_example(tmp_path, "preferences-dpo.yaml", rows, "preferences.jsonl")
    out = [
        json.loads(line)
        for s in ("train", "test")
        for line in (result.output / f"{s}.jsonl").read_text().splitlines()
    ]
    assert sorted(r["id"] for r in out) == ["1", "3"]
    assert {"prompt": "What is two plus two?", "chosen": "4", "rejected": "5"}.items() <= next(
        r for r in out if r["id"] == "1"
    ).items()


def test_chat_example_builds_messages_from_question_and_answer(tmp_path):
    rows = [{"id": "q", "question": "Why do widgets compose?", "answer": "Interfaces."}]
    result = _run_example(tmp_path, "chat-jsonl.yaml", rows, "qa.jsonl")
    lines = [
        line
        for s in ("train", "test")
        for line in (result.output / f"{s}.jsonl").read_text().splitlines()
    ]
    assert [json.loads(line)["messages"] for line in lines] == [
        [
            {"role": "system", "content": "You answer questions about research papers."},
            {"role": "user", "content": "Why do widgets compose?"},
            {"role": "assistant", "content": "Interfaces."},
        ]
    ]


def test_no_spill_or_partial_files_are_left_behind(tmp_path, corpus, words):
    result = run_pipeline(load_pipeline(_build(tmp_path, corpus, words)))
    leftovers = [
        p.name for p in result.output.rglob("*") if p.name.startswith(".") or p.suffix == ".partial"
    ]
    assert leftovers == []
