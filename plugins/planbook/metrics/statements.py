"""What a goal's statement says in numbers (planbook.metrics.lint's statement rules):
the targets it states (``25%``, ``3 个百分点``, ``10万``; not its years, dates,
durations or names with digits), and whether one of them is the goal's target."""

from __future__ import annotations

import math
import re
import unicodedata

from ..format import plain_number, plain_percent
from ..messages import msg

__all__ = ["quote", "show", "statement_check", "statement_numbers"]


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[: limit - 1] + "…"}"'


def show(value: float, fmt: str) -> str:
    return plain_percent(value) if fmt == "percent" else plain_number(value)


_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.])(?P<n>\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<unit>%|pp|个百分点|万|亿|[kKwWM](?![A-Za-z]))?"
)
# Numbers that count time, not the goal: 三个月内, 7 日留存, Q3, 双11, 2027 年.
_TIME_AFTER = re.compile(
    r"^\s*(?:个月|月|日|号|天|周|年|季度|期|小时|分钟|点|"
    r"(?:days?|weeks?|months?|years?|quarters?|hours?|minutes?|st|nd|rd|th)\b)",
    re.I,
)
_SCALE = {"万": 1e4, "w": 1e4, "W": 1e4, "亿": 1e8, "k": 1e3, "K": 1e3, "M": 1e6}


def statement_numbers(statement: str) -> list[tuple[str, float, str]]:
    """The numbers a statement states as targets: ``(text, value, kind)`` with kind
    ``percent``, ``points`` or ``number``. Years, dates, durations and names with digits
    (Q3, 双11, 7 日留存) are left out."""
    text = unicodedata.normalize("NFKC", statement)
    out: list[tuple[str, float, str]] = []
    for m in _NUMBER.finditer(text):
        raw, unit = m.group("n"), m.group("unit") or ""
        before = text[max(0, m.start() - 1) : m.start()]
        after = text[m.end() :]
        if before in ("双", "第", "Q", "W", "-", "/") or (not unit and _TIME_AFTER.match(after)):
            continue
        if not unit and re.match(r"[-/]\d{1,2}(?:[-/]\d{1,2})?(?!\d)", after):
            continue  # a date 2026-11-30 or 11/30
        value = float(raw.replace(",", ""))
        if not unit and re.fullmatch(r"(19|20)\d\d", raw):
            continue  # a year
        if unit in ("%",):
            out.append((m.group(0).strip(), value / 100, "percent"))
        elif unit in ("pp", "个百分点"):
            out.append((m.group(0).strip(), value / 100, "points"))
        else:
            out.append((m.group(0).strip(), value * _SCALE.get(unit, 1.0), "number"))
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.02, abs_tol=1e-9)


def statement_check(statement: str, baseline: float, fmt: str, target: float) -> str | None:
    """``"vague"``, a mismatch message, or None when a stated number fits the target."""
    found = statement_numbers(statement)
    if not found:
        return "vague"
    for _, value, kind in found:
        if kind == "percent":
            candidates = [value, baseline * (1 + value), baseline * (1 - value)]
        elif kind == "points":
            candidates = [baseline + value, baseline - value]
        else:
            candidates = [value, baseline + value, baseline - value]
        if any(_close(c, target) for c in candidates):
            return None
    text, value, kind = next((f for f in found if f[2] != "number"), found[0])
    text = text if len(text) <= 24 else text[:23] + "…"
    if kind == "percent" and fmt != "percent" and baseline:
        change = plain_percent(target / baseline - 1, signed=True)
        return msg(
            "smart/statement-mismatch.change",
            text=text,
            baseline=show(baseline, fmt),
            target=show(target, fmt),
            change=change,
        )
    return msg(
        "smart/statement-mismatch",
        text=text,
        target=show(target, fmt),
        baseline=show(baseline, fmt),
    )
