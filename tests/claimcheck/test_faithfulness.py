"""The faithfulness scorer: the shipped verifier on hand-written pairs, span quoting,
and how a judge model's verdict is combined with the verifier's."""

from __future__ import annotations

import json

import pytest

from lyceum.claimcheck.faithfulness import (
    ClaimModel,
    FaithfulnessScorer,
    JudgeVerdict,
    Probabilities,
    combine,
    locate,
    split_sentences,
)
from lyceum.errors import BackendUnavailableError
from lyceum.llm.backends.scripted import ScriptedBackend

from ..own_team import ran_on_ended_threads, threads_of

# Hand-written claim/passage pairs with gold verdicts: paraphrases, negations, numbers,
# dates, and passages on the same topic that are silent about the claim.
ENTAILMENT_PAIRS: list[tuple[str, str, str]] = [
    # supported: paraphrase, numbers, multi-sentence passages
    (
        "Marie Curie won two Nobel Prizes.",
        "Marie Curie was awarded the Nobel Prize in Physics in 1903 and the Nobel Prize in "
        "Chemistry in 1911.",
        "supported",
    ),
    (
        "The Eiffel Tower is located in Paris.",
        "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris, France.",
        "supported",
    ),
    (
        "The film earned more than $50 million worldwide.",
        "The film grossed $38 million in North America and $24 million in other territories, "
        "for a worldwide total of $62 million.",
        "supported",
    ),
    (
        "Python was first released in 1991.",
        "Python is a high-level programming language. Guido van Rossum began working on it in "
        "the late 1980s, and it was first released in 1991.",
        "supported",
    ),
    (
        "The Amazon is the largest rainforest in the world.",
        "The Amazon rainforest covers much of the Amazon basin of South America. It is the "
        "world's largest tropical rainforest.",
        "supported",
    ),
    (
        "Mount Everest is taller than 8,000 metres.",
        "Mount Everest's elevation of 8,849 metres makes it Earth's highest mountain above sea level.",
        "supported",
    ),
    (
        "The company was founded by two people.",
        "The company was founded in 1998 by Larry Page and Sergey Brin while they were PhD "
        "students at Stanford University.",
        "supported",
    ),
    (
        "The bridge opened to traffic in 1937.",
        "Construction of the Golden Gate Bridge began in 1933, and the bridge opened to "
        "traffic on May 28, 1937.",
        "supported",
    ),
    (
        "The novel was not published during the author's lifetime.",
        "The novel was published posthumously in 1925, a year after the author's death.",
        "supported",
    ),
    (
        "Tokyo has a larger population than Osaka.",
        "Tokyo has a population of about 14 million, while Osaka has about 2.7 million residents.",
        "supported",
    ),
    # contradicted: negation, wrong number, wrong entity, wrong date
    (
        "Marie Curie never won a Nobel Prize.",
        "Marie Curie was awarded the Nobel Prize in Physics in 1903 and the Nobel Prize in "
        "Chemistry in 1911.",
        "contradicted",
    ),
    (
        "The Eiffel Tower is located in London.",
        "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris, France.",
        "contradicted",
    ),
    (
        "The film earned less than $50 million worldwide.",
        "The film grossed $38 million in North America and $24 million in other territories, "
        "for a worldwide total of $62 million.",
        "contradicted",
    ),
    (
        "Python was first released in 2005.",
        "Python is a high-level programming language. Guido van Rossum began working on it in "
        "the late 1980s, and it was first released in 1991.",
        "contradicted",
    ),
    (
        "Mount Everest is shorter than 8,000 metres.",
        "Mount Everest's elevation of 8,849 metres makes it Earth's highest mountain above sea level.",
        "contradicted",
    ),
    (
        "The album received negative reviews from critics.",
        "Upon release, the album received widespread acclaim from music critics, who praised "
        "its production.",
        "contradicted",
    ),
    (
        "The bridge is not a suspension bridge.",
        "The Golden Gate Bridge is a suspension bridge spanning the Golden Gate strait.",
        "contradicted",
    ),
    (
        "The team lost the final.",
        "The team won the final 3-1, earning its first championship title.",
        "contradicted",
    ),
    (
        "The treaty was signed by three countries.",
        "The treaty was signed in 1992 by the governments of Canada, Mexico, the United States "
        "and Chile.",
        "contradicted",
    ),
    (
        "Tokyo has a smaller population than Osaka.",
        "Tokyo has a population of about 14 million, while Osaka has about 2.7 million residents.",
        "contradicted",
    ),
    # not enough info: same topic, claim not addressed
    (
        "Marie Curie was born in Warsaw.",
        "Marie Curie was awarded the Nobel Prize in Physics in 1903 and the Nobel Prize in "
        "Chemistry in 1911.",
        "not_enough_info",
    ),
    (
        "The Eiffel Tower is painted every seven years.",
        "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris, France.",
        "not_enough_info",
    ),
    (
        "The film was directed by a first-time director.",
        "The film grossed $38 million in North America and $24 million in other territories, "
        "for a worldwide total of $62 million.",
        "not_enough_info",
    ),
    (
        "Python is the most popular language for data science.",
        "Python is a high-level programming language. Guido van Rossum began working on it in "
        "the late 1980s, and it was first released in 1991.",
        "not_enough_info",
    ),
    (
        "The first ascent of Mount Everest was in 1953.",
        "Mount Everest's elevation of 8,849 metres makes it Earth's highest mountain above sea level.",
        "not_enough_info",
    ),
    (
        "The album sold over a million copies in its first week.",
        "Upon release, the album received widespread acclaim from music critics, who praised "
        "its production.",
        "not_enough_info",
    ),
    (
        "The bridge was designed by Joseph Strauss.",
        "The Golden Gate Bridge is a suspension bridge spanning the Golden Gate strait.",
        "not_enough_info",
    ),
    (
        "The team's coach was hired in 2019.",
        "The team won the final 3-1, earning its first championship title.",
        "not_enough_info",
    ),
    (
        "The treaty was negotiated over five years.",
        "The treaty was signed in 1992 by the governments of Canada, Mexico, the United States "
        "and Chile.",
        "not_enough_info",
    ),
    (
        "Osaka is famous for its street food.",
        "Tokyo has a population of about 14 million, while Osaka has about 2.7 million residents.",
        "not_enough_info",
    ),
]

