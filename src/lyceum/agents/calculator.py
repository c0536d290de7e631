"""A calculator for model-written arithmetic: an AST allow-list over plain numbers.

The expression is parsed, never executed: only number literals, + - * / // % **, unary
signs, a fixed set of math functions and constants are evaluated, by this module's own
walker. Names, attributes, calls of anything else, subscripts, lambdas and comprehensions
are rejected before any evaluation. Results are bounded (integers up to `MAX_INT_BITS`
bits) and checked before the work is done, so `9**9**9` is refused instead of hanging.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from lyceum.agents.tools import tool

MAX_EXPRESSION_CHARS = 300
MAX_INT_BITS = 4096
MAX_ARGUMENTS = 16

Number = int | float


def _safe_pow(base: Number, exponent: Number) -> Number:
    ints = isinstance(base, int) and isinstance(exponent, int)
    if ints and exponent > 0 and abs(base) > 1 and exponent * math.log2(abs(base)) > MAX_INT_BITS:
        raise ValueError(f"result too large: {base}**{exponent} has over {MAX_INT_BITS} bits")
    if isinstance(base, float) or isinstance(exponent, float):
        if base == 0 and exponent < 0:
            raise ValueError("division by zero: 0 raised to a negative power")
        if abs(base) > 1 and exponent * math.log10(abs(base)) > 308:
            raise ValueError("result too large for a floating-point number")
    return base**exponent


def _safe_mul(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
        raise ValueError(f"result too large: over {MAX_INT_BITS} bits")
    return a * b


def _safe_div(a: Number, b: Number) -> Number:
    if b == 0:
        raise ValueError("division by zero")
    return a / b


def _safe_floordiv(a: Number, b: Number) -> Number:
    if b == 0:
        raise ValueError("division by zero")
    return a // b


def _safe_mod(a: Number, b: Number) -> Number:
    if b == 0:
        raise ValueError("modulo by zero")
    return a % b


def _factorial(n: Number) -> int:
    if isinstance(n, float):
        if not n.is_integer():
            raise ValueError("factorial needs a whole number")
        n = int(n)
    if n < 0:
        raise ValueError("factorial of a negative number")
    if n > 1 and math.lgamma(n + 1) / math.log(2) > MAX_INT_BITS:
        raise ValueError(f"result too large: {n}! has over {MAX_INT_BITS} bits")
    return math.factorial(n)


def _log(x: Number, base: Number | None = None) -> float:
    return math.log(x) if base is None else math.log(x, base)


def _round(x: Number, digits: int | None = None) -> Number:
    if digits is not None and (not isinstance(digits, int) or abs(digits) > 100):
        raise ValueError("round's digits must be a whole number between -100 and 100")
    return round(x) if digits is None else round(x, digits)


_BINARY: dict[type[ast.operator], Callable[[Any, Any], Number]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: _safe_mul,
    ast.Div: _safe_div,
    ast.FloorDiv: _safe_floordiv,
    ast.Mod: _safe_mod,
    ast.Pow: _safe_pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Number]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}
FUNCTIONS: dict[str, Callable[..., Number]] = {
    "abs": abs,
    "round": _round,
    "min": min,
    "max": max,
    "sqrt": math.sqrt,
    "exp": math.exp,
    "log": _log,
    "ln": math.log,
    "log10": math.log10,
    "log2": math.log2,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "degrees": math.degrees,
    "radians": math.radians,
    "floor": math.floor,
    "ceil": math.ceil,
    "factorial": _factorial,
    "hypot": math.hypot,
    "pow": _safe_pow,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "tau": math.tau}

# Spellings models commonly use for operators Python writes differently.
_REWRITES = (("^", "**"), ("×", "*"), ("·", "*"), ("÷", "/"), ("−", "-"), ("–", "-"))


def evaluate(expression: str) -> Number:
    """Evaluate an arithmetic expression; raise `ValueError` naming what is not allowed."""
    if not isinstance(expression, str):
        raise ValueError("the expression must be a string")
    text = expression.strip().rstrip("=").strip()
    if not text:
        raise ValueError("the expression is empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ValueError(f"the expression is longer than {MAX_EXPRESSION_CHARS} characters")
    for old, new in _REWRITES:
        text = text.replace(old, new)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not an arithmetic expression: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise ValueError("the expression is nested too deeply") from None
    try:
        value = _eval(tree.body)
    except RecursionError:
        raise ValueError("the expression is nested too deeply") from None
    except OverflowError:
        raise ValueError("result too large for a floating-point number") from None
    except ZeroDivisionError:
        raise ValueError("division by zero") from None
    except TypeError as exc:
        raise ValueError(f"bad use of a function: {exc}") from None
    return _check(value)


def _eval(node: ast.AST) -> Number:
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"only numbers are allowed, not {value!r}")
        return value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _check(_BINARY[type(node.op)](_eval(node.left), _eval(node.right)))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand))
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise ValueError(f"unknown name {node.id!r}; allowed constants: {', '.join(CONSTANTS)}")
    if isinstance(node, ast.Call):
        return _check(_call(node))
    raise ValueError(f"{type(node).__name__} is not allowed in an arithmetic expression")


def _call(node: ast.Call) -> Number:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        shown = node.func.id if isinstance(node.func, ast.Name) else type(node.func).__name__
        raise ValueError(f"function {shown!r} is not allowed; allowed: {', '.join(FUNCTIONS)}")
    if node.keywords:
        raise ValueError("keyword arguments are not allowed")
    if not node.args or len(node.args) > MAX_ARGUMENTS:
        raise ValueError(f"{node.func.id} takes between 1 and {MAX_ARGUMENTS} arguments")
    args = [_eval(arg) for arg in node.args]
    return FUNCTIONS[node.func.id](*args)


def _check(value: Number) -> Number:
    if isinstance(value, complex):
        raise ValueError("the result is not a real number")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise ValueError(f"result too large: over {MAX_INT_BITS} bits")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("the result is not a finite number")
    return value


def format_number(value: Number) -> str:
    """A number as a model should read it: integers exact, floats to 12 significant digits."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".12g")


_SPACES = re.compile(r"\s+")


@tool
def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression exactly, e.g. "(12.5 * 4) / 3" or "sqrt(2) ** 2".

    Supports + - * / // % ** and sqrt, log, ln, exp, sin, cos, tan, abs, round, min, max,
    floor, ceil, factorial; constants pi and e.

    Args:
        expression: the expression, with plain numbers only (no units or words).
    """
    value = evaluate(_SPACES.sub(" ", expression))
    return format_number(value)
