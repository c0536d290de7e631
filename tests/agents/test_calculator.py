from __future__ import annotations

import pytest

from lyceum.agents.calculator import MAX_EXPRESSION_CHARS, calculator, evaluate, format_number


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("2 + 3 * 4", 14),
        ("(12.5 * 4) / 3", 50 / 3),
        ("2 ** 10", 1024),
        ("2^10", 1024),
        ("7 // 2", 3),
        ("7 % 4", 3),
        ("-3 + +5", 2),
        ("sqrt(16) + abs(-2)", 6.0),
        ("log(100, 10)", 2.0),
        ("max(1, 7, 3) - min(4, 2)", 5),
        ("round(3.14159, 2)", 3.14),
        ("factorial(10)", 3628800),
        ("2 * pi", 6.283185307179586),
        ("6 × 7", 42),
        ("84 ÷ 2", 42.0),
        ("1 + 1 =", 2),
        ("1_000 * 3", 3000),
    ],
)
def test_calculator_evaluates_arithmetic(expression: str, expected: float) -> None:
    assert evaluate(expression) == pytest.approx(expected)


@pytest.mark.parametrize(
    "attack",
    [
        "__import__('os').system('echo hacked')",
        "__import__('os')",
        "().__class__.__bases__[0].__subclasses__()",
        "(1).__class__",
        "(1).real",
        "lambda: 1",
        "(lambda x: x)(1)",
        "[x for x in (1, 2)]",
        "{x for x in (1, 2)}",
        "(x for x in (1, 2))",
        "open('/etc/passwd')",
        "eval('1+1')",
        "exec('x=1')",
        "globals()",
        "sqrt.__globals__",
        "x",
        "'abc' * 3",
        "b'abc'",
        "[1, 2][0]",
        "(x := 5)",
        "1 if 1 else 2",
        "1 < 2",
        "1 << 10",
        "True + 1",
        "1j * 1j",
        "f'{1}'",
        "max(*[1, 2])",
        "round(2.5, ndigits=1)",
    ],
)
def test_calculator_rejects_anything_but_arithmetic(attack: str) -> None:
    with pytest.raises(ValueError):
        evaluate(attack)


@pytest.mark.parametrize(
    "huge",
    [
        "9**9**9",
        "10**100000",
        "2**5000",
        "(2**4000) * (2**4000)",
        "factorial(100000)",
        "exp(1000)",
        "10.0 ** 400",
        "10**400 / 3",
        "1e308 * 10",
        "pow(9, 999999)",
    ],
)
def test_calculator_refuses_results_too_large_before_computing_them(huge: str) -> None:
    with pytest.raises(ValueError, match=r"too large|finite"):
        evaluate(huge)


def test_calculator_rejects_long_input_and_survives_the_deepest_nesting_it_accepts() -> None:
    with pytest.raises(ValueError, match="longer than"):
        evaluate("1+" * MAX_EXPRESSION_CHARS + "1")
    assert evaluate("(" * 149 + "1" + ")" * 149) == 1
    assert evaluate("-" * 298 + "1") == 1


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1 / 0", "division by zero"),
        ("5 % 0", "modulo by zero"),
        ("sqrt(-1)", "domain"),
        ("(-8) ** (1/3)", "not a real number"),
        ("", "empty"),
        ("2 +", "not an arithmetic"),
    ],
)
def test_calculator_errors_say_what_is_wrong(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate(expression)


def test_numbers_are_formatted_for_reading() -> None:
    assert format_number(14) == "14"
    assert format_number(6.0) == "6"
    assert format_number(0.1 + 0.2) == "0.3"
    assert format_number(1 / 3) == "0.333333333333"
    assert format_number(2**70) == "1180591620717411303424"


async def test_calculator_tool_returns_text_and_validates_arguments() -> None:
    assert await calculator.run({"expression": "6 * 7"}) == "42"
    assert calculator.name == "calculator"
    assert calculator.parameters["required"] == ["expression"]
    with pytest.raises(ValueError, match="bad arguments for calculator"):
        await calculator.run({"expr": "1"})
