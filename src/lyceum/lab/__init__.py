"""The evaluation lab: experiments over datasets, methods and models; metrics, paired
statistics, LLM judges and reports.

Heavy pieces (plots, scipy) load only when used; `import lyceum.lab` stays light.
"""

from lyceum.lab.experiment import ExperimentConfig, load_experiment, parse_experiment
from lyceum.lab.report import Report, build_report, compare_conditions, write_report
from lyceum.lab.results import ExampleResult, RunInfo, get_run, list_runs, load_results
from lyceum.lab.runner import ExperimentRunner, RunSummary, resume_run, run_experiment

__all__ = [
    "ExampleResult",
    "ExperimentConfig",
    "ExperimentRunner",
    "Report",
    "RunInfo",
    "RunSummary",
    "build_report",
    "compare_conditions",
    "get_run",
    "list_runs",
    "load_experiment",
    "load_results",
    "parse_experiment",
    "resume_run",
    "run_experiment",
    "write_report",
]
