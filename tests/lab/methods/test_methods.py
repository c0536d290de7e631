from __future__ import annotations

from pathlib import Path

import pytest

from lyceum.errors import NotFoundError
from lyceum.lab.datasets.base import Example
from lyceum.lab.methods import MethodEnv, TracedModel, build_method, majority_vote, validate_params
from lyceum.llm.backends.scripted import ScriptedBackend, json_reply
from lyceum.llm.types import Completion, Usage

EXAMPLE = Example(id="q1", question="Who won?", answers=["Denver Broncos"], context="Broncos won.")


async def test_naive_shows_context_and_returns_the_reply():
    backend = ScriptedBackend(["Denver Broncos"])
    out = await build_method("naive", {}).solve(EXAMPLE, backend)
    assert out.prediction == "Denver Broncos"
    assert "Broncos won." in backend.history[0].messages[-1].content


async def test_cot_extracts_the_answer_line():
    backend = ScriptedBackend(["They scored more.\nAnswer: the Denver Broncos."])
    out = await build_method("cot", {}).solve(EXAMPLE, backend)
    assert out.prediction == "the Denver Broncos"
    assert "step by step" in backend.history[0].messages[-1].content


async def test_few_shot_reads_examples_relative_to_the_experiment(tmp_path: Path):
    (tmp_path / "shots.yaml").write_text(
        "- {question: 'What is 2+2?', reasoning: '2 and 2 make 4.', answer: '4'}\n"
        "- {question: 'Capital of France?', reasoning: 'It is Paris.', answer: Paris}\n"
    )
    backend = ScriptedBackend(["Answer: Denver Broncos"])
    method = build_method(
        "few_shot_cot", {"examples_file": "shots.yaml", "k": 1}, MethodEnv(base_dir=tmp_path)
    )
    out = await method.solve(EXAMPLE, backend)
    prompt = backend.history[0].messages[-1].content
    assert "2 and 2 make 4." in prompt and "Paris" not in prompt
    assert out.prediction == "Denver Broncos"


def test_few_shot_with_a_missing_file_says_which(tmp_path: Path):
    with pytest.raises(NotFoundError, match=r"nope\.yaml"):
        build_method("few_shot_cot", {"examples_file": "nope.yaml"}, MethodEnv(base_dir=tmp_path))


def test_unknown_parameters_are_rejected_by_name():
    with pytest.raises(ValueError, match=r"params\.sample"):
        validate_params("self_consistency", {"sample": 3})


async def test_self_consistency_samples_with_distinct_indices_and_votes():
    backend = ScriptedBackend(["Answer: Paris", "Answer: Lyon", "Answer: paris.", "Answer: Nice"])
    method = build_method("self_consistency", {"samples": 4, "temperature": 0.8})
    out = await method.solve(EXAMPLE, backend)
    assert out.prediction == "Paris"
    params = [c.params for c in backend.history]
    assert [p.sample_index for p in params] == [0, 1, 2, 3]
    assert all(p.temperature == 0.8 for p in params)


def test_majority_vote_ties_go_to_the_earliest_answer():
    assert majority_vote(["b", "a", "a", "b"]) == ("b", 2)
    assert majority_vote(["", ""]) == ("", 0)


async def test_self_critique_revises_until_the_critic_accepts():
    backend = ScriptedBackend(
        [
            "Answer: Carolina",
            json_reply({"correct": False, "problems": "The context says the Broncos won."}),
            "Answer: Denver Broncos",
            json_reply({"correct": True, "problems": ""}),
        ]
    )
    out = await build_method("self_critique", {"rounds": 3}).solve(EXAMPLE, backend)
    assert out.prediction == "Denver Broncos"
    assert len(backend.history) == 4
    assert "Broncos won" in backend.history[2].messages[-1].content


async def test_self_critique_stops_after_k_rounds():
    backend = ScriptedBackend(
        [
            "Answer: A",
            json_reply({"correct": False, "problems": "no"}),
            "Answer: B",
        ]
    )
    out = await build_method("self_critique", {"rounds": 1}).solve(EXAMPLE, backend)
    assert out.prediction == "B"
    assert len(backend.history) == 3


