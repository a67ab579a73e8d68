"""A small, safe formula language for KPIs.

``spend / new_followers``, ``(revenue - spend) / spend``, ``clicks / impressions * 100``:
numbers, names, ``+ - * /``, unary minus and parentheses. The text is parsed with
:mod:`ast` and every node is checked against a short allow-list; nothing is ever
evaluated by Python. Attribute access, calls, subscripts, comparisons and every
other construct are refused with a message that names what was found.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ..messages import msg

Number = float | np.ndarray

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}

# Formulas are written by hand: a few operators. Long or deep ones are hostile (a
# 5,000-term sum would exhaust Python's recursion) and are refused with a message.
MAX_LENGTH = 500  # characters
MAX_DEPTH = 64  # operators and parentheses nested in one another
MAX_TERMS = 1_000  # names and numbers once the KPIs a formula uses are expanded

_WHAT = {
    ast.Call: "a function call",
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Compare: "a comparison",
    ast.BoolOp: "a boolean operator",
    ast.Lambda: "a lambda",
    ast.Pow: "the power operator **",
    ast.FloorDiv: "floor division //",
    ast.Mod: "the % operator",
    ast.IfExp: "a conditional expression",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a mapping",
    ast.NamedExpr: "the assignment operator :=",
    ast.MatMult: "the operator @",
    ast.BitAnd: "the operator &",
    ast.BitOr: "the operator |",
    ast.BitXor: "the operator ^",
    ast.LShift: "the operator <<",
    ast.RShift: "the operator >>",
    ast.Invert: "the operator ~",
    ast.Not: "the operator not",
    ast.Set: "a set",
    ast.Starred: "the operator *",
    ast.JoinedStr: "an f-string",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.GeneratorExp: "a generator",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.Slice: "a slice",
}


def quoted(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters."""
    return repr(text) if len(text) <= limit else repr(text[: limit - 1] + "…")


class FormulaError(ValueError):
    """A formula that cannot be parsed or evaluated; the message says why."""


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Expr


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Expr
    right: Expr


Expr = Num | Name | Neg | BinOp


def _describe(node: ast.AST) -> str:
    for kind, what in _WHAT.items():
        if isinstance(node, kind):
            return what
    if isinstance(node, ast.Constant):
        return f"the value {quoted(repr(node.value), 30)[1:-1]}"
    try:
        return f"'{quoted(ast.unparse(node), 40)[1:-1]}'"
    except Exception:  # an operator node has no text of its own
        return "an operator that is not + - * /"


def _depth(tree: ast.AST) -> int:
    """Nesting depth of an AST, without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return deepest


def parse(text: str) -> Expr:
    """Parse a formula into an expression tree, or raise :class:`FormulaError`."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError(msg("formula.empty"))
    source = text.strip().replace("×", "*").replace("÷", "/").replace("−", "-")
    if len(source) > MAX_LENGTH:
        raise FormulaError(
            msg("formula.too-long", formula=quoted(text), n=len(source), most=MAX_LENGTH)
        )
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as e:
        reason = e.msg if isinstance(e, SyntaxError) else "nested too deeply"
        raise FormulaError(msg("formula.syntax", formula=quoted(text), reason=reason)) from None
    if _depth(tree) > MAX_DEPTH:
        raise FormulaError(msg("formula.depth", formula=quoted(text), most=MAX_DEPTH))
    return _convert(tree.body, text)


