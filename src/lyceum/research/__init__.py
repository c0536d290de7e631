"""Deep research: a question in, a verified, cited report out (Markdown, LaTeX, BibTeX, PDF).

from lyceum.research import run_research
result = await run_research("How do plants fix carbon?", out_dir="out/")
print(result.files["report"])
"""

from lyceum.research.pipeline import ResearchResult, research_runs, run_research
from lyceum.research.progress import ProgressCallback, ProgressEvent, ProgressQueue
from lyceum.research.settings import ResearchSettings, research_settings
from lyceum.research.state import ResearchState

__all__ = [
    "ProgressCallback",
    "ProgressEvent",
    "ProgressQueue",
    "ResearchResult",
    "ResearchSettings",
    "ResearchState",
    "research_runs",
    "research_settings",
    "run_research",
]
