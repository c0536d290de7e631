"""What a research run is given, built from the settings when the caller gives nothing.

`run_research` takes its model, sources, claim scorer and relevance as arguments (a test
hands it the scripted backend and in-memory sources); what it is not given is built here from
the workspace's settings: the gateway (`lyceum.wiring.build_gateway`), the configured sources,
the trained verifier (with the judge role's verdicts when one is configured) and MiniLM
cosines. The role views of the model are also made here.
"""

from __future__ import annotations

from collections.abc import Callable

from lyceum.config import Settings
from lyceum.llm.gateway import Gateway
from lyceum.llm.model import Model
from lyceum.research.budget import MeteredModel
from lyceum.research.progress import ProgressCallback, ProgressEvent
from lyceum.research.relevance import Relevance, load_relevance
from lyceum.research.run import Roles
from lyceum.research.settings import ResearchSettings
from lyceum.research.sources import build_sources
from lyceum.research.state import ResearchState
from lyceum.research.verify import ClaimScorer
from lyceum.store.db import Database

__all__ = [
    "RoleWrapper",
    "build_sources",
    "default_relevance",
    "default_scorer",
    "judge_model",
    "model_steps",
    "owned_gateway",
    "role_models",
    "run_scorer",
]


RoleWrapper = Callable[[Model], Model]
"""Wraps each role's model before the run uses it: the CLI and the server pass the
self-improvement loop's production prompt (`lyceum.evolve.with_production_prompt`),
which research itself does not know about (evolve reads research, not the reverse)."""


def role_models(model: Model, config: ResearchSettings, wrap: RoleWrapper | None) -> Roles:
    """The brain, worker and writer models (views of the gateway by role), each wrapped by
    `wrap` when one is given."""
    view = getattr(model, "for_role", None)
    if view is None:
        roles = [model, model, model]
    else:
        roles = [view(config.brain_role), view(config.worker_role), view(config.writer_role)]
    return Roles(*(wrap(role) if wrap is not None else role for role in roles))


def model_steps(model: Model, config: ResearchSettings) -> ResearchSettings:
    """`config` with `pick_with_model` and `draft_with_model` decided where left unset: off
    when the worker (writer) role runs on the embedded llama.cpp backend, on for any other
    model. With the embedded 0.5B default, the worker's picks and the writer's drafts added
    nothing measurable on the dev questions (the writer's sentences were the notes' quotes
    four times in five) and cost most of a run's time (docs/features/research.md#measured);
    a larger model may pick and synthesise better than code, so it is asked."""
    view = getattr(model, "for_role", None)

    def embedded(role: str) -> bool:
        return bool(getattr(view(role) if view is not None else model, "embedded", False))

    return config.with_overrides(
        pick_with_model=(
            not embedded(config.worker_role)
            if config.pick_with_model is None
            else config.pick_with_model
        ),
        draft_with_model=(
            not embedded(config.writer_role)
            if config.draft_with_model is None
            else config.draft_with_model
        ),
    )


def default_scorer(config: ResearchSettings, judge: Model | None = None) -> ClaimScorer:
    """The trained verifier (`config.verifier_dir`, else the shipped one), mixed with the
    `judge` model's verdicts when one is given."""
    from lyceum.claimcheck.faithfulness import ClaimModel, FaithfulnessScorer

    verifier = ClaimModel(config.verifier_dir) if config.verifier_dir else ClaimModel()
    return FaithfulnessScorer(verifier, judge=judge)


def judge_model(model: Model, config: ResearchSettings) -> tuple[Model | None, str | None]:
    """The model `verify_judge_role` names, or None; and a problem to record, if any.

    A gateway routes the role only if it is a configured role or a backend name: an
    unconfigured role would silently fall back to the default tiers (for the embedded model
    a poor judge), so the claim check then uses the trained verifier alone and says so. A
    plain model (no roles) plays every role, the judge's included."""
    role = config.verify_judge_role
    if role is None:
        return None, None
    view = getattr(model, "for_role", None)
    if view is None:
        return model, None
    routes = set(getattr(model, "roles", {})) | set(getattr(model, "backend_names", []))
    if role not in routes:
        return None, (
            f"verify_judge_role {role!r} is neither a [gateway.roles] entry nor a backend; "
            "the claim check used the trained verifier alone"
        )
    return view(role), None


def run_scorer(
    model: Model, config: ResearchSettings, state: ResearchState, progress: ProgressCallback
) -> ClaimScorer:
    """`default_scorer` with the judge `judge_model` finds, metered into the run; a judge role
    that does not route is recorded once as a problem of the run."""
    judge, problem = judge_model(model, config)
    if problem and problem not in state.problems:
        state.problem(problem)
        progress(ProgressEvent(kind="problem", message=problem))
    metered = MeteredModel(judge, state.meter, progress) if judge is not None else None
    return default_scorer(config, judge=metered)


def owned_gateway(settings: Settings, db: Database) -> Gateway:
    """The gateway the workspace describes, on the run's database; the caller closes it."""
    from lyceum.wiring import build_gateway

    return build_gateway(settings, db=db)


def default_relevance(config: ResearchSettings, settings: Settings) -> Relevance:
    """Cosines of `config.relevance_model`, on the retrieval settings' embedding threads."""
    from lyceum.retrieval.settings import retrieval_settings

    threads = retrieval_settings(settings).embed_threads
    return load_relevance(config.relevance_model, threads=threads)