def _convert(node: ast.AST, text: str) -> Expr:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        try:
            value = float(node.value)
        except OverflowError:  # an integer of 309 digits or more
            value = float("inf")
        if not math.isfinite(value):  # `1e999` reads as inf: no value could ever come of it
            raise FormulaError(msg("formula.too-large", formula=quoted(text)))
        return Num(value)
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise FormulaError(msg("formula.private-name", name=quoted(node.id)))
        return Name(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _convert(node.operand, text)
        return Neg(inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return BinOp(_OPS[type(node.op)], _convert(node.left, text), _convert(node.right, text))
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        what = _describe(node.op)
    else:
        what = _describe(node)
    raise FormulaError(msg("formula.not-allowed", formula=quoted(text), what=what))


def names(expr: Expr) -> list[str]:
    """The names an expression refers to, in order of first appearance."""
    out: dict[str, None] = {}
    seen: set[int] = set()  # expanded KPIs share sub-expressions: visit each once

    def walk(e: Expr) -> None:
        if id(e) in seen:
            return
        seen.add(id(e))
        if isinstance(e, Name):
            out.setdefault(e.name)
        elif isinstance(e, Neg):
            walk(e.operand)
        elif isinstance(e, BinOp):
            walk(e.left)
            walk(e.right)

    walk(expr)
    return list(out)


def size(expr: Expr, limit: int = MAX_TERMS) -> int:
    """Names and numbers in the expression written out (shared parts counted each time
    they occur), counted in time linear in the shared form; stops past ``limit``."""
    sizes: dict[int, int] = {}

    def count(e: Expr) -> int:
        if id(e) in sizes:
            return sizes[id(e)]
        if isinstance(e, Neg):
            n = count(e.operand)
        elif isinstance(e, BinOp):
            n = min(count(e.left) + count(e.right), limit + 1)
        else:
            n = 1
        sizes[id(e)] = n
        return n

    return count(expr)


def depth(expr: Expr) -> int:
    """Nesting depth of the expression (shared parts measured once)."""
    depths: dict[int, int] = {}

    def measure(e: Expr) -> int:
        if id(e) not in depths:
            if isinstance(e, Neg):
                depths[id(e)] = 1 + measure(e.operand)
            elif isinstance(e, BinOp):
                depths[id(e)] = 1 + max(measure(e.left), measure(e.right))
            else:
                depths[id(e)] = 1
        return depths[id(e)]

    return measure(expr)


def substitute(expr: Expr, lookup: Callable[[str], Expr | None]) -> Expr:
    """Replace names for which ``lookup`` returns an expression."""
    if isinstance(expr, Name):
        found = lookup(expr.name)
        return expr if found is None else found
    if isinstance(expr, Neg):
        return Neg(substitute(expr.operand, lookup))
    if isinstance(expr, BinOp):
        return BinOp(expr.op, substitute(expr.left, lookup), substitute(expr.right, lookup))
    return expr


def evaluate(expr: Expr, values: Mapping[str, Number]) -> Number:
    """Evaluate over scalars or numpy arrays. Division by zero gives NaN ("no value")."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = _eval(expr, values)
        result = np.where(np.isfinite(result), result, np.nan)
    return float(result) if np.ndim(result) == 0 else result


def _eval(expr: Expr, values: Mapping[str, Number]) -> np.ndarray:
    if isinstance(expr, Num):
        return np.float64(expr.value)
    if isinstance(expr, Name):
        return np.asarray(values[expr.name], dtype="float64")
    if isinstance(expr, Neg):
        return -_eval(expr.operand, values)
    left = _eval(expr.left, values)
    right = _eval(expr.right, values)
    if expr.op == "+":
        return left + right
    if expr.op == "-":
        return left - right
    if expr.op == "*":
        return left * right
    return np.true_divide(left, right)


def is_ratio(expr: Expr) -> bool:
    """True when the expression divides by something that is not a constant."""
    if isinstance(expr, BinOp):
        if expr.op == "/" and names(expr.right):
            return True
        return is_ratio(expr.left) or is_ratio(expr.right)
    if isinstance(expr, Neg):
        return is_ratio(expr.operand)
    return False


def to_text(expr: Expr) -> str:
    if isinstance(expr, Num):
        return f"{expr.value:g}"
    if isinstance(expr, Name):
        return expr.name
    if isinstance(expr, Neg):
        return f"-{to_text(expr.operand)}"
    return f"({to_text(expr.left)} {expr.op} {to_text(expr.right)})"


def lower_bound(expr: Expr, non_negative: Callable[[str], bool]) -> float:
    """The least value ``expr`` can take when each name for which ``non_negative`` holds
    is 0 or more and every other name may be anything (``-inf``: no bound). Interval
    arithmetic over the tree; a division by something that may be 0 leaves out the 0
    (it gives no value, never a number), so ``clicks / impressions`` is at least 0 and
    ``revenue / spend - 1`` at least -1."""
    return _interval(expr, non_negative, {})[0]


_INF = float("inf")


def _interval(
    expr: Expr, non_negative: Callable[[str], bool], memo: dict[int, tuple[float, float]]
) -> tuple[float, float]:
    found = memo.get(id(expr))  # expanded KPIs share sub-expressions
    if found is not None:
        return found
    if isinstance(expr, Num):
        out = (expr.value, expr.value)
    elif isinstance(expr, Name):
        out = (0.0, _INF) if non_negative(expr.name) else (-_INF, _INF)
    elif isinstance(expr, Neg):
        lo, hi = _interval(expr.operand, non_negative, memo)
        out = (-hi, -lo)
    else:
        a, b = _interval(expr.left, non_negative, memo)
        c, d = _interval(expr.right, non_negative, memo)
        if expr.op == "+":
            out = (a + c, b + d)
        elif expr.op == "-":
            out = (a - d, b - c)
        elif expr.op == "*":
            out = _product(a, b, c, d)
        elif c >= 0:  # a divisor of one sign: 1 / [c, d] is [1/d, 1/c] (0 left out)
            out = _product(a, b, 1 / d if d else _INF, 1 / c if c else _INF)
        elif d <= 0:
            out = _product(a, b, 1 / d if d else -_INF, 1 / c if c else -_INF)
        else:
            out = (-_INF, _INF)
        if out[0] != out[0] or out[1] != out[1]:  # NaN (inf - inf): no bound
            out = (-_INF, _INF)
    memo[id(expr)] = out
    return out


def _product(a: float, b: float, c: float, d: float) -> tuple[float, float]:
    """[a, b] * [c, d]; 0 times an infinite end is 0 (the end is never reached)."""

    def times(x: float, y: float) -> float:
        return 0.0 if x == 0 or y == 0 else x * y

    ends = (times(a, c), times(a, d), times(b, c), times(b, d))
    return min(ends), max(ends)
