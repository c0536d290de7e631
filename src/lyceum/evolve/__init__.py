"""The self-improvement loop: harvest candidate data from research and lab runs, gate it
(synthetic share, generation depth, diversity, quality), review it, compose a training
corpus, evolve the system prompt, and promote candidates only after they win the arena.
Training itself lives in `lyceum.train` (optional extra)."""

from lyceum.evolve.arena import ArenaResult, judge_arena, run_arena
from lyceum.evolve.batches import BatchInfo, current_corpus, gate_batch, record_review
from lyceum.evolve.compose import CorpusManifest, compose_corpus
from lyceum.evolve.diversity import diversity
from lyceum.evolve.examples import CandidateExample, load_batch, write_batch
from lyceum.evolve.gate import GateDecision, RuleResult, check_batch
from lyceum.evolve.harvest import harvest, harvest_lab_run, harvest_trajectory
from lyceum.evolve.prompt_evolution import Episode, EvolutionResult, evolve_prompt
from lyceum.evolve.prompted import PromptedModel
from lyceum.evolve.registry import Registry, RegistryError, Transition, Version
from lyceum.evolve.settings import EvolveSettings, evolve_settings
from lyceum.evolve.versions import (
    production_prompt,
    register_trained_model,
    training_data_depth,
    with_production_prompt,
)

__all__ = [
    "ArenaResult",
    "BatchInfo",
    "CandidateExample",
    "CorpusManifest",
    "Episode",
    "EvolutionResult",
    "EvolveSettings",
    "GateDecision",
    "PromptedModel",
    "Registry",
    "RegistryError",
    "RuleResult",
    "Transition",
    "Version",
    "check_batch",
    "compose_corpus",
    "current_corpus",
    "diversity",
    "evolve_prompt",
    "evolve_settings",
    "gate_batch",
    "harvest",
    "harvest_lab_run",
    "harvest_trajectory",
    "judge_arena",
    "load_batch",
    "production_prompt",
    "record_review",
    "register_trained_model",
    "run_arena",
    "training_data_depth",
    "with_production_prompt",
    "write_batch",
]
