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

Number = float | np.ndarray

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}

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
}


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
        return f"the value {node.value!r}"
    return f"'{type(node).__name__}'"


def parse(text: str) -> Expr:
    """Parse a formula into an expression tree, or raise :class:`FormulaError`."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("a formula cannot be empty")
    source = text.strip().replace("×", "*").replace("÷", "/").replace("−", "-")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as e:
        raise FormulaError(f"cannot parse formula {text!r}: {e.msg}") from None
    return _convert(tree.body, text)


def _convert(node: ast.AST, text: str) -> Expr:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return Num(float(node.value))
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise FormulaError(f"name {node.id!r} is not allowed in a formula")
        return Name(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _convert(node.operand, text)
        return Neg(inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return BinOp(_OPS[type(node.op)], _convert(node.left, text), _convert(node.right, text))
    what = _describe(node.op if isinstance(node, ast.BinOp) else node)
    raise FormulaError(
        f"formula {text!r} uses {what}; only numbers, names, + - * / and parentheses are allowed"
    )


def names(expr: Expr) -> list[str]:
    """The names an expression refers to, in order of first appearance."""
    out: list[str] = []

    def walk(e: Expr) -> None:
        if isinstance(e, Name):
            if e.name not in out:
                out.append(e.name)
        elif isinstance(e, Neg):
            walk(e.operand)
        elif isinstance(e, BinOp):
            walk(e.left)
            walk(e.right)

    walk(expr)
    return out


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