# Measured: the shipped verifier gets 14 of these 30 right on three classes (chance is 10)
# and 23 of 30 on supported-or-not, the decision the research writer makes; the bars sit
# below that. It calls most on-topic passages that are silent about the claim
# "contradicted" (9 of 10 here), as VitaminC's contrastive pairs taught it.
MIN_ACCURACY = 0.45
MIN_SUPPORTED_OR_NOT_ACCURACY = 0.7


@pytest.fixture(scope="module")
def verifier() -> ClaimModel:
    return ClaimModel()


def _judge_reply(verdict: str, quote: str, confidence: float) -> str:
    return json.dumps({"verdict": verdict, "quoted_span": quote, "confidence": confidence})


def test_split_sentences_keeps_offsets_and_skips_abbreviations() -> None:
    passage = "Dr. J. Smith was born in the U.S. in 1950.  He won a prize! Did he retire? Yes"
    spans = split_sentences(passage)
    assert [s.text for s in spans] == [
        "Dr. J. Smith was born in the U.S. in 1950.",
        "He won a prize!",
        "Did he retire?",
        "Yes",
    ]
    assert all(passage[s.start : s.end] == s.text for s in spans)


def test_split_sentences_does_not_end_a_sentence_at_circa() -> None:
    passage = "It was built c. 2600 BC over about 26 years. Khufu (fl. 2589 BC) ordered it."
    assert [s.text for s in split_sentences(passage)] == [
        "It was built c. 2600 BC over about 26 years.",
        "Khufu (fl. 2589 BC) ordered it.",
    ]


