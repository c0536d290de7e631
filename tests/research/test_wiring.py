import pytest

from lyceum.llm.backends.local import LocalBackend
from lyceum.llm.backends.scripted import ScriptedBackend
from lyceum.llm.gateway import Gateway
from lyceum.research.settings import ResearchSettings
from lyceum.research.wiring import model_steps


@pytest.fixture
def gateway() -> Gateway:
    # The embedded backend is never loaded here: only its kind is read.
    backends = {"local": LocalBackend(fetch=False), "api": ScriptedBackend([], name="api")}
    return Gateway(backends, ["local"], roles={"writer": ["api"]})


def test_unset_steps_are_done_in_code_for_a_role_on_the_embedded_backend(
    gateway: Gateway,
) -> None:
    config = model_steps(gateway, ResearchSettings())
    assert config.pick_with_model is False  # the worker role falls back to the local tier
    assert config.draft_with_model is True  # the writer role routes to another model


def test_steps_set_in_the_settings_are_kept(gateway: Gateway) -> None:
    config = model_steps(gateway, ResearchSettings(pick_with_model=True, draft_with_model=False))
    assert (config.pick_with_model, config.draft_with_model) == (True, False)


def test_a_model_that_is_not_embedded_is_asked() -> None:
    config = model_steps(ScriptedBackend([]), ResearchSettings())
    assert (config.pick_with_model, config.draft_with_model) == (True, True)
