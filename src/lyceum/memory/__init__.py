"""Long-term memory of research runs: papers read and the episodes (strategies) of past runs."""

from lyceum.memory.episodes import Episode, EpisodeStore, similarity
from lyceum.memory.papers import PaperRead, PaperStore, add_to_collection, papers_of

__all__ = [
    "Episode",
    "EpisodeStore",
    "PaperRead",
    "PaperStore",
    "add_to_collection",
    "papers_of",
    "similarity",
]