@pytest.mark.parametrize(
    ("name", "mode", "rerank"),
    [
        ("rag_naive", "dense", False),
        ("rag_hybrid", "hybrid", False),
        ("rag_reranked", "hybrid", True),
    ],
)
async def test_rag_methods_retrieve_with_their_mode_and_cite_passages(name, mode, rerank):
    asked = {}

    async def retriever(query, *, collection, k, mode, rerank):
        asked.update(query=query, collection=collection, k=k, mode=mode, rerank=rerank)
        return [{"text": "The Broncos won Super Bowl 50." * 5}, "Another passage.", "Third."]

    backend = ScriptedBackend(["[1] says so.\nAnswer: Denver Broncos"])
    method = build_method(
        name, {"collection": "wiki", "k": 2, "chunk_size": 60}, MethodEnv(retriever=retriever)
    )
    out = await method.solve(EXAMPLE, backend)
    assert asked == {
        "query": "Who won?",
        "collection": "wiki",
        "k": 2,
        "mode": mode,
        "rerank": rerank,
    }
    assert len(out.passages) == 2 and len(out.passages[0]) == 60
    assert "[2] Another passage." in backend.history[0].messages[-1].content
    assert out.prediction == "Denver Broncos"


async def test_traced_model_adds_up_usage_cost_and_traces_calls():
    backend = ScriptedBackend(
        [
            Completion(text="a", usage=Usage(prompt_tokens=10, completion_tokens=2), cost_usd=0.5),
            Completion(text="b", usage=Usage(prompt_tokens=5, completion_tokens=1), cost_usd=0.25),
        ]
    )
    traced = TracedModel(backend)
    out = await build_method("self_consistency", {"samples": 2}).solve(EXAMPLE, traced)
    assert out.prediction == "a"
    assert (traced.usage.prompt_tokens, traced.usage.completion_tokens) == (15, 3)
    assert traced.cost_usd == 0.75
    assert [s.kind for s in traced.trace] == ["call", "call", "vote"]


async def test_cot_asks_for_the_answer_when_the_reasoning_stops_short():
    backend = ScriptedBackend(
        ["The context mentions two teams, and the one that", "Denver Broncos."]
    )
    out = await build_method("cot", {"max_tokens": 16}).solve(EXAMPLE, backend)
    assert out.prediction == "Denver Broncos"
    follow_up = backend.history[1]
    assert follow_up.messages[-2].content == "The context mentions two teams, and the one that"
    assert "reply with only the final short answer" in follow_up.messages[-1].content
    assert "Who won?" in follow_up.messages[-1].content
    assert follow_up.params.max_tokens == 32


async def test_cot_answer_stage_can_be_turned_off():
    backend = ScriptedBackend(["reasoning without an end"])
    out = await build_method("cot", {"answer_stage": False}).solve(EXAMPLE, backend)
    assert len(backend.history) == 1
    assert out.prediction == "reasoning without an end"


async def test_cot_cut_off_by_the_token_budget_gets_an_answer_stage():
    cut = Completion(text="So, the answer to the question about", finish_reason="length")
    backend = ScriptedBackend([cut, "Answer: Denver Broncos"])
    out = await build_method("cot", {}).solve(EXAMPLE, backend)
    assert out.prediction == "Denver Broncos"
    assert len(backend.history) == 2


async def test_react_tools_search_the_workspace_of_the_method_env(tmp_path: Path):
    from lyceum.config import load_settings
    from lyceum.llm.backends.scripted import tool_call
    from lyceum.retrieval import ingest

    other = tmp_path / "other"
    other.mkdir()
    (other / "lyceum.toml").write_text('[retrieval]\nembedding_model = "hashing"\n')
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "broncos.txt").write_text("Zanzibar: the Denver Broncos won Super Bowl 50.\n")
    settings = load_settings(other)
    ingest([docs], settings=settings)
    backend = ScriptedBackend(
        [tool_call("retrieval", {"query": "Super Bowl 50"}), "Answer: Denver Broncos"],  # type: ignore[list-item]
        supports_json_schema=False,
        default_output=None,
    )
    method = build_method("react", {"tools": ["retrieval"]}, MethodEnv(settings=settings))
    out = await method.solve(EXAMPLE, backend)
    assert out.agent is not None and (out.agent.tool_calls, out.agent.tool_errors) == (1, 0)
    assert "Zanzibar" in (out.trace[0].detail["observation"] or "")
    assert out.prediction == "Denver Broncos"