def test_split_sentences_does_not_end_a_sentence_at_a_works_number_or_a_title() -> None:
    # A trial report on Beethoven printed "67, is a symphony composed by …" as a sentence.
    passage = (
        "The Symphony No. 5 in C minor, Op. 67, is a symphony by Ludwig van Beethoven. "
        "Vol. 1 of the first edition contained 86 stories. "
        "Sgt. Pepper is regarded as an early concept album."
    )
    assert [s.text for s in split_sentences(passage)] == [
        "The Symphony No. 5 in C minor, Op. 67, is a symphony by Ludwig van Beethoven.",
        "Vol. 1 of the first edition contained 86 stories.",
        "Sgt. Pepper is regarded as an early concept album.",
    ]


def test_split_sentences_does_not_end_a_sentence_at_viz() -> None:
    # A trial report on the Sundarbans printed "Sundarbans West, Sundarbans South, …" as a
    # sentence.
    passage = (
        "Four protected areas are UNESCO World Heritage Sites, viz. Sundarbans West, "
        "Sundarbans South and Sundarbans East. The most abundant trees are sundri and gewa."
    )
    assert len(split_sentences(passage)) == 2


def test_a_capital_letter_after_a_common_noun_ends_a_sentence_an_initial_does_not() -> None:
    # The Penicillin article's lead, which a dev report printed as one cited sentence.
    passage = (
        "Only two are in clinical use: penicillin G and penicillin V. Penicillins were among "
        "the first medications. It was described by J. Smith and John F. Kennedy. Vitamin D. "
        "Vitamin D is a secosteroid. It was produced by his father G. P. Sippy. It ran."
    )
    assert [s.text for s in split_sentences(passage)] == [
        "Only two are in clinical use: penicillin G and penicillin V.",
        "Penicillins were among the first medications.",
        "It was described by J. Smith and John F. Kennedy.",
        "Vitamin D. Vitamin D is a secosteroid.",
        # A run of initials after a common noun is a name, not a sentence's end.
        "It was produced by his father G. P. Sippy.",
        "It ran.",
    ]


def test_combine_lets_a_confident_judge_overrule_the_verifier() -> None:
    verifier = Probabilities(supported=0.9, contradicted=0.05, not_enough_info=0.05)
    judge = JudgeVerdict(verdict="contradicted", quoted_span="", confidence=0.9)
    combined = combine(verifier, judge, judge_weight=0.6)
    assert combined.verdict == "contradicted"
    assert combined.contradicted == pytest.approx(0.4 * 0.05 + 0.6 * 0.9)
    assert sum(combined.as_array()) == pytest.approx(1.0)


def test_combine_keeps_a_very_sure_verifier_over_a_hesitant_judge() -> None:
    verifier = Probabilities(supported=0.98, contradicted=0.01, not_enough_info=0.01)
    judge = JudgeVerdict(verdict="contradicted", quoted_span="", confidence=0.6)
    assert combine(verifier, judge, judge_weight=0.6).verdict == "supported"


def test_locate_ignores_case_and_whitespace() -> None:
    span = locate("the bridge  OPENED\nto traffic", "In 1937 the bridge opened to traffic.")
    assert span is not None
    assert (span.start, span.end, span.text) == (8, 36, "the bridge opened to traffic")
    assert locate("not in the passage", "In 1937 the bridge opened.") is None


def test_shipped_verifier_accuracy_on_hand_written_pairs(verifier: ClaimModel) -> None:
    results = verifier.check_many([(claim, passage) for claim, passage, _ in ENTAILMENT_PAIRS])
    predicted = [probs.verdict for probs, _ in results]
    golds = [gold for _, _, gold in ENTAILMENT_PAIRS]
    correct = sum(p == gold for p, gold in zip(predicted, golds, strict=True))
    assert correct / len(ENTAILMENT_PAIRS) >= MIN_ACCURACY, predicted
    supported_or_not = sum(
        (p == "supported") == (gold == "supported")
        for p, gold in zip(predicted, golds, strict=True)
    )
    assert supported_or_not / len(ENTAILMENT_PAIRS) >= MIN_SUPPORTED_OR_NOT_ACCURACY, predicted


