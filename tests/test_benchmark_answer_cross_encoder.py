"""The training pairs of benchmarks/answer_cross_encoder.py: which sentence answers."""

from lyceum.lab.datasets.bigbench import SquadExample

from .benchmark_loader import load_benchmark

load_benchmark("provenance")
load_benchmark("report_focus")
bench = load_benchmark("answer_cross_encoder")

PARAGRAPH = (
    "The Normans were the people who gave their name to Normandy. They descended from "
    "Norse raiders. Their identity emerged in the first half of the 10th century."
)
OTHER = "Oxygen is a chemical element with symbol O. It is a member of the chalcogen group."


def _example(i: int, title: str, context: str, question: str, answer: str) -> SquadExample:
    return SquadExample(
        id=str(i), title=title, question=question, context=context, answers=[answer]
    )


def test_the_answer_sentence_is_supported_and_the_others_are_not() -> None:
    asked = _example(1, "Normans", PARAGRAPH, "From whom did the Normans descend?", "Norse raiders")
    pool = [_example(2, "Oxygen", OTHER, "What is the symbol of oxygen?", "O")]
    pairs = bench.answer_pairs([asked], pool, seed=1)
    supported = [p for p in pairs if p.label == "supported"]
    assert [p.evidence for p in supported] == ["Normans: They descended from Norse raiders."]
    negatives = [p for p in pairs if p.label == "not_enough_info"]
    assert len(negatives) == 3  # two of the paragraph, one of another article
    assert sum(p.evidence.startswith("Oxygen: ") for p in negatives) == 1
    assert all("Norse raiders" not in p.evidence for p in negatives)


def test_a_question_whose_answer_is_in_no_sentence_gives_no_pairs() -> None:
    lost = _example(3, "Normans", PARAGRAPH, "Who were the Vikings?", "Scandinavians")
    assert bench.answer_pairs([lost], [_example(4, "Oxygen", OTHER, "q", "O")], seed=1) == []
