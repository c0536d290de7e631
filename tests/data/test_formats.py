from __future__ import annotations

from collections import Counter

import pytest

from lyceum.data.formats import (
    FormatConfig,
    assign_split,
    format_batch,
    format_record,
    format_records,
)
from lyceum.data.records import Record

PAPER = Record(
    id="2101.00001",
    text="Full text of the paper.",
    metadata={"title": "Sparse Widgets", "abstract": "Widgets compose.", "authors": ["A", "B"]},
)


def test_cpt_rows_carry_the_text():
    assert format_record(PAPER, FormatConfig()) == {"id": "2101.00001", "text": PAPER.text}
    assert format_record(PAPER, FormatConfig(include_id=False)) == {"text": PAPER.text}


def test_sft_rows_fill_templates_from_metadata():
    config = FormatConfig(
        kind="sft",
        templates={
            "instruction": "Write the abstract of the paper titled {title!r} by {authors}.",
            "input": "",
            "output": "{abstract}",
        },
        include_id=False,
    )
    assert format_record(PAPER, config) == {
        "instruction": "Write the abstract of the paper titled 'Sparse Widgets' by A, B.",
        "input": "",
        "output": "Widgets compose.",
    }


def test_sft_defaults_read_instruction_input_output_fields():
    record = Record(id="1", text="", metadata={"instruction": "Add.", "output": "4"})
    row = format_record(record, FormatConfig(kind="sft"))
    assert row == {"id": "1", "instruction": "Add.", "input": "", "output": "4"}


def test_chat_rows_are_messages_and_existing_conversations_pass_through():
    config = FormatConfig(
        kind="chat",
        templates={"system": "You summarize papers.", "user": "{title}", "assistant": "{abstract}"},
    )
    assert format_record(PAPER, config)["messages"] == [
        {"role": "system", "content": "You summarize papers."},
        {"role": "user", "content": "Sparse Widgets"},
        {"role": "assistant", "content": "Widgets compose."},
    ]
    convo = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    record = Record(id="c", text="", metadata={"messages": convo})
    assert format_record(record, FormatConfig(kind="chat"))["messages"] == convo


def test_dpo_rows_have_prompt_chosen_rejected():
    record = Record(id="p", text="", metadata={"prompt": "2+2?", "chosen": "4", "rejected": "5"})
    row = format_record(record, FormatConfig(kind="dpo", include_id=False))
    assert row == {"prompt": "2+2?", "chosen": "4", "rejected": "5"}


def test_records_missing_a_template_field_are_dropped_with_the_reason():
    batch = format_batch([PAPER, Record(id="bare", text="x")], FormatConfig(kind="dpo"))
    assert batch.rows == [] and [d.reason for d in batch.drops] == ["missing_field"] * 2
    batch = format_batch(
        [PAPER, Record(id="bare", text="x")],
        FormatConfig(kind="sft", templates={"instruction": "Summarize.", "output": "{abstract}"}),
    )
    assert [row["id"] for _, row in batch.rows] == ["2101.00001"]
    assert batch.drops[0].id == "bare" and "abstract" in batch.drops[0].detail


def test_templates_must_belong_to_the_kind():
    with pytest.raises(ValueError, match="do not belong"):
        FormatConfig(kind="cpt", templates={"chosen": "{text}"})


def test_splits_must_be_known_and_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        FormatConfig(splits={"train": 0.5, "test": 0.2})
    with pytest.raises(ValueError, match="unknown split"):
        FormatConfig(splits={"train": 0.5, "dev": 0.5})


def test_splits_are_deterministic_per_seed_and_follow_the_fractions():
    splits = {"train": 0.8, "validation": 0.1, "test": 0.1}
    ids = [f"doc-{i}" for i in range(5000)]
    first = [assign_split(i, splits, seed=3) for i in ids]
    assert first == [assign_split(i, splits, seed=3) for i in ids]
    assert first != [assign_split(i, splits, seed=4) for i in ids]
    counts = Counter(first)
    assert abs(counts["train"] / 5000 - 0.8) < 0.03
    assert abs(counts["validation"] / 5000 - 0.1) < 0.02


def test_stream_api_yields_split_and_row():
    rows = list(format_records([PAPER], FormatConfig(splits={"test": 1.0})))
    assert rows == [("test", {"id": PAPER.id, "text": PAPER.text})]
