"""Registry model versions become backends: one per live version, named after it, and the
configured local backend serves whatever model version is in production."""

from __future__ import annotations

import asyncio

from lyceum.config import load_settings
from lyceum.evolve.registry import Registry
from lyceum.llm.backend_config import LocalBackendConfig
from lyceum.llm.backends.local import LocalBackend
from lyceum.llm.backends.local_adapters import AdapterBackend, same_base, version_backends
from lyceum.llm.types import GenerateParams, Message
from lyceum.store.db import open_database
from lyceum.wiring import build_gateway

BASE = "smollm2-135m-instruct"


def settings_for(workspace):
    (workspace / "lyceum.toml").write_text(
        f'[models.local]\nkind = "local"\nmodel = "{BASE}"\nn_ctx = 1024\n'
        '[gateway]\ntiers = ["local"]\n'
    )
    return load_settings(workspace)


def register(registry, name, adapter=None, addendum=""):
    payload = {"base_model": BASE}
    if adapter is not None:
        payload["adapter_gguf"] = str(adapter)
    if addendum:
        payload["system_addendum"] = addendum
    return registry.register("model", payload, name=name)


def test_without_model_versions_the_configured_backends_are_untouched(workspace):
    settings = settings_for(workspace)
    assert version_backends(open_database(settings.database_url), settings.models) == {}


def test_each_live_version_is_a_backend_sharing_one_set_of_adapters(workspace, tmp_path):
    settings = settings_for(workspace)
    registry = Registry(open_database(settings.database_url))
    a, b = tmp_path / "a.gguf", tmp_path / "b.gguf"
    a.write_bytes(b"x")
    b.write_bytes(b"x")
    register(registry, "smol-a", a)
    register(registry, "smol-b", b)
    backends = build_gateway(settings)._shared.backends
    version_a, version_b = backends["smol-a"], backends["smol-b"]
    assert isinstance(version_a, AdapterBackend) and isinstance(version_b, AdapterBackend)
    # the same adapter list means the same loaded llama.cpp model: switching is per request
    assert version_a.adapters == version_b.adapters == (str(a), str(b))
    assert version_a.lora_field() == [{"id": 0, "scale": 1.0}, {"id": 1, "scale": 0.0}]
    assert version_b.lora_field() == [{"id": 0, "scale": 0.0}, {"id": 1, "scale": 1.0}]
    assert version_a.model_id == f"{BASE}+smol-a"
    assert backends["local"].lora_field() == [{"id": 0, "scale": 0.0}, {"id": 1, "scale": 0.0}]


def test_promote_serves_the_adapter_on_the_default_route_and_rollback_restores_the_base(
    workspace, tmp_path
):
    settings = settings_for(workspace)
    registry = Registry(open_database(settings.database_url))
    adapter = tmp_path / "a.gguf"
    adapter.write_bytes(b"x")
    base = register(registry, "smol-base")
    trained = register(registry, "smol-sft", adapter, addendum="Answer in one line.")
    registry.promote(base.id, reason="the base serves first")
    assert build_gateway(settings)._shared.backends["local"].active is None

    registry.promote(trained.id, reason="won")
    local = build_gateway(settings)._shared.backends["local"]
    assert local.active == str(adapter) and local.model_id == f"{BASE}+smol-sft"
    request = local._with_addendum([{"role": "system", "content": "Be brief."}])
    assert request[0]["content"] == "Be brief.\n\nAnswer in one line."

    registry.rollback("model", reason="worse in use")
    restored = build_gateway(settings)._shared.backends["local"]
    assert restored.active is None and restored.model_id == f"{BASE}+smol-base"
    # the rolled-back version is no longer live: its adapter is not loaded any more
    assert "smol-sft" not in build_gateway(settings)._shared.backends


def test_a_version_whose_adapter_file_is_gone_is_not_served(workspace, tmp_path):
    settings = settings_for(workspace)
    register(Registry(open_database(settings.database_url)), "ghost", tmp_path / "gone.gguf")
    assert "ghost" not in build_gateway(settings)._shared.backends


def test_catalogue_names_and_paths_of_the_same_file_are_one_base(tmp_path):
    assert same_base(BASE, "/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    assert not same_base(BASE, "qwen2.5-coder-0.5b-instruct")


def test_generate_and_stream_send_the_active_adapter_and_the_addendum(monkeypatch):
    """Both ways of calling a version reach llama.cpp with its adapter scales and addendum
    (the base's `_chunks` is replaced: what matters is what the version hands it)."""
    sent: list[dict] = []
    chunk = {"choices": [{"delta": {"content": "Box 2: ZEBRA-2."}, "finish_reason": "stop"}]}

    async def chunks(self, request, collect=None):
        sent.append(request)
        if collect is not None:
            collect.add(chunk)
            return
        yield chunk

    monkeypatch.setattr(LocalBackend, "_chunks", chunks)
    backend = AdapterBackend(
        "smol-sft", LocalBackendConfig(model=BASE), adapters=["a.gguf", "b.gguf"],
        active="b.gguf", system_addendum="Answer in one line.",
    )  # fmt: skip

    async def go():
        question = [Message.user("What is the code of box 2?")]
        answer = await backend.generate(question, GenerateParams(max_tokens=8))
        streamed = [c.delta async for c in backend.stream(question, GenerateParams(max_tokens=8))]
        return answer.text, "".join(streamed)

    assert asyncio.run(go()) == ("Box 2: ZEBRA-2.", "Box 2: ZEBRA-2.")
    for request in sent:
        assert request["lora"] == [{"id": 0, "scale": 0.0}, {"id": 1, "scale": 1.0}]
        assert request["messages"][0] == {"role": "system", "content": "Answer in one line."}