async def test_scorer_quotes_the_sentence_that_decides(verifier: ClaimModel) -> None:
    passage = (
        "The Golden Gate Bridge is painted in a colour called International Orange. "
        "Construction began in 1933. The bridge opened to traffic on May 28, 1937. "
        "It carries about 112,000 vehicles a day."
    )
    verdict = await FaithfulnessScorer(verifier).score("The bridge opened in 1937.", passage)
    assert verdict.verdict == "supported"
    assert verdict.quoted_span == "The bridge opened to traffic on May 28, 1937."
    assert passage[verdict.span_start : verdict.span_end] == verdict.quoted_span
    assert verdict.source == "verifier"
    assert sum(verdict.probabilities.as_array()) == pytest.approx(1.0)


async def test_score_many_keeps_the_order_of_pairs(verifier: ClaimModel) -> None:
    pairs = [(claim, passage) for claim, passage, _ in ENTAILMENT_PAIRS[:4]]
    verdicts = await FaithfulnessScorer(verifier).score_many(pairs)
    assert [v.claim for v in verdicts] == [claim for claim, _ in pairs]


async def test_judge_that_agrees_supplies_its_located_quote(verifier: ClaimModel) -> None:
    passage = "The team won the final 3-1. It was the club's first title."
    judge = ScriptedBackend([_judge_reply("supported", "the team won the final 3-1.", 0.95)])
    verdict = await FaithfulnessScorer(verifier, judge).score("The team won the final.", passage)

    assert verdict.source == "combined"
    assert verdict.verdict == "supported"
    assert verdict.judge is not None and verdict.judge.confidence == 0.95
    assert verdict.quoted_span == "The team won the final 3-1."
    assert (verdict.span_start, verdict.span_end) == (0, 27)
    [call] = judge.history
    assert call.params.json_schema is not None
    assert "The team won the final." in call.messages[-1].content


async def test_confident_judge_overrules_an_unsure_verifier(verifier: ClaimModel) -> None:
    claim, passage = (
        "The treaty was negotiated over five years.",
        ("The treaty was signed in 1992 by Canada, Mexico and the United States."),
    )
    alone = await FaithfulnessScorer(verifier).score(claim, passage)
    judge = ScriptedBackend([_judge_reply("not_enough_info", "", 1.0)])
    verdict = await FaithfulnessScorer(verifier, judge, judge_weight=0.9).score(claim, passage)

    assert verdict.verdict == "not_enough_info"
    assert verdict.verifier_probabilities == alone.verifier_probabilities
    assert verdict.quoted_span == alone.quoted_span


async def test_failing_judge_leaves_the_verifier_verdict(verifier: ClaimModel) -> None:
    claim, passage = "Paris is in France.", "Paris is the capital and largest city of France."
    judge = ScriptedBackend([BackendUnavailableError("connection refused", backend="api")])
    verdict = await FaithfulnessScorer(verifier, judge).score(claim, passage)

    assert verdict.source == "verifier"
    assert verdict.judge is None
    assert verdict.judge_error is not None and "connection refused" in verdict.judge_error


async def test_judge_output_that_never_validates_is_recorded_not_raised(
    verifier: ClaimModel,
) -> None:
    judge = ScriptedBackend(["I think it is true.", '{"verdict": "maybe"}'])
    verdict = await FaithfulnessScorer(verifier, judge).score(
        "Paris is in France.", "Paris is the capital and largest city of France."
    )
    assert verdict.source == "verifier"
    assert verdict.judge_error is not None and "StructuredOutputError" in verdict.judge_error
    assert len(judge.history) == 2


async def test_empty_claim_is_refused(verifier: ClaimModel) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        await FaithfulnessScorer(verifier).score("  ", "Some passage.")


