"""The command line's conventions, run through the real entry point (`lyceum.cli.main.run`,
what the `lyceum` script calls) with output captured, i.e. piped:

- exit codes: 0 when the command did what was asked, 1 when it refused or an input is
  missing, 2 for a usage error;
- errors echo what the user typed verbatim, square brackets included;
- a typo in any table of lyceum.toml is reported the same way, by every command;
- `init --print` is the configuration reference and parses back;
- piped output is never cut to fit a width;
- help shows value types and loses no text to console markup.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.markup import render
from typer.main import get_command

from lyceum.cli.main import app, run
from lyceum.cli.state import state
from lyceum.config import FEATURE_TABLES, table_model
from lyceum.config_reference import reference_toml


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def lyceum(capsys, monkeypatch, workspace):
    """`lyceum ARGS...` in-process through `run()`, against the test workspace."""

    def invoke(*args: object, workspace_dir: Path | None = workspace) -> Outcome:
        argv = ["lyceum"]
        if workspace_dir is not None:
            argv += ["--workspace", str(workspace_dir)]
        monkeypatch.setattr(sys, "argv", [*argv, *map(str, args)])
        state._settings = None
        capsys.readouterr()
        try:
            run()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "records.jsonl"
    texts = [
        "Widgets are small machines that people build carefully in many workshops.",
        "Gadgets are handheld devices that beep when pressed by curious children.",
    ]
    path.write_text(
        "".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts))
    )
    return path


# -- exit codes ---------------------------------------------------------------------------


def test_commands_that_do_what_was_asked_exit_0(lyceum, scripted_workspace, records, tmp_path):
    for args in (
        ("collections",),
        ("calls",),
        ("eval", "list"),
        ("research", "--list"),
        ("models", "--no-probe"),
        ("ask", "hi", "-m", "fake", "--no-stream"),
        ("data", "stats", records),
        ("data", "dedup", records, "-o", tmp_path / "kept.jsonl", "-j", "1"),
        ("data", "clean", records, "-o", tmp_path / "clean.jsonl", "-j", "1"),
        ("data", "format", records, "-o", tmp_path / "fmt", "-j", "1"),
        ("init", "--print"),
    ):
        outcome = lyceum(*args)
        assert outcome.code == 0, (args, outcome.err)


def test_commands_that_refuse_exit_1_with_an_error_and_a_hint(
    lyceum, scripted_workspace, records, tmp_path
):
    refusals = {
        ("ask", "hi", "-m", "nosuch"): "model 'nosuch' is neither a gateway role",
        ("search", "x", "--rerank", "llm", "-m", "nosuch"): "model 'nosuch' is neither",
        ("data", "format", records, "-o", tmp_path / "dpo", "--kind", "dpo", "-j", "1"): (
            "made no dpo rows from 2 records"
        ),
        ("init",): "lyceum.toml already exists",
    }
    for args, message in refusals.items():
        outcome = lyceum(*args)
        assert outcome.code == 1, args
        assert outcome.err.startswith("error: ") and message in outcome.err, outcome.err
        assert "\nhint: " in outcome.err
        assert "Traceback" not in outcome.err


def test_a_missing_input_exits_1_and_names_it(lyceum, scripted_workspace, tmp_path):
    missing = tmp_path / "nope.jsonl"
    for args in (
        ("data", "stats", missing),
        ("data", "dedup", missing, "-o", tmp_path / "o.jsonl"),
        ("data", "clean", missing, "-o", tmp_path / "o.jsonl"),
        ("data", "format", missing, "-o", tmp_path / "o"),
        ("data", "run", tmp_path / "nope.yaml"),
        ("eval", "run", tmp_path / "nope.yaml"),
        ("check", "--pairs", missing),
        ("ingest", missing),
    ):
        outcome = lyceum(*args)
        assert outcome.code == 1, (args, outcome.err)
        assert "error:" in outcome.err and "nope." in outcome.err, (args, outcome.err)


def test_a_workspace_that_does_not_exist_is_refused_not_created(lyceum, tmp_path):
    missing = tmp_path / "no-such-workspace"
    outcome = lyceum("collections", workspace_dir=missing)
    assert outcome.code == 1 and f"workspace {missing} does not exist" in outcome.err
    assert f"lyceum --workspace {missing} init" in outcome.err
    assert not missing.exists()
    assert lyceum("init", workspace_dir=missing).code == 0 and (missing / "lyceum.toml").exists()


def test_an_unknown_command_lists_the_commands_and_is_a_usage_error(lyceum):
    outcome = lyceum("nosuch")
    assert outcome.code == 2
    assert "No such command 'nosuch'" in outcome.err and "--debug" not in outcome.err
    assert re.search(r"^  research\s+Research a question", outcome.err, re.M)
    sub = lyceum("data", "nosuch")
    assert sub.code == 2 and re.search(r"^  dedup\s+Remove exact", sub.err, re.M)


def test_an_empty_input_warns_but_succeeds(lyceum, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    outcome = lyceum("data", "format", empty, "-o", tmp_path / "out", "-j", "1")
    assert outcome.code == 0 and "warning:" in outcome.err and "holds no records" in outcome.err
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    read = lyceum("data", "read", folder, "-o", tmp_path / "r.jsonl", "-j", "1")
    assert read.code == 0 and "no readable files found" in read.err


def test_a_drops_log_outside_the_output_folder_works(lyceum, records, tmp_path):
    drops = tmp_path / "logs" / "drops.jsonl"
    outcome = lyceum(
        "data", "format", records, "-o", tmp_path / "out" / "fmt", "--kind", "sft",
        "--template", "instruction={title}", "--template", "output={text}",
        "--drops", drops, "-j", "1",
    )  # fmt: skip
    assert outcome.code == 1 and "made no sft rows" in outcome.err  # no record has a title
    assert [json.loads(line)["id"] for line in drops.read_text().splitlines()] == ["r0", "r1"]


# -- what the user typed, verbatim ----------------------------------------------------------


@pytest.mark.parametrize("name", ["runs[b]/qa.jsonl", "in[red]put.jsonl", "[bold]x[/bold].jsonl"])
def test_paths_that_look_like_markup_are_echoed_verbatim(lyceum, tmp_path, name):
    path = tmp_path / name
    for args in (("data", "stats", path), ("eval", "run", path), ("ingest", path)):
        outcome = lyceum(*args)
        assert outcome.code == 1 and str(path) in outcome.err, (args, outcome.err)


def test_a_yaml_parser_message_is_shown_whole(lyceum, tmp_path):
    experiment = tmp_path / "exp.yaml"
    experiment.write_text("name: [oops\n")
    outcome = lyceum("eval", "run", experiment)
    assert outcome.code == 1
    assert "name: [oops" in outcome.err and "expected ',' or ']'" in outcome.err


def test_markup_in_config_keys_and_values_is_shown_verbatim(lyceum, workspace):
    (workspace / "lyceum.toml").write_text('[server]\nhost = "[red]x"\nport = "[b]"\n')
    outcome = lyceum("collections")
    assert outcome.code == 1 and "server.port" in outcome.err and "(got '[b]')" in outcome.err


# -- configuration --------------------------------------------------------------------------

TABLES = ["models.local", "gateway", "store", *FEATURE_TABLES]


@pytest.mark.parametrize("table", TABLES)
def test_a_typo_in_any_table_is_reported_the_same_way_by_every_command(lyceum, workspace, table):
    kind = 'kind = "local"\n' if table == "models.local" else ""
    (workspace / "lyceum.toml").write_text(f"[{table}]\n{kind}colour = 1\n")
    for args in (("collections",), ("eval", "list"), ("calls",)):
        outcome = lyceum(*args)
        assert outcome.code == 1, (table, args)
        first, hint = outcome.err.splitlines()[:2]
        assert first.startswith(
            f"error: invalid configuration: {workspace / 'lyceum.toml'}: {table}.colour is not "
            f"a key of [{table}] (allowed: "
        )
        assert hint.startswith("hint: ") and "lyceum init --print" in hint


def test_init_print_is_the_reference_and_parses_back_into_the_defaults(lyceum):
    outcome = lyceum("init", "--print")
    assert outcome.out == reference_toml()
    parsed = tomllib.loads(outcome.out)
    for table in FEATURE_TABLES:
        values = parsed
        for part in table.split("."):
            values = values[part]
        model = table_model(table)
        assert model(**values) == model(), table


# -- piped output ---------------------------------------------------------------------------


def test_piped_tables_print_every_value_whole(lyceum, scripted_workspace, experiment_file):
    long_name = "a-backend-name-that-would-never-fit-in-a-narrow-column-" * 2
    config = scripted_workspace / "lyceum.toml"
    config.write_text(config.read_text() + f'[models.{long_name}]\nkind = "scripted"\n')
    assert lyceum("ask", "hi", "-m", long_name, "--no-stream").code == 0
    calls = lyceum("calls")
    assert long_name in calls.out and "…" not in calls.out
    assert lyceum("eval", "run", experiment_file).code == 0
    [run] = [json.loads(line) for line in lyceum("eval", "list", "--json").out.splitlines()]
    listed = lyceum("eval", "list")
    assert run["id"] in listed.out and "…" not in listed.out


def test_piped_progress_says_done_of_total(lyceum, scripted_workspace, experiment_file):
    outcome = lyceum("eval", "run", experiment_file)
    assert outcome.code == 0 and "8/8 done" in outcome.err
    again = lyceum("eval", "run", experiment_file)
    assert re.search(r"^all of \d+ model calls served from the exact cache", again.out, re.M)


def test_a_piped_pipeline_run_prints_each_step_done_of_total(lyceum, records, tmp_path):
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(
        f"name: tiny\noutput: out\nworkers: 1\nsteps:\n  - read: {{paths: [{records.name}]}}\n"
        "  - clean: {}\n  - dedup: {}\n  - format: {kind: cpt}\n"
    )
    outcome = lyceum("data", "run", pipeline)
    assert outcome.code == 0, outcome.err
    for step in ("clean", "dedup", "format"):
        assert re.search(rf"^{step}: 2/2 done$", outcome.err, re.M), outcome.err
    assert "2 documents read, 2 out" in outcome.out


def test_every_list_command_has_json(lyceum, scripted_workspace):
    for args in (
        ("collections", "--json"),
        ("calls", "--json"),
        ("eval", "list", "--json"),
        ("research", "--list", "--json"),
        ("models", "--no-probe", "--json"),
    ):
        outcome = lyceum(*args)
        assert outcome.code == 0, args
        for line in outcome.out.splitlines():
            json.loads(line)


# -- help -----------------------------------------------------------------------------------


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_help_text_loses_nothing_to_console_markup():
    for path, command in _commands(get_command(app)):
        for text in [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]:
            assert render(text).plain == text.replace("\\[", "["), (path, text)


def test_help_shows_value_types_and_no_type_for_flags(lyceum):
    outcome = lyceum("data", "dedup", "--help")
    assert outcome.code == 0
    assert re.search(r"--threshold\s+FLOAT", outcome.out)
    assert re.search(r"--clusters\s+PATH", outcome.out)
    assert re.search(r"--workers\s+-j\s+INTEGER", outcome.out)
    assert "<bool>" not in outcome.out and "<str>" not in outcome.out
    compare = lyceum("eval", "compare", "--help")
    assert "RUN[:METHOD[@MODEL]]" in compare.out
    research = lyceum("research", "--help")
    assert "--budget-tokens" in research.out and "--max-tokens" not in research.out


@pytest.fixture
def experiment_file(scripted_workspace: Path, lab_experiment) -> Path:
    return lab_experiment("conventions")
