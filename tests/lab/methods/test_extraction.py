from __future__ import annotations

import pytest

from lyceum.lab.methods import extract_answer


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Paris is in France.\nAnswer: Paris", "Paris"),
        ("Step 1 ... Answer: 12\nmore thoughts\nFinal answer: **14**.", "14"),
        ("answer: denver broncos", "denver broncos"),
        ("80 plus 29 is 109. Therefore, the answer is 109.", "109"),
        ("Lots of reasoning.\nThus the answer is Saint Bernadette", "Saint Bernadette"),
        ("Let me think.\nThe capital is big.\n\nLondon\n", "London"),
        ("  'Einstein'  ", "Einstein"),
        ("3.5.", "3.5"),
        ("", ""),
    ],
)
def test_extract_answer_fallbacks(text, answer):
    assert extract_answer(text) == answer