# The issue's false claims (#12): each copies most of a passage sentence and changes what it
# is about; the verifier alone called them supported.
ISSUE_PASSAGES = {
    "Printing": (
        "Printing is a process for mass reproducing text and images using a master form or "
        "template. Later developments in printing technology include the movable type invented "
        "by Bi Sheng around 1040 and the printing press invented by Johannes Gutenberg in the "
        "15th century. The technology of printing played a key role in the development of the "
        "Renaissance and the Scientific Revolution and laid the material basis for the modern "
        "knowledge-based economy and the spread of learning to the masses."
    ),
    "History of Rome": (
        "The history of Rome includes the history of the city of Rome as well as the "
        "civilisation of ancient Rome. Roman history has been influential on the modern world. "
        "It encompasses the Roman Kingdom, the Roman Republic and the Roman Empire until the "
        "fall of the western empire."
    ),
    "Neutron star": (
        "A neutron star is the gravitationally collapsed core of a massive supergiant star. It "
        "results from the supernova explosion of a massive star—combined with gravitational "
        "collapse—that compresses the core past white dwarf star density to that of atomic "
        "nuclei. Neutron stars have a radius on the order of 10 kilometers and a mass of about "
        "1.4 solar masses."
    ),
}
ISSUE_FALSE_CLAIMS = [
    ("Printing", "The technology of printing played a key role in the development of vaccines."),
    (
        "History of Rome",
        "The Roman Republic was a part of the Roman Empire until the fall of the Western Roman "
        "Empire.",
    ),
    (
        "Neutron star",
        "A neutron star results from the supernova explosion of a massive star that compresses "
        "the core, leading to the formation of tides.",
    ),
]
HARD_NEGATIVES = [  # (kind, title, claim)
    (
        "entity swap",
        "Printing",
        "The printing press was invented by Johannes Kepler in the 15th century.",
    ),
    ("number swap", "Neutron star", "Neutron stars have a radius on the order of 1.4 kilometers."),
    ("number change", "Neutron star", "Neutron stars have a mass of about 14 solar masses."),
    ("negation", "Printing", "Printing is not a process for mass reproducing text and images."),
    (
        "added cause",
        "Neutron star",
        "Neutron stars have a radius on the order of 10 kilometers because they rotate quickly.",
    ),
    (
        "topic transplant",
        "Neutron star",
        "A black hole is the gravitationally collapsed core of a massive supergiant star.",
    ),
]
FAITHFUL = [  # (title, claim)
    ("Printing", "The movable type was invented by Bi Sheng around 1040."),
    (
        "Neutron star",
        "Neutron star results from the supernova explosion of a massive star—combined with "
        "gravitational collapse—that compresses the core past white dwarf star density to that "
        "of atomic nuclei.",
    ),
    ("History of Rome", "Roman history has been influential on the modern world."),
]


@pytest.fixture(scope="module")
def scorer(verifier: ClaimModel) -> FaithfulnessScorer:
    return FaithfulnessScorer(verifier)


@pytest.mark.parametrize(("title", "claim"), ISSUE_FALSE_CLAIMS)
async def test_the_issues_false_claims_are_not_supported(
    scorer: FaithfulnessScorer, title: str, claim: str
) -> None:
    verdict = await scorer.score(claim, ISSUE_PASSAGES[title], title=title)
    assert verdict.verdict != "supported"
    assert verdict.unsupported_words
    assert verdict.probabilities.supported == 0.0


@pytest.mark.parametrize(("kind", "title", "claim"), HARD_NEGATIVES)
async def test_hard_negatives_are_not_supported(
    scorer: FaithfulnessScorer, kind: str, title: str, claim: str
) -> None:
    verdict = await scorer.score(claim, ISSUE_PASSAGES[title], title=title)
    assert verdict.verdict != "supported", kind


async def test_faithful_copies_and_title_substituted_copies_are_supported(
    scorer: FaithfulnessScorer,
) -> None:
    pairs = [(claim, ISSUE_PASSAGES[title]) for title, claim in FAITHFUL]
    verdicts = await scorer.score_many(pairs, titles=[title for title, _ in FAITHFUL])
    assert [v.verdict for v in verdicts] == ["supported"] * len(FAITHFUL)
    assert all(v.unsupported_words == [] for v in verdicts)


