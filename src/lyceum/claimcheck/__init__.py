"""The claim check: is a claim supported by a passage?

    from lyceum.claimcheck import FaithfulnessScorer
    scorer = FaithfulnessScorer()          # the shipped model, no judge
    verdict = await scorer.score("Water boils at 100 °C at sea level.", passage)
    verdict.verdict, verdict.quoted_span

`FaithfulnessScorer` (`faithfulness`) joins three parts: the trained cross-encoder
`ClaimModel` (`model`, weights shipped in `verifier_model/`), the content check in code
(`content_check`, `content_numbers`: the claim's words that the evidence lacks) and,
optionally, an LLM judge. The model's training data and trainers are in
`lyceum.claimcheck_training`, a layer above (they read lab's and sources' datasets); this
package only runs the model. torch and sentence-transformers load on first use.
"""

from __future__ import annotations

from lyceum.claimcheck.content_check import ContentCheck, ContentWord, check_claim
from lyceum.claimcheck.faithfulness import (
    ContentThresholds,
    FaithfulnessScorer,
    FaithfulnessVerdict,
    JudgeVerdict,
    combine,
    locate,
)
from lyceum.claimcheck.model import (
    VERDICTS,
    ClaimModel,
    Probabilities,
    Span,
    Verdict,
    split_sentences,
    verifier_model_dir,
)

__all__ = [
    "VERDICTS",
    "ClaimModel",
    "ContentCheck",
    "ContentThresholds",
    "ContentWord",
    "FaithfulnessScorer",
    "FaithfulnessVerdict",
    "JudgeVerdict",
    "Probabilities",
    "Span",
    "Verdict",
    "check_claim",
    "combine",
    "locate",
    "split_sentences",
    "verifier_model_dir",
]
