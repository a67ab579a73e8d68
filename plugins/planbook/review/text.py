"""What in a page body is copy: masks that keep every offset, and line maps.

Masking replaces characters by spaces (newlines are kept), so an offset in the
masked text is the offset in the original body and line/column stay exact.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'()\[\]{}，。！？、；：）（]+", re.I)
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|\]\[[^\]\n]*\]|^ {0,3}\[[^\]\n]+\]:[^\n]*", re.M)
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^>\s]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_ATTR_LIST = re.compile(r"\{:?\s*[#.][^}\n]*\}")
_MD_ALT = re.compile(r"!\[([^\]\n]*)\]")
_HTML_ALT = re.compile(r"<img\b[^<>]*?\balt\s*=\s*(?:\"([^\"<>]*)\"|'([^'<>]*)')", re.I)


def blank(text: str) -> str:
    """Spaces for every character but newlines (what ``re.sub(r"[^\\n]", " ", text)``
    gives, written as string multiplication: no regex substitution per character)."""
    if "\n" not in text:
        return " " * len(text)
    return "\n".join([" " * len(part) for part in text.split("\n")])


def _sub(rx: re.Pattern[str], text: str) -> str:
    return rx.sub(lambda m: blank(m.group()), text)


def mask_code(body: str) -> str:
    """Blank fenced code blocks and inline code."""
    if "```" in body or "~~~" in body:
        out: list[str] = []
        fence: str | None = None
        for line in body.splitlines(keepends=True):
            m = _FENCE.match(line)
            if fence is None:
                if m:
                    fence = m.group(1)
                    out.append(blank(line))
                    continue
                out.append(line)
            else:
                if (
                    m
                    and m.group(1)[0] == fence[0]
                    and len(m.group(1)) >= len(fence)
                    and not line[m.end() :].strip()
                ):
                    fence = None
                out.append(blank(line))
        body = "".join(out)
    if "`" in body:
        body = _sub(_INLINE_CODE, body)
    return body


@dataclass
class Masked:
    """The body three ways: with code blanked (``code_free``), also without
    comments (``text``: what page-level rules search), and only the copy
    (``copy``: no URLs, link targets, HTML tags or template tags)."""

    code_free: str
    text: str
    copy: str


def mask(body: str, alt_text: bool = True) -> Masked:
    """Mask ``body``; ``alt_text`` keeps image alt text (Markdown and ``<img alt>``) as copy."""
    code_free = mask_code(body)
    text = _sub(_COMMENT, code_free) if "<!--" in code_free else code_free
    copy = text
    if not alt_text and "![" in copy:
        copy = _MD_ALT.sub(lambda m: "![" + blank(m.group(1)) + "]", copy)
    if "](" in copy or "][" in copy or "]:" in copy:
        copy = _sub(_LINK_TARGET, copy)
    if "<" in copy:
        copy = _sub(_AUTOLINK, copy)
        tagged = copy
        copy = _sub(_TAG, copy)
        if alt_text and "alt" in tagged:
            parts = list(copy)
            for m in _HTML_ALT.finditer(tagged):
                g = 1 if m.group(1) is not None else 2
                parts[m.start(g) : m.end(g)] = tagged[m.start(g) : m.end(g)]
            copy = "".join(parts)
    if "{" in copy:
        copy = _sub(_TEMPLATE, copy)
        copy = _sub(_ATTR_LIST, copy)
    if "://" in copy or "www." in copy.lower():
        copy = _sub(_URL, copy)
    return Masked(code_free, text, copy)


class LineMap:
    """Offset in the body -> (line in the file, 1-based column)."""

    def __init__(self, body: str, body_line: int) -> None:
        self.starts = [0]
        i = body.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = body.find("\n", i + 1)
        self.body_line = body_line

    def index(self, offset: int) -> int:
        """0-based line index in the body."""
        return bisect_right(self.starts, offset) - 1

    def locate(self, offset: int) -> tuple[int, int]:
        i = self.index(offset)
        return self.body_line + i, offset - self.starts[i] + 1


# A blank line, or a line break before a list item or a table row: each list item
# and each table row (one SEM creative, one selling point) is a unit of its own.
_PARA = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*+][ \t]|\d{1,3}[.)][ \t]|\|))")


def paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the paragraph (text between blank lines), list item or table row around a span."""
    lo = 0
    for m in _PARA.finditer(text, 0, start):
        lo = m.end()
    m = _PARA.search(text, end)
    hi = m.start() if m else len(text)
    return lo, hi


# ----------------------------------------------------------------- structural checks

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_id_card(number: str) -> bool:
    """Mainland resident ID: region, a real birth date, ISO 7064 MOD 11-2 check digit."""
    from datetime import date

    n = number.upper()
    if len(n) != 18 or not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return False
    if n[0] not in "123456789":
        return False
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(c) * w for c, w in zip(n[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == n[17]


def luhn(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_CARD_PREFIX = re.compile(r"^(?:62|4|5[1-5]|2[2-7]|3[47]|35|9558|60|65)")


def valid_bank_card(candidate: str) -> bool:
    digits = "".join(c for c in candidate if c.isdigit())
    if not 15 <= len(digits) <= 19:
        return False
    if len(digits) == 18 and valid_id_card(digits):
        return False  # an ID-card number: reported by its own rule
    return bool(_CARD_PREFIX.match(digits)) and luhn(digits)


def valid_mobile(candidate: str) -> bool:
    digits = "".join(c for c in candidate if c.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"