async def test_the_verdict_names_the_words_and_keeps_the_models_probabilities(
    verifier: ClaimModel,
) -> None:
    title, claim = ISSUE_FALSE_CLAIMS[0]
    checked = await FaithfulnessScorer(verifier).score(claim, ISSUE_PASSAGES[title], title=title)
    alone = await FaithfulnessScorer(verifier, content_check=False).score(
        claim, ISSUE_PASSAGES[title], title=title
    )
    assert checked.unsupported_words == ["vaccines"]
    assert checked.verifier_probabilities == alone.probabilities
    assert alone.unsupported_words == []


async def test_a_claim_merging_two_sentences_is_checked_against_both(
    scorer: FaithfulnessScorer,
) -> None:
    passage = (
        "Leo Baekeland was a Belgian chemist. He spent most of his career in the United "
        "States. He is best known for the invention of Bakelite in 1907."
    )
    verdict = await scorer.score(
        "Leo Baekeland, a Belgian chemist, invented Bakelite in 1907.", passage
    )
    assert verdict.unsupported_words == []
    assert "Belgian" in verdict.quoted_span and "Bakelite" in verdict.quoted_span


async def test_score_many_takes_one_title_per_pair(scorer: FaithfulnessScorer) -> None:
    claim = "Neutron star results from the supernova explosion of a massive star."
    passage = "It results from the supernova explosion of a massive star."
    verdicts = await scorer.score_many(
        [(claim, passage), (claim, passage)], titles=["Neutron star", None]
    )
    assert [v.unsupported_words for v in verdicts] == [[], ["Neutron", "star"]]


async def test_title_and_titles_together_are_refused(scorer: FaithfulnessScorer) -> None:
    with pytest.raises(ValueError, match="either title"):
        await scorer.score_many([("a b", "a b")], title="T", titles=["T"])
    with pytest.raises(ValueError, match="1 pairs"):
        await scorer.score_many([("a b", "a b")], titles=["T", "U"])


async def test_a_sentence_copied_word_for_word_is_supported_whatever_the_model_says(
    scorer: FaithfulnessScorer,
) -> None:
    passage = ISSUE_PASSAGES["History of Rome"]
    claim = "Roman history has been influential on the modern world."
    verdict = await scorer.score(claim, passage)
    assert verdict.verdict == "supported"
    assert verdict.probabilities.supported == 1.0
    assert verdict.quoted_span == claim
    assert passage[verdict.span_start : verdict.span_end] == claim


async def test_adjacent_sentences_copied_word_for_word_are_supported_together(
    scorer: FaithfulnessScorer,
) -> None:
    # A test-split report's "… release greenhouse gases. These gases absorb …" (the writer
    # gives a quote that points back the sentence before it) had been quoted on its first
    # sentence and failed the content check on the second.
    passage = (
        "Present-day climate change includes global warming. Fossil fuel use, deforestation, "
        "and some agricultural and industrial practices release greenhouse gases. These gases "
        "absorb some of the heat that the Earth radiates after it warms from sunlight, warming "
        "the lower atmosphere. Carbon dioxide is the main gas driving global warming."
    )
    claim = (
        "Fossil fuel use, deforestation, and some agricultural and industrial practices "
        "release greenhouse gases. These gases absorb some of the heat that the Earth radiates "
        "after it warms from sunlight, warming the lower atmosphere."
    )
    verdict = await scorer.score(claim, passage)
    assert verdict.verdict == "supported" and verdict.probabilities.supported == 1.0
    assert passage[verdict.span_start : verdict.span_end] == claim == verdict.quoted_span
    # Not two sentences that do not follow one another in the passage, nor in another order.
    apart = "Present-day climate change includes global warming. " + claim.split(". ")[1]
    reordered = claim.split(". ")[1] + " Present-day climate change includes global warming."
    for other in (apart, reordered):
        assert (await scorer.score(other, passage)).probabilities.supported < 1.0


def test_the_verifier_computes_on_a_thread_that_ends_with_the_call(verifier: ClaimModel) -> None:
    # See lyceum.llm.backends.openmp_team: torch's OpenMP team must not outlive the call.
    pairs = [("Paris is in France.", "Paris is the capital of France.")]
    threads = threads_of(verifier._load(), "predict", lambda: verifier.probabilities(pairs))
    assert ran_on_ended_threads(threads)
