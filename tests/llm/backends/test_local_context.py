"""The embedded model's context window: sized from the calls, grown when one needs more."""

from __future__ import annotations

from lyceum.llm.backends.local_context import (
    START_TOKENS,
    overflow_tokens,
    tokens_needed,
    window_for,
)


def test_the_window_is_the_smallest_power_of_two_that_fits_within_the_ceiling() -> None:
    assert window_for(0, 8192) == START_TOKENS == 2048
    assert window_for(2048, 8192) == 2048
    assert window_for(2049, 8192) == 4096
    assert window_for(5000, 8192) == 8192
    assert window_for(50_000, 8192) == 8192
    assert window_for(0, 1024) == 1024  # a ceiling under the start wins


def test_the_estimate_over_counts_the_prompt_and_adds_max_tokens() -> None:
    text = "The quick brown fox jumps over the lazy dog. " * 20  # 900 chars, ~200 tokens
    request = {"messages": [{"role": "user", "content": text}], "max_tokens": 100}
    needed = tokens_needed(request, 8192)
    assert 200 + 100 < needed < 900 + 100


def test_tools_and_structured_content_count_towards_the_prompt() -> None:
    bare = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 10}
    tools = [{"type": "function", "function": {"name": "f", "description": "x" * 500}}]
    parts = [{"type": "text", "text": "y" * 500}]
    assert tokens_needed({**bare, "tools": tools}, 8192) > tokens_needed(bare, 8192) + 150
    with_parts = {"messages": [{"role": "user", "content": parts}], "max_tokens": 10}
    assert tokens_needed(with_parts, 8192) > tokens_needed(bare, 8192) + 150


def test_a_call_without_max_tokens_may_run_to_the_ceiling() -> None:
    assert tokens_needed({"messages": [{"role": "user", "content": "hi"}]}, 8192) == 8192
    bad = {"messages": [], "max_tokens": "many"}
    assert tokens_needed(bad, 4096) == 4096


def test_only_llama_cpps_context_error_names_an_overflow() -> None:
    error = {
        "error": {
            "code": 400,
            "message": "request (430 tokens) exceeds the available context size (256 tokens)",
            "type": "exceed_context_size_error",
            "n_prompt_tokens": 430,
            "n_ctx": 256,
        }
    }
    assert overflow_tokens(error) == 430
    assert overflow_tokens({"error": {"type": "server_error", "n_prompt_tokens": 5}}) is None
    assert overflow_tokens({"choices": []}) is None
    assert overflow_tokens("text") is None
    broken = {"error": {"type": "exceed_context_size_error", "n_prompt_tokens": "x"}}
    assert overflow_tokens(broken) is None
