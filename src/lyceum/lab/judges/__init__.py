"""LLM-as-judge: rubric scores, pairwise preferences, panels with consensus and kappa."""

from lyceum.lab.judges.agreement import AgreementError, cohens_kappa, fleiss_kappa
from lyceum.lab.judges.judges import (
    PairwiseJudgement,
    Rubric,
    RubricJudgement,
    pairwise_preference,
    rubric_score,
)
from lyceum.lab.judges.panel import (
    Agreement,
    JudgePanel,
    PanelPairwiseResult,
    PanelRubricResult,
    panel_agreement,
)
from lyceum.lab.judges.runs import PairwiseSummary, SubjectRating, judge_pair, judge_run

__all__ = [
    "Agreement",
    "AgreementError",
    "JudgePanel",
    "PairwiseJudgement",
    "PairwiseSummary",
    "PanelPairwiseResult",
    "PanelRubricResult",
    "Rubric",
    "RubricJudgement",
    "SubjectRating",
    "cohens_kappa",
    "fleiss_kappa",
    "judge_pair",
    "judge_run",
    "pairwise_preference",
    "panel_agreement",
    "rubric_score",
]
