from __future__ import annotations

import pytest

from lyceum.agents.calculator import calculator
from lyceum.agents.protocol import parse_json_step, parse_text_step, step_schema
from lyceum.agents.tools import tool


@tool(register=False)
def search(query: str, k: int = 3) -> str:
    """Search."""
    return query


TOOLS = {"calculator": calculator, "search": search}


@pytest.mark.parametrize(
    "reply",
    [
        'Thought: I should compute.\nAction: calculator[{"expression": "6*7"}]',
        'Thought: I should compute.\nAction: calculator({"expression": "6*7"})',
        "Thought: I should compute.\nAction: calculator[6*7]",
        "Thought: I should compute.\nAction: calculator\nAction Input: 6*7",
        'Thought: I should compute.\nAction: calculator\nAction Input: {"expression": "6*7"}',
        'Thought: I should compute.\nAction: `calculator`\nAction Input: ```json\n{"expression": "6*7"}\n```',
        'Thought: I should compute.\n**Action:** calculator["6*7"]',
        "I should compute.\nAction: calculator: 6*7",
        'Thought: I should compute.\nAction: calculator[{"expression": "6*7"}]\n'
        "Observation: 42\nThought: done\nFinal Answer: 42",
        '{"thought": "I should compute.", "action": "calculator", "action_input": {"expression": "6*7"}}',
    ],
)
def test_text_protocol_reads_the_common_action_spellings(reply: str) -> None:
    decision = parse_text_step(reply, TOOLS)
    assert decision.error is None
    assert decision.thought == "I should compute."
    assert [(a.name, a.args) for a in decision.actions] == [("calculator", {"expression": "6*7"})]


@pytest.mark.parametrize(
    ("reply", "answer"),
    [
        ("Thought: I know it.\nFinal Answer: Paris", "Paris"),
        ("Final answer: 42", "42"),
        ('Thought: done\nAction: final_answer[{"answer": "Paris"}]', "Paris"),
        ("Thought: done\nAction: Final Answer[Paris]", "Paris"),
        (
            '{"thought": "x", "action": "final_answer", "action_input": {"answer": "Paris"}}',
            "Paris",
        ),
        ('{"answer": "Paris"}', "Paris"),
    ],
)
def test_text_protocol_reads_final_answers(reply: str, answer: str) -> None:
    decision = parse_text_step(reply, TOOLS)
    assert decision.error is None and decision.actions == []
    assert decision.final_answer == answer


def test_an_action_before_a_final_answer_wins() -> None:
    decision = parse_text_step('Action: search[{"query": "x"}]\nFinal Answer: y', TOOLS)
    assert decision.final_answer is None
    assert decision.actions[0].args == {"query": "x"}


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ("I think the answer might be 4.", "neither an 'Action:' line nor a 'Final Answer:'"),
        ("Thought: hmm\nFinal Answer:", "followed by nothing"),
        ("Thought: hmm\nAction: [1, 2]", "not followed by a tool name"),
    ],
)
def test_unusable_text_replies_say_why(reply: str, error: str) -> None:
    decision = parse_text_step(reply, TOOLS)
    assert decision.error is not None and error in decision.error


def test_json_step_errors_and_aliases() -> None:
    assert "not a JSON object" in (parse_json_step("no json here", TOOLS).error or "")
    assert 'no "action"' in (parse_json_step('{"thought": "x"}', TOOLS).error or "")
    aliased = parse_json_step('{"tool": "search", "args": {"query": "q", "k": 1}}', TOOLS)
    assert aliased.actions[0].name == "search" and aliased.actions[0].args == {"query": "q", "k": 1}
    bare = parse_json_step('{"action": "calculator", "action_input": "1+1"}', TOOLS)
    assert bare.actions[0].args == {"expression": "1+1"}


def test_step_schema_has_one_branch_per_tool_plus_the_answer() -> None:
    schema = step_schema([calculator, search])
    branches = schema["anyOf"]
    assert [b["properties"]["action"]["enum"] for b in branches] == [
        ["calculator"],
        ["search"],
        ["final_answer"],
    ]
    assert branches[0]["properties"]["action_input"] == calculator.parameters
    assert all(b["required"] == ["action", "thought", "action_input"] for b in branches)
    assert list(branches[0]["properties"]) == ["action", "thought", "action_input"]
