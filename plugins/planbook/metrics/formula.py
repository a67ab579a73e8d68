"""A small, safe formula language for KPIs.

``spend / new_followers``, ``(revenue - spend) / spend``, ``clicks / impressions * 100``:
numbers, names, ``+ - * /``, unary minus and parentheses. The text is parsed with
:mod:`ast` and every node is checked against a short allow-list; nothing is ever
evaluated by Python. Attribute access, calls, subscripts, comparisons and every
other construct are refused with a message that names what was found.
"""

from __future__ import annotations

import ast
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
        return Num(float(node.value))
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
