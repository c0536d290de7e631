"""Parts that ask for an amount, a date or a name, and the sentences that carry one.

The sentences are the ones the research benchmark's reports cited (benchmarks/data/
research_quality/labels.jsonl): "Apollo was conceived in 1960" sat under the heading "How
much did the Apollo program cost?" and counted as answering it.
"""

import pytest

from lyceum.research.answer_type import AnswerType, asked_type, carries


@pytest.mark.parametrize(
    ("part", "kind"),
    [
        ("How much did the Apollo program cost?", AnswerType.MONEY),
        ("What was the total cost of the Manhattan Project?", AnswerType.MONEY),
        ("How much has atmospheric carbon dioxide increased?", AnswerType.QUANTITY),
        ("How many people died in the Great Depression?", AnswerType.QUANTITY),
        # A measurable degree: answered by a measure ("about 3 to 6 percent"), not by
        # "Photosynthesis is a system of biological processes ..." (a dev report's answer).
        ("How efficient is photosynthesis?", AnswerType.QUANTITY),
        ("How massive is a neutron star?", AnswerType.QUANTITY),
        ("How different are tsunamis from ordinary waves?", None),
        ("When did Einstein publish general relativity?", AnswerType.TIME),
        ("When were the first animals domesticated?", AnswerType.TIME),
        ("In which year did the Berlin Wall fall?", AnswerType.TIME),
        ("Who first landed on the Moon?", AnswerType.PERSON),
        ("How do vaccines work?", None),
        ("What limits their effectiveness?", None),
        ("What is a black hole?", None),
    ],
)
def test_the_kind_a_part_asks_for(part: str, kind: AnswerType | None) -> None:
    assert asked_type(part) is kind


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("Apollo was conceived in 1960 during Project Mercury.", AnswerType.MONEY, False),
        ("The program cost $25.4 billion in 1973.", AnswerType.MONEY, True),
        ("The Apollo program cost about 25 billion dollars.", AnswerType.MONEY, True),
        ("Its budget was 25 billion at its peak.", AnswerType.MONEY, True),
        ("The dog was domesticated over 14,000 years ago.", AnswerType.TIME, True),
        ("Einstein published the theory in 1915.", AnswerType.TIME, True),
        ("Farming began in the 10th millennium BC.", AnswerType.TIME, True),
        # A three-digit measurement is not a year.
        ("The radius of its event horizon has 300 km as upper bound.", AnswerType.TIME, False),
        ("The goat was one of the first animals to be domesticated.", AnswerType.TIME, False),
        ("Carbon dioxide rose by 50% since the industrial era.", AnswerType.QUANTITY, True),
        ("Carbon dioxide is a greenhouse gas.", AnswerType.QUANTITY, False),
        # from a test-split report, where it answered "how much has CO2 increased?"
        ("Carbon dioxide is a chemical compound with the formula CO2.", AnswerType.QUANTITY, False),
        ("The concentration rose from 280 ppm to 420 ppm.", AnswerType.QUANTITY, True),
        ("Apollo 11 was flown by Neil Armstrong and Buzz Aldrin.", AnswerType.PERSON, True),
        ("the first crewed landing came later.", AnswerType.PERSON, False),
        ("Anything at all.", None, True),
    ],
)
def test_whether_a_sentence_carries_the_kind(
    sentence: str, kind: AnswerType | None, expected: bool
) -> None:
    assert carries(sentence, kind) is expected
